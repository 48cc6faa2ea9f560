"""The presenter builder's services: choices -> live preview, and choices -> a HUMAN_MODEL_2D asset.

The engine (composer.render.avatar.builder) draws and packs the rig; here it becomes a library asset through the
same upload path as a rig zip sent by hand (checks, storage, audit), plus a cover and the choices in its meta so
the presenter can be reopened in the builder and saved as a new one."""
from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from composer.assets.checks import save_thumbnail
from composer.assets.models import Asset, AssetState, AssetType
from composer.assets.presets import builtin_asset
from composer.assets.services import (
    MAX_NAME,
    _move,
    asset_dir,
    staging_dir,
    upload_new_asset,
)
from composer.errors import InvalidInput
from composer.lib.canonical import content_hash
from composer.lib.filecache import FileCache
from composer.lib.inputs import required_text
from composer.teams.models import Project
from composer.teams.permissions import require
from composer.teams.services import membership_of

#: where an asset's meta keeps the choices it was built from
META_KEY = "presenter"
MAX_OWN_PRESENTERS = 60
PREVIEW_WIDTH = 360
MAX_PREVIEW_WIDTH = 720
RIG_NAME_LENGTH = 80
# The library's avatar tiles fade between these two greys from top to bottom (team.css, .asset-thumb.is-avatar).
COVER_BACKDROP = ((241, 243, 247), (228, 232, 239))
PREVIEWS = FileCache("presenter-previews", ".png", 200)


def _engine():
    # Imported late: the engine draws with numpy and Pillow, which the rest of the asset services do not need.
    from composer.render.avatar import builder

    return builder


def _engine_stamp() -> int:
    # A new engine draws differently: its file's time keeps a cached preview from outliving it.
    return int(Path(_engine().__file__).stat().st_mtime)


# The builder's fields in the order a page shows them, with their names in words.
FIELD_LABELS = {"build": "Body", "features": "Face", "skin": "Skin", "eye_colour": "Eyes",
                "hair_style": "Hair style", "hair_colour": "Hair colour", "outfit": "Outfit",
                "outfit_colour": "Outfit colour", "glasses": "Glasses", "beard": "Beard", "age": "Age"}


def _field_label(field: str) -> str:
    return FIELD_LABELS.get(field) or field.replace("_", " ").capitalize()


def _preset_name(asset_id: str) -> str:
    found = builtin_asset(asset_id)
    if found is not None:
        return found.name.split(" (")[0]
    return asset_id.removeprefix("avatar-").replace("-", " ").title()


def presenter_options() -> dict[str, Any]:
    """Everything a builder UI needs: the fields in order (a colour field shows swatches and may take any
    #RRGGBB), each field's options, a blank start, and the built-in presenters as choices to start from."""
    builder = _engine()
    custom = set(builder.CUSTOM_COLOUR_FIELDS)
    fields = [{"id": field, "label": _field_label(field),
               "kind": "colour" if any("colours" in option for option in options) else "choice",
               "custom_colour": field in custom} for field, options in builder.OPTIONS.items()]
    blank = {field: builder.OPTIONAL_DEFAULTS.get(field, options[0]["id"])
             for field, options in builder.OPTIONS.items()}
    presets = [{"asset_id": asset_id, "name": _preset_name(asset_id), "choices": choices}
               for asset_id, choices in builder.PRESETS_AS_CHOICES.items()]
    return {"fields": fields, "options": builder.OPTIONS, "blank": blank, "presets": presets}


def choices_dict(choices) -> dict[str, Any]:
    """Validated choices as plain JSON data (what the meta stores and the builder page reopens)."""
    return choices.as_dict()


def check_choices(data: Any):
    """The engine's validated choices; its refusals become InvalidInput naming `choices.<field>`."""
    if not isinstance(data, dict):
        raise InvalidInput("choices: must be a JSON object of the builder's options")
    try:
        return _engine().validate_choices(data)
    except ValueError as exc:
        raise InvalidInput(f"choices.{exc}") from exc


def check_name(value: Any) -> str:
    """A presenter's name follows the rule of every asset name (1-MAX_NAME characters)."""
    return required_text(value, "name", MAX_NAME)


def preview_presenter(data: Any, *, width: Any = PREVIEW_WIDTH) -> tuple[bytes, str]:
    """PNG bytes of the presenter at rest and its content key. Previews are kept a while in a small file cache
    by that key: the builder page asks again on every change, often for choices it has seen."""
    if isinstance(width, bool) or not isinstance(width, int) or not 64 <= width <= MAX_PREVIEW_WIDTH:
        raise InvalidInput(f"width: must be a whole number of pixels from 64 to {MAX_PREVIEW_WIDTH}")
    choices = check_choices(data)
    key = content_hash([_engine_stamp(), width, choices_dict(choices)])[:32]
    png = PREVIEWS.get(key)
    if png is None:
        png = _engine().preview_png(choices, width=width)
        PREVIEWS.put(key, png)
    return png, key


def backdrop(size: tuple[int, int]) -> Image.Image:
    """A cover's backdrop: the library's tile gradient, so a cover shown there has no visible edge."""
    (top, bottom), height = COVER_BACKDROP, size[1]
    column = Image.new("RGBA", (1, height))
    for y in range(height):
        t = y / max(1, height - 1)
        column.putpixel((0, y), tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)) + (255,))
    return column.resize(size, Image.Resampling.NEAREST)


def build_presenter(project: Project, *, name: Any, choices: Any, user) -> Asset:
    """Build a presenter from the builder's choices and add it to the project's library as an ACTIVED
    HUMAN_MODEL_2D asset: the rig zip goes through the upload checks and storage of any rig zip, a cover is
    drawn from the preview, and the choices stay in meta["presenter"]. All or nothing: on any refusal or
    failure no row, audit entry or file remains."""
    require(membership_of(user, project), "asset.create")
    name = check_name(name)
    checked = check_choices(choices)
    builder = _engine()
    # The rig keeps a short display name of its own; the asset keeps the full one.
    package = builder.build_rig_zip(checked, name[:RIG_NAME_LENGTH].strip())
    cover_png = builder.preview_png(checked, width=PREVIEW_WIDTH)
    upload = SimpleUploadedFile("presenter.zip", package, content_type="application/zip")
    asset: Asset | None = None
    with staging_dir() as work_dir:
        try:
            with transaction.atomic():
                asset = upload_new_asset(project, {"asset_name": name, "asset_type": AssetType.HUMAN_MODEL_2D,
                                                   "asset_description": "Made with the presenter builder"},
                                         upload, user=user)
                with Image.open(io.BytesIO(cover_png)) as still:
                    plate = backdrop(still.size)
                    plate.alpha_composite(still.convert("RGBA"))
                    cover = save_thumbnail(plate, work_dir / "cover.jpg")
                asset.cover.name = _move(cover, project.id, asset.id, "jpg")
                asset.meta = {**asset.meta, META_KEY: {"choices": choices_dict(checked)}}
                asset.save(update_fields=["cover", "meta", "updated_at"])
        except BaseException:
            # upload_new_asset cleans up its own refusals; anything after it leaves the asset's folder behind.
            if asset is not None:
                shutil.rmtree(asset_dir(project.id, asset.id), ignore_errors=True)
            raise
    return asset



def built_presenters(project: Project) -> list[Asset]:
    """The project's active presenters that were made with the builder (their meta keeps the choices), newest
    first."""
    found = (Asset.objects.filter(project=project, asset_type=AssetType.HUMAN_MODEL_2D, state=AssetState.ACTIVED)
             .order_by("-created_at").only("id", "project_id", "name", "meta", "cover"))
    return [asset for asset in found if isinstance(asset.meta.get(META_KEY), dict)][:MAX_OWN_PRESENTERS]
