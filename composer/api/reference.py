"""The API reference page: Redoc over our OpenAPI schema, from the bundled copy, with the one policy it needs."""
from __future__ import annotations

from drf_spectacular.views import SpectacularRedocView
from rest_framework.permissions import AllowAny

from composer.lib.csp import REFERENCE_POLICY


class ReferenceView(SpectacularRedocView):
    """No inline script and no third-party fonts: the <redoc> element loads the schema itself."""

    template_name = "api/reference.html"
    permission_classes = [AllowAny]
    authentication_classes = []

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Security-Policy"] = REFERENCE_POLICY
        return response
