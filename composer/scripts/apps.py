from __future__ import annotations

from django.apps import AppConfig


class ScriptsConfig(AppConfig):
    name = "composer.scripts"
    label = "scripts"
