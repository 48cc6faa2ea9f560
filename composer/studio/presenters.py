"""The presenter builder page: pickers over the builder's options, a live preview, save into the library.

The page reads its options here and writes only through the /v1 presenter API (previews and create)."""
from __future__ import annotations

from typing import Any

from django.shortcuts import render
from django.urls import reverse

from composer.assets.presenters import META_KEY, built_presenters, presenter_options
from composer.assets.services import MAX_NAME
from composer.studio.access import project_context, project_page


def own_presenters(project) -> list[dict[str, Any]]:
    """The project's presenters that were made with the builder, newest first, with the choices they keep."""
    # The cover is cut like the builder's previews, so the start cards crop every face the same way.
    return [{"asset_id": a.id, "name": a.name, "choices": a.meta[META_KEY]["choices"],
             "image_url": a.cover_url() or reverse("editor-asset-image", args=[project.id, a.id])}
            for a in built_presenters(project)]


@project_page("asset.create")
def presenter_builder(request, project_id: str):
    """Start from a built-in presenter, one of the project's own (?from=<asset_id>) or a blank one."""
    options = presenter_options()
    return render(request, "studio/presenter_builder.html", project_context(
        request, section="assets",
        page_data={"project_id": project_id, **options, "own": own_presenters(request.project), "start": request.GET.get("from", "")[:64],
                   "max_name": MAX_NAME,
                   "urls": {"assets": reverse("assets", args=[project_id]),
                            "image": reverse("editor-asset-image", args=[project_id, "ASSET_ID"])}}))
