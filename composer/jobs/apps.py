from __future__ import annotations

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "composer.jobs"
    label = "jobs"

    def ready(self) -> None:
        from composer.jobs import services, worker  # noqa: F401  (connects the Celery worker signals)

        def enqueue(job) -> None:
            from composer.jobs.tasks import start_job

            start_job.delay(str(job.id))

        services.on_job_accepted(enqueue)
