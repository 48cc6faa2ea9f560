"""MetaStudio's video-production endpoints: create, show, cancel, list."""
from __future__ import annotations

import re
from datetime import UTC, datetime

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from composer.api.projects import ProjectAPIView
from composer.api.schema import CREATE_BODY, ERROR, JOB, JOB_ID, JOB_LIST
from composer.assets.services import spec_asset_checker
from composer.errors import InvalidInput
from composer.jobs import services
from composer.jobs.models import JobState
from composer.jobs.payloads import job_payload, job_payloads

CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]")
ERRORS = {400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR, 500: ERROR}


def base_url(request) -> str:
    """This server's origin as the client reached it, for absolute download links."""
    return request.build_absolute_uri("/").rstrip("/")


def app_user_id_of(request) -> str:
    value = request.headers.get("X-App-UserId", "")
    if CJK_RE.search(value):
        raise InvalidInput("X-App-UserId: Chinese characters are not allowed")
    if len(value) > 256:
        raise InvalidInput("X-App-UserId: at most 256 characters")
    return value


class VideoCreateView(ProjectAPIView):
    actions = {"POST": "job.create"}

    @extend_schema(operation_id="create2_d_digital_human_video", request=CREATE_BODY,
                   responses={200: JOB_ID, **ERRORS}, summary="Create a 2D digital human video job")
    def post(self, request, project_id: str):
        job = services.enqueue_video_job(self.project, request.data, user=request.user,
                                         app_user_id=app_user_id_of(request),
                                         asset_checker=spec_asset_checker(self.project),
                                         membership=self.membership)
        return Response({"job_id": str(job.id)})


class VideoDetailView(ProjectAPIView):
    # PUT/PATCH (our addition) rename the video: asset.edit is the right to rename assets, and a video is one.
    actions = {"GET": "job.view", "PUT": "asset.edit", "PATCH": "asset.edit"}

    @extend_schema(operation_id="show2_d_digital_human_video", responses={200: JOB, **ERRORS},
                   parameters=[OpenApiParameter("show_script", bool, description="include the script fields")],
                   summary="Show a video job")
    def get(self, request, project_id: str, job_id: str):
        job = services.get_job(self.project, job_id)
        show_script = request.query_params.get("show_script", "false").lower() == "true"
        return Response(job_payload(job, show_script=show_script, base_url=base_url(request)))

    @extend_schema(operation_id="rename2_d_digital_human_video", request=None, responses={200: JOB, **ERRORS},
                   summary="Composer: rename a video (body {\"output_asset_config\": {\"asset_name\": \"...\"}}); "
                           "its output asset and download file names follow")
    def put(self, request, project_id: str, job_id: str):
        job = services.rename_video(services.get_job(self.project, job_id), request.data, user=request.user)
        return Response(job_payload(job, base_url=base_url(request)))

    @extend_schema(operation_id="patch2_d_digital_human_video", request=None, responses={200: JOB, **ERRORS},
                   summary="Composer: rename a video (same body and answer as PUT)")
    def patch(self, request, project_id: str, job_id: str):
        return self.put(request, project_id, job_id)


class VideoCancelView(ProjectAPIView):
    actions = {"POST": "job.cancel"}

    @extend_schema(operation_id="cancel2_d_digital_human_video", request=None, responses={200: None, **ERRORS},
                   summary="Cancel a waiting or running video job")
    def post(self, request, project_id: str, job_id: str):
        job = services.get_job(self.project, job_id)
        services.cancel_job(job, user=request.user)
        return Response({})


def _int_param(params, name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise InvalidInput(f"{name}: must be an integer (got {raw!r})") from exc
    if not low <= value <= high:
        raise InvalidInput(f"{name}: must be between {low} and {high} (got {value})")
    return value


def _time_param(params, name: str) -> datetime | None:
    raw = params.get(name)
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InvalidInput(f"{name}: expected an ISO 8601 time such as 2025-01-31T08:00:00Z (got {raw!r})") from exc
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _choice_param(params, name: str, default: str, choices) -> str:
    value = params.get(name) or default
    if value not in choices:
        raise InvalidInput(f"{name}: must be one of {', '.join(choices)} (got {value!r})")
    return value


class VideoListView(ProjectAPIView):
    actions = {"GET": "job.view"}

    @extend_schema(operation_id="list_digital_human_video", responses={200: JOB_LIST, **ERRORS},
                   parameters=[
                       OpenApiParameter("offset", int), OpenApiParameter("limit", int),
                       OpenApiParameter("state", str, description="comma-separated states"),
                       OpenApiParameter("sort_key", str, enum=["create_time", "update_time"]),
                       OpenApiParameter("sort_dir", str, enum=["asc", "desc"]),
                       OpenApiParameter("create_since", str), OpenApiParameter("create_until", str),
                       OpenApiParameter("job_id", str), OpenApiParameter("job_ids", str),
                       OpenApiParameter("script_id", str), OpenApiParameter("asset_name", str),
                       OpenApiParameter("tag", str, description="Composer: videos with this tag"),
                   ], summary="List video jobs")
    def get(self, request, project_id: str):
        params = request.query_params
        offset = _int_param(params, "offset", 0, 0, 2**31 - 1)
        limit = _int_param(params, "limit", 10, 1, 100)
        states = [s for s in params.get("state", "").split(",") if s]
        for state in states:
            if state not in JobState.values:
                raise InvalidInput(f"state: must be among {', '.join(JobState.values)} (got {state!r})")
        job_ids = [j for j in (params.get("job_ids", "").split(",") + [params.get("job_id", "")]) if j]
        for job_id in job_ids:
            if not re.fullmatch(r"[0-9a-fA-F-]{32,36}", job_id):
                raise InvalidInput(f"job_id: not a job id ({job_id!r})")
        qs = services.list_jobs(
            self.project, states=states,
            sort_key=_choice_param(params, "sort_key", "create_time", list(services.SORT_KEYS)),
            sort_dir=_choice_param(params, "sort_dir", "asc", ["asc", "desc"]),
            create_since=_time_param(params, "create_since"), create_until=_time_param(params, "create_until"),
            job_ids=job_ids, script_id=params.get("script_id"), asset_name=params.get("asset_name"),
            tag=params.get("tag"))
        # A page costs the same few queries at any limit: tags prefetched, output assets read together.
        jobs = job_payloads(qs.defer("spec")[offset:offset + limit], base_url=base_url(request))
        # "jobs" is the field MetaStudio and its SDK use; "videos" names the same list for readers of our docs.
        return Response({"count": qs.count(), "jobs": jobs, "videos": jobs})
