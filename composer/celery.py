"""The Celery app. Embedded default: memory transport, worker thread in the server process.

Django processes load it when the jobs app is ready (composer/jobs/apps.py), so every task sent from the web
process goes through this app and its broker; render workers start with `celery -A composer.celery worker`."""
from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "composer.settings")

app = Celery("composer")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["composer.jobs"])
