"""Project members, the review word list and the audit log: /v1/{project_id}/members, review-words, audit-logs."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from composer.api.params import OFFSET, IntParam, TextParam
from composer.api.projects import ProjectAPIView
from composer.api.schema import ERROR
from composer.assets.payloads import iso
from composer.errors import InvalidInput, json_object
from composer.teams import services
from composer.teams.models import AuditEntry, Membership

ERRORS = {400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR, 409: ERROR}
AUDIT_LIMIT = IntParam("limit", 50, 1, 200, "how many rows to return")
AUDIT_ACTION = TextParam("action", 64, "only this action, e.g. script.approve")
AUDIT_USER = TextParam("user", 150, "only this user's rows (username)")


def member_payload(membership: Membership) -> dict:
    return {"username": membership.user.get_username(), "email": membership.user.email, "role": membership.role,
            "may_skip_review": membership.may_skip_review, "join_time": iso(membership.created_at)}


def audit_payload(entry: AuditEntry) -> dict:
    return {"id": entry.id, "user": entry.user.get_username() if entry.user else None, "action": entry.action,
            "object_type": entry.object_type, "object_id": entry.object_id, "detail": entry.detail,
            "create_time": iso(entry.created_at)}


class MembersView(ProjectAPIView):
    actions = {"GET": "members.view", "POST": "members.manage"}

    @extend_schema(operation_id="list_project_members", responses={200: None, **ERRORS}, summary="List members")
    def get(self, request, project_id: str):
        members = services.list_members(self.project)
        return Response({"count": members.count(), "members": [member_payload(m) for m in members]})

    @extend_schema(operation_id="add_project_member", request=None, responses={200: None, **ERRORS},
                   summary="Invite an existing user, or create an account (send email and password)")
    def post(self, request, project_id: str):
        data = json_object(request.data)
        common = {"role": data.get("role", "editor"), "by": request.user,
                  "may_skip_review": data.get("may_skip_review", False)}
        username = data.get("username")
        if not isinstance(username, str) or not username:
            raise InvalidInput("username: is required")
        if "password" in data:
            membership = services.create_member_account(self.project, username, email=data.get("email", ""),
                                                        password=data["password"], **common)
        else:
            membership = services.add_member(self.project, username, **common)
        return Response(member_payload(membership))


class MemberDetailView(ProjectAPIView):
    actions = {"GET": "members.view", "PUT": "members.manage", "DELETE": "members.manage"}

    @extend_schema(operation_id="show_project_member", responses={200: None, **ERRORS}, summary="Show a member")
    def get(self, request, project_id: str, username: str):
        return Response(member_payload(services.get_membership(self.project, username)))

    @extend_schema(operation_id="update_project_member", request=None, responses={200: None, **ERRORS},
                   summary="Change a member's role or review allow-list place")
    def put(self, request, project_id: str, username: str):
        data = json_object(request.data)
        membership = services.change_member(services.get_membership(self.project, username), by=request.user,
                                            role=data.get("role"), may_skip_review=data.get("may_skip_review"))
        return Response(member_payload(membership))

    @extend_schema(operation_id="remove_project_member", responses={204: None, **ERRORS}, summary="Remove a member")
    def delete(self, request, project_id: str, username: str):
        services.remove_member(services.get_membership(self.project, username), by=request.user)
        return Response(status=204)


class ReviewWordsView(ProjectAPIView):
    actions = {"GET": "project.view", "PUT": "project.manage"}

    @extend_schema(operation_id="show_review_words", responses={200: None, **ERRORS},
                   summary="The project's content-review word list")
    def get(self, request, project_id: str):
        return Response({"review_words": self.project.review_words})

    @extend_schema(operation_id="update_review_words", request=None, responses={200: None, **ERRORS},
                   summary="Replace the content-review word list")
    def put(self, request, project_id: str):
        words = services.set_review_words(self.project, json_object(request.data).get("review_words"), by=request.user)
        return Response({"review_words": words})


class AuditLogView(ProjectAPIView):
    actions = {"GET": "audit.view"}

    @extend_schema(operation_id="list_audit_logs", responses={200: None, **ERRORS}, summary="The audit log",
                   parameters=[OFFSET.openapi(), AUDIT_LIMIT.openapi(), AUDIT_ACTION.openapi(), AUDIT_USER.openapi()])
    def get(self, request, project_id: str):
        params = request.query_params
        entries = services.list_audit(self.project, action=AUDIT_ACTION.read(params), username=AUDIT_USER.read(params))
        offset, limit = OFFSET.read(params), AUDIT_LIMIT.read(params)
        return Response({"count": entries.count(),
                         "audit_logs": [audit_payload(e) for e in entries[offset:offset + limit]]})
