"""Scene preview thumbnails: the final render's compositor at one moment, for the editor and the approvers.

A preview is a pure function of (composition, scene, time, width), so it is cached on disk under that key;
a saved revision never changes, which makes its previews cacheable by the browser too.
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.conf import settings

from composer.assets.identity import scene_asset_files
from composer.assets.resolver import ProjectAssetResolver
from composer.errors import InvalidInput
from composer.lib.canonical import content_hash
from composer.lib.filecache import FileCache
from composer.scripts.services import validate_for_project
from composer.spec import ordered_scenes
from composer.spec.variables import apply_values, sample_rows, with_samples
from composer.teams.models import Project

MIN_WIDTH, MAX_WIDTH, DEFAULT_WIDTH = 64, 1920, 480
MAX_TIME = 3600
MAX_CACHED = 2000
THUMBNAILS = FileCache("previews", ".jpg", MAX_CACHED)


def preview_params(scene: Any, time: Any, width: Any) -> tuple[int, float, int]:
    """Parse and range-check the query/body parameters, naming the one that is wrong."""
    try:
        scene_index = int(scene if scene not in (None, "") else 0)
    except (TypeError, ValueError):
        raise InvalidInput("scene: must be a scene index (0, 1, ...)") from None
    try:
        at = float(time if time not in (None, "") else 0.0)
    except (TypeError, ValueError):
        raise InvalidInput("time: must be a number of seconds") from None
    try:
        px = int(width if width not in (None, "") else DEFAULT_WIDTH)
    except (TypeError, ValueError):
        raise InvalidInput(f"width: must be an integer of {MIN_WIDTH}-{MAX_WIDTH} pixels") from None
    if scene_index < 0:
        raise InvalidInput("scene: must be 0 or more")
    if not 0 <= at <= MAX_TIME:
        raise InvalidInput(f"time: must be within 0-{MAX_TIME} seconds")
    if not MIN_WIDTH <= px <= MAX_WIDTH:
        raise InvalidInput(f"width: must be an integer of {MIN_WIDTH}-{MAX_WIDTH} pixels")
    return scene_index, at, px


def preview_key(composition: dict[str, Any], scene: int, time: float, width: int, files: Any = None) -> str:
    """`files`: which stored files the scene's assets are (composer/assets/identity.py), so a re-uploaded rig or
    picture draws a new preview instead of serving the old one."""
    return content_hash([composition, scene, round(time, 2), width, files])


def scene_preview(project: Project, composition: Any, *, scene: int, time: float, width: int,
                  row: int | None = None) -> tuple[bytes, str]:
    """JPEG bytes of scene `scene` at `time` seconds, at most `width` pixels wide, and its cache key. A template
    draws with its sample values, or with sample row `row` (composer/spec/variables.py sample_rows).

    Raises SpecError naming the field when the composition is invalid, InvalidInput for a missing scene."""
    # The engine (PyAV, the voices) loads on first use, not with every web process.
    from composer.render import render_preview

    spec = validate_for_project(project, composition)
    template = spec.get("template")
    if row and template:
        rows = sample_rows(template)
        if row >= len(rows):
            raise InvalidInput(f"row: this template has {len(rows)} sample rows, numbered from 0")
        spec = validate_for_project(project, apply_values(spec, rows[row]))
    else:
        spec = with_samples(spec)
    scenes = spec["shoot_scripts"]
    if scene >= len(scenes):
        raise InvalidInput(f"scene: this script has {len(scenes)} scene(s), numbered from 0")
    shot = ordered_scenes(spec)[scene]["shoot_script"]
    key = preview_key(spec, scene, time, width, scene_asset_files(project, shot, spec))
    cached = THUMBNAILS.get(key)
    if cached is not None:
        return cached, key
    downloads = Path(settings.COMPOSER_DATA_DIR) / "preview-downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    image = render_preview(spec, scene, time, ProjectAssetResolver(project, downloads, standins=True), max_width=width)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=85)
    data = buffer.getvalue()
    THUMBNAILS.put(key, data)
    return data, key
