"""Play a scene before rendering (our addition): a small MP4 of one scene with its voice and music."""
from __future__ import annotations

from django.http import FileResponse
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from composer.api import bodies
from composer.api.scripts import ERRORS, ScriptView
from composer.jobs import scene_previews

REQUEST = inline_serializer("ScenePreviewRequest", {
    "scene": serializers.IntegerField(min_value=0, default=0, help_text="The scene's index in render order."),
    "revision": serializers.IntegerField(required=False, help_text="A saved revision (default: the script's head)."),
    "composition": serializers.JSONField(required=False, help_text="An unsaved composition to play instead, "
                                                                   "checked by the spec's rules."),
    "width": serializers.IntegerField(min_value=scene_previews.MIN_WIDTH, max_value=scene_previews.MAX_WIDTH,
                                      default=scene_previews.DEFAULT_WIDTH, help_text="Picture width in pixels."),
    "prepare": serializers.BooleanField(required=False, help_text="Only get ready (load the script's voice) so "
                                                                  "that the first play is quick; answers 202."),
})
RESPONSE = inline_serializer("ScenePreview", {
    "preview_key": serializers.CharField(help_text="Content hash: the same scene and settings give the same key."),
    "video_url": serializers.CharField(help_text="GET it for the MP4 (H.264/AAC, faststart)."),
    "duration": serializers.FloatField(help_text="Seconds."),
    "width": serializers.IntegerField(), "height": serializers.IntegerField(),
    "frame_rate": serializers.IntegerField(),
    "cached": serializers.BooleanField(help_text="Served from the preview cache without rendering."),
    "render_seconds": serializers.FloatField(allow_null=True, help_text="How long the render took (null: cached)."),
})
MP4 = bodies.binary("video/mp4")


class ScenePreviewsView(ScriptView):
    actions = {"POST": "script.view"}

    @extend_schema(operation_id="create_scene_preview", request=REQUEST,
                   responses={200: RESPONSE, 202: inline_serializer("ScenePreviewPreparing", {
                       "preparing": serializers.BooleanField()}), **ERRORS},
                   summary="Render one scene quickly at preview size (voice, music, layer timing) to play it",
                   examples=[OpenApiExample("The head revision's second scene", value={"scene": 1},
                                            request_only=True)])
    def post(self, request, project_id: str, script_id: str):
        script = self.script(script_id)
        if isinstance(request.data, dict) and request.data.get("prepare") is True:
            return Response({"preparing": scene_previews.prepare_engine(self.project, script)}, status=202)
        scene, width, revision, composition = scene_previews.preview_request(request.data)
        preview = scene_previews.play_scene(self.project, script, scene=scene, width=width, revision=revision,
                                            composition=composition)
        return Response({
            "preview_key": preview.key,
            "video_url": f"/v1/{self.project.pk}/digital-human-video-scripts/{script.pk}/scene-previews/{preview.key}",
            "duration": preview.duration, "width": preview.width, "height": preview.height,
            "frame_rate": preview.frame_rate, "cached": preview.cached, "render_seconds": preview.render_seconds,
        })


class ScenePreviewFileView(ScriptView):
    actions = {"GET": "script.view"}

    @extend_schema(operation_id="show_scene_preview", responses={**MP4, **ERRORS},
                   summary="The MP4 of a played scene (video/mp4)")
    def get(self, request, project_id: str, script_id: str, key: str):
        self.script(script_id)
        response = FileResponse(open(scene_previews.preview_file(self.project, key), "rb"),
                                content_type="video/mp4")
        # The key is a content hash: the file behind it never changes.
        response["Cache-Control"] = "private, max-age=86400, immutable"
        return response
