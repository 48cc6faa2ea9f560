"""Finding scripts by name or script text, and organising them with tags (services)."""
from __future__ import annotations

import pytest

from composer.errors import InvalidInput
from composer.scripts import services
from composer.scripts.payloads import script_base_payload, script_payload
from composer.tagging import MAX_TAG_LENGTH, MAX_TAGS, clean_tags
from tests.support.factories import create_composition

pytestmark = pytest.mark.django_db


def make(project, user, name, text="Hello.", **extra):
    return services.create_script(project, {"script_name": name, **create_composition(text), **extra}, user=user)


def names(qs):
    return sorted(s.name for s in qs)


def test_it_finds_a_script_by_a_word_of_its_script_text(project, alice):
    make(project, alice, "Spring teaser", "Our sunflower seeds are back this spring.")
    make(project, alice, "Winter promo", "Warm socks for cold days.")
    assert names(services.list_scripts(project, text="SUNFLOWER")) == ["Spring teaser"]
    assert names(services.list_scripts(project, text="promo")) == ["Winter promo"]
    assert names(services.list_scripts(project, text="nothing like this")) == []


def test_a_save_updates_what_the_text_search_finds(project, alice):
    script = make(project, alice, "Teaser", "Old words.")
    composition = create_composition("Brand new tagline.")
    services.save_script(script, {"shoot_scripts": composition["shoot_scripts"]}, user=alice)
    assert names(services.list_scripts(project, text="tagline")) == ["Teaser"]
    assert names(services.list_scripts(project, text="old words")) == []


def test_the_search_stays_in_the_project(project, other_project, alice, charlie):
    make(project, alice, "Ours", "secret launch plan")
    make(other_project, charlie, "Theirs", "secret launch plan")
    assert names(services.list_scripts(project, text="secret")) == ["Ours"]


def test_tags_are_kept_cleaned_and_filter_the_list(project, alice):
    script = make(project, alice, "A", tags=["Spring sale", " spring   SALE ", "Social"])
    make(project, alice, "B", tags=["Internal"])
    make(project, alice, "C")
    assert script_base_payload(script)["tags"] == ["Spring sale", "Social"]
    assert names(services.list_scripts(project, tag="spring sale")) == ["A"]
    assert names(services.list_scripts(project, tag="internal")) == ["B"]
    assert services.project_script_tags(project) == ["Internal", "Social", "Spring sale"]


def test_a_save_replaces_the_tags_and_a_copy_keeps_them(project, alice):
    script = make(project, alice, "A", tags=["One"])
    services.save_script(script, {"tags": ["Two", "Three"]}, user=alice)
    script = services.get_script(project, script.id)
    assert script_payload(script)["tags"] == ["Two", "Three"]
    assert script.head.number == 1
    copy = services.copy_script(script, user=alice)
    assert services.script_tags(copy) == ["Two", "Three"]
    services.save_script(script, {"tags": []}, user=alice)
    assert services.script_tags(script) == []


@pytest.mark.parametrize(("tags", "message"), [
    ("Spring", r"^tags: must be a list of texts"),
    ([1], r"^tags\[0\]: a tag must be text"),
    (["ok", "   "], r"^tags\[1\]: a tag cannot be empty"),
    (["x" * (MAX_TAG_LENGTH + 1)], rf"^tags\[0\]: a tag has at most {MAX_TAG_LENGTH} characters"),
    ([f"t{i}" for i in range(MAX_TAGS + 1)], rf"^tags: at most {MAX_TAGS} tags \(got {MAX_TAGS + 1}\)"),
])
def test_it_refuses_bad_tags_naming_the_rule_and_changes_nothing(project, alice, tags, message):
    script = make(project, alice, "A", tags=["Keep"])
    with pytest.raises(InvalidInput, match=message):
        services.save_script(script, {"tags": tags, "script_name": "Changed"}, user=alice)
    script.refresh_from_db()
    assert (script.name, services.script_tags(script)) == ("A", ["Keep"])
    with pytest.raises(InvalidInput, match=message):
        clean_tags(tags)


def test_it_finds_a_script_by_the_words_of_a_text_layer(project, alice):
    import base64

    composition = create_composition("Hello.")
    composition["shoot_scripts"][0]["shoot_script"]["layer_config"] = [{
        "layer_type": "TEXT", "position": {"dx": 100, "dy": 100, "layer_index": 2},
        "text_config": {"text_context": base64.b64encode(b"Sunflower weekend sale").decode()}}]
    services.create_script(project, {"script_name": "Headline", **composition}, user=alice)
    assert names(services.list_scripts(project, text="weekend SALE")) == ["Headline"]
