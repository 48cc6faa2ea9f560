"""JSON diffs of compositions and the word-list review (plain functions, no database)."""
from __future__ import annotations

import base64

from composer.scripts.diff import json_changes, unified_text
from composer.scripts.review import find_review_hits
from composer.scripts.services import canonical_hash
from tests.support.factories import create_body


def test_it_lists_changed_paths_with_before_and_after():
    before = create_body()
    after = create_body()
    after["shoot_scripts"][0]["shoot_script"]["text_config"]["text"] = "Goodbye."
    after["video_config"]["bitrate"] = 4000
    del after["output_asset_config"]
    after["shoot_scripts"].append({"sequence_no": 1, "shoot_script": {"script_type": "TEXT"}})
    changes = {c["path"]: (c["before"], c["after"]) for c in json_changes(before, after)}
    assert changes == {
        "output_asset_config": ({"asset_name": "API test video"}, None),
        "shoot_scripts[0].shoot_script.text_config.text": ("Hello.", "Goodbye."),
        "shoot_scripts[1]": (None, {"sequence_no": 1, "shoot_script": {"script_type": "TEXT"}}),
        "video_config.bitrate": (2000, 4000),
    }
    assert json_changes(before, before) == []


def test_it_renders_a_unified_text_diff():
    before, after = {"a": 1, "b": "x"}, {"a": 2, "b": "x"}
    text = unified_text(before, after, before_label="revision 1", after_label="revision 2")
    assert text.splitlines()[:2] == ["--- revision 1", "+++ revision 2"]
    assert '-  "a": 1,' in text and '+  "a": 2,' in text


def test_the_content_hash_ignores_key_order_only():
    assert canonical_hash({"a": 1, "b": [1, 2]}) == canonical_hash({"b": [1, 2], "a": 1})
    assert canonical_hash({"a": 1}) != canonical_hash({"a": 2})


def test_review_finds_words_in_text_ssml_aliases_and_text_layers():
    body = create_body()
    scene = body["shoot_scripts"][0]["shoot_script"]
    scene["text_config"]["text"] = '<speak>Our <sub alias="cheapest">best</sub> offer, classy.</speak>'
    scene["layer_config"] = [{"layer_type": "TEXT", "text_config": {
        "text_context": base64.b64encode("限时免费 Guaranteed".encode()).decode()}}]
    hits = find_review_hits(body, ["cheapest", "guaranteed", "免费", "class", "speak"])
    assert hits == [
        {"word": "cheapest", "path": "shoot_scripts[0].shoot_script.text_config.text"},
        {"word": "guaranteed", "path": "shoot_scripts[0].shoot_script.layer_config[0].text_config.text_context"},
        {"word": "免费", "path": "shoot_scripts[0].shoot_script.layer_config[0].text_config.text_context"},
    ]
    assert find_review_hits(body, []) == []
