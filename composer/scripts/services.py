"""Script services: save compositions as immutable revisions, compare, copy, tag and restore them (approval is
composer.scripts.approvals). The API and the pages call these, nothing else."""
from __future__ import annotations

import base64
from typing import Any

from django.db import transaction
from django.db.models import Max, Q

from composer.assets.services import asset_names as named_assets
from composer.assets.services import spec_asset_checker
from composer.errors import Conflict, InvalidInput, NotFound, json_object
from composer.lib.canonical import content_hash
from composer.lib.inputs import optional_text, required_text
from composer.scripts.brand import with_brand_defaults
from composer.scripts.diff import asset_ids, json_changes, readable_changes, unified_text
from composer.scripts.length import check_lengths
from composer.scripts.live import publish_review
from composer.scripts.models import (
    ApprovalState,
    Script,
    ScriptRevision,
    ScriptTag,
)
from composer.spec import validate_composition
from composer.spec.tables import COMPOSITION
from composer.tagging import clean_tags, tag_key
from composer.teams.models import Project
from composer.teams.services import record_audit

MAX_NAME = 256
MAX_DESCRIPTION = 1024


def canonical_hash(composition: dict[str, Any]) -> str:
    """What an approval pins: the composition's content hash (composer.lib.canonical)."""
    return content_hash(composition)


def who(user) -> str:
    return user.get_username() if user is not None else "a deleted user"


def validate_for_project(project: Project, composition: Any, *, asset_checker=None) -> dict[str, Any]:
    """The spec's rules, with asset ids looked up in this project and the presets (or by `asset_checker`, one
    that remembers for many rows), and the limits on how long a scene and a video may last (raises SpecError)."""
    spec = validate_composition(composition, asset_checker=asset_checker or spec_asset_checker(project))
    check_lengths(project, spec)
    return spec


def composition_parts(data: Any) -> dict[str, Any]:
    """The parts of a request a script keeps (MetaStudio's script parts and Composer's `template` extension);
    the request body must be a JSON object."""
    data = json_object(data)
    return {name: data[name] for name in COMPOSITION.fields if name in data}


def _new_name(data: dict) -> str | None:
    """script_name when the body gives one (a rename or a copy's name); None when it leaves it out."""
    value = data.get("script_name")
    return None if value is None else required_text(value, "script_name", MAX_NAME)


def get_script(project: Project | str, script_id: str) -> Script:
    """The project's (or project id's) script; scripts of other projects are as unknown as missing ones."""
    script = Script.objects.select_related("head", "head__author").filter(project=project, pk=script_id).first()
    if script is None:
        raise NotFound(f"script_id: no video script {script_id} in this project")
    return script


def get_revision(script: Script, number: Any) -> ScriptRevision:
    try:
        number = int(number)
    except (TypeError, ValueError) as exc:
        raise NotFound(f"revision: {number!r} is not a revision number") from exc
    revision = script.revisions.select_related("author").filter(number=number).first()
    if revision is None:
        raise NotFound(f"revision: script {script.id} has no revision {number}")
    return revision


def searchable_text(composition: dict[str, Any]) -> str:
    """What a search by script text looks in: every scene's text and every text layer, one line each."""
    lines = []
    for item in composition.get("shoot_scripts") or []:
        scene = item.get("shoot_script") or {}
        lines.append((scene.get("text_config") or {}).get("text") or "")
        for layer in scene.get("layer_config") or []:
            lines.append(_layer_text((layer.get("text_config") or {}).get("text_context")))
    return "\n".join(line for line in lines if isinstance(line, str) and line)


def _layer_text(encoded: Any) -> str:
    """A text layer's words: the spec carries them base64-encoded (text_context)."""
    if not isinstance(encoded, str) or not encoded:
        return ""
    try:
        return base64.b64decode(encoded, validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return ""


def _add_revision(script: Script, composition: dict[str, Any], *, user,
                  restored_from: int | None = None) -> ScriptRevision:
    latest = script.revisions.aggregate(latest=Max("number"))["latest"] or 0
    revision = ScriptRevision.objects.create(script=script, number=latest + 1, composition=composition,
                                             content_hash=canonical_hash(composition), author=user,
                                             restored_from=restored_from)
    script.head = revision
    script.search_text = searchable_text(composition)
    script.save(update_fields=["head", "search_text", "updated_at"])
    # A request about other content can no longer be approved: the approver would not see what renders.
    superseded = script.approval_requests.filter(state=ApprovalState.PENDING) \
        .exclude(content_hash=revision.content_hash).update(state=ApprovalState.SUPERSEDED)
    if superseded:
        publish_review(script.id, script.project_id)
    return revision


@transaction.atomic
def create_script(project: Project, data: Any, *, user) -> Script:
    """A new script whose first revision is the given composition (checked by the spec)."""
    data = json_object(data)
    name = required_text(data.get("script_name"), "script_name", MAX_NAME)
    description = optional_text(data.get("script_description"), "script_description", MAX_DESCRIPTION) or ""
    # The brand kit's subtitle style and music, where the body gives none (composer.scripts.brand).
    composition = validate_for_project(project, with_brand_defaults(project, composition_parts(data)))
    tags = clean_tags(data["tags"]) if "tags" in data else []
    script = Script.objects.create(project=project, name=name, description=description, created_by=user)
    revision = _add_revision(script, composition, user=user)
    _set_tags(script, tags)
    record_audit(project, user, "script.create", script, name=name, revision=revision.number)
    return script


def parse_base_revision(data: dict[str, Any], if_match: str | None) -> int | None:
    """The revision a save edits: `base_revision` in the body, else the If-Match header ("3" or W/"3")."""
    raw = data.get("base_revision")
    if raw is None and if_match:
        raw = if_match.strip().removeprefix("W/").strip('"')
    if raw is None:
        return None
    if isinstance(raw, bool) or not str(raw).isdigit():
        raise InvalidInput(f"base_revision: must be a revision number (got {raw!r})")
    return int(raw)


def save_script(script: Script, data: Any, *, user, base_revision: int | None = None) -> Script:
    """Save an edit. Composition parts make a new revision when the content changed; a save based on an older
    revision than the latest is refused (409) so a colleague's work is never silently overwritten."""
    data = json_object(data)
    with transaction.atomic():
        script = Script.objects.select_for_update(of=("self",)).select_related("head", "head__author", "project") \
            .get(pk=script.pk)
        head = script.head
        if base_revision is not None and base_revision != head.number:
            raise Conflict(f"base_revision: you edited revision {base_revision}, but revision {head.number} was "
                           f"saved since by {who(head.author)} at {head.created_at:%Y-%m-%d %H:%M:%S} UTC; "
                           "reload the script and apply your change again")
        name = _new_name(data)
        description = optional_text(data.get("script_description"), "script_description", MAX_DESCRIPTION)
        tags = clean_tags(data["tags"]) if "tags" in data else None
        parts = composition_parts(data)
        revision = head
        if parts:
            composition = validate_for_project(script.project, {**head.composition, **parts})
            if canonical_hash(composition) != head.content_hash:
                revision = _add_revision(script, composition, user=user)
        if name is not None and name != script.name:
            record_audit(script.project, user, "script.rename", script, name=[script.name, name])
            script.name = name
        if description is not None:
            script.description = description
        script.save()
        details = {}
        if tags is not None:
            details["tags"] = _set_tags(script, tags)
        record_audit(script.project, user, "script.edit", script, revision=revision.number,
                     new_revision=revision is not head, **details)
    return script


@transaction.atomic
def restore_revision(script: Script, number: Any, *, user) -> ScriptRevision:
    """Make an old revision the latest again, as a new revision with the same content."""
    script = Script.objects.select_for_update(of=("self",)).select_related("project").get(pk=script.pk)
    old = get_revision(script, number)
    composition = validate_for_project(script.project, old.composition)
    revision = _add_revision(script, composition, user=user, restored_from=old.number)
    record_audit(script.project, user, "script.restore", script, revision=revision.number, restored_from=old.number)
    return revision


@transaction.atomic
def copy_script(script: Script, data: Any = None, *, user) -> Script:
    """A new script starting from this one's latest revision (approvals are not copied)."""
    data = data if isinstance(data, dict) else {}
    name = _new_name(data) or f"{script.name} (copy)"[:MAX_NAME]
    copy = Script.objects.create(project=script.project, name=name, description=script.description,
                                 created_by=user)
    _add_revision(copy, script.head.composition, user=user)
    _set_tags(copy, script_tags(script))
    record_audit(script.project, user, "script.copy", copy, source=script.id)
    return copy


@transaction.atomic
def delete_script(script: Script, *, user) -> None:
    """Delete a script with its revisions and approvals; jobs keep the script id they rendered."""
    record_audit(script.project, user, "script.delete", script, name=script.name)
    script.delete()


def _set_tags(script: Script, tags: list[str]) -> list[str]:
    """Replace the script's tags with `tags` (already cleaned); returns them."""
    script.tag_rows.all().delete()
    ScriptTag.objects.bulk_create([ScriptTag(script=script, name=tag, key=tag_key(tag)) for tag in tags])
    return tags


def script_tags(script: Script) -> list[str]:
    return [row.name for row in script.tag_rows.all()]


def project_script_tags(project: Project) -> list[str]:
    """Every tag used on the project's scripts, once each (first spelling), sorted for a filter menu."""
    names: dict[str, str] = {}
    for key, name in ScriptTag.objects.filter(script__project=project).order_by("id").values_list("key", "name"):
        names.setdefault(key, name)
    return sorted(names.values(), key=str.casefold)


def list_scripts(project: Project, *, name: str = "", text: str = "", tag: str = "") -> Any:
    """The project's scripts, newest change first. `name` matches the name; `text` matches the name or any
    scene's script text; `tag` keeps scripts carrying that tag (any case). Plain LIKE lookups: portable SQL."""
    qs = Script.objects.filter(project=project).select_related("head", "head__author").prefetch_related("tag_rows")
    if name:
        qs = qs.filter(name__icontains=name)
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(search_text__icontains=text))
    if tag:
        qs = qs.filter(tag_rows__key=tag_key(tag))
    return qs


def asset_names(project: Project, *compositions: dict[str, Any] | None) -> dict[str, str]:
    """The names of the assets (project uploads and built-in presets) the compositions use, by asset id."""
    return named_assets(project, set().union(*(asset_ids(c) for c in compositions if c)))


def describe_changes(project: Project, before: dict[str, Any] | None, after: dict[str, Any]) -> list[dict[str, Any]]:
    """What changed from `before` to `after` in words, assets by name; with no `before`, everything is new."""
    return readable_changes(before, after, asset_names(project, before, after))


def diff_revisions(script: Script, a: Any, b: Any) -> dict[str, Any]:
    """Changes from revision a to revision b: in words (`readable`), as JSON paths with before/after values, and as
    a unified text diff."""
    before, after = get_revision(script, a), get_revision(script, b)
    return {"from_revision": before.number, "to_revision": after.number,
            "readable": describe_changes(script.project, before.composition, after.composition),
            "changes": json_changes(before.composition, after.composition),
            "unified": unified_text(before.composition, after.composition, before_label=f"revision {before.number}",
                                    after_label=f"revision {after.number}")}


def script_names(project: Project, script_ids) -> dict[str, str]:
    """The names of the project's scripts with these ids (deleted ones are left out)."""
    return dict(Script.objects.filter(project=project, pk__in=list(script_ids)).values_list("pk", "name"))


def list_revisions(script: Script) -> Any:
    """A script's revisions, newest first."""
    return script.revisions.select_related("author").order_by("-number")
