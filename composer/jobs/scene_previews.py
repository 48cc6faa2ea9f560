"""Play a scene before rendering: one scene of a script as a small MP4 with its voice and music, rendered by the
same engine at preview size (render_scene_preview) and kept by content, so a repeated play is served at once.

The key is everything the picture and sound depend on: the scene cache's key (the scene's JSON, its position,
presenter, voice, video and action settings, the files of its assets, the engine's code) plus the music and the
preview width. Files live under MEDIA_ROOT/scene-previews/<project>/; the least recently played go beyond
MAX_KEPT per project.
"""
from __future__ import annotations

import copy
import json
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from composer.assets.models import Asset
from composer.assets.resolver import ProjectAssetResolver
from composer.errors import InvalidInput, NotFound
from composer.jobs import scene_cache
from composer.lib.canonical import content_hash
from composer.scripts.services import get_revision, validate_for_project
from composer.spec.variables import with_samples
from composer.teams.models import Project

MIN_WIDTH, MAX_WIDTH, DEFAULT_WIDTH = 160, 960, 480
MAX_KEPT = 60
KEY_LENGTH = 64
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


@dataclass
class ScenePreview:
    key: str
    path: Path
    duration: float
    width: int
    height: int
    frame_rate: int
    cached: bool
    render_seconds: float | None = None


def preview_request(body: Any) -> tuple[int, int, Any, Any]:
    """(scene, width, revision, composition) from a request body, naming the field that is wrong."""
    if not isinstance(body, dict):
        raise InvalidInput("the request body must be a JSON object: {scene, revision or composition, width}")
    scene = body.get("scene", 0)
    if isinstance(scene, bool) or not isinstance(scene, int) or scene < 0:
        raise InvalidInput("scene: must be a scene index (0, 1, ...)")
    width = body.get("width", DEFAULT_WIDTH)
    if isinstance(width, bool) or not isinstance(width, int) or not MIN_WIDTH <= width <= MAX_WIDTH:
        raise InvalidInput(f"width: must be an integer of {MIN_WIDTH}-{MAX_WIDTH} pixels")
    composition = body.get("composition")
    if composition is not None and not isinstance(composition, dict):
        raise InvalidInput("composition: must be the script's composition object")
    revision = body.get("revision")
    if composition is not None and revision is not None:
        raise InvalidInput("revision: give either a revision or an unsaved composition, not both")
    return scene, width, revision, composition


def _root(project: Project) -> Path:
    return Path(settings.MEDIA_ROOT) / "scene-previews" / str(project.pk)


def preview_key(project: Project, spec: dict, scene: int, width: int) -> str:
    """The content key of scene `scene` of `spec` played at `width`."""
    base = scene_cache.scene_key(project, spec, scene)
    if base is None:  # a scene that fetches URLs: not kept by the render cache, but a preview may be
        base = [scene_cache.engine_version(), scene, spec["shoot_scripts"], spec.get("model_asset_id"),
                spec.get("voice_config"), spec.get("video_config"), spec.get("action_config")]
    music = spec.get("background_music_config") or {}
    music_file = Asset.objects.filter(project=project, pk=music.get("music_asset_id") or "") \
        .values_list("file", "size_bytes").first()
    return content_hash(["scene-preview/1", base, music, music_file, width])


def _lock(key: str) -> threading.Lock:
    with _locks_guard:
        if len(_locks) > 256:
            _locks.clear()
        return _locks.setdefault(key, threading.Lock())


def _read(path: Path, key: str, cached: bool) -> ScenePreview | None:
    try:
        info = json.loads(path.with_suffix(".json").read_text())
    except (OSError, ValueError):
        return None
    if not path.exists():
        return None
    os.utime(path.with_suffix(".json"))  # recently played: pruned last
    return ScenePreview(key, path, info["duration"], info["width"], info["height"], info["frame_rate"], cached)


def _prune(root: Path) -> None:
    kept = sorted(root.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for meta in kept[MAX_KEPT:]:
        meta.with_suffix(".mp4").unlink(missing_ok=True)
        meta.unlink(missing_ok=True)


def play_scene(project: Project, script, *, scene: int, width: int = DEFAULT_WIDTH, revision: Any = None,
               composition: Any = None) -> ScenePreview:
    """Scene `scene` of the script (its head, a saved `revision`, or an unsaved `composition`) as a small MP4.

    Raises SpecError naming the field when the composition is invalid, InvalidInput for a missing scene,
    NotFound for an unknown revision."""
    # The engine (PyAV, the voices) loads on first use, not with every web process.
    from composer.render import render_scene_preview

    if composition is None:
        composition = (get_revision(script, revision) if revision is not None else script.head).composition
    # A template plays with its sample values (composer/spec/variables.py).
    spec = with_samples(validate_for_project(project, composition))
    scenes = spec["shoot_scripts"]
    if scene >= len(scenes):
        raise InvalidInput(f"scene: this script has {len(scenes)} scene(s), numbered from 0")
    key = preview_key(project, spec, scene, width)
    root = _root(project)
    target = root / f"{key}.mp4"
    with _lock(key):
        hit = _read(target, key, True)
        if hit is not None:
            return hit
        root.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(dir=root, prefix=".render-"))
        try:
            result = render_scene_preview(spec, scene, ProjectAssetResolver(project, work), work / "scene.mp4",
                                          width=width)
            info = {"duration": round(result.duration, 3), "width": result.width, "height": result.height,
                    "frame_rate": 25}
            os.replace(result.output, target)
            target.with_suffix(".json").write_text(json.dumps(info))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        _prune(root)
        return ScenePreview(key, target, info["duration"], info["width"], info["height"], info["frame_rate"], False,
                            round(result.seconds, 2))


_prepared: set[str] = set()


def prepare_engine(project: Project, script) -> bool:
    """Make the first play quick: load the script's voice (and the engine's modules) in the background while the
    marketer is still editing. Once per voice per process; returns whether a warm-up was started."""
    voice_id = ((script.head.composition or {}).get("voice_config") or {}).get("voice_asset_id")
    if not voice_id or voice_id in _prepared:
        return False
    _prepared.add(voice_id)

    composition = copy.deepcopy(script.head.composition)

    def warm() -> None:
        # A one-word play of the first scene, tiny and thrown away: loads the voice, the presenter, the fonts and
        # the encoders the way a real play uses them.
        from django.db import connection

        # The engine (PyAV, the voices) loads on first use, not with every web process.
        from composer.render import render_scene_preview

        try:
            spec = with_samples(validate_for_project(project, composition))
            scene = spec["shoot_scripts"][0]["shoot_script"]
            if scene.get("script_type", "TEXT") == "TEXT":
                scene["text_config"]["text"] = "Hello."
            with tempfile.TemporaryDirectory() as work:
                render_scene_preview(spec, 0, ProjectAssetResolver(project, Path(work)), Path(work) / "warm.mp4",
                                     width=MIN_WIDTH)
        except Exception:  # a warm-up only: the real play reports any problem
            _prepared.discard(voice_id)
        finally:
            connection.close()

    threading.Thread(target=warm, name="scene-preview-warm-up", daemon=True).start()
    return True


def preview_file(project: Project, key: str) -> Path:
    """The MP4 of a played scene of this project (keys are content hashes; other projects' are unknown here)."""
    if len(key) != KEY_LENGTH or any(c not in "0123456789abcdef" for c in key):
        raise NotFound("preview: no such scene preview")
    path = _root(project) / f"{key}.mp4"
    if not path.exists():
        raise NotFound("preview: no such scene preview (it may have been cleaned up: play the scene again)")
    return path
