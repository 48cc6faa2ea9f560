"""One render per scene-cache key at a time (scene_cache.render_turn): a second renderer of the same scene waits
for the first and then finds its entry; waiting stops when told; a killed holder frees the key; no lock files are
left behind; and two workers that both miss the cache for the same scene render it once."""
from __future__ import annotations

import multiprocessing
import os
import signal
import threading

import pytest
from django.db import connection

from composer.jobs import engine, scene_cache
from composer.jobs.models import SceneRender, SceneState, VideoJob
from composer.spec import validate_create_body
from tests.support.jobs import small_body

KEY = "a" * 64


def never() -> bool:
    raise AssertionError("should_stop was asked, but nothing else held the turn")


def keep_scene(tmp_path, key: str) -> None:
    rendered = tmp_path / "rendered"
    rendered.mkdir()
    (rendered / "segment.mp4").write_bytes(b"segment")
    scene_cache.store(key, {"segment": str(rendered / "segment.mp4"), "frames": 3})


def test_a_second_renderer_waits_for_the_first_and_then_finds_its_entry(tmp_path):
    events: list[str] = []
    holding, second_waits = threading.Event(), threading.Event()
    found: list[dict | None] = []

    def first() -> None:
        with scene_cache.render_turn(KEY, never) as ours:
            assert ours
            events.append("first renders")
            holding.set()
            assert second_waits.wait(10)
            keep_scene(tmp_path, KEY)
            events.append("first stored")

    def waiting() -> bool:
        second_waits.set()
        return False

    def second() -> None:
        assert holding.wait(10)
        with scene_cache.render_turn(KEY, waiting) as ours:
            assert ours
            events.append("second's turn")
            (tmp_path / "second").mkdir()
            found.append(scene_cache.fetch(KEY, tmp_path / "second"))

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert events == ["first renders", "first stored", "second's turn"]
    assert found[0]["reused"] is True and found[0]["frames"] == 3
    assert (tmp_path / "second" / "segment.mp4").read_bytes() == b"segment"
    assert list((scene_cache.cache_root() / ".locks").iterdir()) == []


def test_waiting_ends_when_should_stop_says_so_and_the_holder_keeps_its_turn():
    asked = []
    with scene_cache.render_turn(KEY, never) as ours:
        assert ours
        with scene_cache.render_turn(KEY, lambda: asked.append(1) or True) as other:
            assert other is False
        assert asked == [1]
        # Still held: another would wait too.
        with scene_cache.render_turn(KEY, lambda: True) as third:
            assert third is False
    with scene_cache.render_turn(KEY, never) as after:
        assert after


def test_different_keys_do_not_wait_for_each_other():
    with scene_cache.render_turn(KEY, never) as one, scene_cache.render_turn("b" * 64, never) as two:
        assert one and two


def test_a_scene_never_cached_renders_at_once_without_a_lock():
    with scene_cache.render_turn(None, never) as ours:
        assert ours
    assert not (scene_cache.cache_root() / ".locks").exists()


def _hold_forever(ready) -> None:
    with scene_cache.render_turn(KEY, never):
        ready.set()
        signal.pause()


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_a_holder_killed_by_sigkill_frees_the_turn():
    context = multiprocessing.get_context("fork")
    ready = context.Event()
    holder = context.Process(target=_hold_forever, args=(ready,))
    holder.start()
    try:
        assert ready.wait(20)
        with scene_cache.render_turn(KEY, lambda: True) as ours:
            assert ours is False           # held by the other process
        os.kill(holder.pid, signal.SIGKILL)
        holder.join(10)
        # Its lock file is still there (it never cleaned up), but the kernel let go of its lock.
        assert (scene_cache.cache_root() / ".locks" / KEY).exists()
        with scene_cache.render_turn(KEY, never) as ours:
            assert ours
    finally:
        if holder.is_alive():
            holder.kill()
            holder.join(10)


@pytest.mark.django_db(transaction=True)
def test_two_renders_of_one_scene_that_both_missed_the_cache_render_it_once(alice, project, monkeypatch):
    spec = validate_create_body(small_body("Both jobs open with this scene."))
    jobs = [engine.claim_job(VideoJob.objects.create(project=project, created_by=alice, spec=spec).pk)
            for _ in range(2)]
    monkeypatch.setattr(engine, "maybe_join", lambda job_id, token: False)
    # Both look in the cache before either has rendered: the race of two workers starting the same scene at once.
    both_looked = threading.Barrier(2, timeout=60)
    looked: set[int] = set()
    fetch = scene_cache.fetch

    def first_look_together(key, directory):
        found = fetch(key, directory)
        if threading.get_ident() not in looked:
            looked.add(threading.get_ident())
            both_looked.wait()
        return found

    monkeypatch.setattr(scene_cache, "fetch", first_look_together)

    def render(job) -> None:
        try:
            engine.render_scene(job.pk, 0, job.claim_token)
        finally:
            connection.close()

    threads = [threading.Thread(target=render, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(180)
    scenes = SceneRender.objects.filter(job__in=jobs)
    assert [scene.state for scene in scenes] == [SceneState.DONE, SceneState.DONE]
    assert sorted(bool(scene.result.get("reused")) for scene in scenes) == [False, True]
    assert len({scene.result["frames"] for scene in scenes}) == 1
