"""Team services: projects, memberships, credentials and the audit log."""
from __future__ import annotations

import re
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from composer.errors import Conflict, InvalidInput, NotFound, json_object
from composer.lib.inputs import optional_text
from composer.teams import kept
from composer.teams.credentials import ACCESS_KEY, forget
from composer.teams.models import (
    AccessKey,
    AuditEntry,
    AuthToken,
    Invitation,
    InvitationState,
    Membership,
    Project,
    Role,
    hash_token,
)


class TeamError(InvalidInput):
    """A team rule was broken; the message says which."""


USERNAME_RE = re.compile(r"^[\w.@+-]{1,150}$")
MAX_REVIEW_WORDS = 500
MAX_REVIEW_WORD_LENGTH = 64
MAX_DESCRIPTION_LENGTH = 128
PROJECT_SETTINGS = ("require_approval", "allow_self_approval")


def record_audit(project: Project | None, user: AbstractBaseUser | None, action: str, obj: Any = None,
                 **detail: Any) -> AuditEntry:
    """Write one audit row: who did what to which object."""
    object_type = obj.__class__.__name__.lower() if obj is not None else ""
    object_id = str(getattr(obj, "pk", "")) if obj is not None else ""
    return AuditEntry.objects.create(project=project, user=user, action=action, object_type=object_type,
                                     object_id=object_id, detail=detail)


def membership_of(user: AbstractBaseUser | None, project: Project | str) -> Membership | None:
    """The user's membership of `project` (the project or its id), with its project and user loaded; None for
    anonymous callers and non-members. Every room (API, pages, websockets, services) asks through here."""
    if user is None or not user.is_authenticated:
        return None
    project_id = project.pk if isinstance(project, Project) else project

    def load() -> Membership | None:
        # get(), not first(): one row at most, and no ORDER BY to build. The user is the one asked about: no join
        # to read it again (and the kept copy holds no user).
        try:
            return Membership.objects.select_related("project").get(project_id=project_id, user=user)
        except Membership.DoesNotExist:
            return None

    membership = kept.membership(project_id, user.pk, load)
    if membership is not None:
        membership.user = user
    return membership


def memberships_of(user: AbstractBaseUser) -> Any:
    """Every project the user belongs to, as their memberships (project loaded), by project name."""
    return Membership.objects.filter(user=user).select_related("project").order_by("project__name")


def list_members(project: Project, *, by_role: bool = False) -> Any:
    """The project's members (user loaded) by username, or grouped by role first."""
    order = ("role", "user__username") if by_role else ("user__username",)
    return Membership.objects.filter(project=project).select_related("user").order_by(*order)


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
def create_auth_token(user: AbstractBaseUser, *, description: str = "",
                      project: Project | None = None) -> tuple[AuthToken, str]:
    """Issue an X-Auth-Token; returns the row and the token, which is never stored in clear.
    `project` only says in which project's audit log the issue is recorded (tokens work in all of them)."""
    token = "cmp_" + secrets.token_urlsafe(32)
    row = AuthToken.objects.create(user=user, digest=hash_token(token), prefix=token[:8], description=description)
    record_audit(project, user, "authtoken.create", row, prefix=row.prefix)
    return row, token


@transaction.atomic
def revoke_auth_token(row: AuthToken, *, user: AbstractBaseUser, project: Project | None = None) -> None:
    if row.revoked_at is None:
        row.revoked_at = timezone.now()
        row.save(update_fields=["revoked_at"])
        record_audit(project, user, "authtoken.revoke", row, prefix=row.prefix)


def credential_description(value: Any) -> str:
    """The label a member gives an access key or token."""
    return (optional_text(value, "description", MAX_DESCRIPTION_LENGTH) or "").strip()


def list_access_keys(user: AbstractBaseUser, project: Project) -> Any:
    """The caller's own unrevoked AK/SK pairs for `project`, newest first."""
    return AccessKey.objects.filter(user=user, project=project, revoked_at=None).order_by("-created_at", "-id")


def get_own_access_key(user: AbstractBaseUser, project: Project, ak: str) -> AccessKey:
    """One of the caller's unrevoked keys; anyone else's key is as unknown as a missing one."""
    key = list_access_keys(user, project).filter(ak=ak).select_related("project").first()
    if key is None:
        raise NotFound(f"ak: no access key {ak!r} of yours in this project")
    return key


def list_auth_tokens(user: AbstractBaseUser) -> Any:
    """The caller's own unrevoked X-Auth-Tokens, newest first."""
    return AuthToken.objects.filter(user=user, revoked_at=None).order_by("-created_at", "-id")


def get_own_auth_token(user: AbstractBaseUser, token_id: str) -> AuthToken:
    row = list_auth_tokens(user).filter(pk=int(token_id)).first() if str(token_id).isdigit() else None
    if row is None:
        raise NotFound(f"id: no auth token {token_id!r} of yours")
    return row


def checked_username(value: Any) -> str:
    """A username as accounts are named: the same rule whether or not such an account exists."""
    if not isinstance(value, str) or not USERNAME_RE.match(value):
        raise InvalidInput("username: 1-150 letters, digits and @ . + - _ only")
    return value


def checked_role(value: Any) -> str:
    if value not in Role.values:
        raise InvalidInput(f"role: must be one of {', '.join(Role.values)} (got {value!r})")
    return value


def checked_flag(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(f"{field}: must be true or false")
    return value


def get_membership(project: Project, username: str) -> Membership:
    """The membership of `username` in `project`; other projects' members are as unknown as missing ones."""
    membership = (Membership.objects.select_related("user")
                  .filter(project=project, user__username=username).first())
    if membership is None:
        raise NotFound(f"username: {username!r} is not a member of this project")
    return membership


def _keep_an_owner(membership: Membership, new_role: str | None) -> None:
    """A project always keeps at least one owner, or nobody could manage its members again."""
    if membership.role != Role.OWNER or new_role == Role.OWNER:
        return
    owners = Membership.objects.filter(project=membership.project, role=Role.OWNER).count()
    if owners <= 1:
        raise Conflict(f"username: {membership.user.get_username()} is the project's only owner; "
                       "make another member owner first")


@transaction.atomic
def add_member(project: Project, username: str, *, role: str, by: AbstractBaseUser,
               may_skip_review: bool = False) -> Membership:
    """Make an existing user a member of `project` at once, without asking them: for accounts the owner has just
    made, the demo and the tests, and the API when COMPOSER_DIRECT_MEMBER_ADDS is on. Owners otherwise invite
    (composer.teams.invitations), and the person joins by accepting."""
    role = checked_role(role)
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise InvalidInput(f"username: no active user {username!r}; send email and password to create the account")
    if Membership.objects.filter(project=project, user=user).exists():
        raise Conflict(f"username: {username!r} is already a member of this project")
    membership = Membership.objects.create(project=project, user=user, role=role,
                                           may_skip_review=checked_flag(may_skip_review, "may_skip_review"))
    # An invitation still waiting for this username has nothing left to offer.
    Invitation.objects.filter(project=project, username=username, state=InvitationState.PENDING) \
        .update(state=InvitationState.REVOKED, answered_at=timezone.now())
    record_audit(project, by, "member.add", membership, username=username, role=role)
    return membership


@transaction.atomic
def create_member_account(project: Project, username: str, *, email: str, password: str, role: str,
                          by: AbstractBaseUser, may_skip_review: bool = False) -> Membership:
    """Create a user account and make it a member of `project`. Everything the owner sent is checked first, so
    that a taken username is said only where the account could otherwise be made, and with nothing about the
    account that holds it."""
    role = checked_role(role)
    checked_username(username)
    if not isinstance(password, str) or not isinstance(email, str):
        raise InvalidInput("password: a new account needs a password and an email")
    user_model = get_user_model()
    candidate = user_model(username=username, email=email)
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        raise InvalidInput(f"password: {' '.join(exc.messages)}") from exc
    if user_model.objects.filter(username=username).exists():
        raise Conflict(f"username: {username!r} cannot be used for a new account; choose another username")
    user = user_model.objects.create_user(username=username, email=email, password=password)
    record_audit(project, by, "user.create", user, username=username)
    return add_member(project, username, role=role, by=by, may_skip_review=may_skip_review)


@transaction.atomic
def change_member(membership: Membership, *, by: AbstractBaseUser, role: str | None = None,
                  may_skip_review: bool | None = None) -> Membership:
    """Change a member's role and/or their place on the review allow-list."""
    membership = Membership.objects.select_for_update().select_related("user", "project").get(pk=membership.pk)
    changes: dict[str, Any] = {}
    if role is not None:
        _keep_an_owner(membership, checked_role(role))
        changes["role"] = [membership.role, role]
        membership.role = role
    if may_skip_review is not None:
        changes["may_skip_review"] = [membership.may_skip_review, checked_flag(may_skip_review, "may_skip_review")]
        membership.may_skip_review = may_skip_review
    if not changes:
        raise InvalidInput("body: send role and/or may_skip_review")
    membership.save(update_fields=["role", "may_skip_review"])
    record_audit(membership.project, by, "member.change", membership, username=membership.user.get_username(),
                 **changes)
    return membership


@transaction.atomic
def remove_member(membership: Membership, *, by: AbstractBaseUser) -> None:
    """Take a member out of the project; their access keys for it stop working."""
    membership = Membership.objects.select_for_update().select_related("user", "project").get(pk=membership.pk)
    _keep_an_owner(membership, None)
    keys = AccessKey.objects.filter(project=membership.project, user=membership.user, revoked_at=None)
    forget([(ACCESS_KEY, ak) for ak in keys.values_list("ak", flat=True)])
    keys.update(revoked_at=timezone.now())
    record_audit(membership.project, by, "member.remove", membership, username=membership.user.get_username(),
                 role=membership.role)
    membership.delete()


@transaction.atomic
def set_review_words(project: Project, words: Any, *, by: AbstractBaseUser) -> list[str]:
    """Replace the project's review word list (trimmed, de-duplicated ignoring case)."""
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise InvalidInput("review_words: must be a list of strings")
    if len(words) > MAX_REVIEW_WORDS:
        raise InvalidInput(f"review_words: at most {MAX_REVIEW_WORDS} words (got {len(words)})")
    cleaned: dict[str, str] = {}
    for i, word in enumerate(words):
        word = word.strip()
        if not word or len(word) > MAX_REVIEW_WORD_LENGTH:
            raise InvalidInput(f"review_words[{i}]: must have 1-{MAX_REVIEW_WORD_LENGTH} characters")
        cleaned.setdefault(word.casefold(), word)
    project = Project.objects.select_for_update().get(pk=project.pk)
    project.review_words = list(cleaned.values())
    project.save(update_fields=["review_words"])
    record_audit(project, by, "project.review_words", project, count=len(project.review_words))
    return project.review_words


@transaction.atomic
def update_project_settings(project: Project, data: Any, *, by: AbstractBaseUser) -> Project:
    """Change the project's approval rules: require_approval and/or allow_self_approval."""
    data = json_object(data)
    unknown = sorted(set(data) - set(PROJECT_SETTINGS))
    if unknown:
        raise InvalidInput(f"{unknown[0]}: not a project setting (settable: {', '.join(PROJECT_SETTINGS)})")
    if not data:
        raise InvalidInput(f"body: send {' and/or '.join(PROJECT_SETTINGS)}")
    project = Project.objects.select_for_update().get(pk=project.pk)
    changes = {}
    for field, value in data.items():
        flag = checked_flag(value, field)
        changes[field] = [getattr(project, field), flag]
        setattr(project, field, flag)
    project.save(update_fields=list(data))
    record_audit(project, by, "project.settings", project, **changes)
    return project


def list_audit(project: Project, *, action: str = "", username: str = "") -> Any:
    """The project's audit rows, newest first; optionally only one action and/or one user's rows."""
    entries = AuditEntry.objects.filter(project=project).select_related("user")
    if action:
        entries = entries.filter(action=action)
    if username:
        entries = entries.filter(user__username=username)
    return entries
