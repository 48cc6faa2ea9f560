"""The presenter builder's engine: the choices it offers (plain data for a UI), their validation, a quick still
for the live preview, and a complete composer-rig/1 zip of the chosen look. Free of Django; the studio's page and
API call these four things.

    OPTIONS                       {field: [{"id", "label", ...}]}, one list per PresenterChoices field
    CUSTOM_COLOUR_FIELDS          fields that also accept any "#RRGGBB"
    validate_choices(data)        -> PresenterChoices, or ValueError("<field>: <rule>")
    preview_png(choices, width)   -> PNG bytes of the rest pose, cut at the waist
    build_rig_zip(choices, name)  -> zip bytes (a landscape rig, like the built-in landscape presenters)
    PRESETS_AS_CHOICES            {built-in id: choices as plain data}, to start from a built-in presenter
"""
from __future__ import annotations

import io

from PIL import Image

from composer.render.avatar import build
from composer.render.avatar.artwork import styles
from composer.render.avatar.artwork.cast import CAST, LANDSCAPE
from composer.render.avatar.artwork.skeleton import CX
from composer.render.avatar.choices import (
    CUSTOM_COLOUR_FIELDS,
    OPTIONAL_DEFAULTS,
    OPTIONS,
    PresenterChoices,
    validate_choices,
)

# The preview's crop in design units: from above the hair down to where the frame cuts the figure by default.
_PREVIEW_TOP, _PREVIEW_BOTTOM = 40, build.WAIST_Y
_PREVIEW_HALF_WIDTH = 340


def _choices(choices: PresenterChoices | dict) -> PresenterChoices:
    return choices if isinstance(choices, PresenterChoices) else validate_choices(choices)


def rest_image(style: styles.Style) -> Image.Image:
    """The rest pose of a style, all layers composed in rig order on the native canvas (eyes open, mouth at rest)."""
    drawn = build.layers(style, eyes=("open",), mouths=("X",))
    order = sorted(build.parts(style), key=lambda part: part["z"])
    canvas = Image.new("RGBA", drawn["torso"].size, (0, 0, 0, 0))
    for part in order:
        canvas.alpha_composite(drawn[part["name"]])
        if part["name"] == "head":
            canvas.alpha_composite(drawn["eyes_open"])
        elif part["name"] == "brows":
            canvas.alpha_composite(drawn["mouth_X"])
    return canvas


def preview_png(choices: PresenterChoices | dict, width: int = 360) -> bytes:
    """A quick PNG still of the rest pose cut at the waist, `width` pixels wide, for the builder's live preview."""
    chosen = _choices(choices)
    if not 32 <= width <= 1200:
        raise ValueError("width: must be between 32 and 1200")
    unit = width / (2 * _PREVIEW_HALF_WIDTH)
    style = styles.style_for(chosen, name="preview", unit=unit, supersample=2)
    image = rest_image(style)
    box = tuple(round(v * unit) for v in (CX - _PREVIEW_HALF_WIDTH, _PREVIEW_TOP, CX + _PREVIEW_HALF_WIDTH,
                                          _PREVIEW_BOTTOM))
    image = image.crop(box)
    if image.width != width:
        image = image.resize((width, round(image.height * width / image.width)), Image.Resampling.BILINEAR)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def build_rig_zip(choices: PresenterChoices | dict, name: str) -> bytes:
    """A complete composer-rig/1 zip of the chosen look named `name`: a landscape rig at the right third of a
    1920x1080 frame, like the built-in landscape presenters (the compositor maps it to portrait too)."""
    chosen = _choices(choices)
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise ValueError("name: must be 1 to 80 characters")
    style = styles.style_for(chosen, name=name, unit=LANDSCAPE["unit"])
    buffer = io.BytesIO()
    build.write_zip(style, LANDSCAPE["layout"], LANDSCAPE["box_scale"], LANDSCAPE["centre_x"], buffer)
    return buffer.getvalue()


PRESETS_AS_CHOICES: dict[str, dict[str, str]] = {
    f"avatar-{member['id']}": validate_choices(member["choices"]).as_dict() for member in CAST}

__all__ = ["CUSTOM_COLOUR_FIELDS", "OPTIONAL_DEFAULTS", "OPTIONS", "PRESETS_AS_CHOICES", "PresenterChoices",
           "build_rig_zip", "preview_png", "validate_choices"]
