"""Every rule of the create body: a valid body passes with defaults applied, each violation names its field."""
from __future__ import annotations

import copy

import pytest

from composer.spec import (
    SpecError,
    create_body_json_schema,
    merge_script_into_body,
    validate_composition,
    validate_create_body,
)

EXAMPLE = {  # the reference's own example request
    "model_asset_id": "0c7798664ee57c32e7",
    "voice_config": {"voice_asset_id": "394f3a27cdb1edf6c", "speed": 100, "pitch": 100, "volume": 140},
    "video_config": {"codec": "H264", "bitrate": 5000, "width": 1920, "height": 1080, "frame_rate": "30"},
    "shoot_scripts": [{
        "sequence_no": 0,
        "shoot_script": {
            "text_config": {"text": "Hello, everyone. I'm Yunling."},
            "background_config": [{"background_type": "IMAGE",
                                   "background_config": "https://example.com/0d69/c788/34534f.jpg?Expires=1"}],
            "layer_config": [{"layer_type": "HUMAN", "position": {"dx": 656, "dy": 0, "layer_index": 1},
                              "size": {"width": 607, "height": 1080}}],
            "script_type": "TEXT",
        },
    }],
    "output_asset_config": {"asset_name": "Yunling's self-introduction."},
}
SCENE = "shoot_scripts[0].shoot_script"


def body(**changes) -> dict:
    data = copy.deepcopy(EXAMPLE)
    for path, value in changes.items():
        target = data
        keys = path.split("__")
        for key in keys[:-1]:
            target = target[int(key)] if key.isdigit() else target.setdefault(key, {})
        if value is DELETE:
            target.pop(keys[-1], None)
        else:
            target[int(keys[-1]) if keys[-1].isdigit() else keys[-1]] = value
    return data


DELETE = object()


def refused(data) -> SpecError:
    with pytest.raises(SpecError) as caught:
        validate_create_body(data)
    return caught.value


def test_the_reference_example_is_valid_and_gets_its_defaults():
    spec = validate_create_body(EXAMPLE)
    video = spec["video_config"]
    assert video["frame_rate"] == "25"  # accepted and normalised
    assert video["clip_mode"] == "RESIZE" and video["is_subtitle_enable"] is False
    assert video["subtitle_config"]["font_name"] == "HarmonyOS_Sans_SC_Black"
    assert video["subtitle_config"]["font_size"] == 54 and video["subtitle_config"]["opacity"] == 1
    assert video["is_vocabulary_config_enable"] is True
    assert spec["action_config"] == {"action_interval": 0.0}
    assert spec["voice_config"] == {"voice_asset_id": "394f3a27cdb1edf6c", "speed": 100, "pitch": 100,
                                    "volume": 140}


def test_unknown_fields_are_dropped():
    data = body(extra_field=1, video_config__whatever="x")
    spec = validate_create_body(data)
    assert "extra_field" not in spec and "whatever" not in spec["video_config"]


def test_defaults_of_nested_configs():
    data = body()
    data["shoot_scripts"][0]["shoot_script"]["layer_config"].append(
        {"layer_type": "VIDEO", "asset_id": "v1", "position": {"dx": 0, "dy": 0, "layer_index": 2},
         "video_config": {}, "rotation": {}})
    data["background_music_config"] = {"music_asset_id": "m"}
    data["callback_config"] = {"callback_url": "https://hooks.example.com/x"}
    spec = validate_create_body(data)
    video_layer = spec["shoot_scripts"][0]["shoot_script"]["layer_config"][1]
    assert video_layer["video_config"] == {"loop_count": -1, "video_sound": 0, "is_play_the_entire_video": False}
    assert video_layer["rotation"] == {"angle": 0}
    assert spec["background_music_config"]["volume"] == 100
    assert spec["callback_config"]["auth_type"] == "NONE"


@pytest.mark.parametrize("changes, field, fragment", [
    # types
    ({"video_config__bitrate": True}, "video_config.bitrate", "integer"),
    ({"video_config__bitrate": 1500.5}, "video_config.bitrate", "integer"),
    ({"video_config__bitrate": "2000"}, "video_config.bitrate", "integer"),
    ({"model_asset_id": 12}, "model_asset_id", "string"),
    ({"shoot_scripts": {"a": 1}}, "shoot_scripts", "array"),
    ({"voice_config": "v"}, "voice_config", "object"),
    ({"video_config__is_subtitle_enable": "yes"}, "video_config.is_subtitle_enable", "true or false"),
    # mandatory fields
    ({"model_asset_id": DELETE}, "model_asset_id", "required"),
    ({"video_config": DELETE}, "video_config", "required"),
    ({"shoot_scripts": DELETE}, "shoot_scripts", "required"),
    ({"voice_config": DELETE}, "voice_config", "required"),
    ({"video_config__width": DELETE}, "video_config.width", "required"),
    ({"voice_config__voice_asset_id": DELETE}, "voice_config.voice_asset_id", "required"),
    ({"output_asset_config": {}}, "output_asset_config.asset_name", "required"),
    # ranges and enums
    ({"voice_config__speed": 49}, "voice_config.speed", "between 50 and 200"),
    ({"voice_config__pitch": 201}, "voice_config.pitch", "between 50 and 200"),
    ({"voice_config__volume": 89}, "voice_config.volume", "between 90 and 240"),
    ({"voice_config__voice_asset_id": ""}, "voice_config.voice_asset_id", "empty"),
    ({"video_config__codec": "H265"}, "video_config.codec", "H264, VP8, QTRLE"),
    ({"video_config__clip_mode": "FIT"}, "video_config.clip_mode", "RESIZE, CROP"),
    ({"video_config__bitrate": 999}, "video_config.bitrate", "between 1000 and 8000"),
    ({"video_config__bitrate": 8001}, "video_config.bitrate", "between 1000 and 8000"),
    ({"video_config__bitrate": 30001}, "video_config.bitrate", "between 40 and 30000"),
    ({"video_config__frame_rate": "fast"}, "video_config.frame_rate", "number"),
    ({"video_config__frame_rate": "120"}, "video_config.frame_rate", "between 1 and 60"),
    ({"video_config__width": 1000, "video_config__height": 1000}, "video_config.width", "RESIZE supports only"),
    ({"video_config__subtitle_config": {"font_color": "white"}}, "video_config.subtitle_config.font_color",
     "#RRGGBB"),
    ({"video_config__subtitle_config": {"opacity": 1.5}}, "video_config.subtitle_config.opacity",
     "between 0 and 1"),
    ({"video_config__subtitle_config": {"stroke_thickness": 51}},
     "video_config.subtitle_config.stroke_thickness", "between 0 and 50"),
    ({"video_config__subtitle_config": {"font_size": 121}}, "video_config.subtitle_config.font_size",
     "between 24 and 120"),
    ({"video_config__dx": -1921}, "video_config.dx", "between -1920 and 3840"),
    ({"shoot_scripts": []}, "shoot_scripts", "at least 1"),
    ({"shoot_scripts__0__sequence_no": -1}, "shoot_scripts[0].sequence_no", "between 0 and 2147483647"),
    ({"shoot_scripts__0__shoot_script__script_type": "VIDEO"}, f"{SCENE}.script_type", "TEXT, AUDIO"),
    ({"shoot_scripts__0__shoot_script__audio_duration": 36001}, f"{SCENE}.audio_duration", "between 0 and 36000"),
    ({"background_music_config": {"volume": 101}}, "background_music_config.volume", "between 0 and 100"),
    ({"action_config": {"action_interval": 256}}, "action_config.action_interval", "between 0 and 255"),
    ({"output_asset_config": {"asset_name": 5}}, "output_asset_config.asset_name", "string"),
    ({"callback_config": {"callback_url": "ftp://x"}}, "callback_config.callback_url", "http"),
    ({"callback_config": {"callback_url": "https://x.example.com", "auth_type": "BASIC"}},
     "callback_config.auth_type", "NONE, MSS_A"),
    ({"callback_config": {"callback_url": "https://x.example.com", "auth_type": "MSS_A"}},
     "callback_config.key", "required when auth_type is MSS_A"),
    ({"review_config": {"no_need_review": 1}}, "review_config.no_need_review", "true or false"),
    ({"script_id": "x" * 65}, "script_id", "at most 64"),
])
def test_each_rule_names_the_field(changes, field, fragment):
    error = refused(body(**changes))
    assert error.field == field, error.error_msg
    assert fragment in error.rule, error.error_msg
    assert error.error_msg.startswith(field)
    assert error.error_code == "MSS.00000003"


def scene_with(**fields) -> dict:
    data = body()
    data["shoot_scripts"][0]["shoot_script"].update(fields)
    return data


def layer(layer_type="IMAGE", index=2, **extra) -> dict:
    item = {"layer_type": layer_type, "position": {"dx": 0, "dy": 0, "layer_index": index}}
    item.update(extra)
    return item


@pytest.mark.parametrize("scene, field, fragment", [
    ({"text_config": {"text": "  "}}, f"{SCENE}.text_config.text", "needs its script text"),
    ({"text_config": {"text": "a" * 10001}}, f"{SCENE}.text_config.text", "at most 10000 characters"),
    ({"text_config": {"text": "a" * 131073}}, f"{SCENE}.text_config.text", "at most 131072"),
    ({"text_config": {"text": "<speak>Hi <foo/></speak>"}}, f"{SCENE}.text_config.text", "line 1, column"),
    ({"text_config": {"text": "<speak>Hi"}}, f"{SCENE}.text_config.text", "invalid SSML"),
    ({"text_config": {"text": '<!DOCTYPE x [<!ENTITY a "b">]><speak>&a;</speak>'}}, f"{SCENE}.text_config.text",
     "invalid SSML"),
    ({"script_type": "AUDIO"}, f"{SCENE}.audio_drive_file_external_url", "needs its audio"),
    ({"background_config": [{"background_type": "IMAGE"}]}, f"{SCENE}.background_config[0].background_config",
     "needs background_config"),
    ({"background_config": [{"background_type": "COLOR", "background_color_config": "red"}]},
     f"{SCENE}.background_config[0].background_color_config", "#RRGGBB"),
    ({"background_config": [{"background_type": "IMAGE", "background_asset_id": "bg",
                             "background_image_config": {"dx": -10, "dy": 0, "width": 1920, "height": 1080}}]},
     f"{SCENE}.background_config[0].background_image_config.width", "right edge is uncovered"),
    ({"background_config": [{"background_type": "IMAGE", "background_asset_id": "bg",
                             "background_image_config": {"dx": 0, "dy": -100, "width": 1920, "height": 1100}}]},
     f"{SCENE}.background_config[0].background_image_config.height", "bottom edge is uncovered"),
    ({"background_config": [{"background_type": "IMAGE", "background_asset_id": "bg",
                             "background_image_config": {"dx": 5, "dy": 0, "width": 1920, "height": 1080}}]},
     f"{SCENE}.background_config[0].background_image_config.dx", "between -5760 and 0"),
    ({"background_config": [{"background_type": "IMAGE", "background_asset_id": "bg",
                             "background_image_config": {"dx": 0, "dy": 0, "width": 1920}}]},
     f"{SCENE}.background_config[0].background_image_config.height", "required"),
    ({"layer_config": [layer(index=0)]}, f"{SCENE}.layer_config[0].position.layer_index", "between 1 and 100"),
    ({"layer_config": [layer(index=101)]}, f"{SCENE}.layer_config[0].position.layer_index", "between 1 and 100"),
    ({"layer_config": [layer(asset_id="a"), layer(asset_id="b")]}, f"{SCENE}.layer_config[1].position.layer_index",
     "already used by layer_config[0]"),
    ({"layer_config": [layer("HUMAN", 1), layer("HUMAN", 2)]}, f"{SCENE}.layer_config[1].layer_type",
     "only one HUMAN layer"),
    ({"layer_config": [layer("SHAPE")]}, f"{SCENE}.layer_config[0].layer_type", "HUMAN, IMAGE, VIDEO, TEXT"),
    ({"layer_config": [layer()]}, f"{SCENE}.layer_config[0]", "needs asset_id or image_config.image_url"),
    ({"layer_config": [layer("VIDEO")]}, f"{SCENE}.layer_config[0]", "needs asset_id or video_config.video_url"),
    ({"layer_config": [layer("TEXT")]}, f"{SCENE}.layer_config[0].text_config.text_context", "needs its text"),
    ({"layer_config": [layer("TEXT", text_config={"text_context": "not base64!"})]},
     f"{SCENE}.layer_config[0].text_config.text_context", "base64"),
    ({"layer_config": [layer("TEXT", text_config={"text_context": "aGk=", "font_color": "#12345"})]},
     f"{SCENE}.layer_config[0].text_config.font_color", "#RRGGBB"),
    ({"layer_config": [layer("VIDEO", asset_id="v", rotation={"angle": 90})]},
     f"{SCENE}.layer_config[0].rotation.angle", "cannot be rotated"),
    ({"layer_config": [layer(asset_id="i", rotation={"angle": 361})]}, f"{SCENE}.layer_config[0].rotation.angle",
     "between 0 and 360"),
    ({"layer_config": [layer(asset_id="i", position={"dx": -1921, "dy": 0, "layer_index": 3})]},
     f"{SCENE}.layer_config[0].position.dx", "between -1920 and 3840"),
    ({"layer_config": [layer(asset_id="i", size={"width": 0})]}, f"{SCENE}.layer_config[0].size.width",
     "between 1 and 7680"),
    ({"layer_config": [layer("VIDEO", asset_id="v", video_config={"loop_count": -2})]},
     f"{SCENE}.layer_config[0].video_config.loop_count", "between -1 and 100"),
    ({"layer_config": [layer("VIDEO", asset_id="v", video_config={"video_sound": 101})]},
     f"{SCENE}.layer_config[0].video_config.video_sound", "between 0 and 100"),
    ({"layer_config": [layer(image_config={"image_url": "javascript:alert(1)"})]},
     f"{SCENE}.layer_config[0].image_config.image_url", "http"),
    ({"audio_drive_action_config": [{"action_tag": "wave"}]},
     f"{SCENE}.audio_drive_action_config[0].action_start_time", "required"),
])
def test_each_scene_rule_names_the_field(scene, field, fragment):
    error = refused(scene_with(**scene))
    assert error.field == field, error.error_msg
    assert fragment in error.rule, error.error_msg


def test_text_length_counts_characters_outside_tags():
    text = "<speak>" + "a" * 9990 + '<break time="1s"/>' + "b" * 10 + "</speak>"
    validate_create_body(scene_with(text_config={"text": text}))


def test_sequence_numbers_must_be_unique():
    data = body()
    data["shoot_scripts"].append(copy.deepcopy(data["shoot_scripts"][0]))
    error = refused(data)
    assert error.field == "shoot_scripts[1].sequence_no" and "shoot_scripts[0]" in error.rule


def test_crop_window_must_lie_inside_the_model_layout():
    data = body(video_config__clip_mode="CROP", video_config__width=800, video_config__height=600,
                video_config__dx=1200, video_config__dy=0)
    error = refused(data)
    assert error.field == "video_config.dx" and "inside the model layout 1920x1080" in error.rule
    data = body(video_config__clip_mode="CROP", video_config__width=801, video_config__height=600)
    assert refused(data).field == "video_config.width"
    ok = validate_create_body(body(video_config__clip_mode="CROP", video_config__width=800,
                                   video_config__height=600, video_config__dx=100, video_config__dy=200))
    assert ok["video_config"]["dx"] == 100


def test_portrait_background_must_cover_1080x1920():
    data = body(video_config__width=1080, video_config__height=1920)
    data["shoot_scripts"][0]["shoot_script"]["layer_config"] = []
    data["shoot_scripts"][0]["shoot_script"]["background_config"] = [{
        "background_type": "IMAGE", "background_asset_id": "bg",
        "background_image_config": {"dx": 0, "dy": 0, "width": 1080, "height": 1900}}]
    error = refused(data)
    assert "at least 1920 in portrait mode" in error.rule
    data["shoot_scripts"][0]["shoot_script"]["background_config"][0]["background_image_config"]["height"] = 1920
    validate_create_body(data)


def test_qtrle_limits_text_and_audio():
    data = body(video_config__codec="QTRLE")
    data["shoot_scripts"][0]["shoot_script"]["text_config"]["text"] = "a" * 1500
    assert "fewer than 1500" in refused(data).rule
    with pytest.raises(SpecError, match="allow-list"):
        validate_create_body(body(video_config__codec="QTRLE"), qtrle_allowed=False)
    audio = scene_with(script_type="AUDIO", audio_drive_file_external_url="https://a.example.com/x.wav",
                       audio_duration=300)
    audio["video_config"]["codec"] = "QTRLE"
    assert refused(audio).field == f"{SCENE}.audio_duration"


def test_vp8_needs_layers_when_the_model_size_differs():
    data = body(video_config__codec="VP8", video_config__width=1280, video_config__height=720)
    data["shoot_scripts"][0]["shoot_script"].pop("layer_config")

    def checker(field, asset_id, asset_type):
        return {"layout_width": 1920, "layout_height": 1080} if asset_type == "HUMAN_MODEL_2D" else None

    with pytest.raises(SpecError) as caught:
        validate_create_body(data, asset_checker=checker)
    assert caught.value.field == f"{SCENE}.layer_config"


def test_asset_checker_is_asked_for_every_asset_with_its_field():
    asked = []

    def checker(field, asset_id, asset_type):
        asked.append((field, asset_type))
        if asset_type == "MUSIC":
            raise SpecError(field, "no such music")

    data = body(background_music_config={"music_asset_id": "m1"})
    data["shoot_scripts"][0]["shoot_script"]["background_config"] = [
        {"background_type": "IMAGE", "background_asset_id": "bg1"}]
    with pytest.raises(SpecError) as caught:
        validate_create_body(data, asset_checker=checker)
    assert caught.value.field == "background_music_config.music_asset_id"
    assert ("model_asset_id", "HUMAN_MODEL_2D") in asked
    assert ("voice_config.voice_asset_id", "VOICE_MODEL") in asked
    assert (f"{SCENE}.background_config[0].background_asset_id", "IMAGE") in asked


def test_lenient_values_are_documented_normalisations():
    spec = validate_create_body(body(video_config__frame_rate=30,
                                     video_config__subtitle_config={"font_size": 10},
                                     output_asset_config={"asset_name": "n" * 300}))
    assert spec["video_config"]["frame_rate"] == "25"
    assert spec["video_config"]["subtitle_config"]["font_size"] == 24
    assert len(spec["output_asset_config"]["asset_name"]) == 256


def test_script_id_makes_the_composition_optional_and_the_script_wins():
    spec = validate_create_body({"script_id": "s1", "output_asset_config": {"asset_name": "x"}})
    assert spec["script_id"] == "s1"
    script = validate_composition({k: v for k, v in EXAMPLE.items() if k != "output_asset_config"})
    merged = merge_script_into_body({"script_id": "s1", "model_asset_id": "other",
                                     "output_asset_config": {"asset_name": "x"}}, script)
    assert merged["model_asset_id"] == EXAMPLE["model_asset_id"]
    assert merged["output_asset_config"] == {"asset_name": "x"}


def test_the_body_must_be_an_object():
    with pytest.raises(SpecError, match="JSON object"):
        validate_create_body([1, 2])


def test_json_schema_export_carries_the_rules():
    schema = create_body_json_schema()
    video = schema["properties"]["video_config"]
    assert video["required"] == ["bitrate", "width", "height"]
    assert video["properties"]["codec"]["enum"] == ["H264", "VP8", "QTRLE"]
    layer_index = schema["properties"]["shoot_scripts"]["items"]["properties"]["shoot_script"]["properties"][
        "layer_config"]["items"]["properties"]["position"]["properties"]["layer_index"]
    assert (layer_index["minimum"], layer_index["maximum"]) == (1, 100)


@pytest.mark.parametrize(("field", "value"), [
    ("shoot_scripts[0].shoot_script.text_config.text", "Hi\x00there"),
    ("shoot_scripts[0].shoot_script.text_config.text", "<speak>Hi \ud800</speak>"),
    ("output_asset_config.asset_name", "Sale \udc00"),
])
def test_text_the_renderer_cannot_take_is_refused_naming_the_field(field, value):
    body = copy.deepcopy(EXAMPLE)
    if field.startswith("output"):
        body["output_asset_config"]["asset_name"] = value
    else:
        body["shoot_scripts"][0]["shoot_script"]["text_config"]["text"] = value
    with pytest.raises(SpecError) as info:
        validate_create_body(body)
    assert info.value.field == field
    assert "text cannot contain it" in info.value.rule
