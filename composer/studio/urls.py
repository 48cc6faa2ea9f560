from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from composer.studio import batches, brand, editor, presenters, shared, signin, team, views, work

urlpatterns = [
    path("", views.home, name="home"),
    path("login", signin.SignInView.as_view(), name="login"),
    path("logout", auth_views.LogoutView.as_view(next_page="login"), name="logout"),
    path("p/<str:project_id>/", views.dashboard, name="project"),
    path("p/<str:project_id>/scripts/<str:script_id>", editor.editor, name="editor"),
    path("p/<str:project_id>/asset-images/<str:asset_id>", editor.editor_asset_image, name="editor-asset-image"),
    path("p/<str:project_id>/scripts", work.scripts_page, name="scripts"),
    path("p/<str:project_id>/approvals", work.approvals_page, name="approvals"),
    path("p/<str:project_id>/approvals/<str:request_id>", work.approval_page, name="approval"),
    path("p/<str:project_id>/videos", work.jobs_page, name="jobs"),
    path("p/<str:project_id>/videos/<str:job_id>", work.job_page, name="job"),
    path("p/<str:project_id>/batches", batches.batches_page, name="batches"),
    path("p/<str:project_id>/batches/new", batches.batch_start_page, name="batch-start"),
    path("p/<str:project_id>/batches/<str:batch_id>", batches.batch_page, name="batch"),
    path("p/<str:project_id>/members", team.members_page, name="members"),
    path("p/<str:project_id>/assets", team.assets_page, name="assets"),
    path("p/<str:project_id>/presenters/new", presenters.presenter_builder, name="presenter-builder"),
    path("p/<str:project_id>/brand-kit", brand.brand_kit_page, name="brand-kit"),
    path("p/<str:project_id>/keys", team.keys_page, name="keys"),
    path("p/<str:project_id>/audit", team.audit_page, name="audit"),
    path("s/<str:token>", shared.shared_video, name="shared-video"),
    path("s/<str:token>/<str:kind>", shared.shared_video_file, name="shared-video-file"),
]
