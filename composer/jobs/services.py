"""Video job services: accept, cancel and query jobs. The API and the pages call these, nothing else."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from composer.assets.models import Asset, AssetSource
from composer.assets.presets import builtin_asset
from composer.assets.services import update_asset
from composer.errors import InvalidInput, NotFound
from composer.jobs.models import FINAL_STATES, JobState, Stage, VideoJob, VideoTag
from composer.jobs.tasks import start_job
from composer.lib.fetch import FetchRefused, check_url
from composer.lib.inputs import required_text
from composer.lib.outage import unavailable_service
from composer.scripts.approvals import prepare_job_body
from composer.scripts.length import check_lengths
from composer.scripts.models import Script
from composer.spec import SpecError, validate_create_body
from composer.spec.headers import check_app_user_id
from composer.spec.schema import urls_in
from composer.spec.tables import CREATE_BODY
from composer.tagging import clean_tags, tag_key
from composer.teams.models import AuditEntry, Membership, Project, RenderTarget
from composer.teams.permissions import can
from composer.teams.render_target import target_of
from composer.teams.services import record_audit


def enqueue_video_job(project: Project, body: Any, *, user, app_user_id: str = "", asset_checker=None,
                      membership: Membership | None = None) -> VideoJob:
    """Apply the approval rules (a script_id renders its approved revision), validate the body against the spec
    and store it as a WAITING job pinned to the script revision it renders, queued for the workers once the
    transaction commits. `membership`: the user's in the project, when the caller has it already."""
    app_user_id = check_app_user_id(app_user_id)
    body, script_id, script_revision_id = prepare_job_body(project, body, user=user, membership=membership)
    spec = validate_create_body(body, asset_checker=asset_checker)
    check_lengths(project, spec)
    refuse_unreachable_urls(spec)
    refuse_assets_metastudio_lacks(project, spec)
    with transaction.atomic():
        return create_job(project, spec, user=user, app_user_id=app_user_id, script_id=script_id,
                          script_revision_id=script_revision_id)


def create_job(project: Project, spec: dict, *, user, script_id: str = "", script_revision_id: str = "",
               app_user_id: str = "", held: bool = False, **extra: Any) -> VideoJob:
    """Store a validated spec as a WAITING job (inside the caller's transaction), queued for the workers once the
    transaction commits, unless `held` (a batch's job, queued by composer/jobs/batches.py when its turn comes).
    `extra`: more fields of the row (a batch's job names its batch and row)."""
    asset_name = (spec.get("output_asset_config") or {}).get("asset_name", "")
    # A project that renders on MetaStudio sends its jobs there (composer/jobs/remote.py), decided now.
    stage = Stage.REMOTE if target_of(project).kind == RenderTarget.METASTUDIO else Stage.QUEUED
    job = VideoJob.objects.create(project=project, created_by=user, app_user_id=app_user_id, spec=spec,
                                  script_id=script_id, script_revision_id=script_revision_id,
                                  asset_name=asset_name, stage=stage, batch_held=held, **extra)
    entry = record_audit(project, user, "job.create", job, asset_name=asset_name)
    if held:
        return job
    # Only a committed job may reach a worker: one that read the row before the commit would not find it.
    transaction.on_commit(lambda: _queue(job, entry))
    return job


def _queue(job: VideoJob, entry: AuditEntry) -> None:
    """Hand the committed job to the queue. When the queue refuses (Redis is down), the job and its audit entry
    are taken back, as a rollback would, and the error goes on (the client is answered 503 and retries): a job
    left behind would wait forever and the retry would make a second one."""
    try:
        start_job.delay(str(job.id))
    except Exception as exc:
        if unavailable_service(exc) is not None:
            with transaction.atomic():
                VideoJob.objects.filter(pk=job.pk, state=JobState.WAITING).delete()
                AuditEntry.objects.filter(pk=entry.pk).delete()
        raise


def refuse_unreachable_urls(spec: dict) -> None:
    """Every URL the job will fetch or call passes the fetcher's guard now, at submit, naming the field when not
    (the fetch and the callback delivery check again: an address may change between now and then)."""
    for path, url in urls_in(CREATE_BODY, spec):
        try:
            check_url(url, unresolvable_ok=True)
        except FetchRefused as exc:
            raise SpecError(path, f"cannot be used: {exc}") from exc


def _asset_ids_in(value: Any, path: str = ""):
    """Every (path, asset id) a body names, in any field whose name ends in `asset_id`."""
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else key
            if key.endswith("asset_id") and isinstance(item, str) and item:
                yield where, item
            else:
                yield from _asset_ids_in(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _asset_ids_in(item, f"{path}[{index}]")


def refuse_assets_metastudio_lacks(project: Project, spec: dict) -> None:
    """A job of a project that renders on MetaStudio may name only the avatars and voices imported from the
    account (sent as their remote ids): the project's own files and our built-in presets do not exist there, so
    a job naming one is refused now, naming the field and the asset, and nothing is sent."""
    if target_of(project).kind != RenderTarget.METASTUDIO:
        return
    named = list(_asset_ids_in(spec))
    if not named:
        return
    imported = set(Asset.objects.filter(project=project, source=AssetSource.METASTUDIO,
                                        pk__in=[asset_id for _, asset_id in named]).values_list("pk", flat=True))
    for path, asset_id in named:
        if asset_id in imported:
            continue
        preset = builtin_asset(asset_id)
        if preset is not None:
            raise SpecError(path, f"{asset_id!r} ({preset.name}) is one of Composer's built-in presets, which "
                                  "MetaStudio does not have; this project renders on MetaStudio: pick an avatar or "
                                  "voice imported from the account, or set the project's render target to local")
        name = Asset.objects.filter(project=project, pk=asset_id).values_list("name", flat=True).first() or "?"
        raise SpecError(path, f"{asset_id!r} ({name}) is a file of this project, which MetaStudio cannot render; "
                              "this project renders on MetaStudio: pick an avatar or voice imported from the "
                              "account, use a URL or a color instead of the file, or set the project's render "
                              "target to local")


def get_job(project: Project | str, job_id: str) -> VideoJob:
    """The project's (or project id's) job with this id; jobs of other projects are as unknown as missing ones."""
    try:
        key = uuid.UUID(str(job_id))
    except ValueError as exc:
        raise NotFound(f"job_id: no video job {job_id} in this project") from exc
    try:
        return VideoJob.objects.get(project=project, pk=key)  # get(), not first(): no ORDER BY to build
    except VideoJob.DoesNotExist:
        raise NotFound(f"job_id: no video job {job_id} in this project") from None


def video_names(project: Project, job_ids) -> dict[str, str]:
    """The names of the project's videos with these ids, by id as text."""
    keys = []
    for job_id in job_ids:
        try:
            keys.append(uuid.UUID(str(job_id)))
        except ValueError:
            continue
    return {str(pk): name or "Video" for pk, name in
            VideoJob.objects.filter(project=project, pk__in=keys).values_list("pk", "asset_name")}


def recent_jobs(project: Project | str, limit: int = 10) -> list[VideoJob]:
    """The project's latest videos, newest first."""
    return list(list_jobs(project, sort_dir="desc")[:limit])


def render_again_offer(job: VideoJob, membership) -> dict[str, Any] | None:
    """What "Render again" starts from, for a member who may start renders: the video's script (while it still
    exists; its rendered scenes are reused) with the old name and callback address. The callback's signing key
    is never given back. None when the video was made from a full body, its script is gone, or the member may
    not render."""
    if not job.script_id or not can(membership, "job.create"):
        return None
    script = Script.objects.filter(project_id=job.project_id, pk=job.script_id).first()
    if script is None:
        return None
    callback = (job.spec or {}).get("callback_config") or {}
    return {"script_id": script.id, "script_name": script.name, "asset_name": job.asset_name,
            "callback_url": callback.get("callback_url", ""), "auth_type": callback.get("auth_type", "NONE")}


def cancel_job(job: VideoJob, *, user) -> VideoJob:
    """Cancel a WAITING or PROCESSING job. A running render sees the flag and stops within a second."""
    with transaction.atomic():
        job = VideoJob.objects.select_for_update().get(pk=job.pk)
        if job.state in FINAL_STATES:
            raise InvalidInput(f"job_id: job {job.id} is already {job.state} and cannot be canceled")
        job.state = JobState.CANCELED
        job.cancel_requested = True
        job.end_time = timezone.now()
        job.eta_seconds = None
        job.error_code = ""
        job.error_msg = ""
        job.save()
        record_audit(job.project, user, "job.cancel", job)
    return job


MAX_VIDEO_NAME = 256


def rename_video(job: VideoJob, data: Any, *, user) -> VideoJob:
    """Rename a video: `output_asset_config.asset_name` (what the spec calls the video), or `asset_name`. The job
    and its output VIDEO asset carry the name, so lists, the video page and download file names all follow."""
    config = data.get("output_asset_config") if isinstance(data, dict) else None
    name = (config if isinstance(config, dict) else data if isinstance(data, dict) else {}).get("asset_name")
    field = "output_asset_config.asset_name" if isinstance(config, dict) else "asset_name"
    name = required_text(name, field, MAX_VIDEO_NAME, subject="the video's name")
    with transaction.atomic():
        job = VideoJob.objects.select_for_update().get(pk=job.pk)
        old = job.asset_name
        if name == old:
            return job
        job.asset_name = name
        job.save(update_fields=["asset_name", "lastupdate_time"])
        if job.output_asset_id:
            Asset.objects.filter(project=job.project, pk=job.output_asset_id).update(name=name)
        record_audit(job.project, user, "job.rename", job, name=[old, name])
    return job


@transaction.atomic
def update_output_asset(asset, data: Any, *, user):
    """Edit an asset (assets.services.update_asset) and keep the name of the video it is the output of in step,
    so the job's list and show bodies and its page follow a rename made in the asset library."""
    asset = update_asset(asset, data, user=user)
    VideoJob.objects.filter(project=asset.project, output_asset_id=asset.id).exclude(asset_name=asset.name) \
        .update(asset_name=asset.name)
    return asset


SORT_KEYS = {"create_time": "create_time", "update_time": "lastupdate_time"}


def list_jobs(project: Project | str, *, states: list[str] | None = None, sort_key: str = "create_time",
              sort_dir: str = "asc", create_since: datetime | None = None, create_until: datetime | None = None,
              job_ids: list[str] | None = None, script_id: str | None = None,
              asset_name: str | None = None, tag: str | None = None) -> Any:
    """The project's jobs filtered and ordered as the list API describes (`tag`: our addition)."""
    qs = VideoJob.objects.filter(project=project).prefetch_related("tag_rows")
    if tag:
        qs = qs.filter(tag_rows__key=tag_key(tag))
    if states:
        qs = qs.filter(state__in=states)
    if create_since:
        qs = qs.filter(create_time__gte=create_since)
    if create_until:
        qs = qs.filter(create_time__lte=create_until)
    if job_ids:
        qs = qs.filter(pk__in=job_ids)
    if script_id:
        qs = qs.filter(script_id=script_id)
    if asset_name:
        qs = qs.filter(asset_name__icontains=asset_name)
    field = SORT_KEYS[sort_key]
    return qs.order_by(field if sort_dir == "asc" else f"-{field}", "pk")


def set_job_tags(job: VideoJob, tags: Any, *, user) -> list[str]:
    """Replace a video's tags (at most 10 of 1-32 characters, see composer.tagging); returns them."""
    tags = clean_tags(tags)
    with transaction.atomic():
        job = VideoJob.objects.select_for_update().get(pk=job.pk)
        job.tag_rows.all().delete()
        VideoTag.objects.bulk_create([VideoTag(job=job, name=tag, key=tag_key(tag)) for tag in tags])
        record_audit(job.project, user, "job.tag", job, tags=tags)
    return tags


def project_video_tags(project: Project) -> list[str]:
    """Every tag used on the project's videos, once each (first spelling), sorted for a filter menu."""
    names: dict[str, str] = {}
    for key, name in VideoTag.objects.filter(job__project=project).order_by("id").values_list("key", "name"):
        names.setdefault(key, name)
    return sorted(names.values(), key=str.casefold)
