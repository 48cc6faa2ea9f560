"""Templates: {{name}} variables found in every place, declared and used, escaped in SSML, within every field's
limit at their longest, and rows checked against the rules with a reason each."""
from __future__ import annotations

import base64
import copy

import pytest

from composer.spec import SpecError, validate_composition
from composer.spec.ssml import parse_script_text
from composer.spec.variables import (
    apply_values,
    check_row,
    output_name,
    places,
    references,
    with_samples,
)
from tests.support.factories import template_composition, text_layer

SCENE = "shoot_scripts[0].shoot_script"
KNOWN = {"bg-studio-blue-landscape": "IMAGE", "bg-warm-office-landscape": "IMAGE", "music-calm-pads": "MUSIC"}


def checker(path: str, asset_id: str, asset_type: str):
    """Assets as a project has them: the pictures and a music track; everything else is unknown."""
    if asset_id.startswith(("human-", "voice-")) or asset_id.endswith(("-human", "-voice")):
        return None
    if KNOWN.get(asset_id, asset_type if asset_type in ("HUMAN_MODEL_2D", "VOICE_MODEL") else None) != asset_type:
        raise SpecError(path, f"no {asset_type} asset {asset_id}")
    return None


def refused(composition: dict, **kwargs) -> SpecError:
    with pytest.raises(SpecError) as caught:
        validate_composition(composition, **kwargs)
    return caught.value


def layer_words(spec: dict, index: int = 0) -> str:
    encoded = spec["shoot_scripts"][0]["shoot_script"]["layer_config"][index]["text_config"]["text_context"]
    return base64.b64decode(encoded).decode("utf-8")


def test_a_template_keeps_its_variables_and_defaults_max_length():
    body = template_composition()
    body["template"]["variables"][1].pop("max_length")
    spec = validate_composition(body)
    assert [v["name"] for v in spec["template"]["variables"]] == ["first_name", "company", "logo"]
    assert spec["template"]["variables"][1]["max_length"] == 100
    assert spec["template"]["output_name"] == "Welcome {{first_name}}"


def test_references_are_found_in_every_place():
    spec = validate_composition(template_composition())
    found = {place.path: references(place) for place in places(spec)}
    assert found == {
        "template.output_name": ["first_name"],
        f"{SCENE}.text_config.text": ["first_name", "company"],
        f"{SCENE}.layer_config[0].text_config.text_context": ["company"],
        f"{SCENE}.layer_config[1].asset_id": ["logo"],
    }


def test_backgrounds_scene_audio_and_music_are_slots_too():
    body = template_composition(logo=None)
    body["shoot_scripts"][0]["shoot_script"]["background_config"] = [
        {"background_type": "IMAGE", "background_asset_id": "{{backdrop}}"}]
    body["background_music_config"] = {"music_asset_id": "{{tune}}"}
    body["template"]["variables"] += [
        {"name": "backdrop", "kind": "image", "sample": "bg-warm-office-landscape",
         "allowed": ["bg-warm-office-landscape"]},
        {"name": "tune", "kind": "audio", "sample": "music-calm-pads", "allowed": ["music-calm-pads"]}]
    spec = validate_composition(body, asset_checker=checker)
    concrete = with_samples(spec)
    assert concrete["background_music_config"]["music_asset_id"] == "music-calm-pads"
    assert concrete["shoot_scripts"][0]["shoot_script"]["background_config"][0]["background_asset_id"] == \
        "bg-warm-office-landscape"


def test_samples_fill_every_place_and_the_template_part_goes():
    spec = validate_composition(template_composition(first_name="Zoë", company="Globex"), asset_checker=checker)
    concrete = with_samples(spec)
    assert "template" not in concrete
    assert concrete["shoot_scripts"][0]["shoot_script"]["text_config"]["text"] == \
        "<speak>Hello Zoë, welcome to Globex.</speak>"
    assert layer_words(concrete) == "Globex"
    assert concrete["shoot_scripts"][0]["shoot_script"]["layer_config"][1]["asset_id"] == "bg-studio-blue-landscape"
    assert output_name(spec["template"], {"first_name": "Zoë"}) == "Welcome Zoë"
    assert validate_composition(concrete, asset_checker=checker) == concrete


@pytest.mark.parametrize("value", [
    "</speak><audio src='https://evil.example/x.mp3'/><speak>",
    "Tom & Jerry",
    "<break time=\"10s\"/>",
    "]]><!-- \"quoted\" 'single'",
    "&amp; &#60;",
])
def test_a_value_in_ssml_stays_spoken_text(value):
    spec = validate_composition(template_composition(company="Acme"))
    concrete = apply_values(spec, {"first_name": value, "company": "Acme", "logo": "bg-studio-blue-landscape"})
    validate_composition(concrete)
    nodes = parse_script_text(concrete["shoot_scripts"][0]["shoot_script"]["text_config"]["text"])
    assert [type(node).__name__ for node in nodes] == ["Text"]
    assert nodes[0].text == f"Hello {value}, welcome to Acme."


def test_plain_text_and_text_layers_take_values_as_they_are():
    spec = validate_composition(template_composition(text="Hi {{first_name}} & {{company}}"))
    concrete = apply_values(spec, {"first_name": "A <b>", "company": "B & C", "logo": "bg-studio-blue-landscape"})
    assert concrete["shoot_scripts"][0]["shoot_script"]["text_config"]["text"] == "Hi A <b> & B & C"
    assert layer_words(concrete) == "B & C"


def test_a_value_cannot_turn_plain_text_into_ssml():
    spec = validate_composition(template_composition(text="{{first_name}} is here"))
    with pytest.raises(SpecError, match="into SSML"):
        apply_values(spec, {"first_name": "<speak><audio src='x'/>", "company": "A", "logo": "bg-studio-blue-landscape"})


@pytest.mark.parametrize("change, field, words", [
    (lambda b: b["shoot_scripts"][0]["shoot_script"]["text_config"].update(text="Hi {{nobody}}"),
     f"{SCENE}.text_config.text", "{{nobody}} is not declared"),
    (lambda b: b["template"].update(output_name="For {{who}}"), "template.output_name", "{{who}} is not declared"),
    (lambda b: b["template"]["variables"].append({"name": "offer", "sample": "10%"}),
     "template.variables[3].name", "{{offer}} is declared but used nowhere"),
    (lambda b: b["template"]["variables"].append({"name": "company", "sample": "x"}),
     "template.variables[3].name", "already declared by template.variables[1]"),
    (lambda b: b["template"]["variables"][0].update(name="First_Name"), "template.variables[0].name",
     "lowercase letter"),
    (lambda b: b["shoot_scripts"][0]["shoot_script"]["text_config"].update(text="Hi {{First Name}} {{company}}"),
     f"{SCENE}.text_config.text", "is not a variable reference"),
    (lambda b: b["shoot_scripts"][0]["shoot_script"]["text_config"].update(
        text='<speak><sub alias="{{first_name}}">x</sub> {{company}}</speak>'),
     f"{SCENE}.text_config.text", "not inside a tag"),
    (lambda b: b["shoot_scripts"][0]["shoot_script"]["text_config"].update(
        text="<speak><!-- {{first_name}} --> {{company}}</speak>"), f"{SCENE}.text_config.text", "a comment"),
    (lambda b: b.update(model_asset_id="{{first_name}}"), "model_asset_id", "variables may stand only in"),
    (lambda b: b["shoot_scripts"][0]["shoot_script"]["layer_config"][1].update(asset_id="logo-{{logo}}"),
     f"{SCENE}.layer_config[1].asset_id", "must be exactly {{name}}"),
    (lambda b: b["shoot_scripts"][0]["shoot_script"]["layer_config"][1].update(asset_id="{{company}}"),
     f"{SCENE}.layer_config[1].asset_id", "{{company}} is a text variable and cannot fill an asset slot for image"),
    (lambda b: b["shoot_scripts"][0]["shoot_script"]["layer_config"].__setitem__(0, text_layer("{{logo}}")),
     f"{SCENE}.layer_config[0].text_config.text_context", "{{logo}} is a image variable and cannot fill text"),
    (lambda b: b["template"]["variables"][2].update(kind="video"), f"{SCENE}.layer_config[1].asset_id",
     "cannot fill an asset slot for image"),
    (lambda b: b["template"]["variables"][2].update(allowed=[]), "template.variables[2].allowed",
     "needs the asset ids"),
    (lambda b: b["template"]["variables"][2].update(sample="bg-night-gradient-landscape"),
     "template.variables[2].sample", "must be one of allowed"),
    (lambda b: b["template"]["variables"][2].update(max_length=3), "template.variables[2].max_length",
     "text variables only"),
    (lambda b: b["template"]["variables"][0].update(allowed=["a"]), "template.variables[0].allowed",
     "for asset slots"),
    (lambda b: b["template"]["variables"][0].update(sample="x" * 41), "template.variables[0].sample",
     "at most max_length = 40"),
    (lambda b: b["template"]["variables"][0].update(kind="colour"), "template.variables[0].kind",
     "must be one of text, image, video, audio"),
    (lambda b: b["template"].update(variables=[]), "template.variables", "at least 1 item"),
])
def test_a_broken_template_rule_names_its_field(change, field, words):
    body = template_composition()
    change(body)
    error = refused(body, asset_checker=checker)
    assert error.field == field
    assert words in error.rule


def test_every_allowed_asset_must_exist_with_the_type_its_slot_needs():
    body = template_composition()
    body["template"]["variables"][2]["allowed"].append("music-calm-pads")
    error = refused(body, asset_checker=checker)
    assert (error.field, error.rule) == ("template.variables[2].allowed[2]", "no IMAGE asset music-calm-pads")


def test_a_field_limit_must_hold_for_the_longest_allowed_value():
    body = template_composition(layer_text="{{company}} " * 20)
    body["template"]["variables"][1]["max_length"] = 60
    error = refused(body)
    assert error.field == f"{SCENE}.layer_config[0].text_config.text_context"
    assert error.rule.startswith("with {{company}} at its max_length of 60: must have at most 1024 characters")
    body["template"]["variables"][1]["max_length"] = 30
    validate_composition(body)


def test_without_a_template_braces_are_just_text():
    body = template_composition()
    body.pop("template")
    body["shoot_scripts"][0]["shoot_script"]["layer_config"].pop()
    spec = validate_composition(body)
    assert "{{first_name}}" in spec["shoot_scripts"][0]["shoot_script"]["text_config"]["text"]


def test_rows_are_checked_against_the_rules_with_a_reason_each():
    template = validate_composition(template_composition())["template"]
    assert check_row(template, {"first_name": " Ann ", "company": "Acme", "logo": "bg-warm-office-landscape"}) == []
    reasons = check_row(template, {"first_name": "", "company": "x" * 31, "logo": "bg-night-gradient-landscape"})
    assert [(r["variable"], r["rule"]) for r in reasons] == [
        ("first_name", "missing"), ("company", "too_long"), ("logo", "not_allowed")]
    assert reasons[1]["message"] == "{{company}}: must have at most 30 characters (got 31)"
    assert check_row(template, {"first_name": "A\x00", "company": "B", "logo": "bg-warm-office-landscape"})[0][
        "rule"] == "invalid"


def test_apply_values_needs_every_value():
    spec = validate_composition(template_composition())
    with pytest.raises(SpecError, match=r"needs a value for \{\{company\}\}"):
        apply_values(spec, {"first_name": "A", "logo": "bg-warm-office-landscape"})
    assert copy.deepcopy(spec) == spec


def test_sample_rows_give_the_samples_the_longest_texts_and_the_other_assets():
    from composer.spec.variables import sample_rows

    template = validate_composition(template_composition())["template"]
    rows = sample_rows(template)
    assert rows[0] == {"first_name": "Ann", "company": "Acme", "logo": "bg-studio-blue-landscape"}
    assert [len(rows[1]["first_name"]), len(rows[1]["company"])] == [40, 30]
    assert rows[1]["company"].startswith("Acme Acme ")
    assert rows[2] == {**rows[0], "logo": "bg-warm-office-landscape"}
    assert all(check_row(template, row) == [] for row in rows)
