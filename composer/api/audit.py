"""The project's audit log: /v1/{project_id}/audit-logs, who did what to which object, newest first."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from composer.api import bodies
from composer.api.params import OFFSET, RangeParam, TextParam
from composer.api.projects import ProjectAPIView
from composer.api.schema import ERROR
from composer.assets.payloads import iso
from composer.teams import services
from composer.teams.models import AuditEntry

ERRORS = {400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR}
AUDIT_LIMIT = RangeParam("limit", 50, 1, 200, "how many rows to return")
AUDIT_ACTION = TextParam("action", 64, "only this action, e.g. script.approve")
AUDIT_USER = TextParam("user", 150, "only this user's rows (username)")


def audit_payload(entry: AuditEntry) -> dict:
    return {"id": entry.id, "user": entry.user.get_username() if entry.user else None, "action": entry.action,
            "object_type": entry.object_type, "object_id": entry.object_id, "detail": entry.detail,
            "create_time": iso(entry.created_at)}


class AuditLogView(ProjectAPIView):
    actions = {"GET": "audit.view"}

    @extend_schema(operation_id="list_audit_logs", responses={200: bodies.AUDIT_LIST, **ERRORS},
                   summary="The audit log",
                   parameters=[param.openapi() for param in (OFFSET, AUDIT_LIMIT, AUDIT_ACTION, AUDIT_USER)])
    def get(self, request, project_id: str):
        params = request.query_params
        entries = services.list_audit(self.project, action=AUDIT_ACTION.read(params),
                                      username=AUDIT_USER.read(params))
        offset, limit = OFFSET.read(params), AUDIT_LIMIT.read(params)
        return Response({"count": entries.count(),
                         "audit_logs": [audit_payload(e) for e in entries[offset:offset + limit]]})
