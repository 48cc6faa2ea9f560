from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from composer.assets import views as asset_views

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
handler500 = "composer.studio.errors.server_error"
