"""Job result callbacks: POST {"result", "asset_id", "job_id"}, MSS_A-signed as the spec says, with retries.

The delivery task lives here rather than in tasks.py: the engine schedules callbacks, and tasks.py imports the
engine."""
from __future__ import annotations

import hashlib
import hmac
import logging
import time

from celery import shared_task
from django.conf import settings

from composer.jobs.models import CallbackDelivery, JobState, VideoJob
from composer.lib import fetch

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6


def backoff_seconds(attempt: int) -> float:
    """Exponential backoff between attempts: base, 2x base, 4x base ..."""
    return settings.COMPOSER_CALLBACK_BACKOFF_SECONDS * (2 ** (attempt - 1))


def signed_callback_url(callback_url: str, key: str, now: float | None = None) -> str:
    """MSS_A: append secret=<hex HMAC-SHA256(key, callback_url + time_stamp)>&time_stamp=<hex unix time>."""
    time_stamp = format(int(now if now is not None else time.time()), "x")
    secret = hmac.new(key.encode(), (callback_url + time_stamp).encode(), hashlib.sha256).hexdigest()
    separator = "&" if "?" in callback_url else "?"
    return f"{callback_url}{separator}secret={secret}&time_stamp={time_stamp}"


def schedule_callback(job: VideoJob) -> None:
    """Queue the first delivery to the job's callback_url, if it has one and has finished."""
    if job.spec.get("callback_config") and job.state in (JobState.SUCCEED, JobState.FAILED):
        deliver_callback.delay(str(job.id), 1)


def deliver(job_id: str, attempt: int) -> float | None:
    """One delivery attempt, logged. Returns seconds until the next attempt, or None when done."""
    job = VideoJob.objects.get(pk=job_id)
    config = job.spec["callback_config"]
    url = config["callback_url"]
    if config.get("auth_type") == "MSS_A":
        url = signed_callback_url(url, config["key"])
    payload = {"result": job.state, "asset_id": job.output_asset_id or "", "job_id": str(job.id)}
    row = CallbackDelivery(job=job, attempt=attempt, url=config["callback_url"])
    try:
        response = fetch.post_json(url, payload)
        row.status_code = response.status_code
        row.delivered = 200 <= response.status_code < 300
        if not row.delivered:
            row.error = f"HTTP {response.status_code}"
    except fetch.FetchRefused as exc:
        row.error = f"refused: {exc}"
        row.save()
        log.warning("callback of job %s refused: %s", job_id, exc)
        return None
    except Exception as exc:
        row.error = f"{exc.__class__.__name__}: {exc}"
    row.save()
    if row.delivered:
        return None
    log.warning("callback of job %s attempt %s failed: %s", job_id, attempt, row.error)
    return backoff_seconds(attempt) if attempt < MAX_ATTEMPTS else None


@shared_task(name="composer.jobs.deliver_callback", bind=True, acks_late=True, max_retries=None)
def deliver_callback(self, job_id: str, attempt: int = 1) -> None:
    retry_in = deliver(job_id, attempt)
    if retry_in is not None:
        deliver_callback.apply_async((job_id, attempt + 1), countdown=retry_in)
