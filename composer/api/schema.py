"""OpenAPI components: the create body comes from composer.spec's own declarations (one source of rules)."""
from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from composer.jobs.models import JobState
from composer.jobs.payloads import SCRIPT_FIELDS
from composer.spec import create_body_json_schema


def create_body_request() -> dict:
    """The create body for drf-spectacular, generated from composer.spec's declarations."""
    return {"application/json": create_body_json_schema()}


CREATE_BODY = create_body_request()


class SdkHmacScheme(OpenApiAuthenticationExtension):
    target_class = "composer.api.auth.SdkHmacAuthentication"
    name = "AkSk"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=..., Signature=... (the Huawei Cloud "
                               "SDK signs requests this way; also send X-Sdk-Date and X-Project-Id)"}


class AuthTokenScheme(OpenApiAuthenticationExtension):
    target_class = "composer.api.auth.AuthTokenAuthentication"
    name = "AuthToken"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "X-Auth-Token"}


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "composer.api.auth.CsrfSessionAuthentication"
    name = "Session"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}


ERROR = inline_serializer("ErrorResponse", {
    "error_code": serializers.CharField(help_text="e.g. MSS.00000003"),
    "error_msg": serializers.CharField(help_text="names the field and the rule"),
})
JOB_ID = inline_serializer("Create2DDigitalHumanVideoResponse", {"job_id": serializers.UUIDField()})

_OUTPUT = inline_serializer("OutputAssetInfo", {
    "asset_id": serializers.CharField(allow_null=True), "asset_name": serializers.CharField(),
    "cover_url": serializers.CharField(allow_null=True), "preview_video_url": serializers.CharField(allow_null=True),
    "subtitle_srt_url": serializers.CharField(allow_null=True, help_text="Composer: the video's subtitles (SRT)"),
    "subtitle_vtt_url": serializers.CharField(allow_null=True, help_text="Composer: the video's subtitles (WebVTT)"),
})
_PROGRESS = inline_serializer("JobProgress", {
    "stage": serializers.CharField(), "percent": serializers.FloatField(),
    "frames_done": serializers.IntegerField(), "frames_total": serializers.IntegerField(),
    "eta_seconds": serializers.FloatField(allow_null=True),
})
_JOB_FIELDS = {
    "job_id": serializers.UUIDField(),
    "state": serializers.ChoiceField(JobState.values),
    "job_type": serializers.CharField(),
    "start_time": serializers.CharField(allow_null=True), "end_time": serializers.CharField(allow_null=True),
    "duration": serializers.FloatField(allow_null=True),
    "output_asset_config": _OUTPUT,
    "error_info": inline_serializer("ErrorInfo", {"error_code": serializers.CharField(),
                                                  "error_msg": serializers.CharField()}, allow_null=True),
    "create_time": serializers.CharField(), "lastupdate_time": serializers.CharField(),
    "script_id": serializers.CharField(allow_null=True),
    "tags": serializers.ListField(child=serializers.CharField(), help_text="Composer: the video's tags"),
    "progress": _PROGRESS,
    "dropped_extensions": serializers.ListField(
        child=serializers.CharField(), required=False,
        help_text="Composer, jobs rendered on MetaStudio: the paths of our extensions in the body (e.g. a layer's "
                  "timing) that MetaStudio does not define, so they were not sent there"),
}
# Copies of the fields: DRF's serializer class takes them out of the dict it is built from.
JOB = inline_serializer("DigitalHumanVideo", {**_JOB_FIELDS, **{
    field: serializers.JSONField(required=False, help_text="with ?show_script=true: the composition's part")
    for field in SCRIPT_FIELDS}})
_JOB_ITEM = inline_serializer("DigitalHumanVideoItem", dict(_JOB_FIELDS))
JOB_LIST = inline_serializer("ListDigitalHumanVideoResponse", {
    "count": serializers.IntegerField(),
    "jobs": _JOB_ITEM.__class__(many=True),
    "videos": _JOB_ITEM.__class__(many=True, help_text="Composer: the same list under the name our docs use"),
})

__all__ = ["CREATE_BODY", "ERROR", "JOB", "JOB_ID", "JOB_LIST"]
