from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from composer.api import errors as api_errors
from composer.assets import views as asset_views
from composer.studio import errors as studio_errors

urlpatterns = [
    path("", include("composer.api.urls")),
    path("files/<str:asset_id>/<str:kind>", asset_views.download, name="asset-download"),
    path("admin/", admin.site.urls),
    path("", include("composer.studio.urls")),
]

# The studio's own error pages (the API keeps its JSON bodies: see composer.studio.errors).
handler400 = "composer.studio.errors.bad_request"
handler403 = "composer.studio.errors.forbidden"
handler404 = "composer.studio.errors.not_found"


def handler500(request):
    """An error no view answered: the API's error body under /v1/, the studio's page elsewhere (503 for both when
    PostgreSQL or Redis refused)."""
    if request.path.startswith("/v1/"):
        return api_errors.server_error(request)
    return studio_errors.server_error(request)
