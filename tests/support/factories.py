"""Valid request bodies built from the built-in presets, for API and job tests."""
from __future__ import annotations

import copy
from typing import Any


def preset_id(asset_type: str, *, orientation: str | None = None) -> str:
    from composer.render.presets import BUILTIN_PRESETS

    for preset in BUILTIN_PRESETS:
        if preset["asset_type"] != asset_type:
            continue
        if orientation and preset.get("orientation", orientation) != orientation:
            continue
        return preset["asset_id"]
    raise LookupError(f"no built-in {asset_type} preset")


def create_body(**overrides: Any) -> dict[str, Any]:
    """A small, valid create body: one landscape scene, a short sentence, white background."""
    body: dict[str, Any] = {
        "model_asset_id": preset_id("HUMAN_MODEL_2D", orientation="landscape"),
        "voice_config": {"voice_asset_id": preset_id("VOICE_MODEL"), "speed": 100, "pitch": 100, "volume": 140},
        "video_config": {"codec": "H264", "bitrate": 2000, "width": 1920, "height": 1080, "frame_rate": "25"},
        "shoot_scripts": [{
            "sequence_no": 0,
            "shoot_script": {
                "script_type": "TEXT",
                "text_config": {"text": "Hello."},
                "background_config": [{"background_type": "COLOR", "background_color_config": "#E8EEF7"}],
            },
        }],
        "output_asset_config": {"asset_name": "API test video"},
    }
    merged = copy.deepcopy(body)
    merged.update(overrides)
    return merged


def create_composition(text: str | None = None, **overrides: Any) -> dict[str, Any]:
    """What a video script holds: create_body() without its output part; `text` is the first scene's script."""
    body = create_body(**overrides)
    body.pop("output_asset_config", None)
    if text is not None:
        body["shoot_scripts"][0]["shoot_script"]["text_config"]["text"] = text
    return body


def text_layer(text: str, *, index: int = 3, width: int = 900) -> dict[str, Any]:
    """A TEXT layer showing `text` (base64-encoded, as the spec carries it)."""
    import base64

    return {"layer_type": "TEXT", "position": {"dx": 100, "dy": 100, "layer_index": index},
            "size": {"width": width, "height": 120},
            "text_config": {"text_context": base64.b64encode(text.encode("utf-8")).decode("ascii"),
                            "font_size": 48, "font_color": "#112233"}}


def template_composition(*, text: str = "<speak>Hello {{first_name}}, welcome to {{company}}.</speak>",
                         layer_text: str = "{{company}}", logo: str | None = "bg-studio-blue-landscape",
                         first_name: str = "Ann", company: str = "Acme") -> dict[str, Any]:
    """A template: first_name and company in the script (SSML) and a text layer, and an image slot `logo`
    (a layer whose asset comes from the row, allowed: two of the built-in pictures)."""
    body = create_composition(text)
    scene = body["shoot_scripts"][0]["shoot_script"]
    scene["layer_config"] = [text_layer(layer_text)]
    variables = [{"name": "first_name", "kind": "text", "label": "First name", "sample": first_name, "max_length": 40},
                 {"name": "company", "kind": "text", "sample": company, "max_length": 30}]
    if logo is not None:
        scene["layer_config"].append({"layer_type": "IMAGE", "asset_id": "{{logo}}",
                                      "position": {"dx": 40, "dy": 40, "layer_index": 4},
                                      "size": {"width": 320, "height": 180}})
        variables.append({"name": "logo", "kind": "image", "sample": logo,
                          "allowed": ["bg-studio-blue-landscape", "bg-warm-office-landscape"]})
    body["template"] = {"variables": variables, "output_name": "Welcome {{first_name}}"}
    return body
