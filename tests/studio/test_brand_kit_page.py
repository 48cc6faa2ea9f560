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
