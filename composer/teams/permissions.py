"""The permission matrix: which project role may do what. The API, the pages and the websockets all ask here."""
from __future__ import annotations

from composer.errors import Forbidden
from composer.teams.models import Membership, Role

_ALL = {Role.OWNER, Role.EDITOR, Role.APPROVER, Role.VIEWER}
_MAKERS = {Role.OWNER, Role.EDITOR, Role.APPROVER}

MATRIX: dict[str, set[str]] = {
    "project.view": _ALL,
    "project.manage": {Role.OWNER},
    # Where approved jobs render (a MetaStudio account and its AK/SK), its connection test, importing its assets.
    "project.render_target": {Role.OWNER},
    "members.view": _ALL,
    "members.manage": {Role.OWNER},
    # Pending invitations name people who are not members yet: only owners see them and take them back. The
    # invited person answers their own invitations without any role (they are not a member until they accept).
    "invitations.view": {Role.OWNER},
    "invitations.manage": {Role.OWNER},
    "job.view": _ALL,
    "job.create": _MAKERS,
    "job.cancel": _MAKERS,
    "asset.view": _ALL,
    "asset.create": _MAKERS,
    "asset.edit": _MAKERS,
    "asset.delete": {Role.OWNER, Role.EDITOR},
    # The brand kit (composer.assets.brand): everyone reads it, the people who make the videos change it.
    "brand.view": _ALL,
    "brand.manage": {Role.OWNER, Role.EDITOR},
    "script.view": _ALL,
    "script.edit": {Role.OWNER, Role.EDITOR},
    "script.delete": {Role.OWNER, Role.EDITOR},
    "script.request_approval": {Role.OWNER, Role.EDITOR},
    "script.approve": {Role.OWNER, Role.APPROVER},
    # Submitting unapproved work (a full body, or a script without an approved revision) in a project that
    # requires approval; members on the review allow-list may also do it with review_config.no_need_review.
    "job.skip_approval": {Role.OWNER, Role.APPROVER},
    "audit.view": {Role.OWNER, Role.APPROVER},
    "keys.manage": _MAKERS,
}


def can(membership: Membership | None, action: str) -> bool:
    return membership is not None and membership.role in MATRIX[action]


def require(membership: Membership | None, action: str) -> None:
    """Raise Forbidden unless the member's role allows `action`."""
    if not can(membership, action):
        role = membership.role if membership else "non-member"
        raise Forbidden(f"Your role ({role}) in this project does not allow {action}")
