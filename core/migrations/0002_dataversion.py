# The data-version counter and the trigger that moves it (see core.models.DataVersion).

from django.db import migrations, models

POSTGRESQL = """
CREATE FUNCTION core_data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO core_dataversion (id, version) VALUES (1, 1)
    ON CONFLICT (id) DO UPDATE SET version = core_dataversion.version + 1;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER core_data_version_bump AFTER INSERT ON operations_auditevent
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.kind = 'gegevenswijziging')
    EXECUTE FUNCTION core_data_version_bump();
"""
POSTGRESQL_REVERSE = """
DROP TRIGGER IF EXISTS core_data_version_bump ON operations_auditevent;
DROP FUNCTION IF EXISTS core_data_version_bump();
"""
SQLITE = """
CREATE TRIGGER core_data_version_bump AFTER INSERT ON operations_auditevent WHEN NEW.kind = 'gegevenswijziging'
BEGIN
    INSERT INTO core_dataversion (id, version) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET version = version + 1;
END;
"""
SQLITE_REVERSE = "DROP TRIGGER IF EXISTS core_data_version_bump;"


def _execute(schema_editor, sql_by_vendor: dict[str, str]) -> None:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(sql_by_vendor[schema_editor.connection.vendor])


def trigger_create(apps, schema_editor):
    _execute(schema_editor, {"postgresql": POSTGRESQL, "sqlite": SQLITE})


def trigger_drop(apps, schema_editor):
    _execute(schema_editor, {"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("version", models.BigIntegerField(default=0, verbose_name="versie")),
            ],
            options={"verbose_name": "gegevensversie"},
        ),
        migrations.AddConstraint(
            model_name="dataversion",
            constraint=models.CheckConstraint(condition=models.Q(id=1), name="data_version_single_row"),
        ),
        migrations.RunPython(trigger_create, trigger_drop),
    ]
