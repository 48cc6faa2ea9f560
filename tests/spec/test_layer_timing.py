"""The layer timing extension: a window inside the scene with fades; every broken rule names its field."""
from __future__ import annotations

import pytest

from composer.spec import SpecError, composition_json_schema, validate_composition
from composer.spec.layers import layer_types_for_editor
from tests.support.factories import create_composition

LAYER = "shoot_scripts[0].shoot_script.layer_config[0]"


def with_layer(layer_type: str = "IMAGE", timing=None) -> dict:
    body = create_composition()
    layer = {"layer_type": layer_type, "position": {"dx": 10, "dy": 10, "layer_index": 2},
             "size": {"width": 100, "height": 100}}
    if layer_type == "IMAGE":
        layer["image_config"] = {"image_url": "https://example.com/a.png"}
    elif layer_type == "VIDEO":
        layer["video_config"] = {"video_url": "https://example.com/a.mp4"}
    elif layer_type == "TEXT":
        layer["text_config"] = {"text_context": "SGk="}
    if timing is not None:
        layer["timing"] = timing
    body["shoot_scripts"][0]["shoot_script"]["layer_config"] = [layer]
    return body


def timing_of(spec: dict) -> dict | None:
    return spec["shoot_scripts"][0]["shoot_script"]["layer_config"][0].get("timing")


def test_it_keeps_a_layer_without_timing_untimed():
    assert timing_of(validate_composition(with_layer())) is None


@pytest.mark.parametrize("layer_type", ["IMAGE", "VIDEO", "TEXT"])
def test_it_applies_defaults_to_a_timed_layer(layer_type):
    spec = validate_composition(with_layer(layer_type, {"start": 1.5}))
    assert timing_of(spec) == {"start": 1.5, "fade_in": 0.0, "fade_out": 0.0}


def test_a_null_end_means_until_the_scene_ends_and_fade_out_may_end_there():
    spec = validate_composition(with_layer(timing={"start": 2, "end": None, "fade_in": 1, "fade_out": 3}))
    assert timing_of(spec) == {"start": 2.0, "fade_in": 1.0, "fade_out": 3.0}


def test_fades_may_fill_the_whole_window():
    spec = validate_composition(with_layer(timing={"start": 1, "end": 3, "fade_in": 1, "fade_out": 1}))
    assert timing_of(spec)["end"] == 3.0


@pytest.mark.parametrize("timing, field, words", [
    ({"start": -1}, "timing.start", "between 0 and 36000"),
    ({"start": "soon"}, "timing.start", "must be a number"),
    ({"end": 40000}, "timing.end", "between 0 and 36000"),
    ({"fade_in": 31}, "timing.fade_in", "between 0 and 30"),
    ({"fade_out": -0.5}, "timing.fade_out", "between 0 and 30"),
    ({"start": 3, "end": 3}, "timing.end", "must be after timing.start (got end 3 s, start 3 s)"),
    ({"start": 4, "end": 2}, "timing.end", "must be after timing.start"),
    ({"start": 1, "end": 2, "fade_in": 1.5}, "timing.fade_in", "must fit inside the layer's 1 s on screen"),
    ({"start": 1, "end": 3, "fade_in": 1, "fade_out": 1.5}, "timing.fade_out",
     "fade_in + fade_out must fit inside the layer's 2 s on screen"),
    ("later", "timing", "must be an object"),
])
def test_each_broken_rule_names_its_field(timing, field, words):
    with pytest.raises(SpecError) as caught:
        validate_composition(with_layer(timing=timing))
    assert caught.value.field == f"{LAYER}.{field}"
    assert words in caught.value.rule


def test_an_avatar_shows_for_the_whole_scene():
    with pytest.raises(SpecError) as caught:
        validate_composition(with_layer("HUMAN", {"start": 1}))
    assert caught.value.field == f"{LAYER}.timing"
    assert "HUMAN layers show for the whole scene" in caught.value.rule


def test_the_schema_and_the_editor_palette_carry_the_extension():
    layer = composition_json_schema()["properties"]["shoot_scripts"]["items"]["properties"]["shoot_script"][
        "properties"]["layer_config"]["items"]
    timing = layer["properties"]["timing"]
    assert timing["title"] == "LayerTimingConfig" and "extension" in timing["description"]
    assert timing["properties"]["fade_in"]["maximum"] == 30 and timing["properties"]["start"]["default"] == 0.0
    palette = {t["name"]: t["timing"] for t in layer_types_for_editor()}
    assert palette["HUMAN"] is None
    assert palette["IMAGE"] == palette["VIDEO"] == palette["TEXT"] == {"start_max": 36000, "fade_max": 30}
