"""Memberships on the request path without a query per request.

Every API request, page and websocket asks for the caller's membership of a project (with the project). The answer
is kept in this process (composer.lib.fenced) for COMPOSER_CREDENTIAL_CACHE_SECONDS under a fence per
(project, user); saving or deleting the membership, saving the project, or a queryset update of either moves the
fence, so a role changed or a member removed counts on the very next request in every process.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db.models.signals import post_delete, post_save

from composer.lib.fenced import FencedCopies
from composer.teams.models import Membership, Project, about_to_update

_copies = FencedCopies("membership", lambda: settings.COMPOSER_CREDENTIAL_CACHE_SECONDS)


def _ident(project_id: str, user_id: Any) -> str:
    return f"{project_id}:{user_id}"


def membership(project_id: str, user_id: Any, load: Callable[[], Any]) -> Any:
    """The membership `load` reads for the user in the project, from this process's copy while it is current."""
    return _copies.lookup(_ident(project_id, user_id), load)


def forget_memberships(pairs: Iterable[tuple[str, Any]]) -> None:
    """Make every process read these (project id, user id) memberships from the database again."""
    _copies.forget(_ident(project_id, user_id) for project_id, user_id in pairs)


def forget_project(project_id: str) -> None:
    """A project's fields travel with its memberships: a change to it makes every member's copy read again."""
    forget_memberships(Membership.objects.filter(project_id=project_id).values_list("project_id", "user_id"))


def _membership_changed(sender, instance, **kwargs) -> None:
    forget_memberships([(instance.project_id, instance.user_id)])


def _project_changed(sender, instance, created=False, **kwargs) -> None:
    if not created:
        forget_project(instance.pk)


def _about_to_update(sender, queryset, **kwargs) -> None:
    if sender is Membership:
        forget_memberships(queryset.values_list("project_id", "user_id"))
    else:
        for project_id in queryset.values_list("pk", flat=True):
            forget_project(project_id)


def connect_signals() -> None:
    about_to_update.connect(_about_to_update, dispatch_uid="kept-about-to-update")
    post_save.connect(_membership_changed, sender=Membership, dispatch_uid="kept-membership-saved")
    post_delete.connect(_membership_changed, sender=Membership, dispatch_uid="kept-membership-deleted")
    post_save.connect(_project_changed, sender=Project, dispatch_uid="kept-project-saved")
