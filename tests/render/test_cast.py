"""The built-in cast and the presenter builder's engine, judged on rendered pixels."""
from __future__ import annotations

import io
import zipfile

import numpy as np
import pytest
from PIL import Image

from composer.render.avatar import BUILTIN_RIGS, Performance, builder, open_rig, validate_rig_zip
from composer.render.avatar.artwork.canvas import DESIGN
from composer.render.avatar.rig import MOUTH_SHAPES
from composer.render.lipsync import MouthKey
from composer.render.pipeline import render_preview
from composer.render.speech import BUILTIN_VOICES
from tests.support.render import spec

BACKGROUND = (0xDD, 0xE6, 0xF2)
SMALL = 0.25


def figure_mask(image: Image.Image) -> np.ndarray:
    """Pixels that differ clearly from the plain background colour."""
    rgb = np.asarray(image.convert("RGB"), np.int16)
    return np.abs(rgb - np.array(BACKGROUND, np.int16)).max(axis=2) > 12


def region(layers, scale: float) -> tuple[int, int, int, int]:
    boxes = [(o[0], o[1], o[0] + i.size[0], o[1] + i.size[1]) for i, o in layers]
    return (int(min(b[0] for b in boxes) * scale) - 4, int(min(b[1] for b in boxes) * scale) - 4,
            int(max(b[2] for b in boxes) * scale) + 4, int(max(b[3] for b in boxes) * scale) + 4)


def test_the_cast_is_large_and_registered_with_its_metadata():
    assert len(BUILTIN_RIGS) >= 8
    ids = [entry["asset_id"] for entry in BUILTIN_RIGS]
    assert len(set(ids)) == len(ids) and {"avatar-maya", "avatar-leo"} <= set(ids)
    for entry in BUILTIN_RIGS:
        assert entry["description"] and entry["gender"] in ("female", "male") and entry["default_voice"]
        assert entry["orientation"] in ("landscape", "portrait") and entry["path"].exists()
    genders = [entry["gender"] for entry in BUILTIN_RIGS]
    assert genders.count("female") >= 3 and genders.count("male") >= 3
    assert sum(entry["path"].stat().st_size for entry in BUILTIN_RIGS) < 8_500_000


def test_builtin_presets_carry_the_new_keys():
    from composer.render.presets import resolve_builtin

    meta = resolve_builtin("avatar-maya")["meta"]
    assert meta["gender"] == "female" and meta["description"] and meta["default_voice"] == "voice-en-us-slt"
    assert resolve_builtin("avatar-leo")["meta"]["default_voice"] == "voice-en-us-joe"
    for rig in BUILTIN_RIGS:   # every default voice is a built-in voice of the presenter's gender
        voice = next(v for v in BUILTIN_VOICES if v["asset_id"] == rig["default_voice"])
        assert voice["gender"] == rig["gender"] and voice["language"].startswith("en")


@pytest.mark.parametrize("entry", BUILTIN_RIGS, ids=lambda e: e["asset_id"])
@pytest.mark.parametrize("width, height", [(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
def test_every_presenter_renders_whole_in_both_orientations(resolver, entry, width, height):
    image = render_preview(spec("Hi.", width=width, height=height, model=entry["asset_id"]), 0, 0.5, resolver,
                           max_width=width)
    assert image.size == (width, height)
    mask = figure_mask(image)
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    # Drawn for the other orientation, a rig is mapped into a smaller box there (the compositor's framing rule).
    native = tuple(entry["layout"]) == (width, height)
    assert mask.mean() > (0.05 if native else 0.012), "the figure is too small or missing"
    assert rows[0] > 0.01 * height, "the head is cut by the top of the frame"
    assert rows[-1] == height - 1, "the figure is cut above the bottom of the frame"
    assert 0 < cols[0] and cols[-1] < width - 1, "the figure is cut at a side"
    # Cut at the bottom, not mid-figure: the lowest rows are wide (the body), not a sliver.
    assert mask[-1].sum() > 0.5 * mask.sum(axis=1).max()


@pytest.mark.parametrize("entry", BUILTIN_RIGS, ids=lambda e: e["asset_id"])
def test_every_presenter_blinks_and_shapes_its_mouth(entry):
    rig = open_rig(entry["path"])
    performance = Performance(rig, [], [], 30.0, action_interval=255, seed=3, scale=SMALL)
    times = [i / 25 for i in range(30 * 25)]
    states = [performance.plan.eye_state(t) for t in times]
    closed_at = times[states.index("closed")]
    box = region(rig.eyes.values(), SMALL)
    open_eyes = np.asarray(performance.frame(closed_at - 0.3).crop(box), np.int16)
    shut = np.asarray(performance.frame(closed_at).crop(box), np.int16)
    assert (np.abs(open_eyes - shut).max(axis=2) > 40).sum() > 10
    box = region(rig.mouths.values(), 0.5)
    crops = [np.asarray(Performance(rig, [MouthKey(0.0, 30.0, s)], [], 30.0, action_interval=255, scale=0.5)
                        .frame(0.5).crop(box), np.int16) for s in ("X", "D", "F")]
    for i in range(3):
        for j in range(i + 1, 3):
            assert (np.abs(crops[i] - crops[j]).max(axis=2) > 30).sum() > 20


def test_the_cast_spans_skin_tones_from_light_to_deep():
    luminance = []
    for entry in BUILTIN_RIGS:
        rig = open_rig(entry["path"])
        frame = np.asarray(Performance(rig, [], [], 5.0).frame(0.0).convert("RGB"), np.float32)
        unit = rig.size[0] / DESIGN[0]
        x, y = round((DESIGN[0] / 2 - 62) * unit), round(382 * unit)
        patch = frame[y - 3:y + 4, x - 3:x + 4].reshape(-1, 3)
        luminance.append(float(np.median(patch @ np.array([0.2126, 0.7152, 0.0722], np.float32))))
    assert max(luminance) - min(luminance) > 100
    assert len({round(v / 12) for v in luminance}) >= 5   # at least five clearly different tones


def test_builder_refuses_unknown_choices_naming_the_field():
    good = dict(builder.PRESETS_AS_CHOICES["avatar-maya"])
    with pytest.raises(ValueError, match=r"^hair_style: must be one of"):
        builder.validate_choices({**good, "hair_style": "mohawk"})
    missing = dict(good)
    del missing["skin"]
    with pytest.raises(ValueError, match=r"^skin: required"):
        builder.validate_choices(missing)
    with pytest.raises(ValueError, match=r"^colour: unknown field"):
        builder.validate_choices({**good, "colour": "red"})
    with pytest.raises(ValueError, match=r"^outfit: must be one of"):
        builder.validate_choices({**good, "outfit": "#123456"})    # only colours take a custom value
    custom = builder.validate_choices({**good, "hair_colour": "#7a3b2e", "outfit_colour": "#204060"})
    assert custom.hair_colour == "#7A3B2E" and custom.glasses == "none"


def test_options_are_plain_data_with_ids_and_labels():
    import json

    json.dumps(builder.OPTIONS)
    for field, options in builder.OPTIONS.items():
        assert options and all(option["id"] and option["label"] for option in options), field
    assert {"glasses", "beard", "hair_style", "outfit", "skin"} <= set(builder.OPTIONS)
    for choices in builder.PRESETS_AS_CHOICES.values():
        builder.validate_choices(choices)


def test_preview_is_a_png_of_the_requested_width():
    choices = {**builder.PRESETS_AS_CHOICES["avatar-maya"], "hair_style": "afro", "glasses": "round"}
    image = Image.open(io.BytesIO(builder.preview_png(choices, width=240)))
    assert image.format == "PNG" and image.width == 240
    assert figure_mask(image.convert("RGBA").convert("RGB")).mean() > 0.2 or image.getchannel("A").getbbox()


def test_built_rig_validates_and_renders(tmp_path, resolver):
    choices = {"build": "broad", "features": "defined", "skin": "#8A5A3C", "eye_colour": "grey",
               "hair_style": "side_part", "hair_colour": "grey", "outfit": "shirt_tie", "outfit_colour": "burgundy",
               "beard": "short", "glasses": "square", "age": "older"}
    data = builder.build_rig_zip(choices, "Custom presenter")
    path = tmp_path / "custom.zip"
    path.write_bytes(data)
    summary = validate_rig_zip(path)
    assert {"wave", "point", "nod"} <= set(summary["actions"])
    with zipfile.ZipFile(path) as archive:
        assert set(f"layers/mouth_{s}.png" for s in MOUTH_SHAPES) <= set(archive.namelist())
    resolver.add("custom-rig", path)
    image = render_preview(spec("Hi.", width=1920, height=1080, model="custom-rig"), 0, 0.5, resolver,
                           max_width=960)
    assert figure_mask(image).mean() > 0.05
