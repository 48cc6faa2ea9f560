"""Which colours and fonts a composition uses that a brand kit does not hold: plain functions over the spec's JSON,
for the approver's page and the editor's note (the kit itself is composer.assets.brand)."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

#: the colour fields of a text layer's text_config, of a subtitle style, of a COLOR background
TEXT_COLOURS = ("font_color", "box_color", "shadow_color")
SUBTITLE_COLOURS = ("font_color", "stroke_color")


def _scenes(composition: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for i, item in enumerate(composition.get("shoot_scripts") or []):
        yield f"shoot_scripts[{i}].shoot_script", (item or {}).get("shoot_script") or {}


def used_colours(composition: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(field path, #RRGGBB) for every colour the video shows: text layers, COLOR backgrounds and, when they are
    on, the subtitles."""
    video = composition.get("video_config") or {}
    if video.get("is_subtitle_enable"):
        style = video.get("subtitle_config") or {}
        for name in SUBTITLE_COLOURS:
            if style.get(name):
                yield f"video_config.subtitle_config.{name}", style[name]
    for base, scene in _scenes(composition):
        for j, background in enumerate(scene.get("background_config") or []):
            if (background or {}).get("background_type") == "COLOR" and background.get("background_color_config"):
                yield f"{base}.background_config[{j}].background_color_config", background["background_color_config"]
        for j, layer in enumerate(scene.get("layer_config") or []):
            if (layer or {}).get("layer_type") != "TEXT":
                continue
            config = layer.get("text_config") or {}
            for name in TEXT_COLOURS:
                if config.get(name):
                    yield f"{base}.layer_config[{j}].text_config.{name}", config[name]


def used_fonts(composition: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(field path, kind, value) for every text layer's font: ("asset", a FONT asset id) or ("name", a font name)."""
    for base, scene in _scenes(composition):
        for j, layer in enumerate(scene.get("layer_config") or []):
            if (layer or {}).get("layer_type") != "TEXT":
                continue
            config = layer.get("text_config") or {}
            path = f"{base}.layer_config[{j}].text_config"
            if config.get("font_asset_id"):
                yield f"{path}.font_asset_id", "asset", config["font_asset_id"]
            else:
                yield f"{path}.font_name", "name", config.get("font_name") or ""


def off_kit(composition: dict[str, Any], *, palette: Iterable[str], font_asset_ids: Iterable[str],
            subtitle_style: dict[str, Any] | None = None) -> dict[str, list[dict[str, Any]]]:
    """The colours and fonts `composition` uses that the kit does not hold, each with the fields that use it:
    {"colours": [{"value", "paths"}], "fonts": [{"value", "kind", "paths"}]}. A kit without colours says nothing
    about colours, and one without fonts nothing about fonts. The kit's subtitle style's colours count as the kit's."""
    allowed_colours = {colour.upper() for colour in palette}
    if allowed_colours:
        allowed_colours |= {str(value).upper() for name, value in (subtitle_style or {}).items()
                            if name in SUBTITLE_COLOURS and value}
    allowed_fonts = set(font_asset_ids)
    colours: dict[str, list[str]] = {}
    if allowed_colours:
        for path, value in used_colours(composition):
            if value.upper() not in allowed_colours:
                colours.setdefault(value.upper(), []).append(path)
    fonts: dict[tuple[str, str], list[str]] = {}
    if allowed_fonts:
        for path, kind, value in used_fonts(composition):
            if kind == "name" or value not in allowed_fonts:
                fonts.setdefault((kind, value), []).append(path)
    return {"colours": [{"value": value, "paths": paths} for value, paths in colours.items()],
            "fonts": [{"value": value, "kind": kind, "paths": paths} for (kind, value), paths in fonts.items()]}
