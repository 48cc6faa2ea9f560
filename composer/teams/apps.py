from __future__ import annotations

from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "composer.teams"
    label = "teams"
