"""MetaStudio's asset endpoints (/v1/{project_id}/digital-assets) plus file upload, for the SDK and the pages."""
from __future__ import annotations

from django.core.files.uploadhandler import FileUploadHandler
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from composer.api import bodies
from composer.api.params import LIMIT, OFFSET, BoolParam, ListParam, TextParam
from composer.api.parsers import CheckedMultiPartParser
from composer.api.projects import ProjectAPIView
from composer.api.schema import ERROR
from composer.api.videos import base_url
from composer.assets import services
from composer.assets.checks import MAX_UPLOAD_BYTES, MB, SIZE_LIMITS
from composer.assets.models import AssetState, AssetType
from composer.assets.payloads import any_asset_payload, asset_payload
from composer.assets.remote import sync_remote_assets
from composer.errors import InvalidInput
from composer.jobs.services import update_output_asset

ERRORS = {400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR}
#: the answer to a delete that took the asset out of the project's brand kit names the kit's fields it left
KIT_REMOVED = "X-Brand-Kit-Removed"
LIST_FILTERS = {
    "asset_types": ListParam("asset_type", AssetType.values, description="comma-separated types"),
    "states": ListParam("asset_state", AssetState.values, description="comma-separated states"),
    "name": TextParam("name", description="part of the asset's name"), "tag": TextParam("tag"),
    "include_presets": BoolParam("include_presets", True, "list the built-in presets too"),
}


class CappedUploadHandler(FileUploadHandler):
    """Stops reading an upload once it passes the size limit, before the rest reaches the disk."""

    def __init__(self, limit: int, request=None):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            raise InvalidInput(f"file: is larger than {self.limit // MB} MB, the limit for this upload")
        return raw_data

    def file_complete(self, file_size):
        return None


class UploadView(ProjectAPIView):
    """Multipart uploads, capped while they arrive at the limit of the asset type."""

    parser_classes = [CheckedMultiPartParser]

    def upload_limit(self, request, kwargs) -> int:
        return MAX_UPLOAD_BYTES

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        request._request.upload_handlers.insert(0, CappedUploadHandler(self.upload_limit(request, kwargs), request))

    @staticmethod
    def uploaded_file(request):
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput("file: is required (multipart form field 'file')")
        return upload


class AssetListView(ProjectAPIView):
    actions = {"GET": "asset.view", "POST": "asset.create"}

    @extend_schema(operation_id="list_assets", responses={200: bodies.ASSET_LIST, **ERRORS}, summary="List assets",
                   parameters=[*(param.openapi() for param in LIST_FILTERS.values()), OFFSET.openapi(),
                               LIMIT.openapi()])
    def get(self, request, project_id: str):
        params = request.query_params
        filters = {key: param.read(params) for key, param in LIST_FILTERS.items()}
        count, page = services.list_assets(self.project, **filters, offset=OFFSET.read(params),
                                           limit=LIMIT.read(params))
        return Response({"count": count, "assets": [any_asset_payload(a, base_url=base_url(request)) for a in page]})

    @extend_schema(operation_id="create_digital_asset", request=bodies.CREATE_ASSET,
                   responses={200: bodies.CREATED_ASSET, **ERRORS},
                   summary="Register an asset; upload its file next")
    def post(self, request, project_id: str):
        asset = services.create_asset(self.project, request.data, user=request.user)
        return Response({"asset_id": asset.id, "upload_url": request.build_absolute_uri(f"{request.path}/{asset.id}/file")})


class AssetDetailView(ProjectAPIView):
    actions = {"GET": "asset.view", "PUT": "asset.edit", "DELETE": "asset.delete"}

    @extend_schema(operation_id="show_asset", responses={200: bodies.ASSET, **ERRORS}, summary="Show an asset")
    def get(self, request, project_id: str, asset_id: str):
        asset = services.get_asset(self.project, asset_id)
        return Response(any_asset_payload(asset, base_url=base_url(request)))

    @extend_schema(operation_id="update_digital_asset", request=bodies.UPDATE_ASSET,
                   responses={200: bodies.ASSET, **ERRORS},
                   summary="Change an asset's name, description or tags")
    def put(self, request, project_id: str, asset_id: str):
        asset = services.get_asset(self.project, asset_id)
        if getattr(asset, "asset_type", None) == AssetType.VIDEO:
            asset = update_output_asset(asset, request.data, user=request.user)   # a render's name follows
        else:
            asset = services.update_asset(asset, request.data, user=request.user)
        return Response(asset_payload(asset, base_url=base_url(request)))

    @extend_schema(operation_id="delete_asset", responses={204: None, **ERRORS},
                   summary="Delete an asset (and take it out of the project's brand kit)",
                   parameters=[OpenApiParameter(
                       KIT_REMOVED, str, OpenApiParameter.HEADER, response=[204],
                       description="Composer: present when the asset was in the project's brand kit, which no longer "
                                   "holds it: the kit's fields it was taken out of, comma-separated (e.g. "
                                   "intro_asset_id,logo_asset_ids)")])
    def delete(self, request, project_id: str, asset_id: str):
        kit_fields = services.delete_asset(services.get_asset(self.project, asset_id), user=request.user)
        response = Response(status=204)
        if kit_fields:
            response[KIT_REMOVED] = ",".join(kit_fields)
        return response


class AssetFileView(UploadView):
    actions = {"POST": "asset.create"}

    def upload_limit(self, request, kwargs) -> int:
        asset = services.get_asset(self.project, kwargs["asset_id"])
        return SIZE_LIMITS[asset.asset_type]

    @extend_schema(operation_id="upload_digital_asset_file", request=bodies.UPLOAD_FILE,
                   responses={200: bodies.ASSET, **ERRORS},
                   summary="Upload the file of a CREATING asset (multipart field 'file')")
    def post(self, request, project_id: str, asset_id: str):
        asset = services.get_asset(self.project, asset_id)
        asset = services.upload_asset_file(asset, self.uploaded_file(request), user=request.user)
        return Response(asset_payload(asset, base_url=base_url(request)))


class AssetUploadView(UploadView):
    actions = {"POST": "asset.create"}

    def upload_limit(self, request, kwargs) -> int:
        return SIZE_LIMITS.get(request.query_params.get("asset_type", ""), MAX_UPLOAD_BYTES)

    @extend_schema(operation_id="upload_digital_asset", request=bodies.UPLOAD_ASSET,
                   responses={200: bodies.ASSET, **ERRORS},
                   summary="Create an asset and upload its file in one multipart request")
    def post(self, request, project_id: str):
        form = request.data
        tags = form.get("tags")
        data = {"asset_name": form.get("asset_name"), "asset_type": form.get("asset_type"),
                "asset_description": form.get("asset_description"),
                "tags": [t.strip() for t in tags.split(",") if t.strip()] if tags else None}
        asset = services.upload_new_asset(self.project, data, self.uploaded_file(request), user=request.user)
        return Response(asset_payload(asset, base_url=base_url(request)))


class RemoteAssetSyncView(ProjectAPIView):
    actions = {"POST": "project.render_target"}

    @extend_schema(operation_id="sync_remote_assets", request=bodies.EMPTY,
                   responses={200: bodies.REMOTE_ASSET_SYNC, 502: ERROR, **ERRORS},
                   summary="Import the avatars and voices of the project's MetaStudio account into its library")
    def post(self, request, project_id: str):
        return Response(sync_remote_assets(self.project, by=request.user))
