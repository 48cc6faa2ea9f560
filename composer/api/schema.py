"""OpenAPI components: the create body comes from composer.spec's own declarations (one source of rules)."""
from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers


class _LazySchema(dict):
    """A dict schema computed on first use, so importing the API does not build the whole spec schema."""

    def __init__(self, factory):
        super().__init__()
        self._factory = factory

    def _load(self):
        if not super().__len__():
            self.update(self._factory())

    def __getitem__(self, key):
        self._load()
        return super().__getitem__(key)

    def items(self):
        self._load()
        return super().items()

    def keys(self):
        self._load()
        return super().keys()

    def __iter__(self):
        self._load()
        return super().__iter__()

    def __len__(self):
        self._load()
        return super().__len__()


def _create_body_schema() -> dict:
    from composer.spec import create_body_json_schema

    return create_body_json_schema()


CREATE_BODY = _LazySchema(_create_body_schema)

ERROR = inline_serializer("ErrorResponse", {
    "error_code": serializers.CharField(help_text="e.g. MSS.00000003"),
    "error_msg": serializers.CharField(help_text="names the field and the rule"),
})
JOB_ID = inline_serializer("Create2DDigitalHumanVideoResponse", {"job_id": serializers.UUIDField()})

_OUTPUT = inline_serializer("OutputAssetInfo", {
    "asset_id": serializers.CharField(allow_null=True), "asset_name": serializers.CharField(),
    "cover_url": serializers.CharField(allow_null=True), "preview_video_url": serializers.CharField(allow_null=True),
})
_PROGRESS = inline_serializer("JobProgress", {
    "stage": serializers.CharField(), "percent": serializers.FloatField(),
    "frames_done": serializers.IntegerField(), "frames_total": serializers.IntegerField(),
    "eta_seconds": serializers.FloatField(allow_null=True),
})
_JOB_FIELDS = {
    "job_id": serializers.UUIDField(),
    "state": serializers.ChoiceField(["WAITING", "PROCESSING", "SUCCEED", "FAILED", "CANCELED"]),
    "job_type": serializers.CharField(),
    "start_time": serializers.CharField(allow_null=True), "end_time": serializers.CharField(allow_null=True),
    "duration": serializers.FloatField(allow_null=True),
    "output_asset_config": _OUTPUT,
    "error_info": inline_serializer("ErrorInfo", {"error_code": serializers.CharField(),
                                                  "error_msg": serializers.CharField()}, allow_null=True),
    "create_time": serializers.CharField(), "lastupdate_time": serializers.CharField(),
    "script_id": serializers.CharField(allow_null=True),
    "progress": _PROGRESS,
}
JOB = inline_serializer("DigitalHumanVideo", _JOB_FIELDS)
JOB_LIST = inline_serializer("ListDigitalHumanVideoResponse", {
    "count": serializers.IntegerField(),
    "jobs": inline_serializer("DigitalHumanVideoItem", _JOB_FIELDS, many=True),
})

__all__ = ["CREATE_BODY", "ERROR", "JOB", "JOB_ID", "JOB_LIST", "OpenApiResponse"]
