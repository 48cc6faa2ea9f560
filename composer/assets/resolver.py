"""The renderer's view of a project's assets: ids and URLs become local files."""
from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from composer.assets.models import Asset
from composer.assets.presets import builtin_asset
from composer.assets.rigs import standin_rig_path
from composer.assets.services import asset_file_path
from composer.assets.signing import verify
from composer.lib import fetch
from composer.teams.models import Project


class ProjectAssetResolver:
    """Implements composer.render's AssetResolver for one project; downloads go to `work_dir`."""

    def __init__(self, project: Project | None, work_dir: Path, *, standins: bool = False):
        """standins: an avatar imported from MetaStudio is drawn as its stand-in (its cover, marked as rendered
        there): for thumbnails only, a render of one here is still refused."""
        self.project = project
        self.work_dir = work_dir
        self.standins = standins

    def asset_path(self, asset_id: str, asset_type: str) -> Path:
        if self.standins and asset_type == "HUMAN_MODEL_2D" and self.project is not None:
            asset = Asset.objects.filter(project=self.project, pk=asset_id).exclude(remote_asset_id="").first()
            standin = standin_rig_path(asset) if asset is not None else None
            if standin is not None:
                return standin
        return asset_file_path(self.project, asset_id, asset_type)

    def url_path(self, url: str) -> Path:
        local = self._own_download(url)
        if local is not None:
            return local
        name = hashlib.sha256(url.encode()).hexdigest()[:24]
        target = self.work_dir / "downloads" / name
        if not target.exists():
            fetch.download(url, target)
        return target

    def _own_download(self, url: str) -> Path | None:
        """A signed link to one of this project's own assets is read from storage, not over HTTP."""
        parts = urlsplit(url)
        segments = parts.path.strip("/").split("/")
        if len(segments) != 3 or segments[0] != "files":
            return None
        asset_id, kind = segments[1], segments[2]
        query = parse_qs(parts.query)
        if not verify(asset_id, kind, query.get("expires", [""])[0], query.get("signature", [""])[0]):
            return None
        if self.project is None:
            return None
        asset = Asset.objects.filter(pk=asset_id, project=self.project).first()
        return asset.local_path if asset is not None and kind == "file" else None

    def voice(self, voice_asset_id: str):
        # The engine (PyAV, the voices) loads on first use, not with every web process.
        from composer.render.speech import VoiceRef, voice_ref_for

        ref = voice_ref_for(voice_asset_id)
        if ref is not None:
            return ref
        if builtin_asset(voice_asset_id) is not None:
            raise LookupError(f"built-in voice {voice_asset_id!r} is not available on this machine")
        asset = self.project and Asset.objects.filter(project=self.project, pk=voice_asset_id,
                                                      asset_type="VOICE_MODEL").first()
        if asset is None:
            raise LookupError(f"no voice asset {voice_asset_id!r}")
        if asset.local_path is None:
            raise LookupError(f"voice asset {voice_asset_id!r} has no voice model here"
                              + (" (imported from MetaStudio: it renders there only)" if asset.remote_asset_id else ""))
        return VoiceRef(kind="piper", model_path=asset.local_path, config_path=Path(asset.meta["config_path"]),
                        language=asset.meta.get("language"))
