"""Where render work runs: an embedded Celery worker thread (default) or `celery worker` processes (scale-out)."""
from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading

from celery.concurrency.prefork import TaskPool
from celery.signals import (
    task_prerun,
    worker_process_init,
    worker_ready,
    worker_shutdown,
    worker_shutting_down,
)
from django.conf import settings

from composer.celery import app
from composer.jobs import stopping
from composer.jobs.reaper import ReaperThread, recover_at_startup
from composer.jobs.warmup import start_warmup

log = logging.getLogger(__name__)
_embedded_lock = threading.Lock()
_embedded_started = False
_reaper = None
_pool = None          # a scale-out worker's pool: its forked children, if any, are told to stop too
_pool_child = False   # this process is one of those children
_child_handler = False


def start_reaper() -> None:
    global _reaper
    if _reaper is None:
        _reaper = ReaperThread(interval=max(1.0, settings.COMPOSER_HEARTBEAT_SECONDS))
        _reaper.start()


def start_embedded_worker(*, recover: bool = True) -> bool:
    """Start a real Celery worker on the in-memory transport in a daemon thread of this process (once)."""
    global _embedded_started
    with _embedded_lock:
        if _embedded_started:
            return False
        _embedded_started = True
    def run() -> None:
        worker = app.Worker(pool="threads", concurrency=settings.COMPOSER_RENDER_THREADS,
                            without_heartbeat=True, without_mingle=True, without_gossip=True,
                            loglevel="WARNING", quiet=True)
        worker.start()

    threading.Thread(target=run, name="composer-embedded-worker", daemon=True).start()
    if recover:
        threading.Thread(target=_recover_later, args=(recover_at_startup,), daemon=True).start()
    start_reaper()
    log.info("embedded render worker started (%s render threads, %s encoder threads each)",
             settings.COMPOSER_RENDER_THREADS, settings.COMPOSER_ENCODER_THREADS)
    return True


def _recover_later(recover) -> None:
    from django.db import close_old_connections

    try:
        recover()
    except Exception:
        log.exception("start-up recovery failed")
    finally:
        close_old_connections()


def _renders_in_children(pool) -> bool:
    return isinstance(pool, TaskPool)


@worker_ready.connect
def _on_worker_ready(sender=None, **kwargs) -> None:
    global _pool
    _pool = getattr(sender, "pool", None)
    # Every scale-out worker process also watches for renders whose worker died.
    if not settings.COMPOSER_EMBEDDED_WORKER:
        start_reaper()
        log.info("render worker ready: %s renders at once, %s encoder threads each (%s worker(s) on this machine)",
                 settings.COMPOSER_RENDER_THREADS, settings.COMPOSER_ENCODER_THREADS,
                 settings.COMPOSER_WORKERS_PER_HOST)
        # Renders run in this process (threads pool) or in its forked children (prefork: they warm up themselves).
        if not _renders_in_children(_pool):
            start_warmup(renders=True)


@worker_process_init.connect
def _on_worker_process_init(**kwargs) -> None:
    global _pool_child
    _pool_child = True
    start_warmup(renders=True)


@task_prerun.connect
def _on_task_prerun(**kwargs) -> None:
    """A prefork child renders in its main thread: before its first task, a first SIGTERM (from its parent, below,
    or to the whole group) is made to stop its render; a second one ends the child as billiard's own handler
    does. (Installed here, not at process init, where billiard puts its handler after Celery's initializer.)"""
    global _child_handler
    if not _pool_child or _child_handler or threading.current_thread() is not threading.main_thread():
        return
    previous = signal.getsignal(signal.SIGTERM)

    def stop(*args) -> None:
        signal.signal(signal.SIGTERM, previous)
        stopping.request_stop()

    signal.signal(signal.SIGTERM, stop)
    _child_handler = True


@worker_shutting_down.connect
def _on_worker_shutting_down(**kwargs) -> None:
    """SIGTERM (Celery's warm shutdown): running renders stop and hand their scenes back, so the worker exits
    within seconds instead of after its renders end (composer/jobs/stopping.py)."""
    stopping.request_stop()
    if _renders_in_children(_pool):
        for process in list(getattr(getattr(_pool, "_pool", None), "_pool", None) or []):
            with contextlib.suppress(OSError):
                os.kill(process.pid, signal.SIGTERM)


@worker_shutdown.connect
def _on_worker_shutdown(**kwargs) -> None:
    if _reaper is not None:
        _reaper.stopped.set()
