"""The brand kit's intro and outro around a job's scenes: prepared at the join as scenes of their own
(composer.render.clips), so the join plays the intro first and the outro last with their own sound."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from composer.assets.models import AssetType, BrandKit
from composer.assets.services import asset_file_path
from composer.jobs.models import VideoJob

log = logging.getLogger(__name__)


def _field(result: Any, name: str) -> Any:
    return result[name] if isinstance(result, dict) else getattr(result, name)


def with_brand_clips(job: VideoJob, results: list, work: Path) -> list:
    """The scenes' results with the kit's intro before them and its outro after them (as the kit is when the video
    is joined); unchanged without a kit or clips. A clip deleted from the library since is left out."""
    kit = BrandKit.objects.filter(project_id=job.project_id).first()
    if kit is None or not (kit.intro_asset_id or kit.outro_asset_id) or not results:
        return results
    # The engine (PyAV) loads on first use, not with every web process.
    from composer.render.clips import clip_scene

    first = min(results, key=lambda result: _field(result, "index"))
    size = (_field(first, "width"), _field(first, "height"))
    before, after = [], []
    for asset_id, index, place in ((kit.intro_asset_id, -1, before), (kit.outro_asset_id, len(results), after)):
        if not asset_id:
            continue
        try:
            source = asset_file_path(job.project, asset_id, AssetType.VIDEO)
        except LookupError:
            log.warning("job %s: the brand kit's clip %s is no longer in the library; left out", job.pk, asset_id)
            continue
        place.append(clip_scene(source, index, job.spec, size, work / "brand-clips",
                                cover=_field(first, "cover")))
    return [*before, *results, *after]
