"""Layer types are declared once (composer.spec.layers.LAYER_TYPES): the spec's choices, its JSON schema, the
editor's palette and the renderer's drawers all follow it, so a new type cannot be half added."""
from __future__ import annotations

from composer.assets.models import AssetType
from composer.render.layers import DRAWERS
from composer.spec import composition_json_schema
from composer.spec.layers import LAYER_TYPE_NAMES, LAYER_TYPES, layer_types_for_editor
from composer.spec.tables import LAYER_CONFIG


def _layer_type_enums(node) -> list[list[str]]:
    found = []
    if isinstance(node, dict):
        if isinstance(node.get("properties"), dict) and "layer_type" in node["properties"]:
            found.append(node["properties"]["layer_type"]["enum"])
        for value in node.values():
            found += _layer_type_enums(value)
    elif isinstance(node, list):
        for value in node:
            found += _layer_type_enums(value)
    return found


def test_every_layer_type_has_a_drawer_and_the_renderer_draws_no_other():
    assert set(DRAWERS) == set(LAYER_TYPES)


def test_every_layer_type_is_a_choice_of_the_spec_and_its_schema():
    assert LAYER_TYPE_NAMES == tuple(LAYER_TYPES)
    assert tuple(LAYER_CONFIG.fields["layer_type"].choices) == LAYER_TYPE_NAMES
    enums = _layer_type_enums(composition_json_schema())
    assert enums and all(sorted(enum) == sorted(LAYER_TYPE_NAMES) for enum in enums)


def test_every_layer_type_names_fields_and_assets_the_spec_has():
    for kind in LAYER_TYPES.values():
        assert kind.config_key is None or kind.config_key in LAYER_CONFIG.fields, kind.name
        assert kind.asset_type is None or kind.asset_type in AssetType.values, kind.name
        assert set(kind.default_box) == {"landscape", "portrait"}, kind.name


def test_the_editor_palette_offers_exactly_the_registered_types():
    assert [entry["name"] for entry in layer_types_for_editor()] == list(LAYER_TYPE_NAMES)
