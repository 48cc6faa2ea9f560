"""Share links: an expiring, revocable public link to one finished video (player and downloads, nothing else).

Creating, revoking and every view of the shared page write an audit row on the video's project."""
from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from composer.assets.models import Asset, AssetState
from composer.errors import Conflict, DomainError, InvalidInput, NotFound, json_object
from composer.jobs.models import JobState, ShareLink, VideoJob
from composer.jobs.payloads import format_time
from composer.lib.inputs import required_text
from composer.scripts.services import who
from composer.spec.errors import ERROR_NOT_FOUND
from composer.teams.services import record_audit

LIFETIME_DAYS = (1, 7, 30)
MAX_LABEL = 64
MAX_LIVE_LINKS = 20


class ShareLinkGone(DomainError):
    """The link existed but no longer opens anything: it expired or was revoked (HTTP 410)."""

    status = 410
    error_code = ERROR_NOT_FOUND

    def __init__(self, link: ShareLink, reason: str):
        super().__init__(f"token: this share link was {reason}")
        self.link = link
        self.reason = reason


def link_state(link: ShareLink, now=None) -> str:
    """ACTIVE, EXPIRED or REVOKED."""
    if link.revoked_at is not None:
        return "REVOKED"
    if link.expires_at <= (now or timezone.now()):
        return "EXPIRED"
    return "ACTIVE"


def _label(data: dict[str, Any], job: VideoJob) -> str:
    label = data.get("label")
    if label is None or (isinstance(label, str) and not label.strip()):
        return f"Link {job.share_links.count() + 1}"
    return " ".join(required_text(label, "label", MAX_LABEL, example="Client review").split())


def _days(data: dict[str, Any]) -> int:
    days = data.get("expires_in_days", 7)
    if isinstance(days, bool) or days not in LIFETIME_DAYS:
        raise InvalidInput(f"expires_in_days: must be 1, 7 or 30 (got {days!r})")
    return int(days)


def create_share_link(job: VideoJob, data: Any, *, user) -> ShareLink:
    """A new public link to a finished video, valid for 1, 7 or 30 days (`expires_in_days`), with a `label`
    that says who it is for. Only a video that rendered (SUCCEED, with its output) can be shared."""
    data = json_object(data)
    days = _days(data)
    with transaction.atomic():
        job = VideoJob.objects.select_for_update().select_related("project").get(pk=job.pk)
        if job.state != JobState.SUCCEED or not job.output_asset_id:
            raise InvalidInput(f"job_id: only a finished video can be shared (this one is {job.state})")
        live = job.share_links.filter(revoked_at__isnull=True, expires_at__gt=timezone.now()).count()
        if live >= MAX_LIVE_LINKS:
            raise InvalidInput(f"job_id: at most {MAX_LIVE_LINKS} live share links per video; revoke one first")
        label = _label(data, job)
        link = ShareLink.objects.create(job=job, token=secrets.token_urlsafe(24), label=label, created_by=user,
                                        expires_at=timezone.now() + timedelta(days=days))
        record_audit(job.project, user, "job.share", job, link_id=str(link.id), label=label,
                     expires_at=link.expires_at.isoformat(timespec="seconds"))
    return link


def get_share_link(job: VideoJob, link_id: str) -> ShareLink:
    """One of the video's share links; links of other videos are as unknown as missing ones."""
    link = job.share_links.filter(pk=link_id).first() if _is_uuid(link_id) else None
    if link is None:
        raise NotFound(f"link_id: no share link {link_id} on this video")
    return link


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def list_share_links(job: VideoJob) -> Any:
    return job.share_links.select_related("created_by", "revoked_by").order_by("-created_at")


def revoke_share_link(link: ShareLink, *, user) -> ShareLink:
    """Stop a link from opening the video, at once (the page, the player and the downloads)."""
    with transaction.atomic():
        link = ShareLink.objects.select_for_update().select_related("job__project").get(pk=link.pk)
        if link.revoked_at is not None:
            raise Conflict(f"link_id: the share link {link.label!r} was already revoked")
        link.revoked_at = timezone.now()
        link.revoked_by = user
        link.save(update_fields=["revoked_at", "revoked_by"])
        record_audit(link.job.project, user, "job.share_revoke", link.job, link_id=str(link.id), label=link.label)
    return link


def resolve_share_link(token: str) -> ShareLink:
    """The live link for a public token; NotFound for a token that never existed, ShareLinkGone (410) for one
    that expired or was revoked, or whose video is gone."""
    link = ShareLink.objects.select_related("job", "job__project").filter(token=str(token)[:64]).first()
    if link is None:
        raise NotFound("token: no such share link")
    state = link_state(link)
    if state == "REVOKED":
        raise ShareLinkGone(link, "revoked")
    if state == "EXPIRED":
        raise ShareLinkGone(link, "expired")
    if link.job.state != JobState.SUCCEED or not link.job.output_asset_id:
        raise ShareLinkGone(link, "withdrawn: its video is no longer available")
    return link


def shared_video(token: str) -> tuple[ShareLink, Asset]:
    """The live link for a public token and the video it shows; ShareLinkGone as resolve_share_link, and also once
    the video's asset was deleted."""
    link = resolve_share_link(token)
    asset = Asset.objects.filter(project=link.job.project, pk=link.job.output_asset_id).exclude(
        state=AssetState.DELETED).first()
    if asset is None:
        raise ShareLinkGone(link, "withdrawn: its video is no longer available")
    return link, asset


def record_share_view(link: ShareLink) -> None:
    """Count a view of the shared page and write it to the audit log as done by the link itself."""
    now = timezone.now()
    with transaction.atomic():
        ShareLink.objects.filter(pk=link.pk).update(view_count=F("view_count") + 1, last_viewed_at=now)
        record_audit(link.job.project, None, "job.share_view", link.job, who=f"shared link {link.label}",
                     link_id=str(link.id), label=link.label)


def share_link_payload(link: ShareLink, *, base_url: str = "") -> dict[str, Any]:

    return {"link_id": str(link.id), "label": link.label, "state": link_state(link),
            "url": f"{base_url}{reverse('shared-video', args=[link.token])}",
            "create_time": format_time(link.created_at), "expire_time": format_time(link.expires_at),
            "revoke_time": format_time(link.revoked_at),
            "created_by": who(link.created_by) if link.created_by_id else None,
            "view_count": link.view_count, "last_view_time": format_time(link.last_viewed_at)}
