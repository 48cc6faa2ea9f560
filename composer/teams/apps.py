from __future__ import annotations

from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "composer.teams"
    label = "teams"

    def ready(self) -> None:
        from composer.teams import credentials, kept

        # Cached API credentials are dropped the moment one is revoked, deleted or its user deactivated; kept
        # memberships the moment one (or its project) changes.
        credentials.connect_signals()
        kept.connect_signals()
