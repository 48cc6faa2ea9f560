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
