"""The project's members and their roles: /v1/{project_id}/members and /v1/{project_id}/members/{username}.

A member's payload carries their e-mail; an invitation's never does (the person is not a member yet)."""
from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from composer.api import bodies
from composer.api.projects import ProjectAPIView
from composer.api.schema import ERROR
from composer.assets.payloads import iso
from composer.errors import json_object
from composer.lib.inputs import required_text
from composer.teams import invitations, services
from composer.teams.models import Invitation, Membership

ERRORS = {400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR, 409: ERROR}


def member_payload(membership: Membership) -> dict:
    return {"username": membership.user.get_username(), "email": membership.user.email, "role": membership.role,
            "may_skip_review": membership.may_skip_review, "join_time": iso(membership.created_at)}


def _inviter(invitation: Invitation) -> str | None:
    return invitation.invited_by.get_username() if invitation.invited_by else None


def invitation_payload(invitation: Invitation) -> dict:
    """What the project's owners see: the name they typed, never whether it is an account's, nor an e-mail."""
    return {"invitation_id": invitation.pk, "username": invitation.username, "role": invitation.role,
            "may_skip_review": invitation.may_skip_review, "state": invitation.state,
            "invited_by": _inviter(invitation), "invite_time": iso(invitation.created_at)}


def my_invitation_payload(invitation: Invitation) -> dict:
    """What the invited user sees: which project, which role, who asked."""
    return {"invitation_id": invitation.pk, "project_id": invitation.project_id,
            "project_name": invitation.project.name, "role": invitation.role, "state": invitation.state,
            "invited_by": _inviter(invitation), "invite_time": iso(invitation.created_at)}


class MembersView(ProjectAPIView):
    actions = {"GET": "members.view", "POST": "members.manage"}

    @extend_schema(operation_id="list_project_members", responses={200: bodies.MEMBER_LIST, **ERRORS},
                   summary="List members")
    def get(self, request, project_id: str):
        members = services.list_members(self.project)
        return Response({"count": members.count(), "members": [member_payload(m) for m in members]})

    @extend_schema(operation_id="add_project_member", request=bodies.ADD_MEMBER,
                   responses={200: bodies.ADDED_MEMBER, **ERRORS},
                   summary="Invite a user by username, or create an account (send email and password)")
    def post(self, request, project_id: str):
        data = json_object(request.data)
        common = {"role": data.get("role", "editor"), "by": request.user,
                  "may_skip_review": data.get("may_skip_review", False)}
        username = required_text(data.get("username"), "username", 150)
        if "password" in data:
            membership = services.create_member_account(self.project, username, email=data.get("email", ""),
                                                        password=data["password"], **common)
        elif settings.COMPOSER_DIRECT_MEMBER_ADDS:
            membership = services.add_member(self.project, username, **common)
        else:
            # The same answer for every username, so that inviting cannot tell which ones are accounts.
            return Response(invitation_payload(invitations.invite(self.project, username, **common)))
        return Response(member_payload(membership))


class MemberDetailView(ProjectAPIView):
    actions = {"GET": "members.view", "PUT": "members.manage", "DELETE": "members.manage"}

    @extend_schema(operation_id="show_project_member", responses={200: bodies.MEMBER, **ERRORS},
                   summary="Show a member")
    def get(self, request, project_id: str, username: str):
        return Response(member_payload(services.get_membership(self.project, username)))

    @extend_schema(operation_id="update_project_member", request=bodies.CHANGE_MEMBER,
                   responses={200: bodies.MEMBER, **ERRORS},
                   summary="Change a member's role or review allow-list place")
    def put(self, request, project_id: str, username: str):
        data = json_object(request.data)
        membership = services.change_member(services.get_membership(self.project, username), by=request.user,
                                            role=data.get("role"), may_skip_review=data.get("may_skip_review"))
        return Response(member_payload(membership))

    @extend_schema(operation_id="remove_project_member", responses={204: None, **ERRORS},
                   summary="Remove a member")
    def delete(self, request, project_id: str, username: str):
        services.remove_member(services.get_membership(self.project, username), by=request.user)
        return Response(status=204)
