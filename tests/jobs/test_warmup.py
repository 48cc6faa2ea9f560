"""Warm-up of a serving process: every presenter's rig decoded in the background before anyone asks for it."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from composer.assets.models import Asset
from composer.jobs import warmup
from composer.render.avatar import BUILTIN_RIGS
from composer.render.avatar.cache import RIGS
from tests.support.rigs import minimal_meta, write_rig
from tests.support.uploads import upload

pytestmark = pytest.mark.django_db(transaction=True)


def uploaded_rig(client, project, tmp_path) -> Path:
    meta = minimal_meta()
    meta["name"] = "Uploaded"
    data = write_rig(tmp_path / "rig.zip", meta).read_bytes()
    response = upload(client, project, data, "rig.zip", "HUMAN_MODEL_2D")
    assert response.status_code == 200, response.content
    return Path(Asset.objects.get(pk=response.json()["asset_id"]).file.path)


@pytest.fixture
def fresh_process(monkeypatch):
    """As in a process that has just started: nothing decoded, no warm-up run yet."""
    RIGS.clear()
    monkeypatch.setattr(warmup, "_started_in", None)
    yield
    RIGS.clear()


def test_the_background_warm_up_decodes_the_cast_and_the_uploaded_rigs(alice_client, project, tmp_path,
                                                                        fresh_process):
    stored = uploaded_rig(alice_client, project, tmp_path)
    RIGS.clear()                                       # forget what the upload's checks decoded
    thread = warmup.start_warmup()
    assert thread is not None and thread.daemon
    assert warmup.start_warmup() is None               # once per process
    thread.join(timeout=600)
    assert warmup.done.is_set()
    assert all(Path(entry["path"]) in RIGS for entry in BUILTIN_RIGS)
    assert stored in RIGS
    assert RIGS.stats()["rigs"] == len(BUILTIN_RIGS) + 1


def test_a_rig_is_warm_right_after_its_upload(alice_client, project, tmp_path, fresh_process):
    stored = uploaded_rig(alice_client, project, tmp_path)
    assert stored in RIGS and RIGS.stats()["misses"] == 1   # decoded once, by the upload's checks


def test_the_warm_up_stops_before_the_cache_drops_what_it_warmed(tmp_path, settings, fresh_process):
    paths = [shutil.copyfile(BUILTIN_RIGS[i]["path"], tmp_path / f"{i}.zip") for i in range(3)]
    settings.COMPOSER_RIG_CACHE_MB = 10                # room for one or two presenters, not three
    warmup.configure_cache()
    try:
        report = warmup.warm_up(paths)
        # It stops once the cache is full instead of decoding every rig only to drop the earlier ones.
        assert 1 <= report["warmed"] < 3 and paths[2] not in RIGS
        assert RIGS.stats()["bytes"] <= 10 * 1024 * 1024
    finally:
        settings.COMPOSER_RIG_CACHE_MB = 256
        warmup.configure_cache()


def test_it_can_be_turned_off(settings, fresh_process):
    settings.COMPOSER_WARMUP = False
    assert warmup.start_warmup() is None


def test_the_engine_import_includes_the_sound_filters():
    """A worker's first render must not import SciPy beside its frames (the import holds the GIL for half a
    second): the warm-up's engine import loads them, as a new process shows."""
    code = ("import sys, django; django.setup(); from composer.jobs.warmup import import_engine; "
            "assert 'scipy.signal' not in sys.modules; import_engine(); "
            "print('scipy.signal' in sys.modules and 'scipy.ndimage' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parents[2], timeout=120,
                            env={**os.environ, "DJANGO_SETTINGS_MODULE": "composer.settings"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "True"


def test_a_process_that_renders_also_loads_the_neural_voice(fresh_process):
    """A render worker's first render must not wait for its voice's model before its first frame: the warm-up
    of a process that renders loads it; a web process that only serves pages does not hold it."""
    from composer.render.speech import engines

    engines.load_piper.cache_clear()
    try:
        assert warmup.warm_up([])["voices"] == 0
        assert engines.load_piper.cache_info().currsize == 0
        report = warmup.warm_up([], voices=True)
        assert report["voices"] == 1 and engines.load_piper.cache_info().currsize == 1
        misses = engines.load_piper.cache_info().misses
        engines.piper_utterance(*_joe_paths(), "Hello there.", length_scale_factor=1.0)
        assert engines.load_piper.cache_info().misses == misses     # the render's speech found it loaded
    finally:
        engines.load_piper.cache_clear()


def _joe_paths() -> tuple[Path, Path]:
    from composer.render.speech.voices import voice_ref_for

    ref = voice_ref_for("voice-en-us-joe")
    return ref.model_path, ref.config_path


def test_a_render_that_asks_for_the_voice_while_the_warm_up_loads_it_waits_for_that_load(monkeypatch):
    """A render that starts within the first second of a worker's life asks for the voice while the warm-up is
    still loading it: it must get the voice that load makes, not build a second one beside it."""
    import threading

    from composer.render.speech import engines

    builds = []
    prepared = engines.prepared_piper_model

    def counted(*args, **kwargs):
        builds.append(threading.get_ident())
        return prepared(*args, **kwargs)

    monkeypatch.setattr(engines, "prepared_piper_model", counted)
    engines.load_piper.cache_clear()
    try:
        model, config = (str(path) for path in _joe_paths())
        voices = []
        callers = [threading.Thread(target=lambda: voices.append(engines.load_piper(model, config))) for _ in range(3)]
        for caller in callers:
            caller.start()
        for caller in callers:
            caller.join(timeout=120)
        assert len(voices) == 3 and all(voice is voices[0] for voice in voices)
        assert len(builds) == 1, f"the voice was built {len(builds)} times"
    finally:
        engines.load_piper.cache_clear()
