"""Saved compositions (MetaStudio "video scripts"), their immutable revisions and approval requests."""
from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from composer.teams.models import Project


def new_id() -> str:
    return uuid.uuid4().hex


class Script(models.Model):
    id = models.CharField(primary_key=True, max_length=32, default=new_id, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="scripts")
    name = models.CharField(max_length=256)
    description = models.TextField(blank=True)
    # Every scene's script text of the latest revision, kept beside the JSON so a search is a plain, portable
    # LIKE on SQLite and PostgreSQL alike.
    search_text = models.TextField(blank=True, default="")
    # The latest revision: what the editor opens and what a job renders once it is approved.
    head = models.ForeignKey("ScriptRevision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "id"]
        indexes = [models.Index(fields=["project", "-updated_at"])]

    def __str__(self) -> str:
        return self.name


class ScriptTag(models.Model):
    """One tag (folder) of a script; `key` is the tag folded for matching, `name` as the user spelled it."""

    script = models.ForeignKey(Script, on_delete=models.CASCADE, related_name="tag_rows")
    name = models.CharField(max_length=32)
    key = models.CharField(max_length=32, db_index=True)

    class Meta:
        ordering = ["script", "id"]
        constraints = [models.UniqueConstraint(fields=["script", "key"], name="one_tag_per_script_key")]

    def __str__(self) -> str:
        return self.name


class ScriptRevision(models.Model):
    """One saved state of a script's composition; never changed after it is written."""

    id = models.CharField(primary_key=True, max_length=32, default=new_id, editable=False)
    script = models.ForeignKey(Script, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    composition = models.JSONField()
    # sha256 of the canonical JSON: what an approval pins.
    content_hash = models.CharField(max_length=64)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")
    restored_from = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["script", "-number"]
        constraints = [models.UniqueConstraint(fields=["script", "number"], name="one_revision_number_per_script")]

    def __str__(self) -> str:
        return f"{self.script_id} r{self.number}"


class ApprovalState(models.TextChoices):
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    # A newer revision (or a newer request) replaced the one this request was about.
    SUPERSEDED = "SUPERSEDED"


class ApprovalRequest(models.Model):
    id = models.CharField(primary_key=True, max_length=32, default=new_id, editable=False)
    script = models.ForeignKey(Script, on_delete=models.CASCADE, related_name="approval_requests")
    revision = models.ForeignKey(ScriptRevision, on_delete=models.CASCADE, related_name="approval_requests")
    content_hash = models.CharField(max_length=64)
    state = models.CharField(max_length=12, choices=ApprovalState.choices, default=ApprovalState.PENDING,
                             db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     related_name="+")
    # The requester's note to the approvers (e.g. how a rejection was answered); our addition, `note` in the API.
    note = models.TextField(blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    decision_comment = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "id"]

    def __str__(self) -> str:
        return f"approval of {self.revision} ({self.state})"
