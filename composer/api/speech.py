"""The editor's speech endpoints (our additions): live checks of a scene's script text and voice samples."""
from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from composer.api import bodies
from composer.api.projects import ProjectAPIView
from composer.api.scripts import ERRORS
from composer.scripts.speech import check_script_text, ssml_grammar, voice_sample

WAV = bodies.binary("audio/wav")


class SsmlCheckView(ProjectAPIView):
    actions = {"GET": "script.view", "POST": "script.view"}

    @extend_schema(operation_id="show_ssml_grammar", responses={200: bodies.SSML_GRAMMAR, **ERRORS},
                   summary="What the check accepts: {limit, max_scene_seconds, tags, break, prosody, say_as, phoneme, emphasis, "
                           "attributes} (the editor's SSML toolbar offers these)")
    def get(self, request, project_id: str):
        return Response(ssml_grammar())

    @extend_schema(operation_id="create_ssml_check", request=bodies.SSML_CHECK,
                   responses={200: bodies.SSML_RESULT, **ERRORS},
                   summary="Check a scene's script text: {text, script_type, speed, voice_asset_id} -> "
                           "{valid, errors[line, column, message], characters, limit, estimated_seconds (pauses "
                           "included), max_seconds (the longest a scene may last)}")
    def post(self, request, project_id: str):
        return Response(check_script_text(self.project, request.data))


class VoiceSampleView(ProjectAPIView):
    actions = {"POST": "script.view"}

    @extend_schema(operation_id="create_voice_sample", request=bodies.VOICE_SAMPLE, responses={**WAV, **ERRORS},
                   summary="A short WAV sample of a voice: {voice_asset_id, speed, pitch, volume, text (<= 200)}")
    def post(self, request, project_id: str):
        data, key = voice_sample(self.project, request.data)
        response = HttpResponse(data, content_type="audio/wav")
        response["ETag"] = f'"{key}"'
        response["Cache-Control"] = "private, max-age=86400"
        return response
