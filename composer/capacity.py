"""How much of the machine one render worker takes: its concurrent renders and each render's encoder threads.

Plain functions without Django: settings derive their defaults from them, the render engine sizes a lone render's
encoder with them, and tests check the rule. One render keeps about one core busy composing frames while its
encoder runs beside it, so it cannot use a whole multi-core machine by itself; renders side by side can. The cores
are shared evenly between the worker processes started on the machine, and each worker runs one render per core
of its share, its encoder on the threads left of that share (one, unless fewer renders are set):

    cores per worker  = available cores // workers per host   (at least 1)
    render threads    = cores per worker                      (unless set)
    encoder threads   = cores per worker // render threads    (at least 1, unless set)

Renders also run at a lower CPU priority than the web server (`lower_priority`, COMPOSER_RENDER_NICE, and Linux's
idle scheduling class with COMPOSER_RENDER_IDLE), so that on a machine that serves and renders, requests get the
cores first and renders take what is left.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass


def available_cpus() -> int:
    """The cores this process may run on (its CPU affinity, as a container or taskset limits it)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Capacity:
    render_threads: int
    encoder_threads: int


def derive_capacity(cpus: int, workers_per_host: int = 1, *, render_threads: int | None = None,
                    encoder_threads: int | None = None) -> Capacity:
    """The rule above; an explicit `render_threads` or `encoder_threads` (e.g. from the environment) wins."""
    for name, value in (("cpus", cpus), ("workers_per_host", workers_per_host), ("render_threads", render_threads),
                        ("encoder_threads", encoder_threads)):
        if value is not None and value < 1:
            raise ValueError(f"{name}: must be 1 or more (got {value})")
    share = max(1, cpus // workers_per_host)
    renders = render_threads or share
    return Capacity(renders, encoder_threads or max(1, share // renders))


MAX_NICE = 19


def lower_priority(nice: int) -> int | None:
    """Run the calling thread at nice value `nice` (1 to 19; 0 leaves it as it is) and return the nice value it
    now has, or None where priorities cannot be set.

    Linux keeps a nice value per thread, and a thread or process inherits its creator's: a worker thread lowered
    here lowers the render threads it starts, their encoder threads (libav's own) and any process they run,
    while the process's other threads (a web server's request threads) keep theirs. A thread already lower
    stays as low; the value is never raised (which would need privileges)."""
    if not 0 <= nice <= MAX_NICE:
        raise ValueError(f"nice: must be 0 to {MAX_NICE} (got {nice})")
    try:
        thread = threading.get_native_id()
        current = os.getpriority(os.PRIO_PROCESS, thread)
        if nice > current:
            os.setpriority(os.PRIO_PROCESS, thread, nice)
        return os.getpriority(os.PRIO_PROCESS, thread)
    except (AttributeError, OSError):
        return None


def idle_class() -> bool:
    """Put the calling thread in Linux's SCHED_IDLE class: it runs only when no thread of the normal classes wants
    the core, however low their priority, so a request never waits behind a render's time slice (a nice value
    still gives renders a tenth of a contended core). Threads and processes it starts inherit the class. Returns
    whether the thread is now in it (False where the class does not exist)."""
    if not hasattr(os, "SCHED_IDLE"):
        return False
    try:
        thread = threading.get_native_id()
        os.sched_setscheduler(thread, os.SCHED_IDLE, os.sched_param(0))
        return os.sched_getscheduler(thread) == os.SCHED_IDLE
    except OSError:
        return False
