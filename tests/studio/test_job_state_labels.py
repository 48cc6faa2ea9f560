"""Job states in words come from one table (composer.jobs.models.JOB_STATE_LABELS): the videos page's filters,
the server-drawn badge and the labels the page scripts read are the same words."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from composer.jobs.models import JOB_STATE_LABELS, JobState, VideoJob
from composer.spec.errors import ERROR_ASSET_MISSING, ERROR_DOWNLOAD
from tests.support.factories import create_body

pytestmark = pytest.mark.django_db
STATIC = Path(__file__).resolve().parents[2] / "static" / "composer"


@pytest.fixture
def signed_in(client, alice, project):
    client.force_login(alice)
    return client


def embedded_labels(html: str) -> dict[str, str]:
    found = re.search(r'<script id="job-state-labels" type="application/json">(.*?)</script>', html, re.S)
    assert found, "the page shell embeds the job state labels"
    return json.loads(found.group(1))


def test_every_state_has_words_and_the_pages_embed_exactly_them(signed_in, project):
    assert set(JOB_STATE_LABELS) == set(JobState.values)
    expected = {str(state): label for state, label in JOB_STATE_LABELS.items()}
    for url in ("/", f"/p/{project.id}/", f"/p/{project.id}/videos"):
        response = signed_in.get(url)
        assert response.status_code == 200, url
        assert embedded_labels(response.content.decode()) == expected, url


def test_the_filters_and_the_server_drawn_badge_use_the_same_words(signed_in, alice, project):
    job = VideoJob.objects.create(project=project, created_by=alice, spec=create_body(), asset_name="Launch",
                                  state=JobState.SUCCEED)
    page = signed_in.get(f"/p/{project.id}/videos")
    assert [f["label"] for f in page.context["filters"]][1:] == list(JOB_STATE_LABELS.values())
    html = signed_in.get(f"/p/{project.id}/videos/{job.pk}").content.decode()
    assert re.search(r"data-state-badge>Ready</span>", html)


def test_the_pages_embed_the_failure_codes_they_explain(signed_in, project):
    html = signed_in.get(f"/p/{project.id}/videos").content.decode()
    found = re.search(r'<script id="job-failure-codes" type="application/json">(.*?)</script>', html, re.S)
    assert json.loads(found.group(1)) == {"download": ERROR_DOWNLOAD, "asset_missing": ERROR_ASSET_MISSING}


def test_no_page_script_spells_the_labels_or_the_codes_itself():
    for path in STATIC.rglob("*.js"):
        text = path.read_text()
        assert not re.search(r'PROCESSING:\s*"Rendering"|SUCCEED:\s*"Ready"|MSS\.\d{8}', text), path.name
