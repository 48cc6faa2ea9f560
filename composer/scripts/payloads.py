"""Scripts, revisions and approval requests as API bodies (MetaStudio's field names plus our snake_case ones)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from composer.assets.payloads import iso
from composer.scripts.approvals import approved_revision, is_stale, renders_as_approved
from composer.scripts.brand import off_kit_reports
from composer.scripts.models import ApprovalRequest, ApprovalState, Script, ScriptRevision
from composer.scripts.services import script_tags, who


def first_text(composition: dict[str, Any]) -> str:
    for item in composition.get("shoot_scripts") or []:
        scene = item.get("shoot_script") or {}
        if scene.get("script_type") == "TEXT":
            return (scene.get("text_config") or {}).get("text", "")
    return ""


#: where a script's latest revision stands (approval_summary): an ApprovalState, or NONE when never asked or
#: changed since
SUMMARY_STATES = (ApprovalState.APPROVED, ApprovalState.PENDING, ApprovalState.REJECTED, "NONE")


def approval_summary(script: Script) -> dict[str, Any]:
    """Where the latest revision stands: APPROVED, PENDING, REJECTED, or NONE (never asked / changed since)."""
    head = script.head
    latest = script.approval_requests.select_related("revision", "decided_by").first()
    approved = approved_revision(script)
    if approved is not None:
        state = ApprovalState.APPROVED.value
    elif latest is not None and latest.content_hash == head.content_hash and latest.state != ApprovalState.SUPERSEDED:
        state = latest.state
    else:
        state = "NONE"
    return {"state": state, "approved_revision": approved.number if approved else None,
            "latest_request": approval_payload(latest) if latest else None}


def script_base_payload(script: Script) -> dict[str, Any]:
    """One row of the list (VideoScriptBaseInfo)."""
    head = script.head
    composition = head.composition if head else {}
    return {"script_id": script.id, "script_name": script.name, "script_description": script.description,
            "model_asset_id": composition.get("model_asset_id"), "model_asset_type": "HUMAN_MODEL_2D",
            "script_cover_url": None, "script_type": "TEXT", "text": first_text(composition)[:1024],
            "create_time": iso(script.created_at), "update_time": iso(script.updated_at),
            "revision": head.number if head else None, "approval": approval_summary(script),
            "tags": script_tags(script)}


def script_payload(script: Script) -> dict[str, Any]:
    """The show body: the latest revision's composition at the top level, as MetaStudio shows a script."""
    head = script.head
    return {"script_id": script.id, "script_name": script.name, "script_description": script.description,
            **head.composition, "create_time": iso(script.created_at), "update_time": iso(script.updated_at),
            "script_cover_url": None, "revision": head.number, "revision_id": head.id,
            "revision_author": who(head.author), "content_hash": head.content_hash,
            "approval": approval_summary(script), "tags": script_tags(script)}


def revision_payload(revision: ScriptRevision, *, with_composition: bool = False) -> dict[str, Any]:
    body = {"revision": revision.number, "revision_id": revision.id, "author": who(revision.author),
            "create_time": iso(revision.created_at), "content_hash": revision.content_hash,
            "restored_from": revision.restored_from}
    if with_composition:
        body["composition"] = revision.composition
        # Composer: the colours and fonts it uses outside the project's brand kit, as the approver sees them.
        body["off_kit"] = off_kit_reports(revision.script.project_id)(revision.composition)
    return body


OffKit = Callable[[dict[str, Any]], dict[str, Any]]


def approval_payload(request: ApprovalRequest, *, off_kit: OffKit | None = None) -> dict[str, Any]:
    """`off_kit` (composer.scripts.brand.off_kit_reports of the project) is passed by lists, to read the kit once."""
    off_kit = off_kit or off_kit_reports(request.script.project_id)
    return {"request_id": request.id, "script_id": request.script_id, "script_name": request.script.name,
            "revision": request.revision.number, "content_hash": request.content_hash, "state": request.state,
            "requested_by": who(request.requested_by), "note": request.note,
            # The note's earlier name, kept for clients written before it was renamed.
            "request_comment": request.note,
            "request_time": iso(request.requested_at),
            "decided_by": who(request.decided_by) if request.decided_by_id else None,
            "decision_comment": request.decision_comment, "decide_time": iso(request.decided_at),
            # Composer: the script was edited after this revision; and whether a render of it renders this now.
            "stale": is_stale(request), "renderable": renders_as_approved(request),
            # Composer: the revision's colours and fonts outside the project's brand kit (the approver's check).
            "off_kit": off_kit(request.revision.composition)}
