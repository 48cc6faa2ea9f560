"""Uploading a file to the asset library through the API, as the studio's upload form does."""
from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile


def upload(client, project, data: bytes, name: str, asset_type: str, **fields):
    form = {"file": SimpleUploadedFile(name, data), "asset_name": fields.pop("asset_name", name),
            "asset_type": asset_type, **fields}
    return client.post(f"/v1/{project.id}/digital-assets/upload", form, format="multipart")
