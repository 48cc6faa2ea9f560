"""Project scoping for API views: every object lookup goes through the caller's membership."""
from __future__ import annotations

from rest_framework.views import APIView

from composer.errors import Forbidden
from composer.teams.models import AccessKey, Membership, Project
from composer.teams.permissions import require


def resolve_membership(request, project_id: str) -> Membership:
    """The caller's membership of `project_id`, or Forbidden (unknown projects look the same as foreign ones)."""
    auth = request.auth
    if isinstance(auth, AccessKey):
        header_project = request.headers.get("X-Project-Id")
        if header_project and header_project != project_id:
            raise Forbidden(f"X-Project-Id: {header_project} does not match the project in the path")
        if auth.project_id != project_id:
            raise Forbidden("This access key belongs to another project")
    try:
        # get(), not first(): one row at most, and no ORDER BY to build on every request.
        return Membership.objects.select_related("project", "user").get(project_id=project_id, user=request.user)
    except Membership.DoesNotExist:
        raise Forbidden(f"project_id: you are not a member of project {project_id}") from None


class ProjectAPIView(APIView):
    """Base for /v1/{project_id}/... views: sets self.membership and self.project after authentication."""

    #: the permission-matrix action required per HTTP method
    actions: dict[str, str] = {}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.membership = resolve_membership(request, kwargs["project_id"])
        self.project: Project = self.membership.project
        action = self.actions.get(request.method)
        if action:
            require(self.membership, action)
