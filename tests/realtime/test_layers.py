"""The embedded channel layer hands a send from another thread's loop to the loop its consumers receive on, and
never waits for ever on that loop."""
from __future__ import annotations

import asyncio
import threading

from asgiref.sync import async_to_sync

from composer.realtime import layers
from composer.realtime.layers import ThreadSafeInMemoryChannelLayer


def send_from_a_thread(layer, seconds: float) -> tuple[list, list]:
    """(what group_send returned, what it raised), sent from a thread of its own, after `seconds` at most."""
    done, failed = [], []

    def send():
        try:
            done.append(async_to_sync(layer.group_send)("jobs", {"type": "x"}))
        except Exception as exc:  # noqa: BLE001 - the test names it
            failed.append(exc)

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    sender.join(seconds)
    return done, failed


def test_a_send_does_not_wait_for_a_home_loop_that_stopped():
    """The loop of a server that stopped without closing it must not hold a render's progress publish (and with it
    the worker thread, and the process's exit) for ever."""
    layer = ThreadSafeInMemoryChannelLayer()
    layer._home_loop = asyncio.new_event_loop()          # stopped, not closed
    assert send_from_a_thread(layer, 10) == ([None], [])
    layer._home_loop.close()


def test_a_send_handed_to_a_loop_that_never_runs_it_gives_up(monkeypatch):
    monkeypatch.setattr(layers, "HANDOVER_SECONDS", 0.2)
    layer = ThreadSafeInMemoryChannelLayer()
    stuck = asyncio.new_event_loop()
    monkeypatch.setattr(stuck, "is_running", lambda: True)   # stops between the check and the handover
    layer._home_loop = stuck
    done, failed = send_from_a_thread(layer, 10)
    assert not done and len(failed) == 1 and isinstance(failed[0], TimeoutError)
    monkeypatch.undo()
    stuck.close()
