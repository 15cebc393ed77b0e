"""The canned replies shipped with amparo (amparo/assist/data/canned.json)."""

from django.db import migrations


def load(apps, schema_editor):
    from amparo.assist.canned import load_seed_canned

    load_seed_canned(apps.get_model("assist", "CannedReply"))


class Migration(migrations.Migration):
    dependencies = [("assist", "0003_canned_replies_and_csat")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
