"""The checklist items' language columns (0008) filled: English from the base columns, every other language from
its catalogue where it translates the seeded text. Rows staff wrote themselves have no translation to find."""

from django.db import migrations

from support_services.checklist import checklist_translations_fill


def fill(apps, schema_editor):
    checklist_translations_fill(apps.get_model("support_services", "ChecklistItem"))


class Migration(migrations.Migration):
    dependencies = [("support_services", "0008_checklist_translations")]

    # Going back drops the columns (0008); nothing to undo here.
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
