"""The pages. Views only read through the services and models of the rooms they show."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from composer.jobs.models import VideoJob
from composer.jobs.payloads import job_payload
from composer.teams.models import Membership


@login_required
def home(request):
    """Every project of the signed-in user with its latest jobs; the page keeps them live over a websocket."""
    memberships = Membership.objects.filter(user=request.user).select_related("project").order_by("project__name")
    projects = []
    for membership in memberships:
        jobs = VideoJob.objects.filter(project=membership.project).order_by("-create_time")[:10]
        projects.append({"id": membership.project_id, "name": membership.project.name, "role": membership.role,
                         "jobs": [job_payload(job) for job in jobs]})
    return render(request, "studio/home.html", {"projects": projects, "page_data": {"projects": projects}})
