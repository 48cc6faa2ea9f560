"""Decoded rigs kept per process: a file decoded once, a changed file decoded again, bounded, one decode at a time."""
from __future__ import annotations

import os
import shutil
import threading

import pytest

from composer.render.avatar import BUILTIN_RIGS, RigError
from composer.render.avatar import cache as cache_module
from composer.render.avatar.cache import RigCache, rig_bytes
from tests.support.rigs import minimal_meta, write_rig


def tiny_rig(path, name: str):
    meta = minimal_meta()
    meta["name"] = name
    return write_rig(path, meta)


def test_a_file_is_decoded_once_and_a_renamed_file_is_still_the_same_rig(tmp_path):
    cache = RigCache()
    path = tiny_rig(tmp_path / "a.zip", "Ada")
    first = cache.get(path)
    assert cache.get(path) is first and cache.stats()["misses"] == 1
    # An upload is checked in staging, then moved into the library: the decode made by the check is kept.
    moved = tmp_path / "library" / "a.zip"
    moved.parent.mkdir()
    os.replace(path, moved)
    assert cache.get(moved) is first and cache.stats()["misses"] == 1


def test_a_rig_rewritten_in_place_is_decoded_again(tmp_path):
    cache = RigCache()
    path = tiny_rig(tmp_path / "rig.zip", "Before")
    assert cache.get(path).name == "Before"
    edited = tiny_rig(tmp_path / "edited.zip", "After, with a longer name")
    shutil.copyfile(edited, path)            # the same file (same inode), new bytes
    assert cache.get(path).name == "After, with a longer name"
    assert path in cache


def test_the_cache_is_bounded_in_bytes_and_drops_the_least_recently_used(tmp_path):
    one = rig_bytes(RigCache().get(tiny_rig(tmp_path / "probe.zip", "Probe")))
    cache = RigCache(max_bytes=2 * one)
    a, b, c = (tiny_rig(tmp_path / f"{n}.zip", n) for n in "abc")
    cache.get(a)
    cache.get(b)
    cache.get(a)                              # a is now the most recently used
    cache.get(c)
    assert a in cache and c in cache and b not in cache
    assert cache.stats()["bytes"] <= 2 * one
    cache.resize(one)
    assert c in cache and a not in cache


def test_a_rig_larger_than_the_whole_cache_is_served_but_not_kept(tmp_path):
    cache = RigCache(max_bytes=10)
    path = tiny_rig(tmp_path / "a.zip", "Ada")
    assert cache.get(path).name == "Ada"
    assert path not in cache and cache.stats()["bytes"] == 0


def test_a_broken_rig_is_refused_every_time_and_never_kept(tmp_path):
    cache = RigCache()
    path = tmp_path / "broken.zip"
    path.write_bytes(b"not a zip")
    for _ in range(2):
        with pytest.raises(RigError):
            cache.get(path)
    assert path not in cache and cache.stats()["rigs"] == 0


def test_threads_asking_for_the_same_rig_at_once_share_one_decode(tmp_path):
    cache = RigCache()
    path = shutil.copyfile(BUILTIN_RIGS[0]["path"], tmp_path / "maya.zip")   # a real rig: about a second
    start = threading.Barrier(4)
    got = []

    def ask():
        start.wait()
        got.append(cache.get(path))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(got) == 4 and all(rig is got[0] for rig in got)
    assert cache.stats()["misses"] == 1 and cache.stats()["hits"] == 0


def test_a_request_never_waits_behind_the_low_priority_warm_up(tmp_path, monkeypatch):
    cache = RigCache()
    path = tiny_rig(tmp_path / "a.zip", "Ada")
    entered, release = threading.Event(), threading.Event()
    real = cache_module.load_rig

    def load(p):
        if threading.current_thread().name == "warm-up":      # the warm-up's decode is slow: starved of CPU
            entered.set()
            release.wait(60)
        return real(p)

    monkeypatch.setattr(cache_module, "load_rig", load)
    warm = threading.Thread(target=lambda: cache.get(path, background=True), name="warm-up")
    warm.start()
    assert entered.wait(30)
    rig = cache.get(path)                                     # answered while the warm-up is still stuck
    assert rig.name == "Ada" and path in cache and not release.is_set()
    release.set()
    warm.join(30)
    assert cache.get(path) is rig                             # the warm-up's late copy is not kept twice
    assert cache.stats()["rigs"] == 1 and cache.stats()["bytes"] == rig_bytes(rig)
