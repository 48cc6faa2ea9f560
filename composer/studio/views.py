"""The projects page and each project's dashboard. Views only read through the services and models they show."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from composer.jobs.payloads import job_payloads
from composer.jobs.services import recent_jobs
from composer.scripts.approvals import awaiting_decision_by
from composer.scripts.payloads import script_base_payload
from composer.scripts.services import list_scripts
from composer.studio.access import project_context, project_page
from composer.teams.invitations import invitations_for
from composer.teams.permissions import can
from composer.teams.services import list_members, memberships_of


def recent_job_rows(project, limit: int = 10) -> list[dict]:
    return job_payloads(recent_jobs(project, limit))


@login_required
def home(request):
    """Every project of the signed-in user with its latest jobs (kept live over a websocket), and the invitations
    waiting for their answer (accepted or declined through the API from the page)."""
    memberships = memberships_of(request.user)
    projects = [{"id": m.project_id, "name": m.project.name, "role": m.role, "jobs": recent_job_rows(m.project)}
                for m in memberships]
    return render(request, "studio/home.html", {"projects": projects, "page_data": {"projects": projects},
                                                "invitations": invitations_for(request.user)})


@project_page()
def dashboard(request, project_id):
    """One project at a glance: its latest scripts with their approval state, recent videos (live), the team."""
    project = request.project
    scripts = [script_base_payload(s) for s in list_scripts(project)[:6]]
    members = list_members(project, by_role=True)
    jobs = recent_job_rows(project, 8)
    # Approvers see at a glance what waits for them.
    waiting = awaiting_decision_by(project, request.user).count() if can(request.membership, "script.approve") else 0
    return render(request, "studio/dashboard.html", project_context(
        request, section="dashboard", scripts=scripts, members=members, jobs=jobs, waiting=waiting,
        page_data={"project_id": project.id, "jobs": jobs}))
