"""List the built-in assets as JSON lines."""
from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from composer.assets.presets import builtin_presets


class Command(BaseCommand):
    help = 'Print the built-in assets, one JSON line each: {"asset_id", "asset_type", "name"}.'

    def handle(self, *args, **options):
        for preset in builtin_presets():
            self.stdout.write(json.dumps({"asset_id": preset.id, "asset_type": preset.asset_type,
                                          "name": preset.name}))
