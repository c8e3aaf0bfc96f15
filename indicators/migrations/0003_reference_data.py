from django.db import migrations


def load(apps, schema_editor):
    from indicators.reference import load_reference

    load_reference(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0002_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
