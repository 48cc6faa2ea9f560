"""MetaStudio's video-production endpoints: create, show, cancel, list."""
from __future__ import annotations

from django.db.models import Count, Window
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from composer.api import bodies
from composer.api.params import (
    LIMIT,
    OFFSET,
    BoolParam,
    ChoiceParam,
    ListParam,
    TextParam,
    TimeParam,
)
from composer.api.projects import ProjectAPIView
from composer.api.schema import CREATE_BODY, ERROR, JOB, JOB_ID, JOB_LIST
from composer.assets.services import spec_asset_checker
from composer.jobs import services
from composer.jobs.models import JobState
from composer.jobs.payloads import job_payload, job_payloads
from composer.spec.headers import APP_USER_ID_MAX

ERRORS = {400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR, 500: ERROR}
APP_USER_ID = OpenApiParameter("X-App-UserId", {"type": "string", "maxLength": APP_USER_ID_MAX},
                               OpenApiParameter.HEADER, description="your own user's id, kept with the job "
                                                                  "(no Chinese characters)")
SHOW_SCRIPT = BoolParam("show_script", False, "include the script fields")
# A job id: a UUID, with its dashes or without.
JOB_ID_PATTERN = r"(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"
LIST_PARAMS = {
    "state": ListParam("state", JobState.values, description="comma-separated states"),
    "sort_key": ChoiceParam("sort_key", "create_time", list(services.SORT_KEYS)),
    "sort_dir": ChoiceParam("sort_dir", "asc", ["asc", "desc"]),
    "create_since": TimeParam("create_since"), "create_until": TimeParam("create_until"),
    "job_id": ListParam("job_id", pattern=JOB_ID_PATTERN, what="a job id", description="a job id"),
    "job_ids": ListParam("job_ids", pattern=JOB_ID_PATTERN, what="a job id",
                         description="comma-separated job ids"),
    "script_id": TextParam("script_id"), "asset_name": TextParam("asset_name", description="part of the name"),
    "tag": TextParam("tag", description="Composer: videos with this tag"),
}


def base_url(request) -> str:
    """This server's origin as the client reached it, for absolute download links."""
    return request.build_absolute_uri("/").rstrip("/")


class VideoCreateView(ProjectAPIView):
    actions = {"POST": "job.create"}

    @extend_schema(operation_id="create2_d_digital_human_video", request=CREATE_BODY, parameters=[APP_USER_ID],
                   responses={200: JOB_ID, **ERRORS}, summary="Create a 2D digital human video job")
    def post(self, request, project_id: str):
        job = services.enqueue_video_job(self.project, request.data, user=request.user,
                                         app_user_id=request.headers.get("X-App-UserId", ""),
                                         asset_checker=spec_asset_checker(self.project),
                                         membership=self.membership)
        return Response({"job_id": str(job.id)})


class VideoDetailView(ProjectAPIView):
    # PUT/PATCH (our addition) rename the video: asset.edit is the right to rename assets, and a video is one.
    actions = {"GET": "job.view", "PUT": "asset.edit", "PATCH": "asset.edit"}

    @extend_schema(operation_id="show2_d_digital_human_video", responses={200: JOB, **ERRORS},
                   parameters=[SHOW_SCRIPT.openapi()], summary="Show a video job")
    def get(self, request, project_id: str, job_id: str):
        job = services.get_job(self.project, job_id)
        show_script = SHOW_SCRIPT.read(request.query_params)
        return Response(job_payload(job, show_script=show_script, base_url=base_url(request)))

    @extend_schema(operation_id="rename2_d_digital_human_video", request=bodies.RENAME_VIDEO,
                   responses={200: JOB, **ERRORS},
                   summary="Composer: rename a video (body {\"output_asset_config\": {\"asset_name\": \"...\"}}); "
                           "its output asset and download file names follow")
    def put(self, request, project_id: str, job_id: str):
        job = services.rename_video(services.get_job(self.project, job_id), request.data, user=request.user)
        return Response(job_payload(job, base_url=base_url(request)))

    @extend_schema(operation_id="patch2_d_digital_human_video", request=bodies.RENAME_VIDEO,
                   responses={200: JOB, **ERRORS},
                   summary="Composer: rename a video (same body and answer as PUT)")
    def patch(self, request, project_id: str, job_id: str):
        return self.put(request, project_id, job_id)


class VideoCancelView(ProjectAPIView):
    actions = {"POST": "job.cancel"}

    @extend_schema(operation_id="cancel2_d_digital_human_video", request=bodies.EMPTY,
                   responses={200: bodies.NOTHING, **ERRORS},
                   summary="Cancel a waiting or running video job")
    def post(self, request, project_id: str, job_id: str):
        job = services.get_job(self.project, job_id)
        services.cancel_job(job, user=request.user)
        return Response({})


class VideoListView(ProjectAPIView):
    actions = {"GET": "job.view"}

    @extend_schema(operation_id="list_digital_human_video", responses={200: JOB_LIST, **ERRORS},
                   parameters=[OFFSET.openapi(), LIMIT.openapi(), *(p.openapi() for p in LIST_PARAMS.values())],
                   summary="List video jobs")
    def get(self, request, project_id: str):
        params = request.query_params
        offset, limit = OFFSET.read(params), LIMIT.read(params)
        found = {name: param.read(params) for name, param in LIST_PARAMS.items()}
        qs = services.list_jobs(
            self.project, states=found["state"], sort_key=found["sort_key"], sort_dir=found["sort_dir"],
            create_since=found["create_since"], create_until=found["create_until"],
            job_ids=found["job_ids"] + found["job_id"], script_id=found["script_id"] or None,
            asset_name=found["asset_name"] or None, tag=found["tag"] or None)
        # A page costs the same few queries at any limit (tags and output assets read together for the page), and
        # the page's rows carry the count of all matches (COUNT(*) OVER ()): no second pass to count them, unless
        # the page is empty past the first.
        page = list(qs.defer("spec").prefetch_related(None).annotate(matches=Window(Count("pk")))[offset:offset + limit])
        count = page[0].matches if page else (qs.count() if offset else 0)
        jobs = job_payloads(page, base_url=base_url(request))
        # "jobs" is the field MetaStudio and its SDK use; "videos" names the same list for readers of our docs.
        return Response({"count": count, "jobs": jobs, "videos": jobs})
