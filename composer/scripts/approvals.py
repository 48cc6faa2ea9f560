"""Approval: asking approvers to approve a script's latest revision, their decisions, whether an approval still
covers what the script says (stale, renderable), and what a job for a script may render. The API and the pages
call these, nothing else."""
from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from composer.errors import Conflict, Forbidden, InvalidInput, NotFound, json_object
from composer.lib.inputs import optional_text
from composer.scripts.live import publish_review
from composer.scripts.models import ApprovalRequest, ApprovalState, Script, ScriptRevision
from composer.scripts.review import describe_hits, find_review_hits
from composer.scripts.services import describe_changes, get_revision, who
from composer.spec import merge_script_into_body
from composer.spec.variables import output_name, sample_values, with_samples
from composer.teams.models import Membership, Project
from composer.teams.permissions import can
from composer.teams.services import membership_of, record_audit

MAX_COMMENT = 2000
MAX_NOTE = 1000


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


def is_stale(request: ApprovalRequest) -> bool:
    """The script was edited after this request's revision: deciding it covers that revision only."""
    head = request.script.head
    return head is not None and request.content_hash != head.content_hash


def renders_as_approved(request: ApprovalRequest) -> bool:
    """This request's approval is what a job for its script renders now (approved, and nothing edited since):
    the same rule as approved_revision(), for one request."""
    return request.state == ApprovalState.APPROVED and not is_stale(request)


def approved_revision(script: Script) -> ScriptRevision | None:
    """The latest revision, if an approval pinned exactly its content; None when it needs (new) approval."""
    head = script.head
    if head is None:
        return None
    if script.approval_requests.filter(state=ApprovalState.APPROVED, content_hash=head.content_hash).exists():
        return head
    return None


def _comment(data: dict, *, required: bool) -> str:
    comment = optional_text(data.get("comment", ""), "comment", MAX_COMMENT) or ""
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
    return optional_text(note, "note", MAX_NOTE, subject="a note to the approver").strip()


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
        "script", "script__head", "revision", "revision__author", "requested_by", "decided_by")
    return qs.filter(state__in=states) if states else qs


def get_approval_request(project: Project, request_id: str) -> ApprovalRequest:
    """One of the project's approval requests; other projects' requests are as unknown as missing ones."""
    found = list_approval_requests(project).filter(pk=request_id).first()
    if found is None:
        raise NotFound(f"request_id: no approval request {request_id} in this project")
    return found


def list_script_approval_requests(script: Script) -> Any:
    """A script's approval requests, newest first."""
    return script.approval_requests.select_related("script", "script__head", "revision", "requested_by",
                                                   "decided_by")


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


def script_body(body: dict[str, Any], composition: dict[str, Any]) -> dict[str, Any]:
    """The create body for a script's composition. A template renders on its own with its sample values, named
    by its output_name when the body gives no name (a batch gives each row's values instead)."""
    concrete = merge_script_into_body(body, with_samples(composition))
    template = composition.get("template")
    if template and template.get("output_name") and not concrete.get("output_asset_config"):
        concrete["output_asset_config"] = {"asset_name": output_name(template, sample_values(template))}
    return concrete


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
        return script_body(body, revision.composition), script.id, revision.id
    if project.require_approval and not may_skip_approval:
        raise InvalidInput("script_id: this project renders approved scripts only; save the composition as a video "
                           "script, have it approved, and submit it with script_id (approvers, owners and members "
                           "on the review allow-list with review_config.no_need_review may submit full bodies)")
    if not waived:
        check_review(project, body)
    return body, "", ""
