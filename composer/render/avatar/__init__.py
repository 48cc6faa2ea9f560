"""The 2D avatar: rig format, validation, and the per-frame performance."""
from __future__ import annotations

from pathlib import Path

from composer.render.avatar.artwork.cast import CAST, DEFAULT_VOICES
from composer.render.avatar.cache import RIGS
from composer.render.avatar.performance import Performance
from composer.render.avatar.rig import Rig, RigError, load_rig, rig_summary
from composer.render.speech import voice_ref_for

PRESET_DIR = Path(__file__).resolve().parents[1] / "presets" / "avatars"

# The built-in cast (artwork/cast.py): one rig per presenter, drawn for one orientation; the compositor maps it to
# the other. `default_voice` is the voice a new video starts with when this presenter is picked.
def _default_voice(gender: str) -> str:
    """The cast's voice for this gender, or Joe where that voice's engine is not installed on this machine (the
    female voice comes from a Debian package that `make run` installs only when it may)."""
    wanted = DEFAULT_VOICES[gender]
    return wanted if voice_ref_for(wanted) is not None else DEFAULT_VOICES["male"]


BUILTIN_RIGS: list[dict] = [
    {"asset_id": f"avatar-{member['id']}", "name": member["name"], "path": PRESET_DIR / member["filename"],
     "orientation": member["orientation"], "layout": member["layout"], "description": member["description"],
     "gender": member["gender"], "default_voice": _default_voice(member["gender"])}
    for member in CAST]


def open_rig(path: Path) -> Rig:
    """The decoded rig at `path`, decoded once per process while its file stays the same (see avatar/cache.py)."""
    return RIGS.get(path)


def validate_rig_zip(path: Path) -> dict:
    """Validate an uploaded rig; returns a summary for the asset's metadata. Raises RigError. The decoded rig
    stays in this process's cache, so the presenter's first preview after an upload does not decode it again."""
    return rig_summary(open_rig(path))


__all__ = ["BUILTIN_RIGS", "Performance", "Rig", "RigError", "load_rig", "open_rig", "validate_rig_zip"]
