"""The one registry of layer types: label, editor defaults, rotation, validation. The spec's layer_type choices
(tables.LAYER_CONFIG) come from it, the renderer's drawers (composer.render.layers.DRAWERS) are keyed by its names,
and the editor palette is built from layer_types_for_editor(); tests/spec/test_layer_registry.py holds them to it."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from composer.spec.errors import SpecError

#: Composer extension (the `timing` of IMAGE, VIDEO and TEXT layers, tables.LAYER_TIMING): its ranges in seconds.
TIMING_MAX_SECONDS = 36000
FADE_MAX_SECONDS = 30


@dataclass(frozen=True)
class LayerType:
    name: str
    label: str
    icon: str
    config_key: str | None
    can_rotate: bool
    #: default box (dx, dy, width, height) per canvas orientation
    default_box: dict[str, tuple[int, int, int, int]]
    validate: Callable[[dict, str], None] = field(compare=False)
    asset_type: str | None = None
    #: may carry the `timing` extension (appear/disappear within the scene); the avatar is always on screen
    can_time: bool = True


def _needs_source(url_key: str, config_key: str, what: str) -> Callable[[dict, str], None]:
    def check(layer: dict, path: str) -> None:
        if not layer.get("asset_id") and not (layer.get(config_key) or {}).get(url_key):
            raise SpecError(path, f"a {what} layer needs asset_id or {config_key}.{url_key}")
    return check


def _check_text(layer: dict, path: str) -> None:
    if not (layer.get("text_config") or {}).get("text_context"):
        raise SpecError(f"{path}.text_config.text_context", "a TEXT layer needs its text (base64)")


def _check_human(layer: dict, path: str) -> None:
    return None


LAYER_TYPES: dict[str, LayerType] = {t.name: t for t in (
    LayerType("HUMAN", "Avatar", "person", None, True,
              {"landscape": (1100, 80, 720, 1000), "portrait": (90, 520, 900, 1400)}, _check_human,
              "HUMAN_MODEL_2D", can_time=False),
    LayerType("IMAGE", "Image", "image", "image_config", True,
              {"landscape": (120, 120, 640, 360), "portrait": (140, 160, 800, 450)},
              _needs_source("image_url", "image_config", "IMAGE"), "IMAGE"),
    LayerType("VIDEO", "Video", "film", "video_config", False,
              {"landscape": (120, 120, 640, 360), "portrait": (140, 160, 800, 450)},
              _needs_source("video_url", "video_config", "VIDEO"), "VIDEO"),
    LayerType("TEXT", "Text", "type", "text_config", True,
              {"landscape": (120, 80, 900, 120), "portrait": (90, 120, 900, 140)}, _check_text),
)}


#: the spec's layer_type values, in the registry's order
LAYER_TYPE_NAMES: tuple[str, ...] = tuple(LAYER_TYPES)


def layer_types_for_editor() -> list[dict[str, Any]]:
    """The palette of the editor: everything it needs to add and constrain a layer."""
    return [{"name": t.name, "label": t.label, "icon": t.icon, "config_key": t.config_key,
             "can_rotate": t.can_rotate, "asset_type": t.asset_type,
             "timing": {"start_max": TIMING_MAX_SECONDS, "fade_max": FADE_MAX_SECONDS} if t.can_time else None,
             "default_box": {k: list(v) for k, v in t.default_box.items()}} for t in LAYER_TYPES.values()]
