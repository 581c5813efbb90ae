"""Regiovisie adoptions get a real version column, filled from their history (the highest version recorded)."""

from django.db import migrations, models
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Coalesce


def fill_versions(apps, schema_editor):
    RegiovisieAdoption = apps.get_model("regions", "RegiovisieAdoption")
    RegiovisieAdoptionChange = apps.get_model("regions", "RegiovisieAdoptionChange")
    latest = (
        RegiovisieAdoptionChange.objects.filter(municipality_id=OuterRef("municipality_id"))
        .order_by()
        .values("municipality_id")
        .annotate(version=Max("version"))
        .values("version")
    )
    RegiovisieAdoption.objects.update(version=Coalesce(Subquery(latest), 1))


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0003_text_bounds"),
    ]

    operations = [
        migrations.AddField(
            model_name="regiovisieadoption",
            name="version",
            field=models.PositiveIntegerField(default=1, verbose_name="versie"),
        ),
        migrations.RunPython(fill_versions, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="regiovisieadoption",
            constraint=models.CheckConstraint(condition=models.Q(("version__gte", 1)), name="adoption_version_positive"),
        ),
    ]
