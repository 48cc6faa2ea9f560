"""Starting points for a new script: valid compositions built from the built-in presets, offered by the
"New script" dialog and used for the demo data."""
from __future__ import annotations

import base64
from typing import Any

from composer.assets.presets import builtin_asset, builtin_presets

CANVAS = {"landscape": (1920, 1080), "portrait": (1080, 1920)}

# Starting points offered by "New script": each scene is (background preset name, what the presenter says).
STARTERS: dict[str, dict[str, Any]] = {
    "presenter": {"label": "One presenter, one scene", "scenes": [
        ("studio-blue", "Hi there! Replace this sentence with what you want me to say, then render your video."),
    ]},
    "welcome": {"label": "Welcome message (2 scenes)", "scenes": [
        ("warm-office", "Welcome aboard! We are really glad to have you with us."),
        ("studio-blue", "In the next few minutes, I will show you where to find everything you need."),
    ]},
    "product": {"label": "Product update (3 scenes)", "scenes": [
        ("night-gradient", "Big news: our latest release is here, and it is packed with things you asked for."),
        ("studio-blue", "Here is the feature we are most excited about, and how it saves you time every day."),
        ("warm-office", "Try it today, and tell us what you think. Thanks for watching!"),
    ]},
}


def _preset(asset_type: str, orientation: str | None = None, name: str = "") -> str:
    for preset in builtin_presets():
        if preset.asset_type != asset_type or (orientation and (preset.orientation or orientation) != orientation):
            continue
        if name in preset.id:
            return preset.id
    raise LookupError(f"no built-in {asset_type} preset for {orientation or 'any'} orientation")


def starter_composition(orientation: str, starter: str = "presenter", kit: dict[str, Any] | None = None
                        ) -> dict[str, Any]:
    """A valid composition to begin a script with: the orientation's preset presenter and backgrounds, and, with
    a brand kit (composer.scripts.brand.kit_for_starters), its subtitle style, its music and a title in its first
    font and colour."""
    width, height = CANVAS[orientation]
    scenes = [{"sequence_no": index, "shoot_script": {
        "script_type": "TEXT", "text_config": {"text": text},
        "background_config": [{"background_type": "IMAGE",
                               "background_asset_id": _preset("IMAGE", orientation, background),
                               "background_image_config": {"dx": 0, "dy": 0, "width": width, "height": height}}],
        "layer_config": []}} for index, (background, text) in enumerate(STARTERS[starter]["scenes"])]
    presenter = _preset("HUMAN_MODEL_2D", orientation)
    voice = builtin_asset(presenter).meta.get("default_voice") or _preset("VOICE_MODEL", name="en-us")
    composition = {"model_asset_id": presenter,
            "voice_config": {"voice_asset_id": voice, "speed": 100, "pitch": 100,
                             "volume": 140},
            "video_config": {"codec": "H264", "bitrate": 4000, "width": width, "height": height, "frame_rate": "25",
                             "clip_mode": "RESIZE", "is_subtitle_enable": False},
            "shoot_scripts": scenes}
    return with_kit(composition, kit) if kit else composition


def title_layer(width: int, kit: dict[str, Any]) -> dict[str, Any]:
    """A title across the top of the first scene, in the kit's first font and first colour."""
    config: dict[str, Any] = {"text_context": base64.b64encode(b"Your title").decode(), "font_size": 72}
    if kit.get("palette"):
        config["font_color"] = kit["palette"][0]
    if kit.get("fonts"):
        config["font_asset_id"], config["font_name"] = kit["fonts"][0]
    return {"layer_type": "TEXT", "position": {"dx": 80, "dy": 60, "layer_index": 5},
            "size": {"width": width - 160, "height": 120}, "text_config": config}


def with_kit(composition: dict[str, Any], kit: dict[str, Any]) -> dict[str, Any]:
    """The starter with the brand kit's defaults: {"palette", "fonts": [(asset id, family)], "subtitle_style",
    "music_asset_id"}, each optional."""
    if kit.get("subtitle_style"):
        composition["video_config"]["subtitle_config"] = dict(kit["subtitle_style"])
    if kit.get("music_asset_id"):
        composition["background_music_config"] = {"music_asset_id": kit["music_asset_id"]}
    if kit.get("palette") or kit.get("fonts"):
        first = composition["shoot_scripts"][0]["shoot_script"]
        first["layer_config"] = [*first["layer_config"], title_layer(composition["video_config"]["width"], kit)]
    return composition
