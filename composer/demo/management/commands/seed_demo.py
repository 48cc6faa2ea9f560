"""Demo data for a fresh install: the demo project with an owner and two teammates. Safe to run repeatedly.

demo/demo owns the project, alice/alice edits, bob/bob approves: enough people to try the approval flow. A new
project also gets two scripts by alice: a landscape welcome waiting for bob's approval, and a portrait draft.
"""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from composer.scripts.approvals import request_approval
from composer.scripts.services import create_script
from composer.scripts.starters import starter_composition
from composer.teams.models import Membership, Project, Role
from composer.teams.services import create_project

TEAM = [("demo", "Demo", Role.OWNER), ("alice", "Alice", Role.EDITOR), ("bob", "Bob", Role.APPROVER)]
# (name, orientation, starter, ask for approval)
SCRIPTS = [("Welcome aboard", "landscape", "welcome", True), ("Spring launch", "portrait", "product", False)]


class Command(BaseCommand):
    help = "Create the demo project and its users demo/demo (owner), alice/alice (editor), bob/bob (approver)."

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        users = {}
        for username, first_name, _ in TEAM:
            user, created = User.objects.get_or_create(
                username=username, defaults={"email": f"{username}@example.com", "first_name": first_name})
            if created:
                user.set_password(username)
                user.save()
            users[username] = user
        project = Project.objects.filter(name="demo").first()
        new_project = project is None
        if new_project:
            project = create_project("demo", owner=users["demo"])
        for username, _, role in TEAM:
            Membership.objects.get_or_create(project=project, user=users[username],
                                             defaults={"role": role, "may_skip_review": role == Role.OWNER})
        if new_project:  # a teammate's deletions are not undone by the next run
            for name, orientation, starter, ask in SCRIPTS:
                script = create_script(project, {"script_name": name, **starter_composition(orientation, starter)},
                                       user=users["alice"])
                if ask:
                    request_approval(script, {}, user=users["alice"])
        self.stdout.write(f"project 'demo' id {project.id}; sign in as demo/demo (owner), alice/alice (editor) "
                          "or bob/bob (approver)")
