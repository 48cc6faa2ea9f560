"""Asset services: the library's verbs (create, upload, update, delete, list) and the lookups that the spec
validator and the renderer use, all scoped to one project."""
from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from composer.assets.checks import Inspection, check_size, inspect_file
from composer.assets.models import Asset, AssetSource, AssetState, AssetType, BrandKit
from composer.assets.presets import Preset, builtin_asset, builtin_presets
from composer.errors import Forbidden, InvalidInput, NotFound, json_object
from composer.lib.inputs import optional_text, required_text
from composer.spec import SpecError
from composer.teams.models import Project, RenderTarget
from composer.teams.render_target import target_of
from composer.teams.services import record_audit

MAX_NAME = 256
MAX_DESCRIPTION = 1024
MAX_TAGS = 20
MAX_TAG_LENGTH = 64
PRESET_TAG = "preset"
# Where the spec expects one type, these are accepted too: any uploaded audio file can be the background music,
# as a marketer expects (MUSIC and AUDIO are both sound files; the type only says where the library lists it).
ACCEPTED_TYPES = {"MUSIC": ("MUSIC", "AUDIO")}


def find_asset(project: Project | None, asset_id: str, asset_type: str) -> Asset | Preset | None:
    """An ACTIVED asset of `asset_type` in `project`, or a preset of that type; None when there is none.

    With no project (the command-line renderer) only the presets exist.
    """
    accepted = ACCEPTED_TYPES.get(asset_type, (asset_type,))
    preset = builtin_asset(asset_id)
    if preset is not None:
        return preset if preset.asset_type in accepted else None
    if project is None:
        return None
    return Asset.objects.filter(project=project, pk=asset_id, asset_type__in=accepted,
                                state=AssetState.ACTIVED).first()


def spec_asset_checker(project: Project | None):
    """The asset_checker the spec validator calls for every asset id in a body."""
    renders_here: list[bool] = []     # the project's render target, read once and only when it matters

    def check(field: str, asset_id: str, asset_type: str) -> dict[str, Any] | None:
        found = find_asset(project, asset_id, asset_type)
        if found is None:
            where = "in this project or the presets" if project else "among the presets (see `manage.py presets`)"
            raise SpecError(field, f"no active {asset_type} asset {asset_id!r} {where}")
        if getattr(found, "source", AssetSource.LOCAL) == AssetSource.METASTUDIO:
            if not renders_here:
                renders_here.append(target_of(project).kind == RenderTarget.LOCAL)
            if renders_here[0]:
                raise SpecError(field, f"asset {asset_id!r} was imported from MetaStudio and renders there only; "
                                       "this project renders here (set its render target to metastudio)")
        meta = found.meta
        if asset_type == AssetType.HUMAN_MODEL_2D and meta.get("layout_width"):
            return {"layout_width": meta["layout_width"], "layout_height": meta["layout_height"]}
        return None

    return check


def asset_file_path(project: Project | None, asset_id: str, asset_type: str) -> Path:
    """The local file behind an asset id, for the renderer."""
    found = find_asset(project, asset_id, asset_type)
    path = found.local_path if found is not None else None
    if path is None:
        remote = " (imported from MetaStudio: it renders there only)" if getattr(found, "remote_asset_id", "") else ""
        raise LookupError(f"no active {asset_type} asset {asset_id!r}{remote}")
    return path


def asset_names(project: Project, asset_ids) -> dict[str, str]:
    """The names of these built-in presets and project assets (deleted ones included), by asset id."""
    wanted = {str(asset_id) for asset_id in asset_ids if asset_id}
    names = {preset.id: preset.name for preset in builtin_presets() if preset.id in wanted}
    names.update(Asset.objects.filter(project=project, pk__in=wanted - set(names)).values_list("pk", "name"))
    return names


def get_asset(project: Project, asset_id: str) -> Asset | Preset:
    """The project's asset (in any state) or a built-in preset; other projects' assets are unknown here."""
    preset = builtin_asset(asset_id)
    if preset is not None:
        return preset
    asset = Asset.objects.filter(project=project, pk=asset_id).first()
    if asset is None:
        raise NotFound(f"asset_id: no asset {asset_id} in this project")
    return asset


def _tags(data: dict) -> list[str] | None:
    tags = data.get("tags")
    if tags is None:
        return None
    if not isinstance(tags, list) or len(tags) > MAX_TAGS or not all(
            isinstance(t, str) and 0 < len(t.strip()) <= MAX_TAG_LENGTH for t in tags):
        raise InvalidInput(f"tags: at most {MAX_TAGS} tags of 1-{MAX_TAG_LENGTH} characters")
    cleaned = list(dict.fromkeys(t.strip() for t in tags))
    if PRESET_TAG in cleaned:
        raise InvalidInput(f"tags: {PRESET_TAG!r} is reserved for built-in presets")
    return cleaned


def _asset_type(data: dict) -> str:
    value = data.get("asset_type")
    if value not in AssetType.values:
        raise InvalidInput(f"asset_type: must be one of {', '.join(AssetType.values)} (got {value!r})")
    return value


def asset_fields(data: Any) -> dict[str, Any]:
    """The checked fields of a create body: asset_name, asset_type, asset_description, tags."""
    data = json_object(data)
    return {"name": required_text(data.get("asset_name"), "asset_name", MAX_NAME), "asset_type": _asset_type(data),
            "description": optional_text(data.get("asset_description"), "asset_description", MAX_DESCRIPTION) or "",
            "tags": _tags(data) or []}


@transaction.atomic
def create_asset(project: Project, data: Any, *, user) -> Asset:
    """Register an asset (MetaStudio's two-step create): CREATING until its file is uploaded and accepted."""
    asset = Asset.objects.create(project=project, created_by=user, state=AssetState.CREATING, **asset_fields(data))
    record_audit(project, user, "asset.create", asset, name=asset.name, asset_type=asset.asset_type)
    return asset


def asset_dir(project_id: str, asset_id: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "assets" / project_id / asset_id


@contextmanager
def staging_dir() -> Iterator[Path]:
    """A private work directory on the media volume (so accepted files move, not copy); always removed."""
    path = Path(settings.MEDIA_ROOT) / "staging" / uuid.uuid4().hex
    path.mkdir(parents=True)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def stage_upload(upload, asset_type: str, work_dir: Path) -> tuple[Path, str]:
    """Copy an uploaded file into `work_dir` under a generated name; returns the path and its MD5."""
    check_size(upload.size, asset_type)
    target = work_dir / "upload"
    digest = hashlib.md5(usedforsecurity=False)
    written = 0
    with open(target, "wb") as out:
        for chunk in upload.chunks():
            written += len(chunk)
            check_size(written, asset_type)
            digest.update(chunk)
            out.write(chunk)
    return target, digest.hexdigest()


def _move(source: Path, project_id: str, asset_id: str, extension: str) -> str:
    """Move an accepted file into the asset's folder under a generated name; returns the storage name."""
    name = f"assets/{project_id}/{asset_id}/{uuid.uuid4().hex}.{extension}"
    target = Path(settings.MEDIA_ROOT) / name
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)
    return name


def store_cover(asset: Asset, thumbnail: Path) -> None:
    """Make the JPEG at `thumbnail` (moved, not copied) the asset's cover."""
    asset.cover.name = _move(thumbnail, asset.project_id, asset.id, "jpg")
    asset.save(update_fields=["cover", "updated_at"])


def _apply(asset: Asset, staged: Path, found: Inspection, upload_name: str, md5: str) -> None:
    """Move the checked files into place and fill the row from what the checks learned (not saved)."""
    meta = dict(found.meta)
    if found.voice_model is not None:
        asset.file.name = _move(found.voice_model, asset.project_id, asset.id, "onnx")
        config_name = _move(found.voice_config, asset.project_id, asset.id, "onnx.json")
        meta["config_path"] = str(Path(settings.MEDIA_ROOT) / config_name)
    else:
        asset.file.name = _move(staged, asset.project_id, asset.id, found.extension)
    if found.cover is not None:
        asset.cover.name = _move(found.cover, asset.project_id, asset.id, "jpg")
    asset.original_filename = str(upload_name or "")[:255]
    asset.content_type = found.content_type
    asset.size_bytes = Path(asset.file.path).stat().st_size
    asset.width, asset.height, asset.duration = found.width, found.height, found.duration
    asset.meta = {**meta, "file_md5": md5}
    asset.state = AssetState.ACTIVED
    asset.reason = ""


def _accept(asset: Asset, upload, *, user, created: bool) -> Asset:
    with staging_dir() as work_dir:
        staged, md5 = stage_upload(upload, asset.asset_type, work_dir)
        found = inspect_file(staged, asset.asset_type, work_dir)
        try:
            with transaction.atomic():
                if not created:
                    locked = Asset.objects.select_for_update().get(pk=asset.pk)
                    if locked.state not in (AssetState.CREATING, AssetState.FAILED):
                        raise InvalidInput(f"asset_id: asset {asset.id} is {locked.state}; a file can only be "
                                           "uploaded to a CREATING or FAILED asset")
                _apply(asset, staged, found, upload.name, md5)
                asset.save()
                record_audit(asset.project, user, "asset.upload" if not created else "asset.create", asset,
                             name=asset.name, asset_type=asset.asset_type, size=asset.size_bytes)
        except BaseException:
            # Nothing of a refused or failed save may stay on disk.
            if created:
                shutil.rmtree(asset_dir(asset.project_id, asset.id), ignore_errors=True)
            else:
                _remove_new_files(asset)
            raise
    return asset


def _remove_new_files(asset: Asset) -> None:
    for field in (asset.file, asset.cover):
        if field.name:
            Path(settings.MEDIA_ROOT, field.name).unlink(missing_ok=True)
    config = asset.meta.get("config_path")
    if config:
        Path(config).unlink(missing_ok=True)


def upload_asset_file(asset: Asset, upload, *, user) -> Asset:
    """Check and store the file of a CREATING (or FAILED) asset; a refused file marks the asset FAILED with why."""
    if asset.is_preset:
        raise Forbidden(f"asset_id: {asset.id} is a built-in preset and cannot be changed")
    if asset.state not in (AssetState.CREATING, AssetState.FAILED):
        raise InvalidInput(f"asset_id: asset {asset.id} is {asset.state}; a file can only be uploaded to a "
                           "CREATING or FAILED asset")
    try:
        return _accept(asset, upload, user=user, created=False)
    except InvalidInput as exc:
        Asset.objects.filter(pk=asset.pk).update(state=AssetState.FAILED, reason=exc.error_msg)
        record_audit(asset.project, user, "asset.upload_refused", asset, reason=exc.error_msg)
        raise


def upload_new_asset(project: Project, data: Any, upload, *, user) -> Asset:
    """One-step create: the asset exists only if its file was accepted."""
    if upload is None:
        raise InvalidInput("file: is required (send it as multipart form data)")
    asset = Asset(project=project, created_by=user, **asset_fields(data))
    return _accept(asset, upload, user=user, created=True)


def _changeable(asset: Asset | Preset, verb: str) -> Asset:
    if asset.is_preset:
        raise Forbidden(f"asset_id: {asset.id} is a built-in preset and cannot be {verb}")
    if asset.state == AssetState.DELETED:
        raise InvalidInput(f"asset_id: asset {asset.id} is deleted")
    return asset


@transaction.atomic
def update_asset(asset: Asset | Preset, data: Any, *, user) -> Asset:
    """Change an asset's name, description or tags."""
    asset = _changeable(asset, "edited")
    data = json_object(data)
    changes: dict[str, Any] = {}
    name = required_text(data["asset_name"], "asset_name", MAX_NAME) if "asset_name" in data else None
    description = optional_text(data.get("asset_description"), "asset_description", MAX_DESCRIPTION)
    tags = _tags(data)
    if name is not None and name != asset.name:
        record_audit(asset.project, user, "asset.rename", asset, name=[asset.name, name])
    for field_name, value in (("name", name), ("description", description), ("tags", tags)):
        if value is not None:
            changes[field_name] = value
            setattr(asset, field_name, value)
    asset.save()
    record_audit(asset.project, user, "asset.edit", asset, fields=sorted(changes))
    return asset


def delete_asset(asset: Asset | Preset, *, user) -> list[str]:
    """Soft delete: the row stays as DELETED (jobs and audit keep their references), its files are removed, and
    the project's brand kit lets go of it (a kit holds only assets of the library). Returns the kit's fields it was
    taken out of (e.g. ["intro_asset_id"]), each change in the audit log as `brand_kit.update`."""
    asset = _changeable(asset, "deleted")
    with transaction.atomic():
        asset.state = AssetState.DELETED
        for field in (asset.file, asset.cover, asset.subtitle_srt, asset.subtitle_vtt):
            field.name = ""
        asset.meta = {k: v for k, v in asset.meta.items() if k != "config_path"}
        asset.save()
        record_audit(asset.project, user, "asset.delete", asset, name=asset.name)
        kit = BrandKit.objects.select_for_update().filter(project_id=asset.project_id).first()
        kit_fields = kit.forget(asset.id) if kit is not None else []
        if kit_fields:
            kit.updated_by = user
            kit.save()
            record_audit(asset.project, user, "brand_kit.update", kit, fields=sorted(kit_fields),
                         deleted_asset=asset.id)
        transaction.on_commit(lambda: shutil.rmtree(asset_dir(asset.project_id, asset.id), ignore_errors=True))
    return kit_fields


def _preset_matches(preset: Preset, *, asset_types: list[str], states: list[str], name: str, tag: str) -> bool:
    return ((not asset_types or preset.asset_type in asset_types)
            and (not states or preset.state in states)
            and (not name or name.casefold() in preset.name.casefold())
            and (not tag or tag == PRESET_TAG))


def list_assets(project: Project, *, asset_types: list[str] | None = None, states: list[str] | None = None,
                name: str = "", tag: str = "", include_presets: bool = True, offset: int = 0,
                limit: int = 10) -> tuple[int, list[Asset | Preset]]:
    """(count, one page) of the built-in presets (first) and the project's assets, filtered.

    Deleted assets appear only when asked for by state."""
    asset_types, states = asset_types or [], states or []
    qs = Asset.objects.filter(project=project)
    qs = qs.filter(state__in=states) if states else qs.exclude(state=AssetState.DELETED)
    if asset_types:
        qs = qs.filter(asset_type__in=asset_types)
    if name:
        qs = qs.filter(name__icontains=name)
    presets = [p for p in builtin_presets() if include_presets and _preset_matches(
        p, asset_types=asset_types, states=states, name=name, tag=tag)]
    if tag:
        # JSON containment is not portable to SQLite, so tags are matched in Python on the project's rows.
        ids = [a.pk for a in qs.only("pk", "tags") if tag in (a.tags or [])]
        qs = qs.filter(pk__in=ids)
    total = len(presets) + qs.count()
    page: list[Asset | Preset] = list(presets[offset:offset + limit])
    remaining = limit - len(page)
    if remaining > 0:
        start = max(0, offset - len(presets))
        page.extend(qs.order_by("-created_at", "pk")[start:start + remaining])
    return total, page
