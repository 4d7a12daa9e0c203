"""The stage checklists of the Pact for Skills support services, as first seeded; staff edit them later."""

from django.db import migrations

from support_services.checklist import CHECKLIST, checklist_seed

def seed(apps, schema_editor):
    checklist_seed(apps.get_model("support_services", "ChecklistItem"))


def unseed(apps, schema_editor):
    ChecklistItem = apps.get_model("support_services", "ChecklistItem")
    for stage, items in CHECKLIST.items():
        ChecklistItem.objects.filter(
            stage=stage, title__in=[title for title, _d in items], statuses__isnull=True
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("support_services", "0002_lifecycle_support")]

    operations = [migrations.RunPython(seed, unseed)]
