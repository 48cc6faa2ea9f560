"""Approval services: what an approver sees changed (in words), asking again after a rejection, and renames."""
from __future__ import annotations

import base64

import pytest

from composer.errors import InvalidInput
from composer.scripts import approvals, services
from composer.scripts.diff import spoken_text
from composer.scripts.starters import starter_composition
from composer.teams.models import AuditEntry

pytestmark = pytest.mark.django_db


def two_scenes_with_logo_and_headline() -> dict:
    composition = starter_composition("landscape", "welcome")
    composition["background_music_config"] = {"music_asset_id": "music-bright-pulse", "volume": 100}
    first = composition["shoot_scripts"][0]["shoot_script"]
    first["text_config"]["text"] = ('<speak>Welcome aboard!<break time="500ms"/><insert-action name="wave"/>'
                                     ' We are glad you are here.</speak>')
    first["layer_config"] = [
        {"layer_type": "IMAGE", "asset_id": "bg-night-gradient-landscape", "position": {"dx": 40, "dy": 40, "layer_index": 2},
         "size": {"width": 300, "height": 120}},
        {"layer_type": "TEXT", "position": {"dx": 120, "dy": 800, "layer_index": 3}, "size": {"width": 900, "height": 120},
         "text_config": {"text_context": base64.b64encode(b"Spring sale").decode(), "font_size": 48}},
    ]
    return composition


def new_script(project, user, composition=None):
    return services.create_script(project, {"script_name": "Welcome", **(composition or two_scenes_with_logo_and_headline())},
                                  user=user)


def save(script, user, text: str):
    composition = dict(script.head.composition)
    scenes = [dict(item) for item in composition["shoot_scripts"]]
    scenes[1] = {**scenes[1], "shoot_script": {**scenes[1]["shoot_script"], "text_config": {"text": text}}}
    return services.save_script(script, {"shoot_scripts": scenes}, user=user)


def lines(changes) -> dict:
    return {(c["group"], c["what"]): c for c in changes}


def test_it_says_script_text_as_spoken():
    assert spoken_text('<speak>Hi<break time="500ms"/><insert-action name="wave"/> there.</speak>') == \
        "Hi (pause 0.5 s) (wave) there."
    assert spoken_text("Plain text, as typed.") == "Plain text, as typed."
    assert spoken_text('<speak>Our <sub alias="World Wide Web">WWW</sub> site</speak>') == "Our World Wide Web site"


def test_a_never_approved_script_shows_everything_as_new_in_words(project, alice):
    script = new_script(project, alice)
    save(script, alice, "An autosave after the first revision.")          # revision 2: the autosave is no base
    request = approvals.request_approval(script, {}, user=alice)
    changes = approvals.approval_changes(request)
    assert changes["compare_to"] is None
    assert {c["kind"] for c in changes["changes"]} == {"added"}
    found = lines(changes["changes"])
    assert found["Video, presenter and voice", "Background music"]["after"] == "Bright pulse, volume 100"
    assert found["Video, presenter and voice", "Presenter"]["after"] == "Maya"
    assert found["Video, presenter and voice", "Voice"]["after"].startswith("SLT (English, US, female, HTS), speed 100")
    assert found["Video, presenter and voice", "Video"]["after"].startswith("1920 × 1080 (landscape), MP4 (H.264)")
    assert found["Scene 1", "Script text"]["after"] == \
        "Welcome aboard! (pause 0.5 s) (wave) We are glad you are here."
    assert found["Scene 1", "Background"]["after"] == "Picture “Warm office (landscape)”"
    assert found["Scene 1", "Layer 1"]["after"].startswith("Image “Night gradient (landscape)”, at x 40, y 40, 300 × 120 px")
    assert found["Scene 1", "Layer 2"]["after"].startswith("Text “Spring sale”, font size 48")
    assert found["Scene 2", "Script text"]["after"] == "An autosave after the first revision."
    assert ("Scene 2", "Background") in found
    for change in changes["changes"]:
        assert "{" not in change["after"] and "<" not in change["after"], change


def test_an_approved_script_is_compared_with_its_last_approved_revision(project, alice, bob):
    script = new_script(project, alice)
    first = approvals.request_approval(script, {}, user=alice)
    approvals.approve(script, {"revision": first.revision.number}, user=bob)
    save(script, alice, "Second take.")
    save(script, alice, "Third take, the one to approve.")
    request = approvals.request_approval(script, {}, user=alice)
    changes = approvals.approval_changes(request)
    assert changes["compare_to"] == 1
    assert [(c["group"], c["what"], c["kind"]) for c in changes["changes"]] == [("Scene 2", "Script text", "changed")]
    assert changes["changes"][0]["after"] == "Third take, the one to approve."
    # The API's diff between two revisions carries the same words.
    diff = services.diff_revisions(script, 2, 3)
    assert diff["readable"][0]["before"] == "Second take." and diff["changes"]


def test_a_rejected_version_is_asked_for_again_only_with_a_note_or_a_change(project, alice, bob):
    script = new_script(project, alice)
    approvals.request_approval(script, {}, user=alice)
    approvals.reject(script, {"comment": "The logo is too small"}, user=bob)
    with pytest.raises(InvalidInput) as refused:
        approvals.request_approval(script, {}, user=alice)
    message = refused.value.error_msg
    assert message.startswith("note: this exact version was rejected by bob (“The logo is too small”)")
    assert "add a note to the approver" in message
    assert script.approval_requests.count() == 1

    answered = approvals.request_approval(script, {"note": "The logo is the brand's minimum size"}, user=alice)
    assert answered.note == "The logo is the brand's minimum size" and answered.state == "PENDING"
    approvals.reject(script, {"comment": "Still no"}, user=bob)

    save(script, alice, "A changed second scene.")                   # a new revision needs no note
    changed = approvals.request_approval(script, {}, user=alice)
    assert changed.state == "PENDING" and changed.note == ""
    with pytest.raises(InvalidInput, match="note: a note to the approver must be text of at most 1000"):
        approvals.request_approval(script, {"note": "x" * 1001}, user=alice)


def test_renames_write_audit_rows(project, alice):
    script = new_script(project, alice)
    services.save_script(script, {"script_name": "Welcome, final"}, user=alice)
    row = AuditEntry.objects.filter(action="script.rename").get()
    assert row.detail == {"name": ["Welcome", "Welcome, final"]} and row.object_id == script.id
    services.save_script(script, {"script_name": "Welcome, final"}, user=alice)   # the same name is no rename
    assert AuditEntry.objects.filter(action="script.rename").count() == 1
