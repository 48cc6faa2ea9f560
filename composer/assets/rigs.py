"""Avatar rigs as the pages see them, drawn by the engine itself: a rig's size, native layout, default placement
and figure metrics (the editor frames the avatar with the compositor's rule, composer.spec.framing, transcribed
in static/composer/editor/framing.js; the built-in presenters' facts ship with them, composer.render.rigfacts),
and the avatar at rest as a PNG (what the canvas draws), kept per process and in a file cache."""
from __future__ import annotations

import hashlib
import io
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

from composer.lib.canonical import content_hash
from composer.lib.filecache import FileCache

AVATAR_STILL_WIDTH = 720


def rig_facts(path: Path) -> dict[str, Any]:
    """Size, native layout, default placement, actions and figure metrics of the rig zip at `path`."""
    # The engine (PyAV, the voices) loads on first use, not with every web process.
    from composer.render.rigfacts import rig_facts as read

    return read(path)


def is_remote_avatar(asset) -> bool:
    """An avatar imported from MetaStudio: no rig here, it renders there only."""
    return getattr(asset, "asset_type", "") == "HUMAN_MODEL_2D" and bool(getattr(asset, "remote_asset_id", ""))


def standin_rig_path(asset) -> Path | None:
    """For an avatar imported from MetaStudio, the stand-in rig made from its cover (composer.render.avatar.standin),
    written once per cover under MEDIA_ROOT/standin-rigs; None for other assets or one without a cover."""
    if not is_remote_avatar(asset) or not asset.cover:
        return None
    cover = asset.cover_path
    if cover is None or not cover.exists():
        return None
    stat = cover.stat()
    key = hashlib.sha256(f"{asset.cover.name}|{stat.st_size}|{stat.st_mtime_ns}|{asset.name}".encode()).hexdigest()
    target = Path(settings.MEDIA_ROOT) / "standin-rigs" / f"{asset.pk}-{key[:16]}.zip"
    if not target.exists():
        from PIL import Image

        from composer.render.avatar.standin import standin_rig_zip

        with Image.open(cover) as picture:
            data = standin_rig_zip(picture, asset.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(data)
        os.replace(partial, target)
    return target


def avatar_rig_path(asset) -> Path | None:
    """What draws an avatar here: its rig zip, or the stand-in of one imported from MetaStudio."""
    return asset.local_path or standin_rig_path(asset)


def rig_info(asset) -> dict[str, Any] | None:
    """rig_facts of an avatar asset (a preset, an upload or a MetaStudio stand-in), or None when its rig is missing
    or unreadable."""
    path = avatar_rig_path(asset)
    if path is None or not path.exists():
        return None
    try:
        return rig_facts(path)
    except (OSError, ValueError):
        return None


# Stills outlive the process: a server's first editor page after a restart shows every presenter card at once.
STILLS = FileCache("avatar-stills", ".png", 200)
# A new engine may draw the rest pose differently: its drawing code's time is part of a still's key.
PERFORMANCE_CODE = Path(__file__).resolve().parents[1] / "render" / "avatar" / "performance.py"


def _draw_still(path: str) -> bytes:
    # The engine (PyAV, the voices) loads on first use, not with every web process.
    from composer.render.avatar import Performance, open_rig

    rig = open_rig(Path(path))
    scale = min(1.0, AVATAR_STILL_WIDTH / rig.size[0])
    still = Performance(rig, [], [], 1.0, action_interval=255, seed=7, scale=scale).frame(0.0)
    buffer = io.BytesIO()
    still.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


@lru_cache(maxsize=8)
def _still(path: str, mtime: float, size: int) -> bytes:
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    key = content_hash([digest, AVATAR_STILL_WIDTH, int(PERFORMANCE_CODE.stat().st_mtime)])
    still = STILLS.get(key)
    if still is None:
        still = _draw_still(path)
        STILLS.put(key, still)
    return still


def avatar_still(path: Path) -> bytes:
    """The avatar of the rig zip at `path` at rest (no speech, no gesture) as a transparent PNG at most
    AVATAR_STILL_WIDTH wide, the way the compositor draws it; kept per process and on disk by the zip's bytes."""
    stat = path.stat()
    return _still(str(path), stat.st_mtime, stat.st_size)
