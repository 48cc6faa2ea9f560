"""How much of the machine a render worker takes: the rule (composer/capacity.py) and the settings it feeds."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import pytest

from composer.capacity import available_cpus, derive_capacity, idle_class, lower_priority


@pytest.mark.parametrize(("cpus", "workers", "renders", "encoders"), [
    (2, 1, 2, 1),     # this machine, one worker: two renders side by side, one encoder thread each
    (2, 2, 1, 1),     # two workers share it: one render each
    (8, 1, 8, 1),
    (8, 2, 4, 1),
    (8, 3, 2, 1),     # cores that do not divide evenly are left over rather than fought over
    (1, 1, 1, 1),
    (2, 4, 1, 1),     # more workers than cores: never below one render
])
def test_the_default_shares_the_cores_between_workers(cpus, workers, renders, encoders):
    capacity = derive_capacity(cpus, workers)
    assert (capacity.render_threads, capacity.encoder_threads) == (renders, encoders)


def test_fewer_renders_leave_their_cores_to_the_encoder_and_explicit_values_win():
    assert derive_capacity(8, 1, render_threads=2).encoder_threads == 4
    assert derive_capacity(8, 2, render_threads=1).encoder_threads == 4
    assert derive_capacity(8, 1, render_threads=3, encoder_threads=5) == derive_capacity(1, 1, render_threads=3,
                                                                                         encoder_threads=5)
    # A lone render (the command line, the benches) gets one encoder thread per core.
    assert derive_capacity(4, render_threads=1).encoder_threads == 4


def test_a_count_below_one_is_refused_by_name():
    with pytest.raises(ValueError, match="workers_per_host"):
        derive_capacity(2, 0)
    with pytest.raises(ValueError, match="encoder_threads"):
        derive_capacity(2, 1, encoder_threads=-1)


def test_available_cpus_follows_the_affinity(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 3, 5})
    assert available_cpus() == 3


def settings_in(env: dict[str, str], *names: str) -> subprocess.CompletedProcess:
    code = ("import json; from django.conf import settings; "
            f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}))")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("COMPOSER_")}
    environment.update({"DJANGO_SETTINGS_MODULE": "composer.settings", **env})
    # Pinned to two cores (as taskset would), whatever the machine has, so the expected figures hold anywhere.
    pin = "import os; os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[:2]); "
    return subprocess.run([sys.executable, "-c", pin + code], env=environment, capture_output=True, text=True)


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs two cores to pin the child to")
def test_settings_derive_from_the_cores_and_the_workers_per_host():
    names = ("COMPOSER_RENDER_THREADS", "COMPOSER_ENCODER_THREADS", "CELERY_WORKER_CONCURRENCY")
    one = json.loads(settings_in({}, *names).stdout)
    assert one == {"COMPOSER_RENDER_THREADS": 2, "COMPOSER_ENCODER_THREADS": 1, "CELERY_WORKER_CONCURRENCY": 2}
    two = json.loads(settings_in({"COMPOSER_WORKERS_PER_HOST": "2"}, *names).stdout)
    assert two == {"COMPOSER_RENDER_THREADS": 1, "COMPOSER_ENCODER_THREADS": 1, "CELERY_WORKER_CONCURRENCY": 1}
    chosen = json.loads(settings_in({"COMPOSER_RENDER_THREADS": "1"}, *names).stdout)
    assert chosen["COMPOSER_ENCODER_THREADS"] == 2
    older = json.loads(settings_in({"COMPOSER_WORKER_CONCURRENCY": "3"}, *names).stdout)
    assert older["COMPOSER_RENDER_THREADS"] == 3


def test_a_bad_count_in_the_environment_names_the_variable():
    refused = settings_in({"COMPOSER_ENCODER_THREADS": "0"}, "COMPOSER_ENCODER_THREADS")
    assert refused.returncode != 0
    assert "COMPOSER_ENCODER_THREADS: must be a whole number of 1 or more" in refused.stderr


def nice_of_this_thread() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def in_a_thread(work):
    """work() run in a new thread; its result (or its exception, raised here)."""
    result = {}

    def run():
        try:
            result["value"] = work()
        except BaseException as exc:  # handed back to the test's thread
            result["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


def test_a_lowered_thread_passes_its_priority_to_the_threads_and_processes_it_starts():
    before = nice_of_this_thread()

    def lowered():
        assert lower_priority(7) == 7
        child = in_a_thread(nice_of_this_thread)
        process = subprocess.run([sys.executable, "-c", "import os; print(os.nice(0))"], capture_output=True,
                                 text=True, check=True)
        return nice_of_this_thread(), child, int(process.stdout)

    assert in_a_thread(lowered) == (7, 7, 7)
    assert nice_of_this_thread() == before  # the caller's other threads keep theirs


def test_the_idle_class_is_the_threads_own_and_passes_to_what_it_starts():
    def policy() -> int:
        return os.sched_getscheduler(threading.get_native_id())

    def idle():
        assert idle_class() is True
        child = in_a_thread(policy)
        process = subprocess.run([sys.executable, "-c", "import os; print(os.sched_getscheduler(0))"],
                                 capture_output=True, text=True, check=True)
        return policy(), child, int(process.stdout)

    assert in_a_thread(idle) == (os.SCHED_IDLE, os.SCHED_IDLE, os.SCHED_IDLE)
    assert policy() == os.SCHED_OTHER  # the caller's other threads keep theirs


def test_zero_leaves_the_priority_and_a_lower_thread_stays_lower():
    assert in_a_thread(lambda: lower_priority(0)) == nice_of_this_thread()
    assert in_a_thread(lambda: (lower_priority(12), lower_priority(5))[1]) == 12
    with pytest.raises(ValueError, match="nice: must be 0 to 19"):
        lower_priority(20)


def test_the_render_nice_setting_is_read_strictly():
    assert json.loads(settings_in({}, "COMPOSER_RENDER_NICE").stdout) == {"COMPOSER_RENDER_NICE": 10}
    assert json.loads(settings_in({"COMPOSER_RENDER_NICE": "0"}, "COMPOSER_RENDER_NICE").stdout) == \
        {"COMPOSER_RENDER_NICE": 0}
    for bad, message in (("ten", "COMPOSER_RENDER_NICE='ten' is not a whole number"),
                         ("20", "COMPOSER_RENDER_NICE: must be a whole number from 0 (off) to 19 (got 20)"),
                         ("-1", "COMPOSER_RENDER_NICE: must be a whole number from 0 (off) to 19 (got -1)")):
        refused = settings_in({"COMPOSER_RENDER_NICE": bad}, "COMPOSER_RENDER_NICE")
        assert refused.returncode != 0 and message in refused.stderr
