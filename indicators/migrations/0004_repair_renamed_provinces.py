from django.db import migrations
from django.db.models import F


def repair(apps, schema_editor):
    # Thừa Thiên Huế was only renamed (Huế) in 2025; an earlier loader made it its own successor.
    Province = apps.get_model("indicators", "Province")
    Province.objects.filter(successor_id=F("pk")).update(successor=None, valid_to=None)
    from indicators.reference import load_reference

    load_reference(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0003_reference_data")]

    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]
