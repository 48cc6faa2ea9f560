"""Our additions around one video: its tags, and share links (create, list, revoke)."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from composer.api import bodies
from composer.api.projects import ProjectAPIView
from composer.api.schema import ERROR
from composer.api.videos import base_url
from composer.errors import json_object
from composer.jobs import services, sharing

ERRORS = {400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR, 409: ERROR}

TAGS = inline_serializer("VideoTags", {
    "tags": serializers.ListField(child=serializers.CharField(max_length=32), max_length=10,
                                  help_text="at most 10 tags of 1-32 characters; the same tag in another case "
                                            "counts once"),
})
SHARE_LINK = inline_serializer("ShareLink", {
    "link_id": serializers.UUIDField(), "label": serializers.CharField(),
    "state": serializers.ChoiceField(["ACTIVE", "EXPIRED", "REVOKED"]),
    "url": serializers.CharField(help_text="the public page: opens without an account while ACTIVE"),
    "create_time": serializers.CharField(), "expire_time": serializers.CharField(),
    "revoke_time": serializers.CharField(allow_null=True), "created_by": serializers.CharField(allow_null=True),
    "view_count": serializers.IntegerField(), "last_view_time": serializers.CharField(allow_null=True),
})
SHARE_LINK_CREATE = inline_serializer("CreateShareLink", {
    "expires_in_days": serializers.ChoiceField([1, 7, 30], default=7),
    "label": serializers.CharField(required=False, max_length=64, help_text="who the link is for"),
})
SHARE_LINK_LIST = inline_serializer("ListShareLinks", {
    "count": serializers.IntegerField(),
    "share_links": inline_serializer("ShareLinkItem", dict(SHARE_LINK.fields), many=True),
})


class VideoTagsView(ProjectAPIView):
    actions = {"PUT": "job.create"}

    @extend_schema(operation_id="set_digital_human_video_tags", request=TAGS, responses={200: TAGS, **ERRORS},
                   summary="Replace a video's tags (Composer)")
    def put(self, request, project_id: str, job_id: str):
        job = services.get_job(self.project, job_id)
        tags = services.set_job_tags(job, json_object(request.data).get("tags"), user=request.user)
        return Response({"tags": tags})


class ShareLinksView(ProjectAPIView):
    actions = {"GET": "job.view", "POST": "job.create"}

    @extend_schema(operation_id="list_video_share_links", responses={200: SHARE_LINK_LIST, **ERRORS},
                   summary="List a video's share links, newest first (Composer)")
    def get(self, request, project_id: str, job_id: str):
        job = services.get_job(self.project, job_id)
        links = [sharing.share_link_payload(link, base_url=base_url(request))
                 for link in sharing.list_share_links(job)]
        return Response({"count": len(links), "share_links": links})

    @extend_schema(operation_id="create_video_share_link", request=SHARE_LINK_CREATE,
                   responses={201: SHARE_LINK, **ERRORS},
                   summary="Create an expiring public link to a finished video (Composer)")
    def post(self, request, project_id: str, job_id: str):
        job = services.get_job(self.project, job_id)
        link = sharing.create_share_link(job, request.data, user=request.user)
        return Response(sharing.share_link_payload(link, base_url=base_url(request)), status=201)


class ShareLinkRevokeView(ProjectAPIView):
    actions = {"POST": "job.create"}

    @extend_schema(operation_id="revoke_video_share_link", request=bodies.EMPTY,
                   responses={200: SHARE_LINK, **ERRORS},
                   summary="Revoke a share link: its page, player and downloads stop at once (Composer)")
    def post(self, request, project_id: str, job_id: str, link_id: str):
        job = services.get_job(self.project, job_id)
        link = sharing.revoke_share_link(sharing.get_share_link(job, link_id), user=request.user)
        return Response(sharing.share_link_payload(link, base_url=base_url(request)))
