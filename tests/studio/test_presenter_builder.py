"""The presenter builder page: who may open it, where it is offered, and what it starts from."""
from __future__ import annotations

import pytest
from django.urls import reverse

from composer.assets.presenters import build_presenter
from composer.teams.models import Membership, Role
from composer.teams.permissions import MATRIX
from tests.support.pages import page_data
from tests.support.users import make_user

pytestmark = pytest.mark.django_db

NEW_PRESENTER = 'data-new-presenter'


@pytest.fixture
def people(project, django_user_model):
    users = {}
    for role in Role:
        users[role] = make_user(django_user_model, f"m-{role}")
        Membership.objects.create(project=project, user=users[role], role=role)
    return users


@pytest.mark.parametrize("role", list(Role))
def test_makers_get_the_builder_and_its_button_and_viewers_neither(client, people, project, role):
    client.force_login(people[role])
    allowed = role in MATRIX["asset.create"]
    builder = client.get(reverse("presenter-builder", args=[project.id]))
    assert builder.status_code == (200 if allowed else 403)
    library = client.get(reverse("assets", args=[project.id]))
    assert (NEW_PRESENTER in library.content.decode()) is allowed


def test_other_projects_do_not_exist_here(client, charlie, other_project, project):
    client.force_login(charlie)
    assert client.get(reverse("presenter-builder", args=[project.id])).status_code == 404


def test_the_page_starts_from_built_ins_and_the_projects_own_presenters(client, alice, project, other_project,
                                                                       charlie):
    choices = {"build": "medium", "features": "defined", "skin": "brown", "eye_colour": "hazel",
               "hair_style": "crop", "hair_colour": "black", "outfit": "polo", "outfit_colour": "#336699"}
    mine = build_presenter(project, name="Omar", choices=choices, user=alice)
    build_presenter(other_project, name="Theirs", choices=choices, user=charlie)
    client.force_login(alice)
    data = page_data(client.get(reverse("presenter-builder", args=[project.id]) + f"?from={mine.id}"))
    assert data["start"] == mine.id
    assert [p["name"] for p in data["own"]] == ["Omar"]
    assert data["own"][0]["choices"]["outfit_colour"] == "#336699"
    assert "avatar-maya" in [p["asset_id"] for p in data["presets"]]
    assert [f["id"] for f in data["fields"]][:3] == ["build", "features", "skin"]
    assert data["urls"]["assets"] == reverse("assets", args=[project.id])
