"""A project with one object of every kind and a member of every role, and the API's routes read from the URL
conf, so that a probe covers an endpoint the day it is added."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from composer.assets.services import upload_new_asset
from composer.jobs.sharing import create_share_link
from composer.scripts.services import create_script
from composer.teams.invitations import invite
from composer.teams.models import Membership, Project, Role
from composer.teams.services import create_access_key, create_auth_token
from tests.support.factories import create_composition
from tests.support.finished import finished_video
from tests.support.media import png_bytes
from tests.support.routes import ROLES
from tests.support.users import make_user, token_client


@pytest.fixture
def world(django_user_model):
    """Members of every role (and an outsider) with X-Auth-Token clients, and one object of each kind."""
    project = Project.objects.create(name="probe", require_approval=False)
    users = {role: make_user(django_user_model, f"probe-{role}") for role in ROLES}
    for role in ROLES[:-1]:
        Membership.objects.create(project=project, user=users[role], role=getattr(Role, role.upper()))
    owner = users["owner"]
    asset = upload_new_asset(project, {"asset_name": "a", "asset_type": "IMAGE"},
                             SimpleUploadedFile("a.png", png_bytes()), user=owner)
    script = create_script(project, {"script_name": "s", **create_composition()}, user=owner)
    job = finished_video(project, owner)
    link = create_share_link(job, {"label": "probe", "expires_in_days": 7}, user=owner)
    key = create_access_key(owner, project)
    token, _ = create_auth_token(owner)
    invitation = invite(project, users["outsider"].username, role="viewer", by=owner)
    values = {"project_id": project.id, "job_id": str(job.id), "asset_id": asset.id, "script_id": script.id,
              "number": "1", "a": "1", "b": "1", "link_id": str(link.id), "key": "0" * 64,
              "username": users["editor"].username, "ak": key.ak, "token_id": str(token.id),
              "invitation_id": invitation.pk}
    return {"project": project, "users": users, "values": values,
            "clients": {role: token_client(user) for role, user in users.items()}}
