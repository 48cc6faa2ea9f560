"""The brand kit page: the kit as it is saved, the library's items to pick from, read-only for those who cannot
change it; the editor's page data carries the kit's palette and fonts."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from composer.assets.brand import update_brand_kit
from composer.assets.services import upload_new_asset
from composer.scripts.services import create_script
from tests.support.factories import create_composition, preset_id
from tests.support.media import FONT
from tests.support.pages import page_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def font(project, alice):
    return upload_new_asset(project, {"asset_name": "Brand Sans", "asset_type": "FONT"},
                            SimpleUploadedFile("brand.otf", FONT.read_bytes()), user=alice)


def test_an_editor_sees_the_kit_and_the_library_to_pick_from(client, project, alice, font):
    update_brand_kit(project, {"palette": ["#FF6600"], "font_asset_ids": [font.id],
                               "music_asset_id": preset_id("MUSIC"), "subtitle_style": {"font_size": 40}}, by=alice)
    client.force_login(alice)
    response = client.get(f"/p/{project.id}/brand-kit")
    html = response.content.decode()
    assert response.status_code == 200 and "data-save" in html
    assert page_data(response)["palette"] == ["#FF6600"] and page_data(response)["can_edit"] is True
    assert f'value="{font.id}" checked' in html
    assert f'value="{preset_id("MUSIC")}" selected' in html
    assert 'name="subtitle_style.font_size" value="40"' in html
    assert "data-use-style checked" in html


def test_an_approver_reads_it_without_a_way_to_change_it(client, project, bob):
    client.force_login(bob)
    response = client.get(f"/p/{project.id}/brand-kit")
    html = response.content.decode()
    assert response.status_code == 200
    assert "data-save" not in html and "<fieldset class=\"plain\" disabled>" in html
    assert "owners and editors change it" in html


def test_the_editor_is_handed_the_kits_palette_and_fonts(client, project, alice, font):
    update_brand_kit(project, {"palette": ["#112233", "#FF6600"], "font_asset_ids": [font.id]}, by=alice)
    script = create_script(project, {"script_name": "s", **create_composition()}, user=alice)
    client.force_login(alice)
    data = page_data(client.get(f"/p/{project.id}/scripts/{script.id}"))
    assert data["brandKit"] == {"palette": ["#112233", "#FF6600"], "font_asset_ids": [font.id]}


def test_a_deleted_asset_leaves_no_broken_entry_on_the_kit_page(client, project, alice, font, tmp_path):
    from composer.assets.services import delete_asset
    from tests.support.media import mp4_bytes

    intro = upload_new_asset(project, {"asset_name": "Opening titles", "asset_type": "VIDEO"},
                             SimpleUploadedFile("intro.mp4", mp4_bytes(tmp_path / "intro.mp4")), user=alice)
    update_brand_kit(project, {"font_asset_ids": [font.id], "intro_asset_id": intro.id}, by=alice)
    client.force_login(alice)
    library = page_data(client.get(f"/p/{project.id}/assets"))
    # The library's delete dialog is told what the asset is in the kit.
    assert library["kit_uses"] == {font.id: ["a font"], intro.id: ["the intro clip"]}

    assert delete_asset(intro, user=alice) == ["intro_asset_id"]
    assert delete_asset(font, user=alice) == ["font_asset_ids"]
    response = client.get(f"/p/{project.id}/brand-kit")
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["kit"]["intro_asset_id"] is None and response.context["kit"]["font_asset_ids"] == []
    assert intro.id not in html and font.id not in html
    assert "Opening titles" not in html and "Brand Sans" not in html
    assert page_data(client.get(f"/p/{project.id}/assets"))["kit_uses"] == {}


def test_kits_saved_before_the_fix_forget_their_deleted_assets(project, alice, font):
    import importlib

    from django.apps import apps

    from composer.assets.brand import brand_kit
    from composer.assets.models import AssetState

    update_brand_kit(project, {"font_asset_ids": [font.id], "music_asset_id": preset_id("MUSIC")}, by=alice)
    type(font).objects.filter(pk=font.pk).update(state=AssetState.DELETED)   # deleted the old way
    migration = importlib.import_module("composer.assets.migrations.0004_brand_kit_forgets_deleted_assets")
    migration.forget_deleted(apps, None)
    kit = brand_kit(project)
    assert kit.font_asset_ids == [] and kit.music_asset_id == preset_id("MUSIC")
