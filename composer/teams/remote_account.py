"""The project's MetaStudio account as a client: our settings (timeouts, retries, the project's token bucket,
private endpoints) around composer.metastudio, and the connection test whose outcome the settings show."""
from __future__ import annotations

from typing import Any

import httpx
from django.conf import settings

from composer.metastudio.client import Account, MetaStudioClient, MetaStudioError
from composer.metastudio.ratelimit import bucket_for
from composer.teams.models import Project
from composer.teams.render_target import connection, record_status


def client_for(project: Project, *, transport: httpx.BaseTransport | None = None) -> MetaStudioClient:
    """A client of the project's MetaStudio account; refused naming the setting when it renders here. transport
    replaces the network (tests put faults between us and a stand-in)."""
    account = connection(project)
    return MetaStudioClient(
        Account(account.endpoint, account.remote_project_id, account.ak, account.sk),
        timeout=settings.COMPOSER_REMOTE_TIMEOUT_SECONDS, max_retries=settings.COMPOSER_REMOTE_MAX_RETRIES,
        bucket=bucket_for(project.id, settings.COMPOSER_REMOTE_RATE_PER_SECOND, settings.COMPOSER_REMOTE_BURST),
        allow_private=settings.COMPOSER_REMOTE_ALLOW_PRIVATE, transport=transport)


def check_connection(project: Project) -> dict[str, Any]:
    """{"ok": true}, or {"ok": false, "error_msg": why in words, "error_code": the remote's}: one cheap read
    (the remote project's jobs, one at most). The outcome is remembered as the target's connection status."""
    with client_for(project) as remote:
        try:
            remote.list_jobs(limit=1)
        except MetaStudioError as exc:
            record_status(project, False, str(exc))
            answer = {"ok": False, "error_msg": str(exc)}
            return answer | ({"error_code": exc.error_code} if exc.error_code else {})
    record_status(project, True)
    return {"ok": True}
