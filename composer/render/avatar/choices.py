"""The presenter builder's choices: the options it offers (plain data for a UI) and their validation. The rig
builder (build.py) and the builder's engine (builder.py) both start from them."""
from __future__ import annotations

from dataclasses import asdict, dataclass

from composer.render.avatar.artwork import styles


@dataclass(frozen=True)
class PresenterChoices:
    build: str
    features: str
    skin: str
    eye_colour: str
    hair_style: str
    hair_colour: str
    outfit: str
    outfit_colour: str
    glasses: str = "none"
    beard: str = "none"
    age: str = "adult"

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def _swatches(entry: dict, *keys: str) -> list[str]:
    return [entry[key] for key in keys]


OPTIONS: dict[str, list[dict]] = {
    "build": [{"id": key, "label": value["label"]} for key, value in styles.BUILDS.items()],
    "features": [{"id": key, "label": value["label"]} for key, value in styles.FEATURES.items()],
    "skin": [{"id": key, "label": value["label"], "colours": _swatches(value, "skin_light", "skin", "skin_shade")}
             for key, value in styles.SKINS.items()],
    "eye_colour": [{"id": key, "label": value["label"], "colours": _swatches(value, "iris", "iris_light")}
                   for key, value in styles.EYES.items()],
    "hair_style": [{"id": key, "label": label} for key, label in styles.HAIR_STYLES.items()],
    "hair_colour": [{"id": key, "label": value["label"],
                     "colours": _swatches(value, "hair_light", "hair", "hair_shade")}
                    for key, value in styles.HAIR_COLOURS.items()],
    "outfit": [{"id": key, "label": value["label"]} for key, value in styles.OUTFITS.items()],
    "outfit_colour": [{"id": key, "label": value["label"],
                       "colours": _swatches(value, "cloth_light", "cloth", "cloth_shade")}
                      for key, value in styles.OUTFIT_COLOURS.items()],
    "glasses": [{"id": key, "label": label} for key, label in styles.GLASSES.items()],
    "beard": [{"id": key, "label": label} for key, label in styles.BEARDS.items()],
    "age": [{"id": key, "label": label} for key, label in styles.AGES.items()],
}

# These fields take one of their option ids or any "#RRGGBB"; the shades are derived from that base colour.
CUSTOM_COLOUR_FIELDS = ("skin", "eye_colour", "hair_colour", "outfit_colour")
OPTIONAL_DEFAULTS = {"glasses": "none", "beard": "none", "age": "adult"}
FIELDS = tuple(OPTIONS)


def validate_choices(data: dict) -> PresenterChoices:
    """Checked choices from plain data; ValueError("<field>: <rule>") names the first field that breaks a rule."""
    if not isinstance(data, dict):
        raise ValueError("choices: must be an object")
    for key in data:
        if key not in OPTIONS:
            raise ValueError(f"{key}: unknown field (expected one of {', '.join(FIELDS)})")
    values: dict[str, str] = {}
    for field, options in OPTIONS.items():
        if field not in data:
            if field in OPTIONAL_DEFAULTS:
                values[field] = OPTIONAL_DEFAULTS[field]
                continue
            raise ValueError(f"{field}: required")
        value = data[field]
        ids = [option["id"] for option in options]
        if not isinstance(value, str):
            raise ValueError(f"{field}: must be a string")
        if value in ids:
            values[field] = value
        elif field in CUSTOM_COLOUR_FIELDS and styles.HEX.match(value):
            values[field] = value.upper()
        else:
            extra = ' or a "#RRGGBB" colour' if field in CUSTOM_COLOUR_FIELDS else ""
            raise ValueError(f"{field}: must be one of {', '.join(ids)}{extra}")
    return PresenterChoices(**values)
