"""Script services: save compositions as immutable revisions, compare and restore them, ask for and give
approval, and decide what a job for a script renders. The API and the pages call these, nothing else."""
from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from composer.assets.models import Asset
from composer.assets.services import builtin_presets, spec_asset_checker
from composer.errors import Conflict, Forbidden, InvalidInput, NotFound, json_object
from composer.scripts.diff import asset_ids, json_changes, readable_changes, unified_text
from composer.scripts.length import check_lengths
from composer.scripts.live import publish_review
from composer.scripts.models import (
    ApprovalRequest,
    ApprovalState,
    Script,
    ScriptRevision,
    ScriptTag,
)
from composer.scripts.review import describe_hits, find_review_hits
from composer.spec import merge_script_into_body, validate_composition
from composer.spec.tables import COMPOSITION_FIELDS
from composer.tagging import clean_tags, tag_key
from composer.teams.models import Membership, Project
from composer.teams.permissions import can
from composer.teams.services import membership_of, record_audit

MAX_NAME = 256
MAX_DESCRIPTION = 1024
MAX_COMMENT = 2000
MAX_NOTE = 1000


def canonical_hash(composition: dict[str, Any]) -> str:
    """sha256 of the composition's canonical JSON (sorted keys, no spaces, UTF-8): what an approval pins."""
    text = json.dumps(composition, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def who(user) -> str:
    return user.get_username() if user is not None else "a deleted user"


def validate_for_project(project: Project, composition: Any) -> dict[str, Any]:
    """The spec's rules, with asset ids looked up in this project and the presets, and the limits on how long
    a scene and a video may last (raises SpecError)."""
    spec = validate_composition(composition, asset_checker=spec_asset_checker(project))
    check_lengths(project, spec)
    return spec


def composition_parts(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in COMPOSITION_FIELDS if name in data}


def _text(data: dict, name: str, limit: int, *, required: bool) -> str | None:
    value = data.get(name)
    if value is None:
        if required:
            raise InvalidInput(f"{name}: is required")
        return None
    if not isinstance(value, str) or len(value) > limit or (name == "script_name" and not value.strip()):
        raise InvalidInput(f"{name}: must be text of {1 if name == 'script_name' else 0}-{limit} characters")
    return value.strip() if name == "script_name" else value


def get_script(project: Project, script_id: str) -> Script:
    """The project's script; scripts of other projects are as unknown as missing ones."""
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
    name = _text(data, "script_name", MAX_NAME, required=True)
    description = _text(data, "script_description", MAX_DESCRIPTION, required=False) or ""
    composition = validate_for_project(project, composition_parts(data))
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
        name = _text(data, "script_name", MAX_NAME, required=False)
        description = _text(data, "script_description", MAX_DESCRIPTION, required=False)
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
    name = _text(data, "script_name", MAX_NAME, required=False) or f"{script.name} (copy)"[:MAX_NAME]
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
    wanted = set().union(*(asset_ids(c) for c in compositions if c))
    names = {p["asset_id"]: p["name"] for p in builtin_presets() if p["asset_id"] in wanted}
    names.update(Asset.objects.filter(project=project, pk__in=wanted - set(names)).values_list("pk", "name"))
    return names


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


def last_approved_before(script: Script, number: int) -> ScriptRevision | None:
    """The newest approved revision older than revision `number`: what an approver compares a request with."""
    approved = (script.approval_requests.filter(state=ApprovalState.APPROVED, revision__number__lt=number)
                .select_related("revision").order_by("-revision__number").first())
    return approved.revision if approved is not None else None


def approval_changes(request: ApprovalRequest) -> dict[str, Any]:
    """What an approver must check: the requested revision against the last approved one, or, when nothing was
    ever approved, the whole revision (every setting, scene and layer is new)."""
    base = last_approved_before(request.script, request.revision.number)
    return {"compare_to": base.number if base else None,
            "changes": describe_changes(request.script.project, base.composition if base else None,
                                        request.revision.composition)}


def latest_approval(script: Script) -> ApprovalRequest | None:
    return script.approval_requests.filter(state=ApprovalState.APPROVED).order_by("-decided_at").first()


def approved_revision(script: Script) -> ScriptRevision | None:
    """The latest revision, if an approval pinned exactly its content; None when it needs (new) approval."""
    head = script.head
    if head is None:
        return None
    if script.approval_requests.filter(state=ApprovalState.APPROVED, content_hash=head.content_hash).exists():
        return head
    return None


def _comment(data: dict, *, required: bool) -> str:
    comment = data.get("comment", "")
    if not isinstance(comment, str) or len(comment) > MAX_COMMENT:
        raise InvalidInput(f"comment: must be text of at most {MAX_COMMENT} characters")
    if required and not comment.strip():
        raise InvalidInput("comment: say why the revision is rejected")
    return comment


def check_review(project: Project, composition: dict[str, Any]) -> None:
    """Refuse content that holds a word of the project's review list, naming each word and where it is."""
    hits = find_review_hits(composition, project.review_words or [])
    if hits:
        raise InvalidInput(f"{hits[0]['path']}: content review found listed words: {describe_hits(hits)}")


def _note(data: dict) -> str:
    # `comment` is what clients sent before `note` had its name.
    note = data.get("note", data.get("comment", "")) or ""
    if not isinstance(note, str) or len(note) > MAX_NOTE:
        raise InvalidInput(f"note: a note to the approver must be text of at most {MAX_NOTE} characters")
    return note.strip()


def check_not_rejected(script: Script, revision: ScriptRevision, note: str) -> None:
    """Refuse to ask again for exactly what an approver rejected, unless a note answers the rejection."""
    decided = (script.approval_requests.filter(content_hash=revision.content_hash,
                                               state__in=[ApprovalState.APPROVED, ApprovalState.REJECTED])
               .select_related("decided_by").order_by("-decided_at").first())
    if decided is None or decided.state != ApprovalState.REJECTED or note:
        return
    said = f" (“{decided.decision_comment.strip()}”)" if decided.decision_comment.strip() else ""
    raise InvalidInput(f"note: this exact version was rejected by {who(decided.decided_by)}{said}. Change the "
                       "script, or add a note to the approver that answers the rejection, before asking again")


def request_approval(script: Script, data: Any, *, user) -> ApprovalRequest:
    """Ask the project's approvers to approve the latest revision (the one named by `revision`), with an optional
    note to them. What was rejected can be asked for again only once changed, or with a note answering why not."""
    data = json_object(data)
    with transaction.atomic():
        script = Script.objects.select_for_update(of=("self",)).select_related("head", "project").get(pk=script.pk)
        head = script.head
        number = data.get("revision", head.number)
        revision = get_revision(script, number)
        if revision.pk != head.pk:
            raise Conflict(f"revision: revision {revision.number} is not the latest ({head.number}, saved by "
                           f"{who(head.author)}); request approval of what will render")
        note = _note(data)
        check_not_rejected(script, revision, note)
        check_review(script.project, revision.composition)
        script.approval_requests.filter(state=ApprovalState.PENDING).update(state=ApprovalState.SUPERSEDED)
        request = ApprovalRequest.objects.create(script=script, revision=revision, content_hash=revision.content_hash,
                                                 requested_by=user, note=note)
        record_audit(script.project, user, "script.request_approval", script, revision=revision.number,
                     request_id=request.id, **({"note": note} if note else {}))
        publish_review(script.id, script.project_id)
    return request


def _pending(script: Script, data: dict) -> ApprovalRequest:
    request = script.approval_requests.select_related("revision", "revision__author", "requested_by") \
        .filter(state=ApprovalState.PENDING).first()
    if request is None:
        raise Conflict(f"script_id: script {script.id} has no pending approval request")
    number = data.get("revision")
    if number is not None and str(number) != str(request.revision.number):
        raise Conflict(f"revision: the pending request is for revision {request.revision.number}, not {number}")
    return request


def _decide(script: Script, data: Any, *, user, approve: bool) -> ApprovalRequest:
    data = json_object(data)
    with transaction.atomic():
        script = Script.objects.select_for_update(of=("self",)).select_related("head", "project").get(pk=script.pk)
        request = _pending(script, data)
        comment = _comment(data, required=not approve)
        project = script.project
        own = user.pk in (request.revision.author_id, request.requested_by_id)
        if own and not project.allow_self_approval:
            raise Forbidden(f"revision: {who(user)} wrote or submitted revision {request.revision.number}; another "
                            "approver must decide (this project does not allow self-approval)")
        if approve:
            check_review(project, request.revision.composition)
        request.state = ApprovalState.APPROVED if approve else ApprovalState.REJECTED
        request.decided_by = user
        request.decided_at = timezone.now()
        request.decision_comment = comment
        request.save()
        record_audit(project, user, "script.approve" if approve else "script.reject", script,
                     revision=request.revision.number, request_id=request.id, comment=comment)
        publish_review(script.id, project.id)
    return request


def approve(script: Script, data: Any, *, user) -> ApprovalRequest:
    """Approve the pending request: its revision's content hash becomes what jobs for this script may render."""
    return _decide(script, data, user=user, approve=True)


def reject(script: Script, data: Any, *, user) -> ApprovalRequest:
    """Reject the pending request, with a comment saying why."""
    return _decide(script, data, user=user, approve=False)


def list_approval_requests(project: Project, *, states: list[str] | None = None) -> Any:
    qs = ApprovalRequest.objects.filter(script__project=project).select_related(
        "script", "revision", "revision__author", "requested_by", "decided_by")
    return qs.filter(state__in=states) if states else qs


def awaiting_decision_by(project: Project, user) -> Any:
    """The pending requests `user` may decide: all of them where self-approval is allowed, else those about
    revisions the user neither wrote nor submitted (the rule _decide enforces)."""
    pending = list_approval_requests(project, states=[ApprovalState.PENDING])
    if project.allow_self_approval:
        return pending
    return pending.exclude(requested_by=user).exclude(revision__author=user)


def _not_approved(script: Script) -> InvalidInput:
    head = script.head
    approved = latest_approval(script)
    if approved is not None:
        why = (f"revision {approved.revision.number} was approved, but revision {head.number} "
               f"(saved by {who(head.author)}) changed it since")
    else:
        why = f"its latest revision {head.number} has not been approved"
    return InvalidInput(f"script_id: script {script.id} cannot render: {why}; request approval and have an approver "
                        "approve it first")


def prepare_job_body(project: Project, body: Any, *, user,
                     membership: Membership | None = None) -> tuple[Any, str, str]:
    """Apply the approval rules to a create body: returns (body to validate, script_id, script_revision_id).

    A body with script_id renders the script's approved revision; a full body needs no approval unless the
    project requires it. Approvers and owners, or members on the review allow-list who set
    review_config.no_need_review, may submit unapproved work; the word list still applies unless review was
    waived that way."""
    if not isinstance(body, dict):
        return body, "", ""
    membership = membership or membership_of(user, project)
    review = body.get("review_config")
    waived = isinstance(review, dict) and review.get("no_need_review") is True and \
        membership is not None and membership.may_skip_review
    may_skip_approval = waived or can(membership, "job.skip_approval")
    script_id = body.get("script_id")
    if isinstance(script_id, str) and script_id:
        script = Script.objects.select_related("head", "head__author").filter(project=project, pk=script_id).first()
        if script is None or script.head is None:
            raise InvalidInput(f"script_id: no video script {script_id} in this project")
        revision = approved_revision(script)
        if revision is None:
            if project.require_approval and not may_skip_approval:
                raise _not_approved(script)
            revision = script.head
            if not waived:
                check_review(project, revision.composition)
        return merge_script_into_body(body, revision.composition), script.id, revision.id
    if project.require_approval and not may_skip_approval:
        raise InvalidInput("script_id: this project renders approved scripts only; save the composition as a video "
                           "script, have it approved, and submit it with script_id (approvers, owners and members "
                           "on the review allow-list with review_config.no_need_review may submit full bodies)")
    if not waived:
        check_review(project, body)
    return body, "", ""
