# The requester's comment becomes the note to the approvers (`note` in the API); existing comments are kept.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("scripts", "0002_tags_search"),
    ]

    operations = [
        migrations.RenameField(model_name="approvalrequest", old_name="request_comment", new_name="note"),
    ]
