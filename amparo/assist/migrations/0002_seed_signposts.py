"""The signposting library's seed list (amparo/assist/data/signposts.json)."""

from django.db import migrations


def load(apps, schema_editor):
    from amparo.assist.signposts import load_seed_signposts

    load_seed_signposts(apps.get_model("assist", "Signpost"))


class Migration(migrations.Migration):
    dependencies = [("assist", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
