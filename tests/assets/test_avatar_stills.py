"""An avatar's still (what the editor's canvas and presenter cards show) is drawn once per rig and kept on disk,
so a restarted server shows every presenter at once."""
from __future__ import annotations

from pathlib import Path

import pytest

from composer.assets import rigs
from composer.render.avatar import BUILTIN_RIGS


@pytest.fixture
def rig_path() -> Path:
    rigs._still.cache_clear()
    yield Path(BUILTIN_RIGS[0]["path"])
    rigs._still.cache_clear()


def test_a_still_is_drawn_once_and_read_from_disk_after_a_restart(rig_path, monkeypatch):
    drawn = []
    draw = rigs._draw_still
    monkeypatch.setattr(rigs, "_draw_still", lambda path: drawn.append(path) or draw(path))
    first = rigs.avatar_still(rig_path)
    assert first.startswith(b"\x89PNG") and drawn == [str(rig_path)]
    rigs._still.cache_clear()             # what a new process starts with
    assert rigs.avatar_still(rig_path) == first
    assert drawn == [str(rig_path)], "the still was drawn again instead of read from the file cache"


def test_a_changed_rig_gets_a_new_still(rig_path, tmp_path, monkeypatch):
    copy = tmp_path / rig_path.name
    copy.write_bytes(rig_path.read_bytes())
    drawn = []
    draw = rigs._draw_still
    monkeypatch.setattr(rigs, "_draw_still", lambda path: drawn.append(path) or draw(path))
    rigs.avatar_still(copy)
    copy.write_bytes(rig_path.read_bytes() + b"\0")
    rigs.avatar_still(copy)
    assert drawn == [str(copy), str(copy)]
