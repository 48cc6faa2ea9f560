"""A project with one object of every kind and a member of every role, and the API's routes read from the URL
conf, so that a probe covers an endpoint the day it is added."""
from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from composer.assets.services import upload_new_asset
from composer.jobs.models import VideoBatch
from composer.jobs.sharing import create_share_link
from composer.scripts.services import create_script
from composer.teams.invitations import invite
from composer.teams.models import Membership, Project, Role
from composer.teams.services import create_access_key, create_auth_token
from tests.support.factories import create_composition, template_composition
from tests.support.finished import finished_video, tiny_mp4
from tests.support.media import png_bytes
from tests.support.routes import ROLES
from tests.support.users import make_user, token_client


def batch_of(project, script, job) -> VideoBatch:
    """A batch of one row whose job is `job`."""
    batch = VideoBatch.objects.create(project=project, script_id=script.id, script_revision_id=script.head.id,
                                      revision=1, rows=[{"row": 1, "values": {}, "output_name": None}])
    job.batch, job.batch_row = batch, 0
    job.save(update_fields=["batch", "batch_row"])
    return batch


def played_scene(project, key: str) -> None:
    """A scene preview of `project` under content key `key`, where playing a scene leaves its MP4."""
    folder = Path(settings.MEDIA_ROOT) / "scene-previews" / str(project.pk)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{key}.mp4").write_bytes(tiny_mp4(frames=2))


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
    # A template (the batch below renders it), so reads of its rows (the sample CSV) answer too.
    script = create_script(project, {"script_name": "s", **template_composition()}, user=owner)
    job = finished_video(project, owner)
    link = create_share_link(job, {"label": "probe", "expires_in_days": 7}, user=owner)
    key = create_access_key(owner, project)
    token, _ = create_auth_token(owner)
    invitation = invite(project, users["outsider"].username, role="viewer", by=owner)
    values = {"project_id": project.id, "job_id": str(job.id), "asset_id": asset.id, "script_id": script.id,
              "number": "1", "a": "1", "b": "1", "link_id": str(link.id), "key": "0" * 64,
              "username": users["editor"].username, "ak": key.ak, "token_id": str(token.id),
              "invitation_id": invitation.pk, "batch_id": str(batch_of(project, script, job).id)}
    played_scene(project, "0" * 64)
    clients = {role: token_client(user) for role, user in users.items()}
    clients["anonymous"] = APIClient()
    # Each member's own AK/SK pair and X-Auth-Token besides the ones they call with, for probes that revoke them.
    credentials = {role: {"ak": create_access_key(users[role], project).ak,
                          "token_id": str(create_auth_token(users[role])[0].id)} for role in ROLES[:-1]}
    return {"project": project, "users": users, "values": values, "clients": clients, "credentials": credentials}


@pytest.fixture
def foreign(world, django_user_model):
    """Path values naming objects of another project, whose owner is also the owner of `world`'s project: the
    other project's job, asset, script, share link and member, the owner's access key there, and a stranger's
    X-Auth-Token."""
    project = Project.objects.create(name="probe-elsewhere", require_approval=False)
    owner, stranger = world["users"]["owner"], make_user(django_user_model, "probe-stranger")
    Membership.objects.create(project=project, user=owner, role=Role.OWNER)
    Membership.objects.create(project=project, user=stranger, role=Role.EDITOR)
    asset = upload_new_asset(project, {"asset_name": "b", "asset_type": "IMAGE"},
                             SimpleUploadedFile("b.png", png_bytes()), user=stranger)
    script = create_script(project, {"script_name": "t", **create_composition()}, user=stranger)
    job = finished_video(project, stranger)
    link = create_share_link(job, {"label": "elsewhere", "expires_in_days": 7}, user=stranger)
    played_scene(project, "f" * 64)
    invitation = invite(project, "probe-invitee", role="viewer", by=owner)
    return {"job_id": str(job.id), "asset_id": asset.id, "script_id": script.id, "link_id": str(link.id),
            "key": "f" * 64,
            "username": stranger.username, "ak": create_access_key(owner, project).ak,
            "token_id": str(create_auth_token(stranger)[0].id), "invitation_id": invitation.pk,
            "batch_id": str(batch_of(project, script, job).id)}
