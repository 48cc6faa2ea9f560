"""Invitations: an owner offers a role in a project to a username, and the person joins only by accepting it.

The owner learns nothing about the username from inviting: an existing account and an unknown name get the same
invitation and the same answer (the invitation for an unknown name simply can never be accepted), and nobody's
e-mail is shown before they are a member. Only a current member is refused, and members are visible already."""
from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from composer.errors import Conflict, NotFound
from composer.teams.models import Invitation, InvitationState, Membership, Project
from composer.teams.services import checked_flag, checked_role, checked_username, record_audit

PENDING = InvitationState.PENDING


@transaction.atomic
def invite(project: Project, username: Any, *, role: Any, by: AbstractBaseUser,
           may_skip_review: Any = False) -> Invitation:
    """Invite `username` into `project` with `role`. Inviting a name that already waits changes that invitation's
    role instead of making a second one."""
    username = checked_username(username)
    role = checked_role(role)
    may_skip_review = checked_flag(may_skip_review, "may_skip_review")
    if Membership.objects.filter(project=project, user__username=username).exists():
        raise Conflict(f"username: {username!r} is already a member of this project")
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    invitation = (Invitation.objects.select_for_update()
                  .filter(project=project, username=username, state=PENDING).first())
    if invitation is None:
        invitation = Invitation(project=project, username=username)
    invitation.user, invitation.role, invitation.may_skip_review, invitation.invited_by = \
        user, role, may_skip_review, by
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:  # the same name invited twice at the same moment: one invitation stays
        raise Conflict(f"username: {username!r} was invited by someone else just now; see the pending "
                       "invitations") from None
    # The same row whether or not the name is an account's: the audit log is read by approvers too.
    record_audit(project, by, "invitation.create", invitation, username=username, role=role)
    return invitation


def pending_invitations(project: Project) -> Any:
    """The project's invitations nobody has answered yet, newest first (inviter loaded)."""
    return Invitation.objects.filter(project=project, state=PENDING).select_related("invited_by")


def get_pending_invitation(project: Project, invitation_id: str) -> Invitation:
    invitation = pending_invitations(project).filter(pk=invitation_id).first()
    if invitation is None:
        raise NotFound(f"invitation_id: no pending invitation {invitation_id!r} in this project")
    return invitation


@transaction.atomic
def revoke_invitation(invitation: Invitation, *, by: AbstractBaseUser) -> Invitation:
    """Take a pending invitation back: it can no longer be accepted."""
    invitation = _answer(invitation, InvitationState.REVOKED)
    record_audit(invitation.project, by, "invitation.revoke", invitation, username=invitation.username,
                 role=invitation.role)
    return invitation


def invitations_for(user: AbstractBaseUser) -> Any:
    """The invitations waiting for `user`'s answer, newest first (project and inviter loaded)."""
    return Invitation.objects.filter(user=user, state=PENDING).select_related("project", "invited_by")


def own_invitation(user: AbstractBaseUser, invitation_id: str) -> Invitation:
    """One of the caller's pending invitations; anyone else's, an answered or a revoked one, is as unknown as a
    missing one."""
    invitation = invitations_for(user).filter(pk=invitation_id).first()
    if invitation is None:
        raise NotFound(f"invitation_id: no pending invitation {invitation_id!r} for you")
    return invitation


@transaction.atomic
def accept_invitation(invitation: Invitation, *, user: AbstractBaseUser) -> Membership:
    """The invited user joins the project with the invitation's role."""
    invitation = _answer(invitation, InvitationState.ACCEPTED, user=user)
    if Membership.objects.filter(project=invitation.project, user=user).exists():
        raise Conflict(f"invitation_id: you are already a member of {invitation.project.name}")
    membership = Membership.objects.create(project=invitation.project, user=user, role=invitation.role,
                                           may_skip_review=invitation.may_skip_review)
    record_audit(invitation.project, user, "invitation.accept", invitation, username=invitation.username,
                 role=invitation.role)
    return membership


@transaction.atomic
def decline_invitation(invitation: Invitation, *, user: AbstractBaseUser) -> Invitation:
    """The invited user says no: nothing changes in the project but the invitation's state."""
    invitation = _answer(invitation, InvitationState.DECLINED, user=user)
    record_audit(invitation.project, user, "invitation.decline", invitation, username=invitation.username)
    return invitation


def _answer(invitation: Invitation, state: str, *, user: AbstractBaseUser | None = None) -> Invitation:
    """Close a pending invitation with `state`, under a row lock, so that an invitation is answered once: a
    revoke racing an accept leaves one of them, and the other finds no pending invitation."""
    rows = Invitation.objects.select_for_update(of=("self",)).select_related("project").filter(pk=invitation.pk, state=PENDING)
    if user is not None:
        rows = rows.filter(user=user)
    locked = rows.first()
    if locked is None:
        raise NotFound(f"invitation_id: no pending invitation {invitation.pk!r}")
    locked.state, locked.answered_at = state, timezone.now()
    locked.save(update_fields=["state", "answered_at"])
    return locked
