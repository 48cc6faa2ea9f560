"""Issue an AK/SK pair and print it as one JSON line."""
from __future__ import annotations

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from composer.teams.models import Project
from composer.teams.services import TeamError, create_access_key


class Command(BaseCommand):
    help = 'Create an AK/SK pair for a user in a project; prints {"project_id", "ak", "sk"}.'

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--project", required=True, help="project name or id")
        parser.add_argument("--description", default="created with manage.py accesskey")

    def handle(self, *args, username, project, description, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"--username: no user named {username!r}")
        found = Project.objects.filter(name=project).first() or Project.objects.filter(pk=project).first()
        if found is None:
            raise CommandError(f"--project: no project named {project!r}")
        try:
            key = create_access_key(user, found, description=description)
        except TeamError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps({"project_id": found.id, "ak": key.ak, "sk": key.sk}))
