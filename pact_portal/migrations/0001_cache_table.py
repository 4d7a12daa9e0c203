"""The table of the shared cache that production uses when no Redis is configured (settings.CACHES)."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "pact_cache"


def create_cache_table(apps, schema_editor):
    # Django's own command creates it (columns and index as DatabaseCache expects); it skips an existing table.
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, drop_cache_table, elidable=False)]
