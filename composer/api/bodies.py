"""The request and response bodies of the API's operations beyond the video jobs (composer.api.schema), for the
OpenAPI schema: what the payload functions answer and what the services read. tests/api/test_openapi.py holds
every operation to having them and checks real answers against them."""
from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import PolymorphicProxySerializer, inline_serializer
from rest_framework import serializers as s

from composer.assets.models import AssetState, AssetType
from composer.scripts.models import ApprovalState
from composer.scripts.payloads import SUMMARY_STATES
from composer.spec import composition_json_schema
from composer.spec.tables import SCRIPT_TYPES, TEXT_CONFIG, VOICE_CONFIG
from composer.teams.models import InvitationState, Role

TIME = {"allow_null": True, "help_text": "UTC, ISO 8601 (2025-01-31T08:00:00Z)"}


def _obj(name: str, fields: dict[str, Any], **kwargs):
    # A copy: DRF's serializer class takes the fields out of the dict it is built from.
    return inline_serializer(name, dict(fields), **kwargs)


def page_of(name: str, key: str, item) -> Any:
    """{"count": total, key: [one page of items]}"""
    return _obj(name, {"count": s.IntegerField(help_text="all matching items, not only this page"),
                       key: item.__class__(many=True)})


def binary(*media_types: str) -> dict:
    """A 200 answer of raw bytes in one of these media types."""
    return {(200, media_type): OpenApiTypes.BINARY for media_type in media_types}


#: operations that read no body: {} or nothing
EMPTY = {"application/json": {"type": "object", "maxProperties": 0, "description": "no body: send {} or nothing"}}
#: an answer with nothing to say
NOTHING = {"type": "object", "maxProperties": 0, "description": "an empty object"}
DESCRIPTION = _obj("CredentialRequest", {
    "description": s.CharField(required=False, max_length=128, help_text="a label for the credential")})

# --- assets ----------------------------------------------------------------------------------------------------
ASSET_FILE = _obj("AssetFileInfo", {
    "file_id": s.CharField(), "file_name": s.CharField(allow_null=True), "file_md5": s.CharField(allow_null=True),
    "file_size": s.IntegerField(allow_null=True), "file_type": s.CharField(),
    "asset_file_category": s.ChoiceField(["MAIN", "COVER"]), "download_url": s.CharField(help_text="signed link"),
    "state": s.CharField()})
ASSET = _obj("DigitalAssetInfo", {
    "project_id": s.CharField(allow_null=True, help_text="null for built-in presets"),
    "asset_id": s.CharField(), "asset_name": s.CharField(), "asset_description": s.CharField(allow_blank=True),
    "app_user_id": s.CharField(allow_null=True), "create_time": s.CharField(**TIME),
    "update_time": s.CharField(**TIME), "asset_type": s.ChoiceField(AssetType.values),
    "asset_state": s.ChoiceField(AssetState.values), "reason": s.CharField(allow_null=True),
    "tags": s.ListField(child=s.CharField()),
    "asset_extra_meta": s.DictField(help_text="human_model_2d_meta, voice_model_meta, image_meta, video_meta or "
                                              "audio_meta, by asset type"),
    "files": ASSET_FILE.__class__(many=True),
    "is_preset": s.BooleanField(help_text="Composer: a built-in preset (read-only)"),
    "source": s.ChoiceField(["local", "metastudio", "builtin"], help_text="Composer: where the asset lives "
                            "(metastudio: imported from the project's MetaStudio account, renders there only)"),
    "remote_asset_id": s.CharField(allow_null=True, help_text="Composer: the MetaStudio asset id of an import"),
    "file_name": s.CharField(allow_null=True, allow_blank=True), "content_type": s.CharField(allow_null=True,
                                                                                               allow_blank=True),
    "size_bytes": s.IntegerField(allow_null=True), "width": s.IntegerField(allow_null=True),
    "height": s.IntegerField(allow_null=True), "duration": s.FloatField(allow_null=True),
    "cover_url": s.CharField(allow_null=True), "meta": s.DictField(help_text="what the upload checks learned")})
ASSET_LIST = page_of("ListAssetsResponse", "assets", ASSET)
ASSET_TAGS = s.ListField(child=s.CharField(max_length=64), max_length=20, required=False)
CREATE_ASSET = _obj("CreateDigitalAssetRequest", {
    "asset_name": s.CharField(max_length=256), "asset_type": s.ChoiceField(AssetType.values),
    "asset_description": s.CharField(required=False, allow_blank=True, max_length=1024), "tags": ASSET_TAGS})
CREATED_ASSET = _obj("CreateDigitalAssetResponse", {
    "asset_id": s.CharField(), "upload_url": s.CharField(help_text="POST the file here (multipart field 'file')")})
UPDATE_ASSET = _obj("UpdateDigitalAssetRequest", {
    "asset_name": s.CharField(required=False, max_length=256),
    "asset_description": s.CharField(required=False, allow_blank=True, max_length=1024), "tags": ASSET_TAGS})
UPLOAD_FILE = {"multipart/form-data": {"type": "object", "required": ["file"], "properties": {
    "file": {"type": "string", "format": "binary"}}}}
UPLOAD_ASSET = {"multipart/form-data": {"type": "object", "required": ["file", "asset_name", "asset_type"],
                                        "properties": {
    "file": {"type": "string", "format": "binary"}, "asset_name": {"type": "string", "maxLength": 256},
    "asset_type": {"type": "string", "enum": AssetType.values},
    "asset_description": {"type": "string", "maxLength": 1024},
    "tags": {"type": "string", "description": "comma-separated"}}}}

# --- brand kit -------------------------------------------------------------------------------------------------
_SUBTITLE_STYLE = s.JSONField(help_text="the spec's SubtitleConfig (font_name, font_size, font_color, stroke_color, "
                                        "stroke_thickness, opacity, word_highlight, dx, dy); {} for none")
_KIT_COLOURS = s.ListField(child=s.RegexField(r"^#[0-9A-Fa-f]{6}$"), max_length=12,
                           help_text="#RRGGBB colours, at most 12, no repeats")
_KIT_IDS = {"logo_asset_ids": "IMAGE assets of the project (at most 10)",
            "font_asset_ids": "FONT assets of the project (TTF/OTF, at most 10)"}
_KIT_ID = {"intro_asset_id": "a VIDEO asset of the project, played before every rendered video",
           "outro_asset_id": "a VIDEO asset of the project, played after every rendered video",
           "music_asset_id": "a MUSIC or AUDIO asset of the project, or a music preset: new scripts' music"}
BRAND_KIT = _obj("BrandKit", {
    "project_id": s.CharField(), "palette": _KIT_COLOURS,
    **{name: s.ListField(child=s.CharField(), help_text=text) for name, text in _KIT_IDS.items()},
    **{name: s.CharField(allow_null=True, help_text=text) for name, text in _KIT_ID.items()},
    "subtitle_style": _SUBTITLE_STYLE, "updated_by": s.CharField(allow_null=True),
    "update_time": s.CharField(**TIME)})
CHANGE_BRAND_KIT = _obj("UpdateBrandKitRequest", {
    "palette": _KIT_COLOURS.__class__(child=s.RegexField(r"^#[0-9A-Fa-f]{6}$"), max_length=12, required=False),
    **{name: s.ListField(child=s.CharField(max_length=64), max_length=10, required=False, help_text=text)
       for name, text in _KIT_IDS.items()},
    **{name: s.CharField(required=False, allow_null=True, allow_blank=True, max_length=64,
                         help_text=f"{text}; null or empty clears it") for name, text in _KIT_ID.items()},
    "subtitle_style": s.JSONField(required=False, allow_null=True)},
    help_text="the fields to change; fields left out keep their value")

# --- scripts ---------------------------------------------------------------------------------------------------
_COMPOSITION = composition_json_schema()
APPROVAL_SUMMARY_STATES = [str(state) for state in SUMMARY_STATES]
_PATHS = s.ListField(child=s.CharField(), help_text="the composition's fields that use it, e.g. "
                     "shoot_scripts[0].shoot_script.layer_config[1].text_config.font_color")
OFF_KIT = _obj("OffKitReport", {
    "has_kit": s.BooleanField(help_text="the project has a brand kit (without one both lists are empty)"),
    "colours": s.ListField(child=_obj("OffKitColour", {
        "value": s.CharField(help_text="#RRGGBB, upper case"), "paths": _PATHS})),
    "fonts": s.ListField(child=_obj("OffKitFont", {
        "value": s.CharField(allow_blank=True, help_text="a FONT asset id, or a font name (empty: the built-in font)"),
        "kind": s.ChoiceField(["asset", "name"]), "label": s.CharField(help_text="the font as people read it"),
        "paths": _PATHS}))},
    help_text="Composer: the colours (text layers, COLOR backgrounds, subtitles when on) and text-layer fonts the "
              "revision uses that are not in the project's brand kit; a kit without colours (or fonts) reports "
              "none of them")
APPROVAL = _obj("ApprovalRequest", {
    "request_id": s.CharField(), "script_id": s.CharField(), "script_name": s.CharField(),
    "revision": s.IntegerField(), "content_hash": s.CharField(), "state": s.ChoiceField(ApprovalState.values),
    "requested_by": s.CharField(), "note": s.CharField(allow_blank=True),
    "request_comment": s.CharField(allow_blank=True, help_text="the note's earlier name"),
    "request_time": s.CharField(**TIME), "decided_by": s.CharField(allow_null=True),
    "decision_comment": s.CharField(allow_blank=True), "decide_time": s.CharField(**TIME),
    "stale": s.BooleanField(help_text="Composer: the script was edited after this revision"),
    "renderable": s.BooleanField(help_text="Composer: a render of the script renders this approval now"),
    "off_kit": OFF_KIT.__class__()})
APPROVAL_LIST = page_of("ListApprovalRequestsResponse", "approval_requests", APPROVAL)
APPROVAL_SUMMARY = _obj("ScriptApproval", {
    "state": s.ChoiceField(APPROVAL_SUMMARY_STATES), "approved_revision": s.IntegerField(allow_null=True),
    "latest_request": APPROVAL.__class__(allow_null=True)})
_SCRIPT_BASE_FIELDS = {
    "script_id": s.CharField(), "script_name": s.CharField(), "script_description": s.CharField(allow_blank=True),
    "create_time": s.CharField(**TIME), "update_time": s.CharField(**TIME),
    "script_cover_url": s.CharField(allow_null=True), "approval": APPROVAL_SUMMARY, "tags": s.ListField(
        child=s.CharField())}
SCRIPT_BASE = _obj("VideoScriptBaseInfo", {
    **_SCRIPT_BASE_FIELDS, "model_asset_id": s.CharField(allow_null=True), "model_asset_type": s.CharField(),
    "script_type": s.CharField(), "text": s.CharField(allow_blank=True, help_text="the first scene's text"),
    "revision": s.IntegerField(allow_null=True)})
SCRIPT_LIST = page_of("ListVideoScriptsResponse", "video_scripts", SCRIPT_BASE)
REVISION_FIELDS = {
    "revision": s.IntegerField(), "revision_id": s.CharField(), "author": s.CharField(),
    "create_time": s.CharField(**TIME), "content_hash": s.CharField(),
    "restored_from": s.IntegerField(allow_null=True)}
REVISION = _obj("VideoScriptRevision", REVISION_FIELDS)
REVISION_LIST = page_of("ListVideoScriptRevisionsResponse", "revisions", REVISION)
REVISION_WITH_COMPOSITION = _obj("VideoScriptRevisionDetail", {
    **REVISION_FIELDS, "composition": s.JSONField(help_text="the composition, as composition_json_schema"),
    "off_kit": OFF_KIT.__class__()})
_SCRIPT_FIELDS = {
    "script_name": {"type": "string", "minLength": 1, "maxLength": 256},
    "script_description": {"type": "string", "maxLength": 1024},
    "tags": {"type": "array", "maxItems": 10, "items": {"type": "string", "minLength": 1, "maxLength": 32}}}
SCRIPT = {"type": "object", "description": "A video script: its latest revision's composition at the top level.",
          "properties": {**_COMPOSITION["properties"], **{
              "script_id": {"type": "string"}, "script_name": {"type": "string"},
              "script_description": {"type": "string"},
              "create_time": {"type": "string", "nullable": True},
              "update_time": {"type": "string", "nullable": True},
              "script_cover_url": {"type": "string", "nullable": True}, "revision": {"type": "integer"},
              "revision_id": {"type": "string"}, "revision_author": {"type": "string"},
              "content_hash": {"type": "string"}, "approval": {"type": "object"},
              "tags": {"type": "array", "items": {"type": "string"}}}}}
CREATE_SCRIPT = {"application/json": {
    "type": "object", "required": ["script_name"], "description": "A name and a composition (revision 1).",
    "properties": {**_COMPOSITION["properties"], **_SCRIPT_FIELDS}}}
UPDATE_SCRIPT = {"application/json": {
    "type": "object", "description": "Any of the composition's parts (a new revision when the content changes), "
                                     "the name, description and tags.",
    "properties": {**_COMPOSITION["properties"], **_SCRIPT_FIELDS, "base_revision": {
        "type": "integer", "minimum": 1, "description": "the revision this edit started from (or If-Match)"}}}}
VALIDATE_SCRIPT = {"application/json": _COMPOSITION}
CREATED_SCRIPT = _obj("CreateVideoScriptResponse", {"script_id": s.CharField(), "revision": s.IntegerField()})
COPY_SCRIPT = _obj("CopyVideoScriptRequest", {"script_name": s.CharField(required=False, max_length=256)})
COPIED_SCRIPT = _obj("CopyVideoScriptResponse", {"script_id": s.CharField()})
REVIEW_HIT = _obj("ReviewHit", {"word": s.CharField(), "path": s.CharField()})
VALIDATION = _obj("ValidateVideoScriptResponse", {
    "valid": s.BooleanField(), "composition": s.JSONField(help_text="with the spec's defaults applied"),
    "review_hits": REVIEW_HIT.__class__(many=True)})
# A composition the spec refuses carries valid, field and rule; a body that is not a composition at all (not a JSON
# object, or one the parser refuses) gets the API's plain error body, without them.
VALIDATION_REFUSED = _obj("ValidateVideoScriptRefusal", {
    "valid": s.BooleanField(required=False), "error_code": s.CharField(), "error_msg": s.CharField(),
    "field": s.CharField(required=False, allow_blank=True, help_text="the full path of the field (may be empty)"),
    "rule": s.CharField(required=False)})
DIFF = _obj("VideoScriptDiff", {
    "from_revision": s.IntegerField(), "to_revision": s.IntegerField(),
    "readable": s.ListField(child=s.DictField(), help_text="[{group, what, kind, before, after}] in words"),
    "changes": s.ListField(child=s.DictField(), help_text="[{path, before, after}] of the JSON"),
    "unified": s.CharField(allow_blank=True, help_text="a unified text diff")})
REQUEST_APPROVAL = _obj("RequestScriptApproval", {
    "revision": s.IntegerField(required=False, help_text="the latest revision (default)"),
    "note": s.CharField(required=False, allow_blank=True, max_length=1000, help_text="to the approvers")})
DECIDE = _obj("DecideScriptApproval", {
    "revision": s.IntegerField(required=False, help_text="the pending request's revision, to be sure"),
    "comment": s.CharField(required=False, allow_blank=True, max_length=2000,
                           help_text="why (required when rejecting)")})
PREVIEW_REQUEST = _obj("CreatePreviewRequest", {
    "composition": s.JSONField(help_text="an unsaved composition"), "scene": s.IntegerField(required=False,
                                                                                            min_value=0),
    "time": s.FloatField(required=False, min_value=0, max_value=3600),
    "width": s.IntegerField(required=False, min_value=64, max_value=1920)})

_MAPPING = {"type": "object", "additionalProperties": {"type": "string"},
            "description": "column name -> variable name; columns named as a variable map themselves"}
_ROW = {"type": "object", "additionalProperties": {"oneOf": [{"type": "string"}, {"type": "number"}],
                                                   "nullable": True}}
CHECK_ROWS = {
    "application/json": {"type": "object", "description": "rows (objects, column -> value) or csv (pasted text)",
                         "properties": {"rows": {"type": "array", "maxItems": 1000, "items": _ROW},
                                        "csv": {"type": "string",
                                                "description": "CSV or tab-separated text, header first"},
                                        "mapping": _MAPPING}},
    "multipart/form-data": {"type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary", "description": "CSV (UTF-8 with or without BOM, UTF-16, "
                                                                       "Windows-1252) or XLSX, at most 2 MB"},
        "mapping": {"type": "string", "description": "JSON: column name -> variable name"}}}}
ROW_REASON = _obj("TemplateRowReason", {
    "column": s.CharField(allow_null=True), "variable": s.CharField(allow_null=True),
    "rule": s.ChoiceField(["missing", "too_long", "not_allowed", "invalid", "review", "spec"]),
    "field": s.CharField(required=False, help_text="spec: the composition field that breaks its rule"),
    "message": s.CharField()})
ROW_RESULT = _obj("TemplateRowResult", {
    "row": s.IntegerField(help_text="the row's line in the file (row in XLSX), or its number in rows"),
    "ok": s.BooleanField(), "values": s.DictField(child=s.CharField(allow_blank=True)),
    "output_name": s.CharField(allow_null=True), "reasons": ROW_REASON.__class__(many=True)})
ROW_CHECK = _obj("CheckTemplateRowsResponse", {
    "script_id": s.CharField(), "revision": s.IntegerField(), "columns": s.ListField(child=s.CharField()),
    "mapping": s.DictField(child=s.CharField()), "count": s.IntegerField(), "accepted": s.IntegerField(),
    "refused": s.IntegerField(), "rows": ROW_RESULT.__class__(many=True)})
ROW_COLUMNS = _obj("TemplateRowColumnsResponse", {
    "script_id": s.CharField(), "revision": s.IntegerField(), "columns": s.ListField(child=s.CharField()),
    "variables": _obj("TemplateRowVariable", {"name": s.CharField(), "kind": s.CharField(),
                                              "label": s.CharField(allow_blank=True)}).__class__(many=True),
    "mapping": s.DictField(child=s.CharField(), help_text="column -> variable, from the columns' names"),
    "count": s.IntegerField()})

# --- team ------------------------------------------------------------------------------------------------------
MEMBER = _obj("ProjectMember", {
    "username": s.CharField(), "email": s.CharField(allow_blank=True), "role": s.ChoiceField(Role.values),
    "may_skip_review": s.BooleanField(), "join_time": s.CharField(**TIME)})
MEMBER_LIST = page_of("ListProjectMembersResponse", "members", MEMBER)
ADD_MEMBER = _obj("AddProjectMemberRequest", {
    "username": s.CharField(max_length=150), "role": s.ChoiceField(Role.values, required=False),
    "may_skip_review": s.BooleanField(required=False),
    "email": s.CharField(required=False, help_text="with password: create the account"),
    "password": s.CharField(required=False, help_text="with email: create the account and add it at once")})
INVITATION_STATES = [state.value for state in InvitationState]
INVITATION = _obj("ProjectInvitation", {
    "invitation_id": s.CharField(), "username": s.CharField(), "role": s.ChoiceField(Role.values),
    "may_skip_review": s.BooleanField(), "state": s.ChoiceField(INVITATION_STATES),
    "invited_by": s.CharField(allow_null=True), "invite_time": s.CharField(**TIME)},
    help_text="the same for every username: whether it names an account is not said")
INVITATION_LIST = page_of("ListProjectInvitationsResponse", "invitations", INVITATION)
ADDED_MEMBER = PolymorphicProxySerializer(
    "AddProjectMemberResponse", serializers=[INVITATION, MEMBER], resource_type_field_name=None,
    help_text="an invitation; the member itself when an account was created, or when the instance adds members "
              "directly (COMPOSER_DIRECT_MEMBER_ADDS)")
MY_INVITATION = _obj("Invitation", {
    "invitation_id": s.CharField(), "project_id": s.CharField(), "project_name": s.CharField(),
    "role": s.ChoiceField(Role.values), "state": s.ChoiceField(INVITATION_STATES),
    "invited_by": s.CharField(allow_null=True), "invite_time": s.CharField(**TIME)})
MY_INVITATION_LIST = page_of("ListInvitationsResponse", "invitations", MY_INVITATION)
CHANGE_MEMBER = _obj("UpdateProjectMemberRequest", {
    "role": s.ChoiceField(Role.values, required=False), "may_skip_review": s.BooleanField(required=False)})
ACCESS_KEY_FIELDS = {
    "ak": s.CharField(), "description": s.CharField(allow_blank=True), "project_id": s.CharField(),
    "create_time": s.CharField(**TIME), "last_used_time": s.CharField(**TIME)}
ACCESS_KEY = _obj("AccessKey", ACCESS_KEY_FIELDS)
ACCESS_KEY_LIST = page_of("ListAccessKeysResponse", "access_keys", ACCESS_KEY)
NEW_ACCESS_KEY = _obj("CreatedAccessKey", {**ACCESS_KEY_FIELDS, "sk": s.CharField(help_text="shown this once")})
AUTH_TOKEN_FIELDS = {
    "id": s.IntegerField(), "prefix": s.CharField(), "description": s.CharField(allow_blank=True),
    "create_time": s.CharField(**TIME), "last_used_time": s.CharField(**TIME)}
AUTH_TOKEN = _obj("AuthToken", AUTH_TOKEN_FIELDS)
AUTH_TOKEN_LIST = page_of("ListAuthTokensResponse", "auth_tokens", AUTH_TOKEN)
NEW_AUTH_TOKEN = _obj("CreatedAuthToken", {**AUTH_TOKEN_FIELDS, "token": s.CharField(help_text="shown this once")})
RENDER_TARGET_FIELDS = {
    "kind": s.ChoiceField(choices=["local", "metastudio"]),
    "endpoint": s.CharField(required=False, help_text="https URL of the MetaStudio endpoint (or give region)"),
    "region": s.CharField(required=False, allow_null=True, help_text="a known MetaStudio region, e.g. cn-north-4"),
    "remote_project_id": s.CharField(required=False), "ak": s.CharField(required=False)}
RENDER_TARGET = _obj("RenderTarget", {
    **RENDER_TARGET_FIELDS, "sk_set": s.BooleanField(required=False, help_text="an SK is stored (never shown)"),
    "connection": s.DictField(required=False, help_text="status (ok/failing), detail, checked_at")})
CHANGE_RENDER_TARGET = _obj("ChangeRenderTarget", {
    **RENDER_TARGET_FIELDS, "sk": s.CharField(required=False, help_text="kept encrypted; omit to keep the stored one")})
PROJECT_SETTINGS = _obj("ProjectSettings", {
    "project_id": s.CharField(), "name": s.CharField(), "require_approval": s.BooleanField(),
    "allow_self_approval": s.BooleanField(), "render_target": RENDER_TARGET.__class__()})
CHANGE_PROJECT_SETTINGS = _obj("UpdateProjectSettingsRequest", {
    "require_approval": s.BooleanField(required=False), "allow_self_approval": s.BooleanField(required=False),
    "render_target": CHANGE_RENDER_TARGET.__class__(required=False)})
RENDER_TARGET_TEST = _obj("RenderTargetTest", {
    "ok": s.BooleanField(), "error_code": s.CharField(required=False, help_text="the remote's, when it refused"),
    "error_msg": s.CharField(required=False, help_text="why the connection failed, in words")})
REMOTE_ASSET_SYNC = _obj("RemoteAssetSync", {
    "avatars": s.IntegerField(help_text="active remote avatars now in the library"),
    "voices": s.IntegerField(help_text="active remote voices now in the library"),
    "created": s.IntegerField(), "updated": s.IntegerField(),
    "removed": s.IntegerField(help_text="imports no longer on the remote, marked DELETED"),
    "skipped": s.IntegerField(help_text="remote assets not active (or without an id), left out"),
    "covers": s.IntegerField(help_text="cover images fetched"), "covers_failed": s.IntegerField()})
REVIEW_WORDS = _obj("ReviewWords", {"review_words": s.ListField(child=s.CharField(max_length=64),
                                                                max_length=500)})
AUDIT_ENTRY = _obj("AuditEntry", {
    "id": s.IntegerField(), "user": s.CharField(allow_null=True), "action": s.CharField(),
    "object_type": s.CharField(allow_blank=True), "object_id": s.CharField(allow_blank=True),
    "detail": s.DictField(), "create_time": s.CharField(**TIME)})
AUDIT_LIST = page_of("ListAuditLogsResponse", "audit_logs", AUDIT_ENTRY)

# --- speech ----------------------------------------------------------------------------------------------------
SSML_GRAMMAR = _obj("SsmlGrammar", {
    "limit": s.IntegerField(), "max_scene_seconds": s.FloatField(), "tags": s.ListField(child=s.CharField()),
    "break": s.DictField(),
    "prosody": s.DictField(), "say_as": s.DictField(), "phoneme": s.DictField(), "emphasis": s.DictField(),
    "attributes": s.DictField()})
_VOICE = VOICE_CONFIG.json_schema()["properties"]
SSML_CHECK = {"application/json": {"type": "object", "properties": {
    "text": {"type": "string", "maxLength": TEXT_CONFIG.fields["text"].max_length},
    "script_type": {"type": "string", "enum": list(SCRIPT_TYPES)}, "speed": _VOICE["speed"],
    "voice_asset_id": {"type": "string", "maxLength": 256}}}}
SSML_ERROR = _obj("SsmlCheckError", {
    "line": s.IntegerField(allow_null=True), "column": s.IntegerField(allow_null=True), "message": s.CharField()})
SSML_RESULT = _obj("SsmlCheckResult", {
    "valid": s.BooleanField(), "errors": SSML_ERROR.__class__(many=True),
    "characters": s.IntegerField(allow_null=True, help_text="spoken characters (tags excluded)"),
    "limit": s.IntegerField(), "estimated_seconds": s.FloatField(allow_null=True),
    "max_seconds": s.FloatField()})
VOICE_SAMPLE = {"application/json": {"type": "object", "required": ["voice_asset_id"], "properties": {
    **{name: _VOICE[name] for name in ("voice_asset_id", "speed", "pitch", "volume")},
    "text": {"type": "string", "maxLength": 200, "description": "what to say (default: a sentence in the "
                                                                "voice's language)"}}}}

# --- videos ----------------------------------------------------------------------------------------------------
RENAME_VIDEO = _obj("RenameDigitalHumanVideoRequest", {
    "output_asset_config": _obj("RenameOutputAssetConfig", {"asset_name": s.CharField(max_length=256)},
                                required=False),
    "asset_name": s.CharField(required=False, max_length=256, help_text="the same, for short")})


# Batches: a template rendered once per row (composer/jobs/batches.py).
CREATE_BATCH = {
    "application/json": {"type": "object", "required": ["script_id"],
                         "description": "the template's script and its rows (objects, column -> value) or csv",
                         "properties": {"script_id": {"type": "string"},
                                        "rows": {"type": "array", "maxItems": 1000, "items": _ROW},
                                        "csv": {"type": "string",
                                                "description": "CSV or tab-separated text, header first"},
                                        "mapping": _MAPPING}},
    "multipart/form-data": {"type": "object", "required": ["script_id", "file"], "properties": {
        "script_id": {"type": "string"},
        "file": {"type": "string", "format": "binary", "description": "CSV or XLSX, at most 2 MB"},
        "mapping": {"type": "string", "description": "JSON: column name -> variable name"}}}}
BATCH_ID = _obj("CreateVideoBatchResponse", {"batch_id": s.CharField(), "job_ids": s.ListField(child=s.CharField())})
_COUNTS = s.DictField(child=s.IntegerField(), help_text="rows by their job's state (WAITING, PROCESSING, ...)")
_BATCH = {"batch_id": s.CharField(), "script_id": s.CharField(), "revision": s.IntegerField(),
          "name": s.CharField(), "count": s.IntegerField(help_text="rows"), "counts": _COUNTS,
          "created_by": s.CharField(allow_null=True), "create_time": s.CharField()}
BATCH_ROW = _obj("VideoBatchRow", {
    "index": s.IntegerField(), "row": s.IntegerField(help_text="the row's line in the file, or its number in rows"),
    "values": s.DictField(child=s.CharField()), "output_name": s.CharField(allow_null=True),
    "job_id": s.CharField(allow_null=True), "state": s.CharField(allow_null=True)})
BATCH = _obj("VideoBatch", {**_BATCH, "rows": BATCH_ROW.__class__(many=True)})
BATCH_LIST = _obj("VideoBatchList", {"count": s.IntegerField(),
                                     "batches": _obj("VideoBatchSummary", _BATCH).__class__(many=True)})
BATCH_CANCELED = _obj("CancelVideoBatchResponse", {"canceled": s.IntegerField()})
