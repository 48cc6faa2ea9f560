from __future__ import annotations

from django.apps import AppConfig


class StudioConfig(AppConfig):
    name = "composer.studio"
    label = "studio"
