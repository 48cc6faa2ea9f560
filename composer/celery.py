"""The Celery app. Embedded default: memory transport, worker thread in the server process.

Django processes load it when the jobs app is ready (composer/jobs/apps.py), so every task sent from the web
process goes through this app and its broker; render workers start with `celery -A composer.celery worker`."""
from __future__ import annotations

import os

from celery import Celery
from celery.signals import worker_init

from composer.capacity import idle_class, lower_priority

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "composer.settings")

app = Celery("composer")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["composer.jobs"])


@worker_init.connect
def _renders_yield_to_requests(**kwargs) -> None:
    """A worker starts in the thread that will start its renders (`celery worker`'s main thread, before its pool
    forks or starts threads; the embedded worker's own thread): lowered now, every render inherits the priority."""
    from django.conf import settings

    lower_priority(settings.COMPOSER_RENDER_NICE)
    # `celery worker` processes only: the embedded worker shares its machine with the person using the studio (a
    # browser at normal priority may keep the cores busy, and an idle-class render would stall behind it).
    if settings.COMPOSER_RENDER_IDLE and not settings.COMPOSER_EMBEDDED_WORKER:
        idle_class()
