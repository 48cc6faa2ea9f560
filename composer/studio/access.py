"""Page access: every project page goes through the caller's membership and the permission matrix."""
from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import reverse

from composer.studio.errors import RoleForbids
from composer.teams.models import Membership
from composer.teams.permissions import MATRIX, can
from composer.teams.services import membership_of


def project_page(action: str = "project.view"):
    """Decorate a view taking `project_id`: non-members get 404 (foreign projects look like unknown ones),
    members whose role lacks `action` get 403. Sets request.membership and request.project."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapper(request, project_id: str, *args, **kwargs):
            membership = membership_of(request.user, project_id)
            if membership is None:
                raise Http404("No such project")
            if not can(membership, action):
                raise RoleForbids(membership, action)
            request.membership = membership
            request.project = membership.project
            return view(request, project_id, *args, **kwargs)

        return wrapper

    return decorate


def allowed_actions(membership: Membership) -> dict[str, bool]:
    """The matrix for one member, as the templates and page scripts need it: {"script.edit": True, ...}."""
    return {action: can(membership, action) for action in MATRIX}


# The project's pages in navigation order: (section, url name, label, permission needed to see the link).
NAV = [
    ("dashboard", "project", "Dashboard", "project.view"),
    ("scripts", "scripts", "Scripts", "script.view"),
    ("assets", "assets", "Asset library", "asset.view"),
    ("brand", "brand-kit", "Brand kit", "brand.view"),
    ("approvals", "approvals", "Approvals", "script.view"),
    ("jobs", "jobs", "Videos", "job.view"),
    ("batches", "batches", "Batches", "job.view"),
    ("members", "members", "Members", "members.view"),
    ("keys", "keys", "API keys", "keys.manage"),
    ("audit", "audit", "Audit log", "audit.view"),
]


def project_nav(membership: Membership, section: str) -> list[dict]:
    return [{"href": reverse(url_name, args=[membership.project_id]), "label": label, "current": key == section}
            for key, url_name, label, action in NAV if can(membership, action)]


def project_context(request, *, section: str, **extra) -> dict:
    """Template context shared by every project page: the project, the role, the nav section, permissions."""
    membership = request.membership
    allowed = allowed_actions(membership)
    return {"project": membership.project, "membership": membership, "section": section,
            "nav": project_nav(membership, section),
            "perms": {key.replace(".", "_"): value for key, value in allowed.items()}, **extra}
