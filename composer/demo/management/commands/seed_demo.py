"""Demo data for a fresh install: the demo project with an owner and two teammates. Safe to run repeatedly.

demo/demo owns the project, alice/alice edits, bob/bob approves: enough people to try the approval flow. A new
project also gets three scripts by alice: a landscape welcome waiting for bob's approval, a portrait draft, and a
template bob approved ("Customer welcome (template)": {{first_name}} and {{company}} in what the presenter says,
{{first_name}} in a title, each video named "Welcome {{first_name}}"), so a first batch can start at once.
"""
from __future__ import annotations

import base64
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from composer.scripts.approvals import approve, request_approval
from composer.scripts.services import create_script
from composer.scripts.starters import starter_composition
from composer.teams.models import Membership, Project, Role
from composer.teams.services import create_project

TEAM = [("demo", "Demo", Role.OWNER), ("alice", "Alice", Role.EDITOR), ("bob", "Bob", Role.APPROVER)]
# (name, orientation, starter, ask for approval)
SCRIPTS = [("Welcome aboard", "landscape", "welcome", True), ("Spring launch", "portrait", "product", False)]
TEMPLATE_NAME = "Customer welcome (template)"


def welcome_template() -> dict[str, Any]:
    """The welcome starter made a template: each row's first name and company in what the presenter says and the
    first name in a title across the top of the first scene."""
    composition = starter_composition("landscape", "welcome")
    first, second = (item["shoot_script"] for item in composition["shoot_scripts"])
    first["text_config"]["text"] = "Hi {{first_name}}, welcome to {{company}}! We are really glad to have you with us."
    second["text_config"]["text"] = "In the next few minutes, I will show you where to find everything you need."
    width = composition["video_config"]["width"]
    first["layer_config"] = [{
        "layer_type": "TEXT", "position": {"dx": 80, "dy": 60, "layer_index": 5},
        "size": {"width": width - 160, "height": 120},
        "text_config": {"text_context": base64.b64encode(b"Welcome, {{first_name}}!").decode(), "font_size": 72}}]
    composition["template"] = {
        "variables": [
            {"name": "first_name", "kind": "text", "label": "First name", "sample": "Ann", "max_length": 40},
            {"name": "company", "kind": "text", "label": "Company", "sample": "Acme", "max_length": 60}],
        "output_name": "Welcome {{first_name}}"}
    return composition


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
            template = create_script(project, {"script_name": TEMPLATE_NAME, **welcome_template()},
                                     user=users["alice"])
            request_approval(template, {}, user=users["alice"])
            approve(template, {"comment": "Ready for a first batch"}, user=users["bob"])
        self.stdout.write(f"project 'demo' id {project.id}; sign in as demo/demo (owner), alice/alice (editor) "
                          "or bob/bob (approver)")
