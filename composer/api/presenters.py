"""The presenter builder (our addition): its options, live previews, and building a presenter into the library."""
from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from composer.api import bodies
from composer.api.projects import ProjectAPIView
from composer.api.schema import ERROR
from composer.api.videos import base_url
from composer.assets import presenters
from composer.assets.payloads import asset_payload
from composer.errors import json_object

ERRORS = {400: ERROR, 401: ERROR, 403: ERROR}
PNG = bodies.binary("image/png")
CHOICES = serializers.DictField(help_text="one option id per field of presenter-options; fields marked "
                                          "custom_colour also take any \"#RRGGBB\"")
EXAMPLE_CHOICES = {"build": "slim", "features": "soft", "skin": "olive", "eye_colour": "green", "hair_style": "bob",
                   "hair_colour": "#8A4B2A", "outfit": "blazer", "outfit_colour": "navy", "glasses": "round"}

OPTIONS_RESPONSE = inline_serializer("PresenterOptions", {
    "fields": serializers.ListField(child=serializers.DictField(),
                                    help_text="[{id, label, kind: choice|colour, custom_colour}] in display order"),
    "options": serializers.DictField(help_text="field -> [{id, label, colours?}] to choose from"),
    "blank": serializers.DictField(help_text="choices for a plain start"),
    "presets": serializers.ListField(child=serializers.DictField(),
                                     help_text="[{asset_id, name, choices}]: the built-in presenters, to start from"),
})
PREVIEW_REQUEST = inline_serializer("PresenterPreviewRequest", {
    "choices": CHOICES, "width": serializers.IntegerField(required=False, min_value=64, max_value=720),
})
CREATE_REQUEST = inline_serializer("CreatePresenterRequest", {
    "name": serializers.CharField(max_length=presenters.MAX_NAME), "choices": CHOICES,
})


class PresenterOptionsView(ProjectAPIView):
    actions = {"GET": "asset.view"}

    @extend_schema(operation_id="list_presenter_options", responses={200: OPTIONS_RESPONSE, **ERRORS},
                   summary="What the presenter builder offers: body, skin, hair, outfit, colours, extras")
    def get(self, request, project_id: str):
        return Response(presenters.presenter_options())


class PresenterPreviewView(ProjectAPIView):
    actions = {"POST": "asset.view"}

    @extend_schema(operation_id="create_presenter_preview", request=PREVIEW_REQUEST, responses={**PNG, **ERRORS},
                   summary="A PNG of a presenter at rest for the given choices (nothing is saved)",
                   examples=[OpenApiExample("A presenter", value={"choices": EXAMPLE_CHOICES}, request_only=True)])
    def post(self, request, project_id: str):
        body = json_object(request.data)
        png, key = presenters.preview_presenter(body.get("choices"),
                                                width=body.get("width", presenters.PREVIEW_WIDTH))
        response = HttpResponse(png, content_type="image/png")
        response["ETag"] = f'"{key}"'
        response["Cache-Control"] = "private, max-age=300"
        return response


class PresenterCreateView(ProjectAPIView):
    actions = {"POST": "asset.create"}

    @extend_schema(operation_id="create_presenter", request=CREATE_REQUEST,
                   responses={200: bodies.ASSET, **ERRORS},
                   summary="Build a presenter from choices into the library as a HUMAN_MODEL_2D asset "
                           "(answers the digital-assets shape)",
                   examples=[OpenApiExample("A presenter", request_only=True,
                                            value={"name": "Nora", "choices": EXAMPLE_CHOICES})])
    def post(self, request, project_id: str):
        body = json_object(request.data)
        asset = presenters.build_presenter(self.project, name=body.get("name"), choices=body.get("choices"),
                                           user=request.user)
        return Response(asset_payload(asset, base_url=base_url(request)))
