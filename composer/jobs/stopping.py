"""Stopping a process that renders: running scenes are handed back within seconds, never left half-done.

A stop is requested once per process (SIGTERM to a `celery worker`, or the end of a web process with the embedded
worker). From then on every render asks `requested()` between frames (SceneObserver.should_cancel), stops, and its
scene goes back to WAITING for another worker (composer.jobs.engine.release_scene); a scene not yet claimed is
left waiting. The process then waits, at most RELEASE_SECONDS, until no render is left before it exits.
"""
from __future__ import annotations

import logging
import signal
import threading
from contextlib import contextmanager

log = logging.getLogger(__name__)

RELEASE_SECONDS = 8.0       # how long a stopping process waits for its renders to hand their scenes back
_requested = threading.Event()
_idle = threading.Condition()
_active = 0
_installed = False


def requested() -> bool:
    return _requested.is_set()


def request_stop() -> None:
    if not _requested.is_set():
        log.warning("stopping: %s render(s) in progress are handed back", _active)
    _requested.set()


@contextmanager
def rendering():
    """Counts a render in progress while the block runs (the stop waits for the count to reach zero)."""
    global _active
    with _idle:
        _active += 1
    try:
        yield
    finally:
        with _idle:
            _active -= 1
            _idle.notify_all()


def stop_and_wait(timeout: float = RELEASE_SECONDS) -> bool:
    """Request the stop and wait until no render is left (True) or `timeout` seconds passed (False)."""
    request_stop()
    with _idle:
        return _idle.wait_for(lambda: _active == 0, timeout)


def stop_renders_on_exit() -> None:
    """For a process with the embedded worker: stop its renders when it ends, however the server ends it.

    Daphne (`manage.py runserver`) and Django's reloader end the process normally on SIGTERM: the hook registered
    here runs before the interpreter joins the render threads (which would otherwise render on, to the end).
    Uvicorn (`python -m composer.serve`) re-raises SIGTERM once it has shut down, which ends the process at once:
    SIGTERM and SIGINT therefore first stop the renders here, then go on to the server's own handler."""
    global _installed
    if _installed:
        return
    _installed = True
    # Run before concurrent.futures' own exit hook (registered earlier, called later), which joins the threads.
    threading._register_atexit(stop_and_wait)
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in (signal.SIGTERM, signal.SIGINT):
        previous = signal.getsignal(signum)

        def handler(number, frame, previous=previous):
            stop_and_wait()
            if callable(previous):
                previous(number, frame)
            elif previous == signal.SIG_DFL:
                signal.signal(number, signal.SIG_DFL)
                signal.raise_signal(number)

        signal.signal(signum, handler)
