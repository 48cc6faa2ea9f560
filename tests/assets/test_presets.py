"""Built-in presets read like uploaded assets where callers look, and cannot be changed through that shape."""
from __future__ import annotations

import dataclasses

import pytest

from composer.assets.models import Asset, AssetState
from composer.assets.presets import builtin_asset, builtin_presets
from composer.render.presets import BUILTIN_PRESETS


def test_every_preset_of_the_engine_is_listed_once_as_an_active_library_item():
    presets = builtin_presets()
    assert [p.id for p in presets] == [entry["asset_id"] for entry in BUILTIN_PRESETS]
    for preset in presets:
        assert preset.state == AssetState.ACTIVED and preset.is_preset and preset.pk == preset.id
        assert builtin_asset(preset.id) is preset
        if preset.local_path is not None:
            assert preset.local_path.exists(), preset.id
    assert builtin_asset("no-such-preset") is None


def test_a_preset_answers_the_attributes_an_asset_answers():
    avatar = builtin_asset("avatar-maya")
    for name in ("id", "pk", "asset_type", "name", "state", "meta", "local_path", "cover_path", "is_preset"):
        assert hasattr(Asset(), name), name
        assert hasattr(avatar, name), name
    assert Asset().is_preset is False and Asset().local_path is None and Asset().cover_path is None
    assert avatar.asset_type == "HUMAN_MODEL_2D" and avatar.orientation in ("landscape", "portrait")
    assert avatar.meta["layout_width"] > 0 and avatar.meta["orientation"] == avatar.orientation


def test_a_preset_is_read_only():
    avatar = builtin_asset("avatar-maya")
    with pytest.raises(dataclasses.FrozenInstanceError):
        avatar.name = "Renamed"
    with pytest.raises(TypeError):
        avatar.meta["layout_width"] = 1
