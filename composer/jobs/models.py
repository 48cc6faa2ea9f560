"""Video jobs: the row is the truth about a render, from WAITING to a final state."""
from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from composer.teams.models import Project


class JobState(models.TextChoices):
    WAITING = "WAITING"
    PROCESSING = "PROCESSING"
    SUCCEED = "SUCCEED"
    FAILED = "FAILED"
    CANCELED = "CANCELED"


FINAL_STATES = (JobState.SUCCEED, JobState.FAILED, JobState.CANCELED)
#: Job states in a marketer's words, in the order the videos page offers them as filters; the page scripts read
#: this same table (embedded as JSON by the page shell, composer.studio.templatetags.studio).
JOB_STATE_LABELS = {JobState.PROCESSING: "Rendering", JobState.WAITING: "Waiting", JobState.SUCCEED: "Ready",
                    JobState.FAILED: "Failed", JobState.CANCELED: "Canceled"}


class Stage(models.TextChoices):
    QUEUED = "queued", "Queued"
    SPEECH = "speech", "Speech"
    LIPSYNC = "lipsync", "Lip-sync"
    COMPOSE = "compose", "Compose"
    ENCODE = "encode", "Encode"
    UPLOAD = "upload", "Upload"
    REMOTE = "remote", "On MetaStudio"
    DONE = "done", "Done"


class VideoBatch(models.Model):
    """One render of a template's approved revision per row of values: the rows as checked (values by variable,
    after mapping), and one ordinary VideoJob per row (VideoJob.batch, VideoJob.batch_row)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="video_batches")
    script_id = models.CharField(max_length=64)
    script_revision_id = models.CharField(max_length=64)
    revision = models.IntegerField()
    name = models.CharField(max_length=256, blank=True)
    # [{"values": {variable: value}, "output_name": str}, ...] in the rows' order.
    rows = models.JSONField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="video_batches")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"batch {self.id} ({len(self.rows)} rows)"


class VideoJob(models.Model):
    JOB_TYPE = "2D_DIGITAL_HUMAN_VIDEO"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="video_jobs")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="video_jobs")
    app_user_id = models.CharField(max_length=256, blank=True)
    script_id = models.CharField(max_length=64, blank=True)
    script_revision_id = models.CharField(max_length=64, blank=True)
    # The validated, defaults-applied create body: exactly what renders.
    spec = models.JSONField()
    asset_name = models.CharField(max_length=256, blank=True)
    # A job made for one row of a batch (a retried row has several; the newest is the row's job).
    batch = models.ForeignKey(VideoBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="jobs")
    batch_row = models.IntegerField(null=True, blank=True)
    # A batch's job not yet handed to the queue: a batch queues a few of its jobs at a time
    # (COMPOSER_BATCH_PARALLEL, composer/jobs/batches.py), so another project's video is not queued behind it.
    batch_held = models.BooleanField(default=False)

    state = models.CharField(max_length=16, choices=JobState.choices, default=JobState.WAITING, db_index=True)
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.QUEUED)
    percent = models.FloatField(default=0)
    frames_done = models.IntegerField(default=0)
    frames_total = models.IntegerField(default=0)
    eta_seconds = models.FloatField(null=True, blank=True)
    error_code = models.CharField(max_length=32, blank=True)
    error_msg = models.TextField(blank=True)

    # Worker bookkeeping: which attempt holds the claim, and when it last proved it was alive.
    attempts = models.IntegerField(default=0)
    claim_token = models.CharField(max_length=64, blank=True)
    worker = models.CharField(max_length=128, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    cancel_requested = models.BooleanField(default=False)
    # Set by the one worker that joins the finished scenes into the output.
    join_token = models.CharField(max_length=64, blank=True)

    # A job of a project that renders on MetaStudio: when its body was sent (set before sending, so it is sent
    # once at most), the remote's job id, and how often it has been polled (the backoff grows with it).
    remote_submitted_at = models.DateTimeField(null=True, blank=True)
    remote_job_id = models.CharField(max_length=64, blank=True)
    remote_polls = models.IntegerField(default=0)

    output_asset_id = models.CharField(max_length=64, blank=True)
    duration = models.FloatField(null=True, blank=True)
    start_time = models.DateTimeField(null=True, blank=True)
    end_time = models.DateTimeField(null=True, blank=True)
    create_time = models.DateTimeField(auto_now_add=True, db_index=True)
    lastupdate_time = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-create_time"]
        indexes = [models.Index(fields=["project", "-create_time"]),
                   # Every reaper pass looks for batches' held jobs (composer/jobs/turns.py release_held).
                   models.Index(fields=["batch"], condition=models.Q(batch_held=True), name="held_batch_jobs")]

    def __str__(self) -> str:
        return f"job {self.id} ({self.state})"

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES


class SceneState(models.TextChoices):
    WAITING = "WAITING"
    PROCESSING = "PROCESSING"
    DONE = "DONE"


class SceneRender(models.Model):
    """One shoot_script of a job, rendered by whichever worker claims it; scenes of a job render in parallel."""

    job = models.ForeignKey(VideoJob, on_delete=models.CASCADE, related_name="scenes")
    index = models.IntegerField()
    state = models.CharField(max_length=16, choices=SceneState.choices, default=SceneState.WAITING)
    attempts = models.IntegerField(default=0)
    claim_token = models.CharField(max_length=64, blank=True)
    worker = models.CharField(max_length=128, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.QUEUED)
    percent = models.FloatField(default=0)
    frames_done = models.IntegerField(default=0)
    frames_total = models.IntegerField(default=0)
    eta_seconds = models.FloatField(null=True, blank=True)
    # What join_scenes needs: the segment files and the scene's timing, as the renderer returned them.
    result = models.JSONField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["job", "index"]
        constraints = [models.UniqueConstraint(fields=["job", "index"], name="one_row_per_scene")]

    def __str__(self) -> str:
        return f"scene {self.index} of {self.job_id} ({self.state})"


class CallbackDelivery(models.Model):
    """Each attempt to POST a job's result to its callback_url, kept for the job page and support."""

    job = models.ForeignKey(VideoJob, on_delete=models.CASCADE, related_name="callback_deliveries")
    attempt = models.IntegerField()
    url = models.TextField()
    status_code = models.IntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    delivered = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["job", "attempt"]

    def __str__(self) -> str:
        return f"callback {self.attempt} for {self.job_id}"


class VideoTag(models.Model):
    """One tag (folder) of a video; `key` is the tag folded for matching, `name` as the user spelled it."""

    job = models.ForeignKey(VideoJob, on_delete=models.CASCADE, related_name="tag_rows")
    name = models.CharField(max_length=32)
    key = models.CharField(max_length=32, db_index=True)

    class Meta:
        ordering = ["job", "id"]
        constraints = [models.UniqueConstraint(fields=["job", "key"], name="one_tag_per_video_key")]

    def __str__(self) -> str:
        return self.name


class ShareLink(models.Model):
    """A link that lets anyone holding it watch and download one finished video until it expires or is revoked."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    job = models.ForeignKey(VideoJob, on_delete=models.CASCADE, related_name="share_links")
    # The secret part of the public URL (/s/<token>); the id alone never opens anything.
    token = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    view_count = models.IntegerField(default=0)
    last_viewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"share link {self.label!r} of {self.job_id}"
