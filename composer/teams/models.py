"""Projects (the API's project_id), memberships, API credentials and the audit log."""
from __future__ import annotations

import hashlib
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.dispatch import Signal


def new_project_id() -> str:
    # MetaStudio project ids are 32 lowercase hex characters.
    return uuid.uuid4().hex


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    EDITOR = "editor", "Editor"
    APPROVER = "approver", "Approver"
    VIEWER = "viewer", "Viewer"


# Sent before a queryset update of projects or memberships (which bypasses save() and its signals), with the
# queryset: kept copies of the rows it may change are dropped (composer.teams.kept).
about_to_update = Signal()


class KeptQuerySet(models.QuerySet):
    def update(self, **kwargs):
        about_to_update.send(sender=self.model, queryset=self)
        return super().update(**kwargs)


class Project(models.Model):
    id = models.CharField(primary_key=True, max_length=32, default=new_project_id, editable=False)
    name = models.CharField(max_length=128, unique=True)
    require_approval = models.BooleanField(default=True)
    allow_self_approval = models.BooleanField(default=False)
    # Automatic content review: words that may not appear in a script's speech or text layers.
    review_words = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="projects")

    objects = KeptQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.EDITOR)
    # Members on the project's review allow-list may set review_config.no_need_review.
    may_skip_review = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = KeptQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="one_membership_per_user")]

    def __str__(self) -> str:
        return f"{self.user} in {self.project} as {self.role}"


class InvitationState(models.TextChoices):
    PENDING = "PENDING", "Pending"
    ACCEPTED = "ACCEPTED", "Accepted"
    DECLINED = "DECLINED", "Declined"
    REVOKED = "REVOKED", "Revoked"


class Invitation(models.Model):
    """An owner's offer of a role in a project to a username; the person joins only by accepting it.

    `user` is the active account the username named when the invitation was made, or null when none did: such an
    invitation can never be accepted (an account made later under that name does not inherit it), and the owner's
    answer does not say which case it is, so invitations cannot be used to find out which usernames exist."""

    id = models.CharField(primary_key=True, max_length=32, default=new_project_id, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="invitations")
    username = models.CharField(max_length=150)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="invitations")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.EDITOR)
    may_skip_review = models.BooleanField(default=False)
    state = models.CharField(max_length=16, choices=InvitationState.choices, default=InvitationState.PENDING)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "username"],
                                               condition=models.Q(state="PENDING"),
                                               name="one_pending_invitation_per_username")]

    def __str__(self) -> str:
        return f"{self.username} to {self.project} as {self.role} ({self.state})"


def new_access_key() -> str:
    return secrets.token_hex(10).upper()


def new_secret_key() -> str:
    return secrets.token_urlsafe(30)


class AccessKey(models.Model):
    """An AK/SK pair for SDK-HMAC-SHA256 signing, bound to one user in one project.

    The SK is kept because verifying an HMAC needs it; it is shown to the user once.
    """

    ak = models.CharField(max_length=40, unique=True, default=new_access_key)
    sk = models.CharField(max_length=80, default=new_secret_key)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_keys")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="access_keys")
    description = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.ak


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AuthToken(models.Model):
    """A per-user X-Auth-Token. Only its SHA-256 is stored; the token is shown once."""

    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="auth_tokens")
    description = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}…"


class AuditEntry(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="audit_entries", null=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    action = models.CharField(max_length=48)
    object_type = models.CharField(max_length=32, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["project", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}:{self.object_id}"


class RenderTarget(models.Model):
    """Where the project's approved jobs render: here ("local", the default when there is no row) or on a
    MetaStudio account. The SK is kept encrypted (composer/lib/secrets_box.py) and never shown again."""

    LOCAL = "local"
    METASTUDIO = "metastudio"

    project = models.OneToOneField(Project, on_delete=models.CASCADE, primary_key=True,
                                   related_name="render_target")
    kind = models.CharField(max_length=16, default=LOCAL)
    endpoint = models.CharField(max_length=256, blank=True)
    remote_project_id = models.CharField(max_length=64, blank=True)
    ak = models.CharField(max_length=128, blank=True)
    sk_encrypted = models.TextField(blank=True)
    # The last connection test or call: "ok" or "failing", when, and the remote's refusal in words.
    status = models.CharField(max_length=16, blank=True)
    status_detail = models.TextField(blank=True)
    status_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.project_id} renders on {self.kind}"
