"""The team pages: members and project settings, the asset library, the caller's API keys, the audit log.

Views read through the team and asset services; every change goes through the /v1 API from the page."""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse

from composer.assets.brand import FIELD_LABELS, kit_uses
from composer.assets.checks import SIZE_LIMITS
from composer.assets.models import AssetType
from composer.assets.services import asset_names
from composer.jobs.services import video_names
from composer.scripts.services import script_names
from composer.studio.access import project_context, project_page
from composer.studio.paging import paginate
from composer.teams import render_target, services
from composer.teams.models import Membership, Role
from composer.teams.permissions import can

AUDIT_PER_PAGE = 50
ASSETS_PER_PAGE = 24
# What each audit action means, in a teammate's words; unknown actions show as they are.
AUDIT_LABELS = {
    "project.create": "Created the project", "project.settings": "Changed the approval settings",
    "project.review_words": "Changed the review words", "member.add": "Added a member",
    "member.change": "Changed a member", "member.remove": "Removed a member", "user.create": "Created an account",
    "invitation.create": "Invited a user", "invitation.revoke": "Revoked an invitation",
    "invitation.accept": "Joined by invitation", "invitation.decline": "Declined an invitation",
    "accesskey.create": "Created an access key", "accesskey.revoke": "Revoked an access key",
    "authtoken.create": "Created an API token", "authtoken.revoke": "Revoked an API token",
    "asset.create": "Added an asset", "asset.upload": "Uploaded an asset file",
    "asset.upload_refused": "Upload refused", "asset.edit": "Changed an asset", "asset.delete": "Deleted an asset",
    "script.create": "Created a script", "script.edit": "Saved a script", "script.copy": "Copied a script",
    "script.delete": "Deleted a script", "script.restore": "Restored a revision",
    "script.request_approval": "Asked for approval", "script.approve": "Approved a script",
    "script.reject": "Rejected a script",
    "job.create": "Started a video", "job.cancel": "Canceled a video",
    "job.tag": "Tagged a video", "job.share": "Shared a video by link", "job.share_revoke": "Revoked a share link",
    "job.share_view": "Watched through a share link",
    "script.rename": "Renamed a script", "job.rename": "Renamed a video", "asset.rename": "Renamed an asset",
    "brand_kit.update": "Changed the brand kit",
    "batch.create": "Started a batch", "batch.cancel": "Canceled a batch", "batch.retry": "Retried a batch",
}
# Renames say what they did in the detail column: "renamed script “Teaser” to “Spring teaser”".
RENAMED = {"script.rename": "script", "job.rename": "video", "asset.rename": "asset"}


def _member_row(membership: Membership) -> dict[str, Any]:
    return {"username": membership.user.get_username(), "email": membership.user.email, "role": membership.role,
            "may_skip_review": membership.may_skip_review, "join_time": membership.created_at.isoformat()}


@project_page("members.view")
def members_page(request, project_id):
    """The team with their roles; owners invite (or add, with COMPOSER_DIRECT_MEMBER_ADDS), see and revoke pending
    invitations (the page reads them through the API), change roles, remove, and set the approval rules."""
    project = request.project
    members = services.list_members(project)
    manage = can(request.membership, "project.manage")
    can_target = can(request.membership, "project.render_target")
    return render(request, "studio/members.html", project_context(
        request, section="members", member_count=members.count(), direct_adds=settings.COMPOSER_DIRECT_MEMBER_ADDS,
        regions=list(render_target.REGIONS),
        page_data={"project_id": project.id, "me": request.user.get_username(),
                   "can_manage": can(request.membership, "members.manage"), "can_manage_project": manage,
                   "can_view_invitations": can(request.membership, "invitations.view"),
                   "can_revoke_invitations": can(request.membership, "invitations.manage"),
                   "direct_adds": settings.COMPOSER_DIRECT_MEMBER_ADDS,
                   "roles": [{"value": value, "label": label} for value, label in Role.choices],
                   "members": [_member_row(m) for m in members],
                   "settings": {"require_approval": project.require_approval,
                                "allow_self_approval": project.allow_self_approval},
                   "review_words": list(project.review_words or []),
                   "render_target": render_target.payload(project) if can_target else None}))


@project_page("asset.view")
def assets_page(request, project_id):
    """The library: built-in presets and the project's uploads, filterable by type, with upload and details."""
    membership = request.membership
    return render(request, "studio/assets.html", project_context(
        request, section="assets",
        page_data={"project_id": project_id, "page_size": ASSETS_PER_PAGE,
                   "types": [{"value": value, "label": label, "limit": SIZE_LIMITS[value]}
                             for value, label in AssetType.choices],
                   "image_url": reverse("editor-asset-image", args=[project_id, "ASSET_ID"]),
                   "can_create": can(membership, "asset.create"), "can_edit": can(membership, "asset.edit"),
                   "can_delete": can(membership, "asset.delete"), "kit_uses": kit_uses(request.project),
                   "kit_labels": FIELD_LABELS, "brand_kit_url": reverse("brand-kit", args=[project_id])}))


@project_page("keys.manage")
def keys_page(request, project_id):
    """The caller's own AK/SK pairs for this project and X-Auth-Tokens (the page lists them through the API);
    secrets are shown once, at creation."""
    return render(request, "studio/keys.html", project_context(
        request, section="keys",
        page_data={"project_id": project_id, "endpoint": request.build_absolute_uri("/").rstrip("/"),
                   "username": request.user.get_username()}))


def describe_audit(detail: dict[str, Any]) -> str:
    """An audit row's detail on one line: "role: editor → approver, username: alice"."""
    parts = []
    for key, value in detail.items():
        if isinstance(value, list) and len(value) == 2:
            value = f"{value[0]} → {value[1]}"
        elif isinstance(value, bool):
            value = "yes" if value else "no"
        parts.append(f"{key.replace('_', ' ')}: {value}")
    return ", ".join(parts)


def describe_entry(entry) -> str:
    """The detail column of one audit row: renames in words, anything else as describe_audit() lists it."""
    names = entry.detail.get("name")
    if entry.action in RENAMED and isinstance(names, list) and len(names) == 2:
        return f"renamed {RENAMED[entry.action]} “{names[0]}” to “{names[1]}”"
    return describe_audit(entry.detail)


def audit_objects(project, entries) -> dict[tuple[str, str], dict[str, str]]:
    """The scripts, videos and assets the rows name, by (object_type, object_id): their name now and the page
    that shows them. Deleted objects are left out (the row keeps its id)."""
    wanted: dict[str, set[str]] = {}
    for entry in entries:
        wanted.setdefault(entry.object_type, set()).add(entry.object_id)
    found: dict[tuple[str, str], dict[str, str]] = {}
    for script_id, name in script_names(project, wanted.get("script", ())).items():
        found["script", script_id] = {"name": name, "href": reverse("editor", args=[project.id, script_id])}
    for job_id, name in video_names(project, wanted.get("videojob", ())).items():
        found["videojob", job_id] = {"name": name, "href": reverse("job", args=[project.id, job_id])}
    for asset_id, name in asset_names(project, wanted.get("asset", ())).items():
        found["asset", asset_id] = {"name": name, "href": reverse("assets", args=[project.id])}
    return found


@project_page("audit.view")
def audit_page(request, project_id):
    """Who did what to which object, newest first; filters by action and by user (the API's service)."""
    action = request.GET.get("action", "").strip()[:48]
    username = request.GET.get("user", "").strip()[:150]
    everything = services.list_audit(request.project)
    actions = sorted(set(everything.values_list("action", flat=True)))
    users = sorted({name for name in everything.values_list("user__username", flat=True) if name})
    entries = services.list_audit(request.project, action=action, username=username)
    page, pager_query = paginate(request, entries, AUDIT_PER_PAGE)
    named = audit_objects(request.project, page)
    rows = [{"entry": e, "label": AUDIT_LABELS.get(e.action, e.action), "detail": describe_entry(e),
             "object": named.get((e.object_type, e.object_id))} for e in page]
    return render(request, "studio/audit.html", project_context(
        request, section="audit", rows=rows, page=page, pager_query=pager_query,
        actions=[{"value": a, "label": AUDIT_LABELS.get(a, a)} for a in actions], users=users,
        action=action, username=username))
