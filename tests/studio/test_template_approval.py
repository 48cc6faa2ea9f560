"""An approver of a template sees its variables with their rules and samples, and sample rows drawn as
thumbnails: the samples, every text at its longest, and the other assets a row may choose."""
from __future__ import annotations

import re

import pytest

from composer.scripts.approvals import request_approval
from composer.scripts.services import create_script
from tests.support.factories import template_composition

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(project, alice):
    script = create_script(project, {"script_name": "Welcome", **template_composition()}, user=alice)
    return request_approval(script, {}, user=alice)


def test_the_approval_page_shows_the_rules_and_sample_rows(client, bob, project, pending):
    client.force_login(bob)
    html = client.get(f"/p/{project.id}/approvals/{pending.id}").content.decode()
    assert '<tr data-variable="company"><td><code>{{company}}</code>' in html
    assert "text of at most 30 characters" in html
    assert re.search(r"image slot, one of: [^<]+, [^<]+</td>", html)
    assert "Video name: <code>Welcome {{first_name}}</code>" in html
    rows = re.findall(r'data-sample-row="(\d)"', html)
    # The samples, the longest texts, and the slot's second allowed picture.
    assert rows == ["0", "1", "2"]
    assert "Acme Acme Acme Acme Acme Acme" in html

    thumbnails = re.findall(r'src="(/v1/[^"]+row=\d[^"]*)"', html)
    assert len(thumbnails) == 3
    pictures = [client.get(src.replace("&amp;", "&")) for src in thumbnails]
    assert [p.status_code for p in pictures] == [200, 200, 200]
    assert len({p.content for p in pictures}) == 3


def test_a_sample_row_past_the_last_is_refused(client, bob, project, pending):
    client.force_login(bob)
    base = f"/v1/{project.id}/digital-human-video-scripts/{pending.script_id}/revisions/1/preview?width=160"
    response = client.get(f"{base}&row=3")
    assert response.status_code == 400
    assert response.json()["error_msg"] == "row: this template has 3 sample rows, numbered from 0"
