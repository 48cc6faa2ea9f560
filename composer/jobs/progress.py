"""Progress of a job: written to the job row and pushed to the job's and the project's channel groups."""
from __future__ import annotations

import base64
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from composer.jobs.models import VideoJob
from composer.jobs.payloads import job_payload

log = logging.getLogger(__name__)


def job_group(job_id) -> str:
    return f"job.{job_id}"


def project_group(project_id: str) -> str:
    return f"project.{project_id}.jobs"


def publish_job(job: VideoJob, *, preview_jpeg: bytes | None = None) -> None:
    """Send the job's current payload (and an optional small preview frame) to everyone watching it."""
    layer = get_channel_layer()
    if layer is None:
        return
    message = {"type": "job.update", "job": job_payload(job)}
    try:
        async_to_sync(layer.group_send)(project_group(job.project_id), message)
        if preview_jpeg:
            message = {**message, "preview": "data:image/jpeg;base64," + base64.b64encode(preview_jpeg).decode()}
        async_to_sync(layer.group_send)(job_group(job.id), message)
    except Exception:  # a broken live channel must never fail a render
        log.warning("could not publish progress of job %s", job.id, exc_info=True)
