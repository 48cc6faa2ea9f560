""""Render again" on a failed or canceled video: the job service says when it is offered and with what."""
from __future__ import annotations

import pytest

from composer.jobs.models import JobState, VideoJob
from composer.jobs.services import render_again_offer
from composer.scripts.models import Script
from composer.teams.models import Membership, Role
from tests.support.factories import create_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def job_of_script(project, alice):
    script = Script.objects.create(project=project, name="Launch", created_by=alice)
    spec = create_body(callback_config={"callback_url": "https://hooks.example.com/done", "auth_type": "MSS_A",
                                        "key": "signing-secret"})
    return VideoJob.objects.create(project=project, created_by=alice, spec=spec, asset_name="Launch video",
                                   script_id=script.id, state=JobState.FAILED)


def test_a_member_who_may_render_gets_the_script_name_and_callback_but_never_the_key(job_of_script, project, alice):
    offer = render_again_offer(job_of_script, Membership.objects.get(project=project, user=alice))
    assert offer == {"script_id": job_of_script.script_id, "script_name": "Launch", "asset_name": "Launch video",
                     "callback_url": "https://hooks.example.com/done", "auth_type": "MSS_A"}
    assert "signing-secret" not in str(offer)


def test_nothing_is_offered_to_a_viewer_for_a_full_body_or_once_the_script_is_gone(job_of_script, project, alice):
    membership = Membership.objects.get(project=project, user=alice)
    membership.role = Role.VIEWER
    assert render_again_offer(job_of_script, membership) is None
    membership.role = Role.EDITOR
    full_body = VideoJob.objects.create(project=project, created_by=alice, spec=create_body(), asset_name="Body")
    assert render_again_offer(full_body, membership) is None
    Script.objects.filter(pk=job_of_script.script_id).delete()
    assert render_again_offer(job_of_script, membership) is None
