"""Batches in the studio: the project's batches (newest first, counts by state following the project's job
websocket), starting one from an approved template (file or pasted rows, columns mapped to variables, every row
checked through the API before Start), and a batch's page (each row's video live, Cancel rest and Retry failed).
Every change goes through the API from the page (static/composer/batches.js, batch-start.js, batch.js)."""
from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from composer.errors import NotFound
from composer.jobs import batches
from composer.jobs.models import JOB_STATE_LABELS
from composer.scripts import services as scripts
from composer.scripts.payloads import approval_summary
from composer.scripts.rows import MAX_ROWS, MAX_SHEET_BYTES
from composer.studio.access import project_context, project_page
from composer.studio.paging import paginate
from composer.teams.permissions import can

BATCHES_PER_PAGE = 25


def _state_counts(counts: dict[str, int]) -> list[dict[str, Any]]:
    return [{"state": state, "label": label, "count": counts[state]} for state, label in JOB_STATE_LABELS.items()]


@project_page("job.view")
def batches_page(request, project_id):
    """The project's batches, newest first: template, revision, rows and counts by state, with New batch."""
    page, pager_query = paginate(request, batches.list_batches(request.project).select_related("created_by"),
                                 BATCHES_PER_PAGE)
    rows, followed = [], []
    for batch in page:
        jobs = batches.row_jobs(batch)
        summary = batches.batch_summary(batch, batches.state_counts(batch, jobs))
        summary["href"] = reverse("batch", args=[project_id, summary["batch_id"]])
        summary["states"] = _state_counts(summary["counts"])
        rows.append(summary)
        followed.append({"batch_id": summary["batch_id"],
                         "jobs": {str(job.id): job.state for job in jobs.values()}})
    return render(request, "studio/batches.html", project_context(
        request, section="batches", batches=rows, page=page, pager_query=pager_query,
        states=[{"state": state, "label": label} for state, label in JOB_STATE_LABELS.items()],
        can_start=can(request.membership, "job.create"),
        page_data={"project_id": project_id, "batches": followed}))


def template_choices(project) -> list[dict[str, Any]]:
    """The project's template scripts (their latest revision declares variables), newest change first, with
    whether that revision is approved (only then may it render as a batch)."""
    found = scripts.list_scripts(project).filter(head__composition__has_key="template")
    choices = []
    for script in found:
        approval = approval_summary(script)
        choices.append({"script_id": script.id, "script_name": script.name, "revision": script.head.number,
                        "approval": approval["state"], "approved": approval["state"] == "APPROVED",
                        "variables": [{"name": v["name"], "kind": v["kind"], "label": v.get("label") or ""}
                                      for v in script.head.composition["template"]["variables"]]})
    return choices


def batch_start_href(request, script) -> str:
    """The New batch page with this script chosen, for a template script and a member who may render; else ""."""
    head = script.head
    if head is None or not (head.composition or {}).get("template") or not can(request.membership, "job.create"):
        return ""
    return f"{reverse('batch-start', args=[script.project_id])}?script={script.id}"


@project_page("job.create")
def batch_start_page(request, project_id):
    """Start a batch: choose an approved template (?script= arrives with it chosen), give rows, map and check
    them, then Start (the page posts to the batches API and goes to the new batch's page)."""
    choices = template_choices(request.project)
    chosen = request.GET.get("script", "")
    if chosen not in {choice["script_id"] for choice in choices}:
        chosen = next((choice["script_id"] for choice in choices if choice["approved"]),
                      choices[0]["script_id"] if choices else "")
    data = {"project_id": project_id, "templates": choices, "script_id": chosen, "max_rows": MAX_ROWS,
            "max_bytes": MAX_SHEET_BYTES, "batch_href": reverse("batch", args=[project_id, "BATCH_ID"]),
            "editor_href": reverse("editor", args=[project_id, "SCRIPT_ID"])}
    return render(request, "studio/batch_start.html", project_context(
        request, section="batches", templates=choices, chosen=chosen, max_mb=MAX_SHEET_BYTES // (1024 * 1024),
        max_rows=MAX_ROWS, page_data=data))


@project_page("job.view")
def batch_page(request, project_id, batch_id):
    try:
        batch = batches.get_batch(request.project, batch_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    payload = batches.batch_payload(batch)
    data = {"project_id": project_id, "batch": payload, "can_cancel": can(request.membership, "job.cancel"),
            "can_retry": can(request.membership, "job.create")}
    return render(request, "studio/batch.html", project_context(
        request, section="batches", batch=payload, counts=_state_counts(payload["counts"]), data=data,
        page_data=data))
