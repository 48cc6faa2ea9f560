"""The pages around the editor: scripts list, approvals inbox and decision page, videos list and one video.

Views read through the services and payloads the API uses; every change goes through the API from the page."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince

from composer.errors import NotFound
from composer.jobs import services as jobs
from composer.jobs.models import JOB_STATE_LABELS, JobState, Stage
from composer.jobs.payloads import job_payload, job_payloads, render_summary
from composer.scripts import approvals
from composer.scripts import services as scripts
from composer.scripts.brand import kit_for_starters, off_kit_reports
from composer.scripts.diff import spoken_text
from composer.scripts.models import ApprovalState
from composer.scripts.payloads import approval_payload, script_base_payload
from composer.scripts.review import find_review_hits
from composer.scripts.rows import template_overview
from composer.scripts.starters import CANVAS, STARTERS, starter_composition
from composer.spec.reference import in_words
from composer.studio.access import project_context, project_page
from composer.studio.batches import batch_start_href
from composer.studio.paging import paginate
from composer.teams.permissions import can

SCRIPTS_PER_PAGE = 25
REQUESTS_PER_PAGE = 25
JOBS_PER_PAGE = 25
# The stages a job rendered on MetaStudio passes through, as its page shows them.
REMOTE_STAGES = (Stage.QUEUED, Stage.REMOTE, Stage.DONE)

def editor_href(project_id: str, script_id: str) -> str:
    return reverse("editor", args=[project_id, script_id])


def job_href(project_id: str, job_id: str) -> str:
    return reverse("job", args=[project_id, job_id])


@project_page("script.view")
def scripts_page(request, project_id):
    """Every script of the project with its approval state; new/copy/delete go through the scripts API."""
    query = request.GET.get("q", "").strip()[:256]
    tag = request.GET.get("tag", "").strip()[:64]
    page, pager_query = paginate(request, scripts.list_scripts(request.project, text=query, tag=tag),
                                 SCRIPTS_PER_PAGE)
    rows = []
    for script in page:
        row = script_base_payload(script)
        row["author"] = scripts.who(script.head.author) if script.head else ""
        row["editor_href"] = editor_href(project_id, script.id)
        row["batch_href"] = batch_start_href(request, script)
        rows.append(row)
    starters = [{"key": key, "label": starter["label"]} for key, starter in STARTERS.items()]
    kit = kit_for_starters(request.project)
    compositions = {f"{key}:{orientation}": starter_composition(orientation, key, kit)
                    for key in STARTERS for orientation in CANVAS}
    return render(request, "studio/scripts.html", project_context(
        request, section="scripts", rows=rows, page=page, query=query, tag=tag, pager_query=pager_query,
        tags=scripts.project_script_tags(request.project), searching=bool(query or tag),
        page_data={"project_id": project_id, "starters": starters, "compositions": compositions,
                   "editor_href": editor_href(project_id, "SCRIPT_ID"),
                   "scripts": [{"script_id": row["script_id"], "script_name": row["script_name"]} for row in rows]}))


def _request_row(request, off_kit=None) -> dict[str, Any]:
    row = approval_payload(request, off_kit=off_kit)
    row["requested_at"], row["decided_at"] = request.requested_at, request.decided_at
    row["waiting"] = _ago(request.requested_at)
    return row


def _ago(moment) -> str:
    if timezone.now() - moment < timedelta(minutes=1):
        return "just now"
    return f"{timesince(moment)} ago"


@project_page("script.view")
def approvals_page(request, project_id):
    """The approval inbox: pending requests first (oldest waiting first), then decided ones (latest first)."""
    all_requests = approvals.list_approval_requests(request.project)
    off_kit = off_kit_reports(request.project.id)
    pending = [_request_row(r, off_kit) for r in
               all_requests.filter(state=ApprovalState.PENDING).order_by("requested_at")]
    decided, pager_query = paginate(
        request, all_requests.exclude(state=ApprovalState.PENDING).order_by("-decided_at", "-requested_at"),
        REQUESTS_PER_PAGE)
    return render(request, "studio/approvals.html", project_context(
        request, section="approvals", pending=pending, decided=[_request_row(r, off_kit) for r in decided], page=decided,
        pager_query=pager_query, page_data={"project_id": project_id}))


def _scene_summaries(composition: dict[str, Any]) -> list[dict[str, Any]]:
    scenes = []
    for index, item in enumerate(composition.get("shoot_scripts") or []):
        scene = item.get("shoot_script") or {}
        scenes.append({"index": index, "script_type": scene.get("script_type", "TEXT"),
                       # As spoken, like the diff: "(pause 0.5 s)" and "(wave)" rather than SSML tags.
                       "text": spoken_text((scene.get("text_config") or {}).get("text", "")),
                       "layers": len(scene.get("layer_config") or [])})
    return scenes


@project_page("script.view")
def approval_page(request, project_id, request_id):
    """One approval request: what changed since the last approved revision, scene previews, the script text,
    content-review hits, and the decision form for approvers (the service decides who may decide)."""
    try:
        approval = approvals.get_approval_request(request.project, request_id)
    except NotFound as exc:
        raise Http404("No such approval request") from exc
    script, revision = approval.script, approval.revision
    # Against the last approved revision; never approved means everything is new (not "since the last autosave").
    changes = approvals.approval_changes(approval)
    video = revision.composition.get("video_config") or {}
    row = _request_row(approval)
    data = {"project_id": project_id, "request": row, "script_id": script.id, "revision": revision.number,
            "head_revision": script.head.number if script.head else None,
            "compare_to": changes["compare_to"], "changes": changes["changes"],
            "scenes": _scene_summaries(revision.composition),
            "template": template_overview(request.project, revision.composition),
            "aspect": [video.get("width") or 1920, video.get("height") or 1080],
            "review_hits": find_review_hits(revision.composition, request.project.review_words or []),
            "off_kit": row["off_kit"],
            "can_decide": can(request.membership, "script.approve") and approval.state == ApprovalState.PENDING,
            "renderable": row["renderable"],
            "job_href": job_href(project_id, "JOB_ID"), "inbox_href": reverse("approvals", args=[project_id])}
    return render(request, "studio/approval.html", project_context(
        request, section="approvals", approval=row, script=script, data=data, page_data=data,
        editor=editor_href(project_id, script.id)))


def _day(request, name: str, errors: dict[str, str]) -> date | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = f"Give a date such as 2025-03-31 (got “{raw[:20]}”)."
        return None


def video_search(request) -> dict[str, Any]:
    """The videos page's search from its URL: name, tag and a creation date range (whole days, UTC)."""
    errors: dict[str, str] = {}
    since, until = _day(request, "from", errors), _day(request, "to", errors)
    if since and until and until < since:
        errors["to"] = "The end date is before the start date."
    return {"q": request.GET.get("q", "").strip()[:256], "tag": request.GET.get("tag", "").strip()[:64],
            "from": since.isoformat() if since else "", "to": until.isoformat() if until else "",
            "since": datetime.combine(since, time.min, tzinfo=UTC) if since else None,
            "until": datetime.combine(until, time.max, tzinfo=UTC) if until else None, "errors": errors}


@project_page("job.view")
def jobs_page(request, project_id):
    """Every video of the project, newest first, filtered by state, name, tag and date; the page follows the
    project's websocket."""
    states = [s for s in request.GET.get("state", "").split(",") if s in JobState.values]
    search = video_search(request)
    queryset = jobs.list_jobs(request.project, states=states, sort_dir="desc", asset_name=search["q"],
                              tag=search["tag"], create_since=None if search["errors"] else search["since"],
                              create_until=None if search["errors"] else search["until"])
    page, pager_query = paginate(request, queryset, JOBS_PER_PAGE)
    rows = job_payloads(page)
    filters = [{"value": "", "label": "All"}] + [{"value": state, "label": label}
                                                 for state, label in JOB_STATE_LABELS.items()]
    return render(request, "studio/jobs.html", project_context(
        request, section="jobs", jobs=rows, page=page, filters=filters, state=",".join(states),
        pager_query=pager_query, search=search, tags=jobs.project_video_tags(request.project),
        searching=any(search[key] for key in ("q", "tag", "from", "to")),
        page_data={"project_id": project_id, "jobs": rows, "states": states, "first_page": page.number == 1,
                   "per_page": JOBS_PER_PAGE, "can_tag": can(request.membership, "job.create"),
                   "filtered": any(search[key] for key in ("q", "tag", "from", "to"))}))


@project_page("job.view")
def job_page(request, project_id, job_id):
    """One video: live stage, percent, frames, ETA and preview frame; then the player and the downloads."""
    try:
        job = jobs.get_job(request.project, job_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    spec = job.spec or {}
    # A job rendered on MetaStudio goes queued -> on MetaStudio -> done; a local one never passes "remote".
    on_metastudio = job.stage == Stage.REMOTE or bool(job.remote_job_id)
    data = {"project_id": project_id, "job": job_payload(job), "can_cancel": can(request.membership, "job.cancel"),
            "stages": [{"value": value, "label": label} for value, label in Stage.choices
                       if (value in REMOTE_STAGES if on_metastudio else value != Stage.REMOTE)],
            "output": render_summary(job),
            "created_by": scripts.who(job.created_by) if job.created_by_id else "an API client",
            "callback_url": (spec.get("callback_config") or {}).get("callback_url", ""),
            "can_rename": can(request.membership, "asset.edit"),
            "batch_href": reverse("batch", args=[project_id, job.batch_id]) if job.batch_id else "",
            "metastudio_ignores": []}
    data["metastudio_ignores"] = [in_words(path) for path in data["job"].get("dropped_extensions", [])]
    script = None
    if job.script_id:
        try:
            script = scripts.get_script(request.project, job.script_id)
        except NotFound:
            pass   # the script was deleted since; the video stays
    # A failed or canceled render of a script can be started again from here (the service says when and with what).
    offer = jobs.render_again_offer(job, request.membership)
    data["retry"] = {**offer, "job_href": job_href(project_id, "JOB_ID")} if offer else None
    return render(request, "studio/job.html", project_context(
        request, section="jobs", job=data["job"], data=data, page_data=data, script=script,
        script_href=editor_href(project_id, script.id) if script else ""))
