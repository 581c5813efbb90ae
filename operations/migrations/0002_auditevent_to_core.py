# The audit record moved to the core app (the bottom layer every service may import). The table stays; only
# Django's state moves, so no row is copied or lost.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("operations", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditEvent")],
            database_operations=[],
        ),
    ]
