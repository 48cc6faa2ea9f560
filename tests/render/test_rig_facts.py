"""The presenters' facts ship beside their zips (composer/render/presets/avatars/facts.json), so the editor's first
page after a start reads them instead of decoding every rig; they must be what the rigs themselves say."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from composer.render import rigfacts
from composer.render.avatar import BUILTIN_RIGS, open_rig


def test_the_shipped_facts_are_those_of_every_built_in_rig():
    shipped = json.loads(rigfacts.SHIPPED.read_text())
    assert sorted(shipped) == sorted(Path(rig["path"]).name for rig in BUILTIN_RIGS)
    for rig in BUILTIN_RIGS:
        path = Path(rig["path"])
        entry = shipped[path.name]
        assert entry["sha256"] == rigfacts.file_digest(path), \
            f"{path.name} changed: run `python -m composer.render.rigfacts`"
        assert entry["facts"] == json.loads(json.dumps(rigfacts.facts_of(open_rig(path)))), path.name


def test_a_built_in_rig_is_not_decoded_for_its_facts(monkeypatch):
    rigfacts._facts.cache_clear()
    monkeypatch.setattr(rigfacts, "open_rig", lambda path: (_ for _ in ()).throw(AssertionError(f"decoded {path}")))
    for rig in BUILTIN_RIGS:
        assert rigfacts.rig_facts(Path(rig["path"]))["figure"]["canvas"]
    rigfacts._facts.cache_clear()


def test_a_zip_with_other_bytes_under_a_shipped_name_is_read_from_the_rig(tmp_path, monkeypatch):
    """A rebuilt or replaced presenter keeps its file name; its facts come from its own layers."""
    source = Path(BUILTIN_RIGS[0]["path"])
    copy = tmp_path / source.name
    shutil.copy(source, copy)
    with copy.open("ab") as handle:
        handle.write(b"\0")            # a zip tolerates trailing bytes; its digest no longer matches
    decoded = []
    monkeypatch.setattr(rigfacts, "open_rig", lambda path: decoded.append(path) or open_rig(path))
    rigfacts._facts.cache_clear()
    facts = rigfacts.rig_facts(copy)
    rigfacts._facts.cache_clear()
    assert decoded == [copy]
    assert facts["size"] == list(open_rig(source).size)
