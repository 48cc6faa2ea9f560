"""Kits saved before deleting an asset took it out of the kit: the ids of deleted library assets are dropped."""
from django.db import migrations

LISTS = ("logo_asset_ids", "font_asset_ids")
SINGLE = ("intro_asset_id", "outro_asset_id", "music_asset_id")


def forget_deleted(apps, schema_editor):
    BrandKit = apps.get_model("assets", "BrandKit")
    Asset = apps.get_model("assets", "Asset")
    for kit in BrandKit.objects.all():
        held = {*(item for name in LISTS for item in getattr(kit, name)), *(getattr(kit, name) for name in SINGLE)}
        deleted = set(Asset.objects.filter(project_id=kit.project_id, pk__in=held - {""}, state="DELETED")
                      .values_list("pk", flat=True))
        if not deleted:
            continue
        for name in LISTS:
            setattr(kit, name, [item for item in getattr(kit, name) if item not in deleted])
        for name in SINGLE:
            if getattr(kit, name) in deleted:
                setattr(kit, name, "")
        kit.save()


class Migration(migrations.Migration):
    dependencies = [("assets", "0003_merge_0002_brand_kit_0002_remote_assets")]
    operations = [migrations.RunPython(forget_deleted, migrations.RunPython.noop)]
