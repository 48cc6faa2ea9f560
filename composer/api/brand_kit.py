"""/v1/{project_id}/brand-kit: the project's logos, palette, fonts, intro and outro, default subtitle style and
music (composer.assets.brand). Every member reads it; owners and editors change it."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from composer.api import bodies
from composer.api.projects import ProjectAPIView
from composer.api.schema import ERROR
from composer.assets.brand import brand_kit, brand_kit_payload, update_brand_kit

ERRORS = {400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR}


class BrandKitView(ProjectAPIView):
    actions = {"GET": "brand.view", "PUT": "brand.manage"}

    @extend_schema(operation_id="show_brand_kit", responses={200: bodies.BRAND_KIT, **ERRORS},
                   summary="The project's brand kit")
    def get(self, request, project_id: str):
        return Response(brand_kit_payload(brand_kit(self.project)))

    @extend_schema(operation_id="update_brand_kit", request=bodies.CHANGE_BRAND_KIT,
                   responses={200: bodies.BRAND_KIT, **ERRORS},
                   summary="Change the brand kit's palette, assets or subtitle style")
    def put(self, request, project_id: str):
        return Response(brand_kit_payload(update_brand_kit(self.project, request.data, by=request.user)))
