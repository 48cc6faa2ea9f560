"""A batch's page: counts by state and each row's video, live over the project's job websocket, with Cancel rest
and Retry failed (which go through the API from the page)."""
from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from composer.errors import NotFound
from composer.jobs import batches
from composer.jobs.models import JOB_STATE_LABELS
from composer.studio.access import project_context, project_page
from composer.teams.permissions import can


@project_page("job.view")
def batch_page(request, project_id, batch_id):
    try:
        batch = batches.get_batch(request.project, batch_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    payload = batches.batch_payload(batch)
    data = {"project_id": project_id, "batch": payload, "can_cancel": can(request.membership, "job.cancel"),
            "can_retry": can(request.membership, "job.create")}
    counts = [{"state": state, "label": label, "count": payload["counts"][state]}
              for state, label in JOB_STATE_LABELS.items()]
    return render(request, "studio/batch.html", project_context(
        request, section="jobs", batch=payload, counts=counts, data=data, page_data=data))
