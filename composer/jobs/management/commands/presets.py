"""List the built-in assets as JSON lines."""
from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from composer.render.presets import BUILTIN_PRESETS


class Command(BaseCommand):
    help = 'Print the built-in assets, one JSON line each: {"asset_id", "asset_type", "name"}.'

    def handle(self, *args, **options):
        for preset in BUILTIN_PRESETS:
            self.stdout.write(json.dumps({"asset_id": preset["asset_id"], "asset_type": preset["asset_type"],
                                          "name": preset["name"]}))
