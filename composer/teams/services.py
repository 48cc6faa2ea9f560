"""Team services: projects, memberships, credentials and the audit log."""
from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from composer.teams.models import (
    AccessKey,
    AuditEntry,
    AuthToken,
    Membership,
    Project,
    Role,
    hash_token,
)


class TeamError(Exception):
    """A team rule was broken; the message says which."""


def record_audit(project: Project | None, user: AbstractBaseUser | None, action: str, obj: Any = None,
                 **detail: Any) -> AuditEntry:
    """Write one audit row: who did what to which object."""
    object_type = obj.__class__.__name__.lower() if obj is not None else ""
    object_id = str(getattr(obj, "pk", "")) if obj is not None else ""
    return AuditEntry.objects.create(project=project, user=user, action=action, object_type=object_type,
                                     object_id=object_id, detail=detail)


def membership_of(user: AbstractBaseUser, project: Project) -> Membership | None:
    if user is None or not user.is_authenticated:
        return None
    return Membership.objects.filter(project=project, user=user).first()


@transaction.atomic
def create_project(name: str, *, owner: AbstractBaseUser) -> Project:
    """Create a project with `owner` as its first member."""
    if Project.objects.filter(name=name).exists():
        raise TeamError(f"name: a project named {name!r} already exists")
    project = Project.objects.create(name=name)
    Membership.objects.create(project=project, user=owner, role=Role.OWNER, may_skip_review=True)
    record_audit(project, owner, "project.create", project, name=name)
    return project


@transaction.atomic
def create_access_key(user: AbstractBaseUser, project: Project, *, description: str = "") -> AccessKey:
    """Issue an AK/SK pair for a member of `project`."""
    if membership_of(user, project) is None:
        raise TeamError("project: the user is not a member of this project")
    key = AccessKey.objects.create(user=user, project=project, description=description)
    record_audit(project, user, "accesskey.create", key, ak=key.ak)
    return key


@transaction.atomic
def revoke_access_key(key: AccessKey, *, user: AbstractBaseUser) -> None:
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        record_audit(key.project, user, "accesskey.revoke", key, ak=key.ak)


@transaction.atomic
def create_auth_token(user: AbstractBaseUser, *, description: str = "") -> tuple[AuthToken, str]:
    """Issue an X-Auth-Token; returns the row and the token, which is never stored in clear."""
    token = "cmp_" + secrets.token_urlsafe(32)
    row = AuthToken.objects.create(user=user, digest=hash_token(token), prefix=token[:8], description=description)
    record_audit(None, user, "authtoken.create", row, prefix=row.prefix)
    return row, token


@transaction.atomic
def revoke_auth_token(row: AuthToken, *, user: AbstractBaseUser) -> None:
    if row.revoked_at is None:
        row.revoked_at = timezone.now()
        row.save(update_fields=["revoked_at"])
        record_audit(None, user, "authtoken.revoke", row, prefix=row.prefix)
