"""Batches: a template's approved revision rendered once per row of values, each row an ordinary video job.

Every row is checked first (composer/scripts/rows.py); one refused row refuses the whole batch, naming every bad
row's column, variable and rule, and nothing is created. Cancel stops the rows' jobs not yet final; retry makes a
new job for each row whose job failed (the row's newest job is its job).

Fairness: a batch's jobs are created held, and only COMPOSER_BATCH_PARALLEL of them at a time are queued
(release_held, run once the batch commits and by every reaper pass). Another project's video submitted while a
large batch renders waits behind at most that many of the batch's jobs, in the embedded worker and in Celery
alike, since both take jobs from the queue in order."""
from __future__ import annotations

import logging
import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from composer.assets.services import spec_asset_checker
from composer.errors import InvalidInput, NotFound
from composer.jobs.models import FINAL_STATES, JobState, VideoBatch, VideoJob
from composer.jobs.progress import publish_job
from composer.jobs.services import (
    create_job,
    refuse_assets_metastudio_lacks,
    refuse_unreachable_urls,
)
from composer.jobs.tasks import start_job
from composer.scripts.approvals import approved_revision
from composer.scripts.length import check_lengths
from composer.scripts.models import Script
from composer.scripts.rows import check_rows, template_of
from composer.spec import SpecError, merge_script_into_body, validate_create_body
from composer.spec.variables import apply_values, row_values
from composer.teams.models import Project
from composer.teams.services import record_audit

log = logging.getLogger(__name__)


def _script(project: Project, data: dict) -> Script:
    script_id = data.get("script_id")
    if not isinstance(script_id, str) or not script_id:
        raise InvalidInput("script_id: is required (the template's video script id)")
    script = Script.objects.select_related("head").filter(project=project, pk=script_id).first()
    if script is None or script.head is None:
        raise InvalidInput(f"script_id: no video script {script_id} in this project")
    return script


def _refusal(results: list[dict]) -> InvalidInput:
    bad = [row for row in results if not row["ok"]]
    parts = []
    for row in bad:
        reasons = "; ".join(f"column {reason['column'] or '-'}, variable {reason['variable'] or '-'}, rule "
                            f"{reason['rule']}: {reason['message']}" for reason in row["reasons"])
        parts.append(f"row {row['row']}: {reasons}")
    return InvalidInput(f"rows: {len(bad)} of {len(results)} rows refused, nothing was created: " + " | ".join(parts))


def _row_spec(project: Project, composition: dict, template: dict, row: dict, checker) -> dict:
    filled = row_values(template, row["values"])
    body = {"output_asset_config": {"asset_name": row["output_name"]}} if row["output_name"] else {}
    spec = validate_create_body(merge_script_into_body(body, apply_values(composition, filled)),
                                asset_checker=checker)
    check_lengths(project, spec)
    refuse_unreachable_urls(spec)
    refuse_assets_metastudio_lacks(project, spec)
    return spec


def create_batch(project: Project, data: Any, upload: bytes | None = None, *, user) -> VideoBatch:
    """Check every row against the script's approved revision, then store the batch and one WAITING job per row
    in one transaction (queued once it commits). Refused rows refuse it all."""
    data = data if isinstance(data, dict) else {}
    script = _script(project, data)
    revision = approved_revision(script)
    if revision is None:
        raise InvalidInput(f"script_id: script {script.id} revision {script.head.number} is not approved; only an "
                           "approved revision may be rendered as a batch (submit it for approval first)")
    template = template_of(script)
    checked = check_rows(script, data, upload)
    if checked["refused"]:
        raise _refusal(checked["rows"])
    checker = spec_asset_checker(project)
    specs = []
    for row in checked["rows"]:
        try:
            specs.append(_row_spec(project, revision.composition, template, row, checker))
        except SpecError as exc:
            row["ok"] = False
            row["reasons"] = [{"column": None, "variable": None, "rule": "spec", "message": exc.error_msg}]
    if any(not row["ok"] for row in checked["rows"]):
        raise _refusal(checked["rows"])
    rows = [{"row": row["row"], "values": row_values(template, row["values"]), "output_name": row["output_name"]}
            for row in checked["rows"]]
    with transaction.atomic():
        batch = VideoBatch.objects.create(project=project, script_id=script.id, script_revision_id=revision.id,
                                          revision=revision.number, name=script.name, rows=rows, created_by=user)
        for index, spec in enumerate(specs):
            create_job(project, spec, user=user, script_id=script.id, script_revision_id=revision.id,
                       held=True, batch=batch, batch_row=index)
        record_audit(project, user, "batch.create", batch, script_id=script.id, revision=revision.number,
                     rows=len(rows))
        transaction.on_commit(lambda: _release_now(batch.pk))
    return batch


def _release_now(batch_id) -> None:
    """Queue a new batch's first jobs at once; when the queue refuses, the batch stands and the reaper queues them."""
    try:
        release_held(batch_id)
    except Exception:
        log.warning("could not queue the jobs of batch %s yet; the reaper will", batch_id, exc_info=True)


def release_held(batch_id: Any = None) -> int:
    """Queue held jobs of each batch (or of this one) while fewer than COMPOSER_BATCH_PARALLEL of its jobs are
    queued or rendering, rows in order; returns how many were queued. The batch row is locked while counting, so
    two reapers never both fill the same free place."""
    held = VideoJob.objects.filter(batch_held=True, state=JobState.WAITING)
    ids = [batch_id] if batch_id is not None else set(held.values_list("batch_id", flat=True))
    released = 0
    for key in ids:
        with transaction.atomic():
            if VideoBatch.objects.select_for_update().filter(pk=key).first() is None:
                continue
            busy = VideoJob.objects.filter(batch_id=key, batch_held=False).exclude(state__in=FINAL_STATES).count()
            free = max(0, settings.COMPOSER_BATCH_PARALLEL - busy)
            turn = list(held.filter(batch_id=key).order_by("batch_row", "create_time")
                        .values_list("pk", flat=True)[:free])
            # When it was queued: the reaper sends it again if no worker claims it (composer/jobs/reaper.py).
            VideoJob.objects.filter(pk__in=turn, batch_held=True).update(batch_held=False, heartbeat_at=timezone.now())
        for pk in turn:
            try:
                start_job.delay(str(pk))
            except Exception:
                # The queue refused (Redis is down): held again, the next reaper pass tries again.
                VideoJob.objects.filter(pk=pk, state=JobState.WAITING).update(batch_held=True)
                raise
        released += len(turn)
    return released


def get_batch(project: Project | str, batch_id: str) -> VideoBatch:
    """The project's batch with this id; other projects' batches are as unknown as missing ones."""
    try:
        key = uuid.UUID(str(batch_id))
    except ValueError:
        raise NotFound(f"batch_id: no video batch {batch_id} in this project") from None
    batch = VideoBatch.objects.filter(project=project, pk=key).first()
    if batch is None:
        raise NotFound(f"batch_id: no video batch {batch_id} in this project")
    return batch


def list_batches(project: Project | str):
    return VideoBatch.objects.filter(project=project).order_by("-created_at", "pk")


def row_jobs(batch: VideoBatch) -> dict[int, VideoJob]:
    """Each row's job: the newest one made for it."""
    jobs: dict[int, VideoJob] = {}
    for job in VideoJob.objects.filter(batch=batch).order_by("create_time", "pk"):
        jobs[job.batch_row] = job
    return jobs


def state_counts(batch: VideoBatch, jobs: dict[int, VideoJob] | None = None) -> dict[str, int]:
    """How many rows' jobs are in each state (every state named, zero when none)."""
    counts = {state: 0 for state in JobState.values}
    for job in (jobs if jobs is not None else row_jobs(batch)).values():
        counts[job.state] += 1
    return counts


def cancel_batch(batch: VideoBatch, *, user) -> int:
    """Cancel every job of the batch not yet final; returns how many. A running render stops within a second."""
    with transaction.atomic():
        open_jobs = VideoJob.objects.select_for_update().filter(batch=batch).exclude(state__in=FINAL_STATES)
        ids = list(open_jobs.values_list("pk", flat=True))
        VideoJob.objects.filter(pk__in=ids).update(
            state=JobState.CANCELED, cancel_requested=True, end_time=timezone.now(), eta_seconds=None,
            error_code="", error_msg="", lastupdate_time=timezone.now())
        record_audit(batch.project, user, "batch.cancel", batch, canceled=len(ids))
    # Pages following the project's jobs see each canceled row at once (a held job has no render to tell them).
    for job in VideoJob.objects.filter(pk__in=ids):
        publish_job(job)
    return len(ids)


def retry_batch(batch: VideoBatch, *, user) -> list[VideoJob]:
    """A new job for every row whose job failed, rendering the same spec; returns the new jobs."""
    failed = [job for job in row_jobs(batch).values() if job.state == JobState.FAILED]
    if not failed:
        raise InvalidInput(f"batch_id: batch {batch.id} has no failed rows to retry")
    for job in failed:          # the project may render on MetaStudio since: its assets are checked again
        try:
            refuse_assets_metastudio_lacks(batch.project, job.spec)
        except SpecError as exc:
            raise InvalidInput(f"rows: row {job.batch_row + 1}: {exc.error_msg}; nothing was retried") from exc
    with transaction.atomic():
        jobs = [create_job(batch.project, job.spec, user=user, script_id=job.script_id,
                           script_revision_id=job.script_revision_id, held=True, batch=batch,
                           batch_row=job.batch_row)
                for job in failed]
        record_audit(batch.project, user, "batch.retry", batch, rows=[job.batch_row for job in failed])
        transaction.on_commit(lambda: _release_now(batch.pk))
    return jobs


def batch_summary(batch: VideoBatch, counts: dict[str, int]) -> dict[str, Any]:
    return {"batch_id": str(batch.id), "script_id": batch.script_id, "revision": batch.revision,
            "name": batch.name, "count": len(batch.rows), "counts": counts,
            "created_by": batch.created_by.username if batch.created_by else None,
            "create_time": batch.created_at.strftime("%Y-%m-%dT%H:%M:%SZ")}


def batch_payload(batch: VideoBatch) -> dict[str, Any]:
    """The batch with its counts by state and every row's values, name, job id and state."""
    jobs = row_jobs(batch)
    body = batch_summary(batch, state_counts(batch, jobs))
    body["rows"] = [{"index": index, "row": row["row"], "values": row["values"], "output_name": row["output_name"],
                     "job_id": str(jobs[index].id) if index in jobs else None,
                     "state": jobs[index].state if index in jobs else None}
                    for index, row in enumerate(batch.rows)]
    return body
