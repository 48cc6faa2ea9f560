"""Issue an X-Auth-Token and print it as one JSON line."""
from __future__ import annotations

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from composer.teams.services import create_auth_token


class Command(BaseCommand):
    help = 'Create an X-Auth-Token for a user; prints {"token"}.'

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--description", default="created with manage.py authtoken")

    def handle(self, *args, username, description, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"--username: no user named {username!r}")
        _, token = create_auth_token(user, description=description)
        self.stdout.write(json.dumps({"token": token}))
