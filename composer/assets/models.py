"""The asset library: files a project uses (avatars, voices, images, videos, music, audio, fonts) and renders."""
from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models

from composer.assets.signing import signed_url
from composer.teams.models import Project


def new_asset_id() -> str:
    return uuid.uuid4().hex


class AssetType(models.TextChoices):
    HUMAN_MODEL_2D = "HUMAN_MODEL_2D", "Avatar"
    VOICE_MODEL = "VOICE_MODEL", "Voice"
    IMAGE = "IMAGE", "Image"
    VIDEO = "VIDEO", "Video"
    MUSIC = "MUSIC", "Music"
    AUDIO = "AUDIO", "Audio"
    FONT = "FONT", "Font"


class AssetState(models.TextChoices):
    CREATING = "CREATING"
    ACTIVED = "ACTIVED"
    FAILED = "FAILED"
    DELETED = "DELETED"


def asset_upload_to(instance: Asset, filename: str) -> str:
    # Stored under generated names only: the user's file name is data, never a path.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"assets/{instance.project_id}/{instance.id}/{uuid.uuid4().hex}.{suffix}"


class AssetSource(models.TextChoices):
    LOCAL = "local"                 # uploaded, built or rendered here: its files are here
    METASTUDIO = "metastudio"       # imported from the project's MetaStudio account: it renders there only


class Asset(models.Model):
    id = models.CharField(primary_key=True, max_length=32, default=new_asset_id, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="assets")
    name = models.CharField(max_length=256)
    description = models.TextField(blank=True)
    asset_type = models.CharField(max_length=20, choices=AssetType.choices, db_index=True)
    state = models.CharField(max_length=12, choices=AssetState.choices, default=AssetState.CREATING, db_index=True)
    reason = models.TextField(blank=True)
    file = models.FileField(upload_to=asset_upload_to, max_length=255, blank=True)
    original_filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size_bytes = models.BigIntegerField(default=0)
    cover = models.FileField(upload_to=asset_upload_to, max_length=255, blank=True)
    subtitle_srt = models.FileField(upload_to=asset_upload_to, max_length=255, blank=True)
    subtitle_vtt = models.FileField(upload_to=asset_upload_to, max_length=255, blank=True)
    duration = models.FloatField(null=True, blank=True)
    width = models.IntegerField(null=True, blank=True)
    height = models.IntegerField(null=True, blank=True)
    meta = models.JSONField(default=dict, blank=True)
    tags = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=16, choices=AssetSource.choices, default=AssetSource.LOCAL)
    # The remote's asset id, for an asset imported from MetaStudio (jobs sent there name it by this id).
    remote_asset_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    #: built-in presets (composer.assets.presets) answer True; they read like assets otherwise
    is_preset = False

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["project", "asset_type", "state"])]
        constraints = [models.UniqueConstraint(fields=["project", "remote_asset_id"],
                                               condition=~models.Q(remote_asset_id=""),
                                               name="one_import_per_remote_asset")]

    def __str__(self) -> str:
        return f"{self.name} ({self.asset_type})"

    @property
    def local_path(self) -> Path | None:
        """The stored file, for the renderer and the pages; None while there is none."""
        return Path(self.file.path) if self.file else None

    @property
    def cover_path(self) -> Path | None:
        return Path(self.cover.path) if self.cover else None

    def file_url(self) -> str:
        return signed_url(self, "file") if self.file else ""

    def cover_url(self) -> str:
        return signed_url(self, "cover") if self.cover else ""


class BrandKit(models.Model):
    """A project's brand kit: asset ids (logos, fonts, intro, outro, music), a palette and a subtitle style.
    The rules on what it may hold are composer.assets.brand's."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, primary_key=True, related_name="brand_kit")
    palette = models.JSONField(default=list, blank=True)
    logo_asset_ids = models.JSONField(default=list, blank=True)
    font_asset_ids = models.JSONField(default=list, blank=True)
    intro_asset_id = models.CharField(max_length=64, blank=True)
    outro_asset_id = models.CharField(max_length=64, blank=True)
    music_asset_id = models.CharField(max_length=64, blank=True)
    subtitle_style = models.JSONField(default=dict, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    #: the fields holding lists of asset ids, and those holding one ("" when unset)
    ASSET_LIST_FIELDS = ("logo_asset_ids", "font_asset_ids")
    ASSET_ID_FIELDS = ("intro_asset_id", "outro_asset_id", "music_asset_id")

    def __str__(self) -> str:
        return f"brand kit of {self.project_id}"

    def uses(self, asset_id: str) -> list[str]:
        """The fields that hold `asset_id`."""
        return [name for name in self.ASSET_LIST_FIELDS if asset_id in getattr(self, name)] + \
            [name for name in self.ASSET_ID_FIELDS if getattr(self, name) == asset_id]

    def forget(self, asset_id: str) -> list[str]:
        """Take `asset_id` out of every field that holds it (not saved); returns those fields."""
        fields = self.uses(asset_id)
        for name in fields:
            value = getattr(self, name)
            setattr(self, name, [item for item in value if item != asset_id] if isinstance(value, list) else "")
        return fields
