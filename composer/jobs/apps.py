from __future__ import annotations

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "composer.jobs"
    label = "jobs"

    def ready(self) -> None:
        # Imported once the models are loaded, as Django wants: the Celery app (so tasks sent from this process
        # use its broker, not Celery's default) and the worker module (it connects the Celery worker signals).
        from composer import celery  # noqa: F401
        from composer.jobs import worker  # noqa: F401
