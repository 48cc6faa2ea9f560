"""New scripts and starters take the brand kit's defaults; the approver's page lists what is outside the kit."""
from __future__ import annotations

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from composer.assets.brand import update_brand_kit
from composer.assets.services import delete_asset, upload_new_asset
from composer.scripts.approvals import request_approval
from composer.scripts.brand import kit_for_starters
from composer.scripts.services import create_script, validate_for_project
from composer.scripts.starters import STARTERS, starter_composition
from composer.teams.models import Membership, Role
from tests.support.factories import create_composition, preset_id
from tests.support.media import FONT, wav_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def font(project, alice):
    return upload_new_asset(project, {"asset_name": "Brand Sans", "asset_type": "FONT"},
                            SimpleUploadedFile("brand.otf", FONT.read_bytes()), user=alice)


@pytest.fixture
def kit(project, alice, font):
    return update_brand_kit(project, {"palette": ["#FF6600", "#112233"], "font_asset_ids": [font.id],
                                      "music_asset_id": preset_id("MUSIC"),
                                      "subtitle_style": {"font_size": 40, "font_color": "#FFCC00"}}, by=alice)


def test_without_a_kit_the_starters_are_as_they_were(project):
    assert kit_for_starters(project) is None
    assert starter_composition("landscape", "presenter", None) == starter_composition("landscape", "presenter")


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
@pytest.mark.parametrize("starter", list(STARTERS))
def test_starters_use_the_kit_and_stay_valid(project, kit, font, orientation, starter):
    composition = starter_composition(orientation, starter, kit_for_starters(project))
    checked = validate_for_project(project, composition)
    video = checked["video_config"]
    assert video["subtitle_config"]["font_size"] == 40 and video["subtitle_config"]["font_color"] == "#FFCC00"
    assert checked["background_music_config"]["music_asset_id"] == preset_id("MUSIC")
    title = checked["shoot_scripts"][0]["shoot_script"]["layer_config"][-1]
    assert title["layer_type"] == "TEXT"
    assert title["text_config"]["font_color"] == "#FF6600" and title["text_config"]["font_asset_id"] == font.id
    assert base64.b64decode(title["text_config"]["text_context"]) == b"Your title"


def test_a_new_script_takes_the_kits_subtitle_style_and_music_where_it_gives_none(project, alice, kit):
    plain = create_script(project, {"script_name": "plain", **create_composition()}, user=alice)
    composition = plain.head.composition
    assert composition["video_config"]["subtitle_config"]["font_color"] == "#FFCC00"
    assert composition["background_music_config"]["music_asset_id"] == preset_id("MUSIC")
    own = create_composition()
    own["video_config"]["subtitle_config"] = {"font_color": "#00FF00"}
    own["background_music_config"] = {"music_asset_id": preset_id("MUSIC"), "volume": 30}
    mine = create_script(project, {"script_name": "mine", **own}, user=alice).head.composition
    assert mine["video_config"]["subtitle_config"]["font_color"] == "#00FF00"
    assert mine["background_music_config"]["volume"] == 30


def test_the_approval_page_lists_colours_and_fonts_outside_the_kit(client, project, alice, bob, kit, font):
    composition = create_composition()
    composition["shoot_scripts"][0]["shoot_script"]["layer_config"] = [
        {"layer_type": "TEXT", "position": {"dx": 10, "dy": 10, "layer_index": 2}, "size": {"width": 400, "height": 80},
         "text_config": {"text_context": "SGk=", "font_color": "#FF6600", "font_asset_id": font.id}},
        {"layer_type": "TEXT", "position": {"dx": 10, "dy": 200, "layer_index": 3}, "size": {"width": 400, "height": 80},
         "text_config": {"text_context": "SGk=", "font_color": "#00FF00"}}]
    script = create_script(project, {"script_name": "s", **composition}, user=alice)
    approval = request_approval(script, {}, user=alice)
    Membership.objects.filter(project=project, user=bob).update(role=Role.APPROVER)
    client.force_login(bob)
    page = client.get(f"/p/{project.id}/approvals/{approval.id}").content.decode()
    assert "data-brand-check" in page
    assert 'data-off-kit-colour="#00FF00"' in page and 'data-off-kit-colour="#FF6600"' not in page
    assert 'data-off-kit-font="HarmonyOS_Sans_SC_Black"' in page and f'data-off-kit-font="{font.id}"' not in page


def test_assets_deleted_from_the_library_are_not_handed_to_new_scripts(project, alice, font, tmp_path):
    music = upload_new_asset(project, {"asset_name": "Jingle", "asset_type": "MUSIC"},
                             SimpleUploadedFile("jingle.wav", wav_bytes(tmp_path / "j.wav")),
                             user=alice)
    update_brand_kit(project, {"palette": ["#FF6600"], "font_asset_ids": [font.id], "music_asset_id": music.id},
                     by=alice)
    delete_asset(music, user=alice)
    delete_asset(font, user=alice)
    kit = kit_for_starters(project)
    assert kit["fonts"] == [] and kit["music_asset_id"] == ""
    starter = validate_for_project(project, starter_composition("landscape", "presenter", kit))
    assert "font_asset_id" not in starter["shoot_scripts"][0]["shoot_script"]["layer_config"][-1]["text_config"]
    script = create_script(project, {"script_name": "after", **create_composition()}, user=alice)
    assert not (script.head.composition.get("background_music_config") or {}).get("music_asset_id")
