"""Demo data for a fresh install: user demo/demo and a project named demo. Safe to run repeatedly."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from composer.teams.models import Membership, Project, Role
from composer.teams.services import create_project


class Command(BaseCommand):
    help = "Create the demo user (demo/demo) and the demo project if they are missing."

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        user, created = User.objects.get_or_create(username="demo", defaults={"email": "demo@example.com",
                                                                             "first_name": "Demo"})
        if created:
            user.set_password("demo")
            user.save()
        project = Project.objects.filter(name="demo").first()
        if project is None:
            project = create_project("demo", owner=user)
        else:
            Membership.objects.get_or_create(project=project, user=user,
                                             defaults={"role": Role.OWNER, "may_skip_review": True})
        self.stdout.write(f"demo user: demo / demo; project 'demo' id {project.id}")
