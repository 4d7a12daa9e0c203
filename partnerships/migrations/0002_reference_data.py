from django.db import migrations


def load(apps, schema_editor):
    from partnerships.reference_data import load_ecosystems, load_regions

    load_ecosystems(apps.get_model("partnerships", "Ecosystem"))
    load_regions(apps.get_model("partnerships", "Region"), apps.get_model("partnerships", "RegionBoundary"))


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
