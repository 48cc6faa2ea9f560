from __future__ import annotations

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularRedocView
from rest_framework.permissions import AllowAny

from composer.api import videos

urlpatterns = [
    path("v1/openapi.json", SpectacularJSONAPIView.as_view(permission_classes=[AllowAny], authentication_classes=[]),
         name="openapi"),
    path("v1/docs", SpectacularRedocView.as_view(url_name="openapi", permission_classes=[AllowAny],
                                                 authentication_classes=[]), name="api-docs"),
    path("v1/<str:project_id>/2d-digital-human-videos", videos.VideoCreateView.as_view(), name="video-create"),
    path("v1/<str:project_id>/2d-digital-human-videos/<str:job_id>", videos.VideoDetailView.as_view(),
         name="video-detail"),
    path("v1/<str:project_id>/2d-digital-human-videos/<str:job_id>/cancel", videos.VideoCancelView.as_view(),
         name="video-cancel"),
    path("v1/<str:project_id>/digital-human-videos", videos.VideoListView.as_view(), name="video-list"),
]

from composer.api import assets, members, scripts  # noqa: E402 - appended with its routes

urlpatterns += [
    path("v1/<str:project_id>/digital-assets", assets.AssetListView.as_view(), name="asset-list"),
    path("v1/<str:project_id>/digital-assets/upload", assets.AssetUploadView.as_view(), name="asset-upload"),
    path("v1/<str:project_id>/digital-assets/<str:asset_id>", assets.AssetDetailView.as_view(), name="asset-detail"),
    path("v1/<str:project_id>/digital-assets/<str:asset_id>/file", assets.AssetFileView.as_view(), name="asset-file"),
    path("v1/<str:project_id>/digital-human-video-scripts", scripts.ScriptListView.as_view(), name="script-list"),
    path("v1/<str:project_id>/digital-human-video-scripts/validate", scripts.ScriptValidateView.as_view(),
         name="script-validate"),
    path("v1/<str:project_id>/digital-human-video-scripts/<str:script_id>", scripts.ScriptDetailView.as_view(),
         name="script-detail"),
    path("v1/<str:project_id>/digital-human-video-scripts/<str:script_id>/copy", scripts.ScriptCopyView.as_view(),
         name="script-copy"),
    path("v1/<str:project_id>/digital-human-video-scripts/<str:script_id>/revisions",
         scripts.RevisionListView.as_view(), name="script-revisions"),
    path("v1/<str:project_id>/digital-human-video-scripts/<str:script_id>/revisions/<str:number>",
         scripts.RevisionDetailView.as_view(), name="script-revision"),
    path("v1/<str:project_id>/digital-human-video-scripts/<str:script_id>/revisions/<str:number>/restore",
         scripts.RevisionRestoreView.as_view(), name="script-revision-restore"),
    path("v1/<str:project_id>/digital-human-video-scripts/<str:script_id>/revisions/<str:a>/diff/<str:b>",
         scripts.RevisionDiffView.as_view(), name="script-revision-diff"),
    path("v1/<str:project_id>/digital-human-video-scripts/<str:script_id>/approval-requests",
         scripts.ApprovalRequestsView.as_view(), name="script-approval-requests"),
    path("v1/<str:project_id>/digital-human-video-scripts/<str:script_id>/approve", scripts.ApproveView.as_view(),
         name="script-approve"),
    path("v1/<str:project_id>/digital-human-video-scripts/<str:script_id>/reject", scripts.RejectView.as_view(),
         name="script-reject"),
    path("v1/<str:project_id>/approval-requests", scripts.ApprovalInboxView.as_view(), name="approval-inbox"),
    path("v1/<str:project_id>/members", members.MembersView.as_view(), name="member-list"),
    path("v1/<str:project_id>/members/<str:username>", members.MemberDetailView.as_view(), name="member-detail"),
    path("v1/<str:project_id>/review-words", members.ReviewWordsView.as_view(), name="review-words"),
    path("v1/<str:project_id>/audit-logs", members.AuditLogView.as_view(), name="audit-logs"),
]

from composer.api import previews  # noqa: E402 - appended with its routes

urlpatterns += [
    path("v1/<str:project_id>/digital-human-video-scripts/<str:script_id>/revisions/<str:number>/preview",
         previews.RevisionPreviewView.as_view(), name="script-revision-preview"),
    path("v1/<str:project_id>/previews", previews.PreviewView.as_view(), name="previews"),
]

from composer.api import speech  # noqa: E402 - appended with its routes

urlpatterns += [
    path("v1/<str:project_id>/ssml-checks", speech.SsmlCheckView.as_view(), name="ssml-checks"),
    path("v1/<str:project_id>/voice-samples", speech.VoiceSampleView.as_view(), name="voice-samples"),
]

from composer.api import keys  # noqa: E402 - appended with its routes

urlpatterns += [
    path("v1/<str:project_id>/access-keys", keys.AccessKeysView.as_view(), name="access-keys"),
    path("v1/<str:project_id>/access-keys/<str:ak>", keys.AccessKeyDetailView.as_view(), name="access-key"),
    path("v1/<str:project_id>/auth-tokens", keys.AuthTokensView.as_view(), name="auth-tokens"),
    path("v1/<str:project_id>/auth-tokens/<str:token_id>", keys.AuthTokenDetailView.as_view(), name="auth-token"),
    path("v1/<str:project_id>/project-settings", keys.ProjectSettingsView.as_view(), name="project-settings-api"),
]
