"""The text layer's styling extension (font asset, weight, alignment, line height, box, shadow): each refusal names
its field and the rule, nothing is added to a layer that does not use it, and the editor gets the same ranges."""
from __future__ import annotations

import pytest

from composer.spec import SpecError, composition_json_schema, validate_composition
from composer.spec.schema import field_limits
from composer.spec.tables import LAYER_CONFIG
from tests.support.factories import create_composition

TEXT = "shoot_scripts[0].shoot_script.layer_config[0].text_config"


def with_text(**style) -> dict:
    body = create_composition()
    body["shoot_scripts"][0]["shoot_script"]["layer_config"] = [{
        "layer_type": "TEXT", "position": {"dx": 10, "dy": 10, "layer_index": 2}, "size": {"width": 600},
        "text_config": {"text_context": "SGk=", **style}}]
    return body


def text_of(spec: dict) -> dict:
    return spec["shoot_scripts"][0]["shoot_script"]["layer_config"][0]["text_config"]


def test_it_leaves_an_unstyled_text_layer_as_it_was():
    assert set(text_of(validate_composition(with_text()))) == {"text_context", "font_name", "font_size", "font_color"}


def test_it_keeps_every_style_field():
    style = {"font_weight": "BOLD", "text_align": "CENTER", "line_height": 1.5, "box_color": "#102030",
             "box_opacity": 0.6, "box_padding": 24, "shadow_color": "#000000", "shadow_offset_x": -3,
             "shadow_offset_y": 5, "shadow_blur": 8}
    assert text_of(validate_composition(with_text(**style))) == {
        "text_context": "SGk=", "font_name": "HarmonyOS_Sans_SC_Black", "font_size": 16, "font_color": "#FFFFFF",
        **style}


@pytest.mark.parametrize(("style", "field", "rule"), [
    ({"font_weight": "HEAVY"}, "font_weight", "must be one of REGULAR, BOLD (got 'HEAVY')"),
    ({"text_align": "JUSTIFY"}, "text_align", "must be one of LEFT, CENTER, RIGHT (got 'JUSTIFY')"),
    ({"line_height": 0.5}, "line_height", "must be between 0.8 and 3 (got 0.5)"),
    ({"line_height": "1.5"}, "line_height", "must be a number (got a string)"),
    ({"box_color": "navy"}, "box_color", "must be a colour as #RRGGBB (got 'navy')"),
    ({"box_opacity": 1.2}, "box_opacity", "must be between 0 and 1 (got 1.2)"),
    ({"box_padding": 201}, "box_padding", "must be between 0 and 200 (got 201)"),
    ({"box_padding": 2.5}, "box_padding", "must be an integer (got a number)"),
    ({"shadow_color": "#00000"}, "shadow_color", "must be a colour as #RRGGBB (got '#00000')"),
    ({"shadow_offset_x": -101}, "shadow_offset_x", "must be between -100 and 100 (got -101)"),
    ({"shadow_offset_y": 101}, "shadow_offset_y", "must be between -100 and 100 (got 101)"),
    ({"shadow_blur": 51}, "shadow_blur", "must be between 0 and 50 (got 51)"),
    ({"font_asset_id": ""}, "font_asset_id", "must not be empty"),
    # The size's refusal says the range a person should use, the one the editor's hint shows.
    ({"font_size": 130}, "font_size", "must be between 4 and 120 (got 130)"),
])
def test_each_refusal_names_the_field_and_the_rule(style, field, rule):
    with pytest.raises(SpecError) as caught:
        validate_composition(with_text(**style))
    assert caught.value.field == f"{TEXT}.{field}"
    assert caught.value.rule == rule


def test_a_font_asset_must_be_a_font_of_the_project():
    asked = []

    def checker(field, asset_id, asset_type):
        asked.append((field, asset_id, asset_type))
        if asset_type == "FONT":
            raise SpecError(field, f"no active FONT asset {asset_id!r} in this project or the presets")

    with pytest.raises(SpecError) as caught:
        validate_composition(with_text(font_asset_id="nope"), asset_checker=checker)
    assert caught.value.field == f"{TEXT}.font_asset_id"
    assert (f"{TEXT}.font_asset_id", "nope", "FONT") in asked


def test_the_editor_gets_the_ranges_the_refusals_use():
    limits = field_limits(LAYER_CONFIG)
    assert limits["text_config.font_size"] == {"min": 4, "max": 120, "integer": True}
    assert limits["rotation.angle"] == {"min": 0, "max": 360, "integer": True}
    assert limits["text_config.line_height"] == {"min": 0.8, "max": 3, "integer": False}
    assert limits["text_config.text_align"] == {"choices": ["LEFT", "CENTER", "RIGHT"]}
    documented = composition_json_schema()["properties"]["shoot_scripts"]["items"]["properties"]["shoot_script"][
        "properties"]["layer_config"]["items"]["properties"]["text_config"]["properties"]
    assert documented["box_color"]["description"].startswith("Composer extension")
