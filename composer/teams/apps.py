from __future__ import annotations

from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "composer.teams"
    label = "teams"

    def ready(self) -> None:
        from composer.teams.credentials import connect_signals

        # Cached API credentials are dropped the moment one is revoked, deleted or its user deactivated.
        connect_signals()
