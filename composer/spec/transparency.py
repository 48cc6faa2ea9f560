"""When a video keeps transparency.

The reference makes a scene's background_config optional. A scene without one (the field omitted, or an empty
list) has no background: rendered with a codec that stores alpha (VP8 in WebM, QTRLE in MOV) its empty parts
stay see-through. H.264 in MP4 has no alpha channel, so there the empty parts are filled with FLAT_FILL, the
reference's default background colour (background_color_config defaults to #FFFFFF).

A video has an alpha channel when its codec stores alpha and at least one scene has no background; then every
scene of it is encoded with alpha (the scenes with a background are simply opaque), because scenes are joined
by remuxing and one stream cannot switch between having alpha and not.
"""
from __future__ import annotations

from typing import Any

ALPHA_CODECS = ("VP8", "QTRLE")
FLAT_FILL = "#FFFFFF"
# How pictures for people (the editor's canvas, scene thumbnails, a transparent video's cover and live frames)
# show see-through parts: squares of CHECKER_CELL layout pixels in two light greys.
CHECKER_CELL = 40
CHECKER_COLORS = ("#FFFFFF", "#D5D9DF")


def has_background(scene: dict[str, Any]) -> bool:
    return bool(scene.get("background_config"))


def codec_keeps_alpha(codec: str | None) -> bool:
    return (codec or "H264") in ALPHA_CODECS


def scene_is_transparent(scene: dict[str, Any], video_config: dict[str, Any] | None) -> bool:
    """A scene without a background, rendered with a codec that keeps alpha."""
    return not has_background(scene) and codec_keeps_alpha((video_config or {}).get("codec"))


def video_has_alpha(spec: dict[str, Any]) -> bool:
    """Whether the output video carries an alpha channel (see the module docstring)."""
    video = spec.get("video_config") or {}
    scenes = [item.get("shoot_script") or {} for item in spec.get("shoot_scripts") or []]
    return any(scene_is_transparent(scene, video) for scene in scenes)


def transparency_rules() -> dict[str, Any]:
    """What the editor needs to show transparency the way the renderer makes it (page data)."""
    return {"alphaCodecs": list(ALPHA_CODECS), "flatFill": FLAT_FILL,
            "checker": {"cell": CHECKER_CELL, "colors": list(CHECKER_COLORS)}}
