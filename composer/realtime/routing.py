from __future__ import annotations

from django.urls import path

from composer.realtime.consumers import ApprovalsConsumer, JobConsumer, ProjectJobsConsumer

websocket_urlpatterns = [
    path("ws/projects/<str:project_id>/jobs/", ProjectJobsConsumer.as_asgi()),
    path("ws/projects/<str:project_id>/jobs/<uuid:job_id>/", JobConsumer.as_asgi()),
    path("ws/projects/<str:project_id>/approvals/", ApprovalsConsumer.as_asgi()),
]
