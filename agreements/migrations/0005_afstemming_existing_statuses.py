"""Statuses changed before afstemming existed are put to the region (ter afstemming), recorded as a step of
their last change; then the database refuses a changed status that was never put to the region."""

from django.db import migrations, models
from django.db.models.functions import Coalesce, Now
from django.utils import timezone


def put_changed_statuses_to_the_region(apps, schema_editor):
    AgreementStatus = apps.get_model("agreements", "AgreementStatus")
    AfstemmingStep = apps.get_model("agreements", "AfstemmingStep")
    changed = AgreementStatus.objects.filter(version__gt=1, afstemming="niet_gevraagd")
    now = timezone.now()
    steps = [
        AfstemmingStep(
            agreement_status_id=status.pk,
            status_version=status.version,
            step="ter_afstemming",
            at=status.updated_at or now,
            by_id=status.updated_by_id,
        )
        for status in changed.iterator()
    ]
    changed.update(
        afstemming="ter_afstemming", afstemming_at=Coalesce(models.F("updated_at"), Now()), afstemming_by=models.F("updated_by")
    )
    AfstemmingStep.objects.bulk_create(steps, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0004_afstemming"),
    ]

    operations = [
        migrations.RunPython(put_changed_statuses_to_the_region, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='agreementstatus',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('afstemming', 'niet_gevraagd'), ('afstemming_at__isnull', True), ('version', 1)), models.Q(models.Q(('afstemming', 'niet_gevraagd'), _negated=True), ('afstemming_at__isnull', False)), _connector='OR'), name='status_afstemming_asked_after_change'),
        ),
    ]
