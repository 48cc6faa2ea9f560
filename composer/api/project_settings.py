"""The project's own settings: its approval rules and its content-review word list.

/v1/{project_id}/project-settings and /v1/{project_id}/review-words; every member reads them, owners change
them."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from composer.api import bodies
from composer.api.projects import ProjectAPIView
from composer.api.schema import ERROR
from composer.errors import json_object
from composer.teams import remote_account, render_target, services
from composer.teams.models import Project
from composer.teams.permissions import require

ERRORS = {400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR}


def project_settings_payload(project: Project) -> dict:
    return {"project_id": project.id, "name": project.name, "require_approval": project.require_approval,
            "allow_self_approval": project.allow_self_approval,
            "render_target": render_target.payload(project)}


class ProjectSettingsView(ProjectAPIView):
    actions = {"GET": "project.view", "PUT": "project.manage"}

    @extend_schema(operation_id="show_project_settings", responses={200: bodies.PROJECT_SETTINGS, **ERRORS},
                   summary="The project's approval rules")
    def get(self, request, project_id: str):
        return Response(project_settings_payload(self.project))

    @extend_schema(operation_id="update_project_settings", request=bodies.CHANGE_PROJECT_SETTINGS,
                   responses={200: bodies.PROJECT_SETTINGS, **ERRORS},
                   summary="Change require_approval and/or allow_self_approval")
    def put(self, request, project_id: str):
        if isinstance(request.data, dict) and render_target.FIELD in request.data:
            require(self.membership, "project.render_target")
        project = render_target.update_settings(self.project, request.data, by=request.user)
        return Response(project_settings_payload(project))


class ReviewWordsView(ProjectAPIView):
    actions = {"GET": "project.view", "PUT": "project.manage"}

    @extend_schema(operation_id="show_review_words", responses={200: bodies.REVIEW_WORDS, **ERRORS},
                   summary="The project's content-review word list")
    def get(self, request, project_id: str):
        return Response({"review_words": self.project.review_words})

    @extend_schema(operation_id="update_review_words", request=bodies.REVIEW_WORDS,
                   responses={200: bodies.REVIEW_WORDS, **ERRORS},
                   summary="Replace the content-review word list")
    def put(self, request, project_id: str):
        words = services.set_review_words(self.project, json_object(request.data).get("review_words"),
                                          by=request.user)
        return Response({"review_words": words})


class RenderTargetTestView(ProjectAPIView):
    actions = {"POST": "project.render_target"}

    @extend_schema(operation_id="test_render_target", request=bodies.EMPTY,
                   responses={200: bodies.RENDER_TARGET_TEST, **ERRORS},
                   summary="Call the project's MetaStudio account once: ok, or its refusal in words")
    def post(self, request, project_id: str):
        return Response(remote_account.check_connection(self.project))
