"""Scene preview thumbnails (our addition): a saved revision's scene, or an unsaved composition's."""
from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema

from composer.api import bodies
from composer.api.params import RangeParam
from composer.api.projects import ProjectAPIView
from composer.api.scripts import ERRORS, ScriptView
from composer.errors import InvalidInput
from composer.scripts import previews, services
from composer.scripts.previews import preview_params, scene_preview
from composer.spec.tables import COMPOSITION_FIELDS
from composer.spec.variables import MAX_SAMPLE_ROWS

JPEG = bodies.binary("image/jpeg")
QUERY = [RangeParam("scene", 0, 0, COMPOSITION_FIELDS["shoot_scripts"].max_items - 1, "the scene's index"),
         RangeParam("time", 0.0, 0, previews.MAX_TIME, "seconds into the scene", integer=False),
         RangeParam("width", previews.DEFAULT_WIDTH, previews.MIN_WIDTH, previews.MAX_WIDTH, "pixels")]
ROW = RangeParam("row", 0, 0, MAX_SAMPLE_ROWS - 1, "a template's sample row: 0 the samples, 1 every text at its "
                                                   "longest, then the slots' other allowed assets")


def jpeg_response(data: bytes, key: str, *, immutable: bool) -> HttpResponse:
    response = HttpResponse(data, content_type="image/jpeg")
    response["ETag"] = f'"{key}"'
    response["Cache-Control"] = "private, max-age=86400" if immutable else "private, no-cache"
    return response


class RevisionPreviewView(ScriptView):
    actions = {"GET": "script.view"}

    @extend_schema(operation_id="show_video_script_preview", responses={**JPEG, **ERRORS},
                   summary="A JPEG of one scene of a saved revision at a moment, drawn by the render compositor",
                   parameters=[param.openapi() for param in (*QUERY, ROW)])
    def get(self, request, project_id: str, script_id: str, number: str):
        revision = services.get_revision(self.script(script_id), number)
        scene, time, width = (param.read(request.query_params) for param in QUERY)
        data, key = scene_preview(self.project, revision.composition, scene=scene, time=time, width=width,
                                  row=ROW.read(request.query_params))
        if request.headers.get("If-None-Match") == f'"{key}"':
            return HttpResponse(status=304)
        return jpeg_response(data, key, immutable=True)


class PreviewView(ProjectAPIView):
    actions = {"POST": "script.view"}

    @extend_schema(operation_id="create_preview", request=bodies.PREVIEW_REQUEST, responses={**JPEG, **ERRORS},
                   summary="A JPEG of one scene of an unsaved composition: {composition, scene, time, width}")
    def post(self, request, project_id: str):
        body = request.data
        if not isinstance(body, dict) or not isinstance(body.get("composition"), dict):
            raise InvalidInput("composition: is required (the script's composition object)")
        scene, time, width = preview_params(body.get("scene"), body.get("time"), body.get("width"))
        data, key = scene_preview(self.project, body["composition"], scene=scene, time=time, width=width)
        return jpeg_response(data, key, immutable=False)
