"""The body sent to MetaStudio is the reference's: every field our tables call a Composer extension is marked
`ours` and taken out, said in words only when it asks for something (a default is dropped without a word)."""
from __future__ import annotations

from composer.spec import validate_create_body
from composer.spec.reference import in_words, to_reference
from composer.spec.schema import Arr, Field, Obj
from composer.spec.tables import CREATE_BODY
from tests.support.factories import create_body, text_layer


def described_as_ours(spec: Field, path: str = ""):
    if spec.description.startswith("Composer"):
        yield path, spec
    if isinstance(spec, Obj):
        for name, child in spec.fields.items():
            yield from described_as_ours(child, f"{path}.{name}" if path else name)
    elif isinstance(spec, Arr):
        yield from described_as_ours(spec.item, f"{path}[]")


def test_every_field_described_as_ours_is_marked_ours():
    found = dict(described_as_ours(CREATE_BODY))
    assert "shoot_scripts[].shoot_script.layer_config[].timing" in found
    assert [path for path, spec in found.items() if not spec.ours] == ["video_config.subtitle_config.opacity"]


def test_extensions_are_taken_out_and_defaults_go_without_a_word():
    layer = text_layer("Hi")
    layer["timing"] = {"start": 1}
    layer["text_config"]["shadow_color"] = "#000000"
    body = create_body()
    body["shoot_scripts"][0]["shoot_script"]["layer_config"] = [layer]
    spec = validate_create_body(body)
    assert spec["video_config"]["subtitle_config"]["word_highlight"] is False
    sent, dropped = to_reference(spec)
    assert dropped == ["shoot_scripts[0].shoot_script.layer_config[0].text_config.shadow_color",
                       "shoot_scripts[0].shoot_script.layer_config[0].timing"]
    assert "word_highlight" not in sent["video_config"]["subtitle_config"]
    assert sent["video_config"]["subtitle_config"]["opacity"] == 1.0          # the reference's own field stays
    assert sent["shoot_scripts"][0]["shoot_script"]["layer_config"][0]["text_config"]["font_size"] == 48
    assert spec["shoot_scripts"][0]["shoot_script"]["layer_config"][0]["timing"]   # the job's body is untouched
    assert [in_words(path) for path in dropped] == ["text layer shadow color (scene 1, layer 1)",
                                                    "layer timing (scene 1, layer 1)"]
