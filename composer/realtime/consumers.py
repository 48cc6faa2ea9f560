"""Live updates over websockets: connect = check membership, join the group, send the current state (jobs); a
script's review state is read and sent whenever its change is announced."""
from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from composer.errors import NotFound
from composer.jobs.payloads import job_payload, job_payloads
from composer.jobs.progress import job_group, project_group
from composer.jobs.services import get_job, recent_jobs
from composer.scripts.live import approvals_group
from composer.scripts.payloads import approval_summary
from composer.scripts.services import get_script
from composer.teams.permissions import can
from composer.teams.services import membership_of


@database_sync_to_async
def member_may_view(user, project_id: str, action: str) -> bool:
    return can(membership_of(user, project_id), action)


@database_sync_to_async
def current_jobs(project_id: str, job_id: str | None) -> list[dict] | None:
    if job_id is not None:
        try:
            return [job_payload(get_job(project_id, job_id))]
        except NotFound:
            return None
    return job_payloads(recent_jobs(project_id, 20))


@database_sync_to_async
def review_state(project_id: str, script_id: str) -> dict | None:
    """The script's approval summary as it stands now; None once the script is gone."""
    try:
        return approval_summary(get_script(project_id, script_id))
    except NotFound:
        return None


class ProjectJobsConsumer(AsyncJsonWebsocketConsumer):
    """/ws/projects/{project_id}/jobs/ : every change of any job in the project."""

    #: the permission-matrix action a member needs to connect
    action = "job.view"
    job_id: str | None = None

    async def connect(self):
        kwargs = self.scope["url_route"]["kwargs"]
        self.project_id = kwargs["project_id"]
        self.job_id = kwargs.get("job_id")
        if not await member_may_view(self.scope.get("user"), self.project_id, self.action):
            await self.close(code=4403)
            return
        jobs = await current_jobs(self.project_id, self.job_id)
        if jobs is None:
            await self.close(code=4404)
            return
        self.group = job_group(self.job_id) if self.job_id else project_group(self.project_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        for job in jobs:
            await self.send_json({"type": "job", "job": job})

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def job_update(self, event):
        message = {"type": "job", "job": event["job"]}
        if event.get("preview"):
            message["preview"] = event["preview"]
        await self.send_json(message)


class JobConsumer(ProjectJobsConsumer):
    """/ws/projects/{project_id}/jobs/{job_id}/ : one job, with now-and-then preview frames."""


class ApprovalsConsumer(AsyncJsonWebsocketConsumer):
    """/ws/projects/{project_id}/approvals/ : a script's review state whenever it changes."""

    action = "script.view"

    async def connect(self):
        self.project_id = self.scope["url_route"]["kwargs"]["project_id"]
        if not await member_may_view(self.scope.get("user"), self.project_id, self.action):
            await self.close(code=4403)
            return
        self.group = approvals_group(self.project_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def approval_update(self, event):
        approval = await review_state(self.project_id, event["script_id"])
        if approval is not None:
            await self.send_json({"type": "approval", "script_id": event["script_id"], "approval": approval})
