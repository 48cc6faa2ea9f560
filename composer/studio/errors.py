"""The studio's own 400/403/404/500/503 pages: why, in words, and where to go next. The API keeps its JSON errors."""
from __future__ import annotations

import logging
import re
import sys

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template import loader
from django.urls import reverse
from django.views import defaults

from composer.lib.outage import retry_after, unavailable_service
from composer.teams.models import Membership, Role
from composer.teams.permissions import MATRIX
from composer.teams.services import membership_of

log = logging.getLogger(__name__)


def is_api_path(path: str) -> bool:
    return path.startswith("/v1/")

# What an action lets a member do, as the end of "… needs the editor or owner role".
ACTION_WORDS = {
    "project.view": "seeing this project",
    "project.manage": "changing the project's settings",
    "members.view": "seeing the members",
    "members.manage": "inviting members and changing roles",
    "job.view": "seeing the videos",
    "job.create": "rendering videos",
    "job.cancel": "canceling renders",
    "job.skip_approval": "rendering without approval",
    "asset.view": "seeing the asset library",
    "asset.create": "adding to the asset library",
    "asset.edit": "renaming and tagging assets",
    "asset.delete": "deleting assets",
    "script.view": "seeing the scripts",
    "script.edit": "editing scripts",
    "script.delete": "deleting scripts",
    "script.request_approval": "requesting approval",
    "script.approve": "approving scripts",
    "audit.view": "reading the audit log",
    "keys.manage": "managing API keys",
}
# Pages whose own name says more than their action ("creating presenters" rather than "adding to the library").
PAGE_WORDS = {"presenter-builder": "creating presenters", "keys": "managing API keys", "audit": "reading the audit log"}
ROLE_ORDER = [Role.EDITOR, Role.APPROVER, Role.OWNER, Role.VIEWER]


class RoleForbids(PermissionDenied):
    """A member's role does not allow the page's action: the 403 page says which role they have and which it needs."""

    def __init__(self, membership: Membership, action: str):
        super().__init__(f"Your role ({membership.role}) in this project does not allow {action}")
        self.membership = membership
        self.action = action


def _or_list(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def role_sentence(membership: Membership, action: str, url_name: str = "") -> str:
    """"You are a viewer in Demo; creating presenters needs the editor, approver or owner role"."""
    role = membership.get_role_display().lower()
    allowed = [r.label.lower() for r in ROLE_ORDER if r in MATRIX.get(action, ())]
    doing = PAGE_WORDS.get(url_name) or ACTION_WORDS.get(action, action)
    needs = f"the {_or_list(allowed)} role" if allowed else "a role nobody has"
    return f"You are {_article(role)} {role} in {membership.project.name}; {doing} needs {needs}."


def _project_links(request: HttpRequest) -> tuple[Membership | None, list[dict]]:
    """Where to go instead: the project the URL names (when the caller is a member), then their projects."""
    links = []
    membership = None
    match = re.match(r"^/p/([^/]+)/", request.path)
    user = getattr(request, "user", None)
    if match:
        membership = membership_of(user, match.group(1))
    if membership is not None:
        project = membership.project
        links.append({"href": reverse("project", args=[project.id]), "label": f"Back to {project.name}"})
        section = re.match(r"^/p/[^/]+/(scripts|videos|approvals|assets)/.", request.path)
        if section:
            name = {"scripts": "scripts", "videos": "jobs", "approvals": "approvals", "assets": "assets"}[section[1]]
            label = {"scripts": "All scripts", "videos": "All videos", "approvals": "All approvals",
                     "assets": "Asset library"}[section[1]]
            links.append({"href": reverse(name, args=[project.id]), "label": label})
    if user is not None and user.is_authenticated:
        links.append({"href": reverse("home"), "label": "Your projects"})
    else:
        links.append({"href": reverse("login"), "label": "Sign in"})
    return membership, links


def _page(request: HttpRequest, status: int, context: dict) -> HttpResponse:
    template = loader.get_template(f"{status}.html")
    return HttpResponse(template.render(context, request), status=status)


def _said(exception: BaseException | None) -> str:
    """The reason a view gave, when it reads as a sentence ("No such project"), capitalised and ended."""
    text = str(exception or "").strip() if exception is not None else ""
    if not text or text.startswith(("{", "[", "<")) or "_" in text.split(" ")[0]:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def forbidden(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    if is_api_path(request.path):
        return defaults.permission_denied(request, exception)
    membership, links = _project_links(request)
    if isinstance(exception, RoleForbids):
        url_name = getattr(getattr(request, "resolver_match", None), "url_name", "") or ""
        reason = role_sentence(exception.membership, exception.action, url_name)
        membership = exception.membership
    elif membership is not None:
        reason = f"You are {_article(membership.role)} {membership.get_role_display().lower()} in " \
                 f"{membership.project.name}, and your role does not allow this."
    else:
        reason = "Your account does not have access to this page."
    return _page(request, 403, {"reason": reason, "links": links, "membership": membership,
                                "advice": "Ask the project's owner for a role that allows it."})


def not_found(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    if is_api_path(request.path):
        return defaults.page_not_found(request, exception)
    membership, links = _project_links(request)
    said = _said(exception) if isinstance(exception, Http404) else ""
    return _page(request, 404, {"reason": said, "links": links, "membership": membership})


def bad_request(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    if is_api_path(request.path):
        return defaults.bad_request(request, exception)
    return _page(request, 400, {"links": [{"href": "/", "label": "Your projects"}]})


def unavailable(request: HttpRequest, exception: BaseException | None) -> HttpResponse | None:
    """A plain 503 page with Retry-After when `exception` is the database or Redis refusing; None for any other
    error. Draws nothing that needs the database."""
    service = unavailable_service(exception)
    if service is None:
        return None
    log.warning("answering 503 for %s: %s refused (%s)", request.path, service, exception)
    page = loader.get_template("503.html").render({
        "service": service, "retry_after": retry_after(),
        "links": [{"href": request.get_full_path(), "label": "Try again"}]})
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(retry_after())
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    # No database here: the error may be the database itself. Django calls this while handling the exception.
    refused = unavailable(request, sys.exc_info()[1])
    if refused is not None:
        return refused
    try:
        return _page(request, 500, {"links": [{"href": "/", "label": "Your projects"}]})
    except Exception:
        log.exception("the 500 page could not be drawn")
        return defaults.server_error(request)


class StudioErrorPagesMiddleware:
    """Pages (never /v1/) answer a missing object with the studio's 404 page even with DEBUG on, where Django
    would show its technical page: people using a development server see what users see."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_api_path(request.path):
            return None
        if not isinstance(exception, Http404):
            return unavailable(request, exception)
        return not_found(request, exception)
