"""MetaStudio's video-script endpoints, plus revisions, diffs, dry-run validation and approvals."""
from __future__ import annotations

import functools
import json

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from composer.api import bodies
from composer.api.assets import UploadView
from composer.api.params import LIMIT, OFFSET, ListParam, TextParam
from composer.api.parsers import CheckedMultiPartParser, StrictJSONParser
from composer.api.projects import ProjectAPIView
from composer.api.schema import ERROR
from composer.errors import InvalidInput
from composer.scripts import approvals, rows, services
from composer.scripts.brand import off_kit_reports
from composer.scripts.models import ApprovalState
from composer.scripts.payloads import (
    approval_payload,
    revision_payload,
    script_base_payload,
    script_payload,
)
from composer.scripts.review import find_review_hits
from composer.spec import SpecError

ERRORS = {400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR, 409: ERROR}
PAGE = [OFFSET.openapi(), LIMIT.openapi()]
SEARCH = [TextParam("name", description="part of the script's name"),
          TextParam("q", description="Composer: part of the name or of any scene's script text"),
          TextParam("tag", description="Composer: scripts with this tag")]
APPROVAL_STATES = ListParam("state", ApprovalState.values, description="comma-separated states, e.g. PENDING")


def paged(request, items, key: str, payload) -> Response:
    offset, limit = OFFSET.read(request.query_params), LIMIT.read(request.query_params)
    return Response({"count": items.count(), key: [payload(item) for item in items[offset:offset + limit]]})


def approvals_payload(project):
    """approval_payload for a page of the project's requests, its brand kit read once."""
    return functools.partial(approval_payload, off_kit=off_kit_reports(project.id))


def with_revision_tag(response: Response, script) -> Response:
    response["ETag"] = f'"{script.head.number}"'
    return response


class ScriptView(ProjectAPIView):
    """A view about one script of the caller's project."""

    def script(self, script_id: str):
        return services.get_script(self.project, script_id)


class ScriptListView(ProjectAPIView):
    actions = {"GET": "script.view", "POST": "script.edit"}

    @extend_schema(operation_id="list_video_scripts", responses={200: bodies.SCRIPT_LIST, **ERRORS},
                   summary="List video scripts",
                   parameters=[*PAGE, *(param.openapi() for param in SEARCH)])
    def get(self, request, project_id: str):
        name, text, tag = (param.read(request.query_params) for param in SEARCH)
        scripts = services.list_scripts(self.project, name=name, text=text, tag=tag)
        return paged(request, scripts, "video_scripts", script_base_payload)

    @extend_schema(operation_id="create_video_scripts", request=bodies.CREATE_SCRIPT,
                   responses={200: bodies.CREATED_SCRIPT, **ERRORS},
                   summary="Save a composition as a new video script (revision 1)")
    def post(self, request, project_id: str):
        script = services.create_script(self.project, request.data, user=request.user)
        return with_revision_tag(Response({"script_id": script.id, "revision": script.head.number}), script)


class ScriptValidateView(ProjectAPIView):
    actions = {"POST": "script.view"}

    @extend_schema(operation_id="validate_video_script", request=bodies.VALIDATE_SCRIPT,
                   responses={200: bodies.VALIDATION, **ERRORS, 400: bodies.VALIDATION_REFUSED},
                   summary="Dry-run validation of a composition for the editor")
    def post(self, request, project_id: str):
        try:
            composition = services.validate_for_project(self.project, services.composition_parts(request.data))
        except SpecError as exc:
            return Response({"valid": False, "error_code": exc.error_code, "error_msg": exc.error_msg,
                             "field": exc.field, "rule": exc.rule}, status=400)
        return Response({"valid": True, "composition": composition,
                         "review_hits": find_review_hits(composition, self.project.review_words or [])})


class ScriptDetailView(ScriptView):
    actions = {"GET": "script.view", "PUT": "script.edit", "DELETE": "script.delete"}

    @extend_schema(operation_id="show_video_script", responses={200: bodies.SCRIPT, **ERRORS},
                   summary="Show a video script")
    def get(self, request, project_id: str, script_id: str):
        script = self.script(script_id)
        return with_revision_tag(Response(script_payload(script)), script)

    @extend_schema(operation_id="update_video_script", request=bodies.UPDATE_SCRIPT,
                   responses={200: bodies.SCRIPT, **ERRORS},
                   summary="Save an edit (send base_revision or If-Match; a stale save gets 409)")
    def put(self, request, project_id: str, script_id: str):
        data = request.data if isinstance(request.data, dict) else {}
        base = services.parse_base_revision(data, request.headers.get("If-Match"))
        script = services.save_script(self.script(script_id), request.data, user=request.user, base_revision=base)
        return with_revision_tag(Response(script_payload(script)), script)

    @extend_schema(operation_id="delete_video_script", responses={204: None, **ERRORS}, summary="Delete a script")
    def delete(self, request, project_id: str, script_id: str):
        services.delete_script(self.script(script_id), user=request.user)
        return Response(status=204)


class ScriptCopyView(ScriptView):
    actions = {"POST": "script.edit"}

    @extend_schema(operation_id="copy_video_scripts", request=bodies.COPY_SCRIPT,
                   responses={200: bodies.COPIED_SCRIPT, **ERRORS},
                   summary="Copy a script")
    def post(self, request, project_id: str, script_id: str):
        copy = services.copy_script(self.script(script_id), request.data, user=request.user)
        return Response({"script_id": copy.id})


class RowCheckView(UploadView, ScriptView):
    actions = {"POST": "script.view"}
    parser_classes = [StrictJSONParser, CheckedMultiPartParser]

    def upload_limit(self, request, kwargs) -> int:
        return rows.MAX_SHEET_BYTES

    @extend_schema(operation_id="check_video_script_rows", request=bodies.CHECK_ROWS,
                   responses={200: bodies.ROW_CHECK, **ERRORS, 413: ERROR},
                   summary="Check rows of values for a template (at most 1000): each row accepted, or refused "
                           "with every reason, before anything renders")
    def post(self, request, project_id: str, script_id: str):
        script = self.script(script_id)
        upload = request.FILES.get("file")
        if upload is None:
            return Response(self.answer(script, request.data))
        data = {"mapping": parse_mapping(request.data.get("mapping"))}
        return Response(self.answer(script, data, upload.read()))

    @staticmethod
    def answer(script, data, upload: bytes | None = None):
        return rows.check_rows(script, data, upload)


class RowColumnsView(RowCheckView):
    @extend_schema(operation_id="read_video_script_row_columns", request=bodies.CHECK_ROWS,
                   responses={200: bodies.ROW_COLUMNS, **ERRORS, 413: ERROR},
                   summary="Composer: read the columns of rows for a template (before mapping them): the "
                           "columns, the template's variables and the mapping made from column names")
    def post(self, request, project_id: str, script_id: str):
        return super().post(request, project_id, script_id)

    @staticmethod
    def answer(script, data, upload: bytes | None = None):
        return rows.sheet_columns(script, data, upload)


class RowSampleView(ScriptView):
    actions = {"GET": "script.view"}

    @extend_schema(operation_id="download_video_script_sample_rows",
                   responses={**bodies.binary("text/csv"), **ERRORS},
                   summary="Composer: a sample CSV for a template: its variables as the header, in order, and one "
                           "row of their samples (cells a spreadsheet would run as a formula are written as text)")
    def get(self, request, project_id: str, script_id: str):
        script = self.script(script_id)
        response = HttpResponse(rows.sample_csv(script), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="template-{script.id}-sample.csv"'
        return response


def parse_mapping(raw):
    """A multipart form's mapping field: JSON text of {column: variable}."""
    if raw in (None, ""):
        return None
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise InvalidInput("mapping: must be JSON text of an object (column name -> variable name)") from exc


class RevisionListView(ScriptView):
    actions = {"GET": "script.view"}

    @extend_schema(operation_id="list_video_script_revisions", responses={200: bodies.REVISION_LIST, **ERRORS},
                   parameters=PAGE,
                   summary="List a script's revisions, newest first")
    def get(self, request, project_id: str, script_id: str):
        revisions = services.list_revisions(self.script(script_id))
        return paged(request, revisions, "revisions", revision_payload)


class RevisionDetailView(ScriptView):
    actions = {"GET": "script.view"}

    @extend_schema(operation_id="show_video_script_revision",
                   responses={200: bodies.REVISION_WITH_COMPOSITION, **ERRORS},
                   summary="Show one revision with its composition")
    def get(self, request, project_id: str, script_id: str, number: str):
        revision = services.get_revision(self.script(script_id), number)
        return Response(revision_payload(revision, with_composition=True))


class RevisionRestoreView(ScriptView):
    actions = {"POST": "script.edit"}

    @extend_schema(operation_id="restore_video_script_revision", request=bodies.EMPTY,
                   responses={200: bodies.REVISION_WITH_COMPOSITION, **ERRORS},
                   summary="Restore a revision (as a new revision with its content)")
    def post(self, request, project_id: str, script_id: str, number: str):
        revision = services.restore_revision(self.script(script_id), number, user=request.user)
        return Response(revision_payload(revision, with_composition=True))


class RevisionDiffView(ScriptView):
    actions = {"GET": "script.view"}

    @extend_schema(operation_id="diff_video_script_revisions", responses={200: bodies.DIFF, **ERRORS},
                   summary="Compare two revisions: changed JSON paths and a unified text diff")
    def get(self, request, project_id: str, script_id: str, a: str, b: str):
        return Response(services.diff_revisions(self.script(script_id), a, b))


class ApprovalRequestsView(ScriptView):
    actions = {"GET": "script.view", "POST": "script.request_approval"}

    @extend_schema(operation_id="list_script_approval_requests", responses={200: bodies.APPROVAL_LIST, **ERRORS},
                   parameters=PAGE,
                   summary="A script's approval requests, newest first")
    def get(self, request, project_id: str, script_id: str):
        requests = approvals.list_script_approval_requests(self.script(script_id))
        return paged(request, requests, "approval_requests", approvals_payload(self.project))

    @extend_schema(operation_id="request_script_approval", request=bodies.REQUEST_APPROVAL,
                   responses={200: bodies.APPROVAL, **ERRORS},
                   summary="Ask approvers to approve the latest revision, with an optional `note` to them (at most "
                           "1000 characters); a rejected version is asked for again only changed or with a note")
    def post(self, request, project_id: str, script_id: str):
        approval = approvals.request_approval(self.script(script_id), request.data, user=request.user)
        return Response(approval_payload(approval))


class ApproveView(ScriptView):
    actions = {"POST": "script.approve"}

    @extend_schema(operation_id="approve_video_script", request=bodies.DECIDE,
                   responses={200: bodies.APPROVAL, **ERRORS},
                   summary="Approve the pending request")
    def post(self, request, project_id: str, script_id: str):
        return Response(approval_payload(approvals.approve(self.script(script_id), request.data, user=request.user)))


class RejectView(ScriptView):
    actions = {"POST": "script.approve"}

    @extend_schema(operation_id="reject_video_script", request=bodies.DECIDE,
                   responses={200: bodies.APPROVAL, **ERRORS},
                   summary="Reject the pending request with a comment")
    def post(self, request, project_id: str, script_id: str):
        return Response(approval_payload(approvals.reject(self.script(script_id), request.data, user=request.user)))


class ApprovalInboxView(ProjectAPIView):
    actions = {"GET": "script.view"}

    @extend_schema(operation_id="list_approval_requests", responses={200: bodies.APPROVAL_LIST, **ERRORS},
                   summary="The project's approval requests (e.g. ?state=PENDING)",
                   parameters=[APPROVAL_STATES.openapi(), *PAGE])
    def get(self, request, project_id: str):
        states = APPROVAL_STATES.read(request.query_params)
        requests = approvals.list_approval_requests(self.project, states=states)
        return paged(request, requests, "approval_requests", approvals_payload(self.project))
