"""The command-line tools: presets, render, accesskey, authtoken, seed_demo."""
from __future__ import annotations

import json
from io import StringIO

import av
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_presets_prints_json_lines():
    lines = [json.loads(line) for line in run("presets").splitlines()]
    types = {line["asset_type"] for line in lines}
    assert {"HUMAN_MODEL_2D", "VOICE_MODEL", "IMAGE", "MUSIC"} <= types
    assert all(set(line) == {"asset_id", "asset_type", "name"} for line in lines)


def test_render_writes_the_video_and_one_json_line(tmp_path):
    body = {"model_asset_id": "avatar-maya", "voice_config": {"voice_asset_id": "voice-en-us-joe"},
            "video_config": {"bitrate": 1000, "width": 160, "height": 90, "clip_mode": "CROP", "dx": 1300,
                             "dy": 300},
            "shoot_scripts": [{"shoot_script": {"text_config": {"text": "Command line."}}}]}
    path = tmp_path / "body.json"
    path.write_text(json.dumps(body))
    result = json.loads(run("render", str(path), "-o", str(tmp_path / "out.mp4")).strip())
    assert set(result) == {"output", "duration", "width", "height", "codec", "frames", "seconds"}
    with av.open(result["output"]) as container:
        assert container.streams.video[0].codec_context.width == 160
        assert sum(1 for _ in container.decode(video=0)) == result["frames"]


def test_render_explains_a_bad_body(tmp_path):
    path = tmp_path / "body.json"
    path.write_text(json.dumps({"model_asset_id": "nope", "voice_config": {"voice_asset_id": "voice-en-us-joe"},
                                "video_config": {"bitrate": 1000, "width": 1920, "height": 1080},
                                "shoot_scripts": [{"shoot_script": {"text_config": {"text": "x"}}}]}))
    with pytest.raises(CommandError, match="model_asset_id"):
        run("render", str(path), "-o", str(tmp_path / "x.mp4"))


@pytest.mark.django_db
def test_demo_data_and_credentials():
    run("seed_demo")
    run("seed_demo")  # idempotent
    from composer.teams.models import Membership
    roles = dict(Membership.objects.filter(project__name="demo").values_list("user__username", "role"))
    assert roles == {"demo": "owner", "alice": "editor", "bob": "approver"}
    # Three sample scripts by alice, once: the welcome waits for an approver, and the template bob approved is
    # ready for a first batch: its sample CSV passes the rows check as it is.
    from composer.scripts.approvals import approved_revision
    from composer.scripts.models import Script
    from composer.scripts.rows import check_rows, sample_csv
    scripts = {s.name: s for s in Script.objects.filter(project__name="demo")}
    assert set(scripts) == {"Welcome aboard", "Spring launch", "Customer welcome (template)"}
    assert {s.head.author.username for s in scripts.values()} == {"alice"}
    assert scripts["Welcome aboard"].approval_requests.get().state == "PENDING"
    assert not scripts["Spring launch"].approval_requests.exists()
    template = scripts["Customer welcome (template)"]
    approval = template.approval_requests.get()
    assert (approval.state, approval.requested_by.username, approval.decided_by.username) == \
        ("APPROVED", "alice", "bob")
    assert approved_revision(template) == template.head and template.head.number == 1
    composition = template.head.composition
    assert [v["name"] for v in composition["template"]["variables"]] == ["first_name", "company"]
    assert composition["template"]["output_name"] == "Welcome {{first_name}}"
    assert composition["video_config"]["width"] > composition["video_config"]["height"]
    sample = sample_csv(template)
    assert sample.splitlines() == ["first_name,company", "Ann,Acme"]
    checked = check_rows(template, {"csv": sample})
    assert (checked["count"], checked["accepted"]) == (1, 1)
    assert checked["rows"][0]["output_name"] == "Welcome Ann"
    key = json.loads(run("accesskey", "--username", "demo", "--project", "demo"))
    assert set(key) == {"project_id", "ak", "sk"} and len(key["project_id"]) == 32
    token = json.loads(run("authtoken", "--username", "demo"))
    assert token["token"].startswith("cmp_")
    with pytest.raises(CommandError, match="--username"):
        run("authtoken", "--username", "nobody")
