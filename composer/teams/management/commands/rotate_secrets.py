"""Re-encrypt every stored secret (the projects' MetaStudio SKs) with the first of COMPOSER_SECRETS_KEYS."""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from composer.lib import secrets_box
from composer.teams.models import RenderTarget


class Command(BaseCommand):
    help = ("Re-encrypt the stored MetaStudio SKs with the first key of COMPOSER_SECRETS_KEYS; run it after putting "
            "a new key first and before dropping the old one.")

    @transaction.atomic
    def handle(self, *args, **options):
        rows = RenderTarget.objects.select_for_update().exclude(sk_encrypted="")
        count = 0
        for row in rows:
            try:
                row.sk_encrypted = secrets_box.rotate(row.sk_encrypted)
            except secrets_box.SecretsUnavailable as exc:
                raise CommandError(f"project {row.project_id}: {exc}") from exc
            row.save(update_fields=["sk_encrypted"])
            count += 1
        self.stdout.write(f"re-encrypted {count} secret(s) with the first key")
