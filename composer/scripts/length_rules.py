"""The longest a scene and a video may last (COMPOSER_MAX_SCENE_SECONDS, COMPOSER_MAX_VIDEO_SECONDS), and the
words of a refusal: the submit check, the editor's script check and a stopped render say the same."""
from __future__ import annotations

from django.conf import settings


def max_scene_seconds() -> int:
    return settings.COMPOSER_MAX_SCENE_SECONDS


def max_video_seconds() -> int:
    return settings.COMPOSER_MAX_VIDEO_SECONDS


def clock(seconds: float) -> str:
    """1 h 2 min 5 s, 3 min 20 s, 45 s."""
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours} h"] * bool(hours) + [f"{minutes} min"] * bool(minutes) + [f"{secs} s"] * bool(secs)
    return " ".join(parts) or "0 s"


def scene_rule(seconds: float) -> str | None:
    """The refusal of a scene that would last `seconds`, or None when it fits."""
    limit = max_scene_seconds()
    if seconds <= limit:
        return None
    return (f"the scene would last about {clock(seconds)} (pauses and breaks included); a scene may last at most "
            f"{clock(limit)}")
