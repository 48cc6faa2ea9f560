"""Project scoping for API views: every object lookup goes through the caller's membership."""
from __future__ import annotations

from rest_framework.exceptions import MethodNotAllowed
from rest_framework.views import APIView

from composer.errors import Forbidden
from composer.teams.models import AccessKey, Membership, Project
from composer.teams.permissions import require
from composer.teams.services import membership_of


def resolve_membership(request, project_id: str) -> Membership:
    """The caller's membership of `project_id`, or Forbidden (unknown projects look the same as foreign ones)."""
    auth = request.auth
    if isinstance(auth, AccessKey):
        header_project = request.headers.get("X-Project-Id")
        if header_project and header_project != project_id:
            raise Forbidden(f"X-Project-Id: {header_project} does not match the project in the path")
        if auth.project_id != project_id:
            raise Forbidden("This access key belongs to another project")
    membership = membership_of(request.user, project_id)
    if membership is None:
        raise Forbidden(f"project_id: you are not a member of project {project_id}")
    return membership


# Methods that only read what GET answers: they need GET's permission.
READS_LIKE_GET = ("HEAD", "OPTIONS")


class ProjectAPIView(APIView):
    """Base for /v1/{project_id}/... views: sets self.membership and self.project after authentication."""

    #: the permission-matrix action required per HTTP method; a method without one is refused
    actions: dict[str, str] = {}

    @classmethod
    def action_for(cls, method: str) -> str | None:
        """The action `method` needs: its own, or GET's for HEAD and OPTIONS; None when it has none."""
        if method in cls.actions:
            return cls.actions[method]
        return cls.actions.get("GET") if method in READS_LIKE_GET else None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.membership = resolve_membership(request, kwargs["project_id"])
        self.project: Project = self.membership.project
        action = self.action_for(request.method)
        if action is None:
            raise MethodNotAllowed(request.method)
        require(self.membership, action)
        if request.content_type.startswith("application/json"):
            # Parsed now, so that a malformed body is refused on every endpoint, whether it reads it or not.
            request.data  # noqa: B018
