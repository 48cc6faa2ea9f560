"""Which colours and fonts of a composition are outside a brand kit (composer.spec.brand.off_kit)."""
from __future__ import annotations

from composer.spec.brand import off_kit


def text_layer(**config) -> dict:
    return {"layer_type": "TEXT", "position": {"dx": 0, "dy": 0, "layer_index": 2},
            "text_config": {"text_context": "SGk=", **config}}


def composition(*layers, background="#FFFFFF", subtitles=None) -> dict:
    video = {"width": 1920, "height": 1080, "is_subtitle_enable": subtitles is not None,
             "subtitle_config": subtitles or {"font_color": "#FFFFFF"}}
    return {"video_config": video, "shoot_scripts": [{"shoot_script": {
        "background_config": [{"background_type": "COLOR", "background_color_config": background}],
        "layer_config": [*layers, {"layer_type": "IMAGE", "asset_id": "x"}]}}]}


SCENE = "shoot_scripts[0].shoot_script"


def test_a_video_in_the_kits_colours_and_fonts_is_clean():
    used = composition(text_layer(font_color="#ff6600", font_asset_id="font-1", box_color="#112233"),
                       background="#112233")
    assert off_kit(used, palette=["#FF6600", "#112233"], font_asset_ids=["font-1"]) == {"colours": [], "fonts": []}


def test_colours_and_fonts_outside_the_kit_are_listed_with_where_they_are_used():
    used = composition(text_layer(font_color="#FF0000", font_asset_id="font-2", shadow_color="#FF6600"),
                       text_layer(font_color="#ff0000", font_name="HarmonyOS_Sans_SC_Black"),
                       background="#00FF00")
    found = off_kit(used, palette=["#FF6600"], font_asset_ids=["font-1"])
    assert found["colours"] == [
        {"value": "#00FF00", "paths": [f"{SCENE}.background_config[0].background_color_config"]},
        {"value": "#FF0000", "paths": [f"{SCENE}.layer_config[0].text_config.font_color",
                                       f"{SCENE}.layer_config[1].text_config.font_color"]}]
    assert found["fonts"] == [
        {"value": "font-2", "kind": "asset", "paths": [f"{SCENE}.layer_config[0].text_config.font_asset_id"]},
        {"value": "HarmonyOS_Sans_SC_Black", "kind": "name",
         "paths": [f"{SCENE}.layer_config[1].text_config.font_name"]}]


def test_subtitles_count_only_when_they_are_on_and_the_kits_subtitle_colours_are_the_kits():
    style = {"font_color": "#FFFFFF", "stroke_color": "#000000"}
    off = composition(background="#FF6600")
    assert off_kit(off, palette=["#FF6600"], font_asset_ids=[])["colours"] == []
    on = composition(background="#FF6600", subtitles=style)
    assert [c["value"] for c in off_kit(on, palette=["#FF6600"], font_asset_ids=[])["colours"]] == \
        ["#FFFFFF", "#000000"]
    assert off_kit(on, palette=["#FF6600"], font_asset_ids=[], subtitle_style=style)["colours"] == []


def test_a_kit_without_colours_or_fonts_says_nothing_about_them():
    used = composition(text_layer(font_color="#FF0000", font_name="Anything"), background="#00FF00")
    assert off_kit(used, palette=[], font_asset_ids=[]) == {"colours": [], "fonts": []}
    assert off_kit(used, palette=[], font_asset_ids=["font-1"])["colours"] == []
    assert off_kit(used, palette=["#123456"], font_asset_ids=[])["fonts"] == []
