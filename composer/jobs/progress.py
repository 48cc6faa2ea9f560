"""Progress of a job: written to the job row and pushed to the job's and the project's channel groups.

The job's plan (its scenes' frames, known before any is rendered) and its time left also live here. The time
left is the frames still to render over a rate that starts from what this machine measured on earlier jobs of
the same output size and moves towards the rate of this job as it runs, so it does not swing with the first
frames (which follow speech synthesis and start up).
"""
from __future__ import annotations

import base64
import logging
import socket
import statistics
import threading
import time

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from composer.jobs.models import JobState, VideoJob
from composer.jobs.payloads import job_payload
from composer.scripts.length import scene_length
from composer.spec import ordered_scenes

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


# Without history: whole-job frames a second at 1920x1080 on a 2-core machine, speech and join included, kept
# below what `make bench` measures (about 39) so that the first estimate errs long, never short.
FALLBACK_FPS_1080P = 16.0
HISTORY_JOBS = 8
PRIOR_TTL_SECONDS = 60.0
PREVIEW_EVERY_SECONDS = 1.0
_priors: dict[tuple[int, int], tuple[float, float]] = {}
_previews: dict[object, float] = {}
_lock = threading.Lock()


def planned_scene_frames(project, spec: dict, index: int) -> int:
    """How many frames scene `index` (render order) will have, before it is rendered: the length the submit
    check measured (composer.scripts.length: speech with its pauses, audio, video layers, the tail)."""
    # The engine (PyAV, the voices) loads on first use, not with every web process.
    from composer.render.encode import FPS
    from composer.render.pace import MIN_SECONDS

    scene = ordered_scenes(spec)[index]["shoot_script"]
    try:
        seconds = scene_length(project, spec, scene).seconds
    except Exception:  # an estimate only: the render itself reports the real length
        log.debug("no length estimate for scene %s", index, exc_info=True)
        seconds = max(MIN_SECONDS, len(str((scene.get("text_config") or {}).get("text", "")).split()) / 2.5)
    return max(1, round(seconds * FPS))


def _output_size(spec: dict) -> tuple[int, int]:
    video = spec.get("video_config") or {}
    return int(video.get("width") or 1920), int(video.get("height") or 1080)


def _fresh_frames(job: VideoJob) -> int:
    return sum(scene.frames_total for scene in job.scenes.all() if not (scene.result or {}).get("reused"))


def prior_rate(spec: dict) -> float:
    """Whole-job frames a second this machine reached on its last finished jobs of the same output size (scenes
    reused from the cache left out); the slower half's median, so that it errs on the long side."""
    size = _output_size(spec)
    now = time.monotonic()
    with _lock:
        cached = _priors.get(size)
    if cached and now - cached[1] < PRIOR_TTL_SECONDS:
        return cached[0]
    host = f"{socket.gethostname()}:"
    rates = []
    recent = (VideoJob.objects.filter(state=JobState.SUCCEED, worker__startswith=host, frames_total__gt=0,
                                      start_time__isnull=False, end_time__isnull=False)
              .order_by("-end_time").prefetch_related("scenes")[:HISTORY_JOBS * 4])
    for job in recent:
        if _output_size(job.spec) != size:
            continue
        seconds = (job.end_time - job.start_time).total_seconds()
        fresh = _fresh_frames(job)
        if seconds > 0 and fresh:
            rates.append(fresh / seconds)
        if len(rates) >= HISTORY_JOBS:
            break
    if rates:
        rates.sort()
        rate = statistics.median(rates[:max(1, (len(rates) + 1) // 2)])
    else:
        rate = FALLBACK_FPS_1080P * min(4.0, (1920 * 1080 / max(1, size[0] * size[1])) ** 0.5)
    with _lock:
        _priors[size] = (rate, now)
    return rate


def estimate_eta(*, prior: float, elapsed: float, fresh_done: int, fresh_total: int) -> float:
    """Seconds left of a job that renders `fresh_total` frames (reused scenes left out), `fresh_done` of them in
    `elapsed` seconds. At first the prior's whole-job time counts down; this job's own rate takes over as its
    frames get done (weighted by the square of the share done, since its first frames come after the speech)."""
    from_prior = max(1.0, fresh_total / max(prior, 1e-3) - max(0.0, elapsed))
    if fresh_done <= 0 or elapsed <= 0:
        return from_prior
    share = min(1.0, fresh_done / max(1, fresh_total))
    from_job = elapsed * max(0, fresh_total - fresh_done) / fresh_done
    return max(1.0, (1 - share ** 2) * from_prior + share ** 2 * from_job)


def take_preview_turn(job_id) -> bool:
    """At most one preview frame a second per job, whichever of its scenes' renders offers it."""
    now = time.monotonic()
    with _lock:
        if now - _previews.get(job_id, float("-inf")) < PREVIEW_EVERY_SECONDS:
            return False
        _previews[job_id] = now
        if len(_previews) > 256:
            for key in [k for k, at in _previews.items() if now - at > 60]:
                del _previews[key]
        return True
