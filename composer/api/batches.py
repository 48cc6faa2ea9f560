"""Composer's batch endpoints: a template rendered once per row, followed, canceled and retried as one."""
from __future__ import annotations

from django.http import HttpResponse, StreamingHttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from composer.api import bodies
from composer.api.assets import UploadView
from composer.api.params import LIMIT, OFFSET
from composer.api.parsers import CheckedMultiPartParser, StrictJSONParser
from composer.api.projects import ProjectAPIView
from composer.api.schema import ERROR
from composer.api.scripts import parse_mapping
from composer.api.videos import base_url
from composer.jobs import batch_files, batches
from composer.jobs.models import VideoJob
from composer.scripts import rows

ERRORS = {400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR}


class BatchListView(UploadView):
    # A batch is video jobs: who may start, see or cancel a video may do the same to a batch.
    actions = {"GET": "job.view", "POST": "job.create"}
    parser_classes = [StrictJSONParser, CheckedMultiPartParser]

    def upload_limit(self, request, kwargs) -> int:
        return rows.MAX_SHEET_BYTES

    @extend_schema(operation_id="list_video_batches", responses={200: bodies.BATCH_LIST, **ERRORS},
                   parameters=[OFFSET.openapi(), LIMIT.openapi()], summary="Composer: list video batches, newest first")
    def get(self, request, project_id: str):
        offset, limit = OFFSET.read(request.query_params), LIMIT.read(request.query_params)
        found = batches.list_batches(self.project).select_related("created_by")
        page = list(found[offset:offset + limit])
        return Response({"count": found.count(),
                         "batches": [batches.batch_summary(b, batches.state_counts(b)) for b in page]})

    @extend_schema(operation_id="create_video_batch", request=bodies.CREATE_BATCH,
                   responses={200: bodies.BATCH_ID, **ERRORS, 413: ERROR},
                   summary="Composer: render a template's approved revision once per row (at most 1000); every "
                           "row is checked first and one refused row refuses the batch, naming each bad row")
    def post(self, request, project_id: str):
        upload = request.FILES.get("file")
        if upload is None:
            batch = batches.create_batch(self.project, request.data, user=request.user)
        else:
            data = {"script_id": request.data.get("script_id"), "mapping": parse_mapping(request.data.get("mapping"))}
            batch = batches.create_batch(self.project, data, upload.read(), user=request.user)
        job_ids = VideoJob.objects.filter(batch=batch).order_by("batch_row").values_list("pk", flat=True)
        return Response({"batch_id": str(batch.id), "job_ids": [str(pk) for pk in job_ids]})


class BatchDetailView(ProjectAPIView):
    actions = {"GET": "job.view"}

    @extend_schema(operation_id="show_video_batch", responses={200: bodies.BATCH, **ERRORS},
                   summary="Composer: show a batch: counts by state and each row's job")
    def get(self, request, project_id: str, batch_id: str):
        return Response(batches.batch_payload(batches.get_batch(self.project, batch_id)))


class BatchCancelView(ProjectAPIView):
    actions = {"POST": "job.cancel"}

    @extend_schema(operation_id="cancel_video_batch", request=bodies.EMPTY,
                   responses={200: bodies.BATCH_CANCELED, **ERRORS},
                   summary="Composer: cancel the batch's jobs that are not final yet")
    def post(self, request, project_id: str, batch_id: str):
        batch = batches.get_batch(self.project, batch_id)
        return Response({"canceled": batches.cancel_batch(batch, user=request.user)})


class BatchRetryView(ProjectAPIView):
    actions = {"POST": "job.create"}

    @extend_schema(operation_id="retry_video_batch", request=bodies.EMPTY,
                   responses={200: bodies.BATCH_ID, **ERRORS},
                   summary="Composer: render again the rows whose job failed (a new job each)")
    def post(self, request, project_id: str, batch_id: str):
        batch = batches.get_batch(self.project, batch_id)
        jobs = batches.retry_batch(batch, user=request.user)
        return Response({"batch_id": str(batch.id), "job_ids": [str(job.id) for job in jobs]})


def _attachment(response, batch, extension: str):
    response["Content-Disposition"] = f'attachment; filename="batch-{batch.id}.{extension}"'
    return response


class BatchZipView(ProjectAPIView):
    actions = {"GET": "job.view"}

    @extend_schema(operation_id="download_video_batch", responses={**bodies.binary("application/zip"), **ERRORS},
                   summary="Composer: every finished video of the batch in one ZIP, streamed as it is written "
                           "(rows not finished yet are left out)")
    def get(self, request, project_id: str, batch_id: str):
        batch = batches.get_batch(self.project, batch_id)
        stream = batch_files.zip_stream(batch_files.finished_files(batch))
        return _attachment(StreamingHttpResponse(stream, content_type="application/zip"), batch, "zip")


class BatchLinksView(ProjectAPIView):
    actions = {"GET": "job.view"}

    @extend_schema(operation_id="download_video_batch_links", responses={**bodies.binary("text/csv"), **ERRORS},
                   summary="Composer: a CSV of each row, its values and its video's job, state, page and link")
    def get(self, request, project_id: str, batch_id: str):
        batch = batches.get_batch(self.project, batch_id)
        response = HttpResponse(batch_files.links_csv(batch, base_url(request)), content_type="text/csv; charset=utf-8")
        return _attachment(response, batch, "csv")
