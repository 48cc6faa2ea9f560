"""Content keys: one spelling of a JSON value, and the hash approvals already stored keeps its value."""
from __future__ import annotations

from datetime import date

from composer.lib.canonical import canonical_json, content_hash


def test_equal_content_has_one_spelling_whatever_the_key_order():
    assert canonical_json({"b": [1, {"d": 2, "c": "é"}], "a": None}) == '{"a":null,"b":[1,{"c":"é","d":2}]}'
    assert content_hash({"x": 1, "y": 2}) == content_hash({"y": 2, "x": 1})
    assert content_hash({"x": 1}) != content_hash({"x": 2})
    assert canonical_json([date(2025, 1, 31)]) == '["2025-01-31"]'


def test_a_composition_keeps_the_hash_its_approval_pinned():
    # Stored approvals compare against this exact value: the spelling must never change.
    composition = {"shoot_scripts": [{"sequence_no": 0, "shoot_script": {"text_config": {"text": "你好, Grüße"}}}]}
    assert content_hash(composition) == "709f2f635a2f572df77134d57bb473415303be32d9c7deaa2eabc4211058bf2c"
