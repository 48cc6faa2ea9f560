from __future__ import annotations

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularRedocView
from rest_framework.permissions import AllowAny

from composer.api import videos

urlpatterns = [
    path("v1/openapi.json", SpectacularJSONAPIView.as_view(permission_classes=[AllowAny], authentication_classes=[]),
         name="openapi"),
    path("v1/docs", SpectacularRedocView.as_view(url_name="openapi", permission_classes=[AllowAny],
                                                 authentication_classes=[]), name="api-docs"),
    path("v1/<str:project_id>/2d-digital-human-videos", videos.VideoCreateView.as_view(), name="video-create"),
    path("v1/<str:project_id>/2d-digital-human-videos/<str:job_id>", videos.VideoDetailView.as_view(),
         name="video-detail"),
    path("v1/<str:project_id>/2d-digital-human-videos/<str:job_id>/cancel", videos.VideoCancelView.as_view(),
         name="video-cancel"),
    path("v1/<str:project_id>/digital-human-videos", videos.VideoListView.as_view(), name="video-list"),
]
