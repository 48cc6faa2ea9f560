"""Invitations into a project.

Owners: /v1/{project_id}/invitations (the pending ones) and /v1/{project_id}/invitations/{invitation_id}/revoke.
The invited user, whatever project: /v1/invitations (theirs, waiting for an answer) and
/v1/invitations/{invitation_id}/accept or /decline. An owner invites through POST /v1/{project_id}/members."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from composer.api import bodies
from composer.api.members import invitation_payload, member_payload, my_invitation_payload
from composer.api.projects import ProjectAPIView
from composer.api.schema import ERROR
from composer.errors import Forbidden
from composer.teams import invitations
from composer.teams.models import AccessKey

ERRORS = {400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR}


class ProjectInvitationsView(ProjectAPIView):
    actions = {"GET": "invitations.view"}

    @extend_schema(operation_id="list_project_invitations", responses={200: bodies.INVITATION_LIST, **ERRORS},
                   summary="Pending invitations")
    def get(self, request, project_id: str):
        pending = invitations.pending_invitations(self.project)
        return Response({"count": pending.count(), "invitations": [invitation_payload(i) for i in pending]})


class ProjectInvitationRevokeView(ProjectAPIView):
    actions = {"POST": "invitations.manage"}

    @extend_schema(operation_id="revoke_project_invitation", request=bodies.EMPTY,
                   responses={200: bodies.INVITATION, **ERRORS}, summary="Revoke a pending invitation")
    def post(self, request, project_id: str, invitation_id: str):
        invitation = invitations.get_pending_invitation(self.project, invitation_id)
        return Response(invitation_payload(invitations.revoke_invitation(invitation, by=request.user)))


class UserAPIView(APIView):
    """Base for the caller's own things outside any project. An access key belongs to one project, so it cannot
    speak for its user here; an X-Auth-Token or the signed-in browser can."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if isinstance(request.auth, AccessKey):
            raise Forbidden("An access key belongs to one project: use an X-Auth-Token for /v1/invitations")
        if request.content_type.startswith("application/json"):
            request.data  # noqa: B018  (a malformed body is refused on every endpoint, as in ProjectAPIView)


class MyInvitationsView(UserAPIView):
    @extend_schema(operation_id="list_my_invitations", responses={200: bodies.MY_INVITATION_LIST, **ERRORS},
                   summary="Your invitations waiting for an answer")
    def get(self, request):
        mine = invitations.invitations_for(request.user)
        return Response({"count": mine.count(), "invitations": [my_invitation_payload(i) for i in mine]})


class AcceptInvitationView(UserAPIView):
    @extend_schema(operation_id="accept_invitation", request=bodies.EMPTY,
                   responses={200: bodies.MEMBER, **ERRORS, 409: ERROR},
                   summary="Accept an invitation: you join the project with its role")
    def post(self, request, invitation_id: str):
        invitation = invitations.own_invitation(request.user, invitation_id)
        return Response(member_payload(invitations.accept_invitation(invitation, user=request.user)))


class DeclineInvitationView(UserAPIView):
    @extend_schema(operation_id="decline_invitation", request=bodies.EMPTY,
                   responses={200: bodies.MY_INVITATION, **ERRORS}, summary="Decline an invitation")
    def post(self, request, invitation_id: str):
        invitation = invitations.own_invitation(request.user, invitation_id)
        return Response(my_invitation_payload(invitations.decline_invitation(invitation, user=request.user)))
