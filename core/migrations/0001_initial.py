# The audit record, moved here from the operations app: Django's state only, the table keeps its name.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("operations", "0002_auditevent_to_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.CreateModel(
            name='AuditEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='tijdstip')),
                ('username', models.CharField(blank=True, max_length=150, verbose_name='gebruikersnaam')),
                ('kind', models.CharField(choices=[('aanmelding', 'Aanmelding'), ('mislukte aanmelding', 'Mislukte aanmelding'), ('toegang geweigerd', 'Toegang geweigerd'), ('gegevenswijziging', 'Gegevenswijziging')], db_index=True, max_length=20, verbose_name='soort')),
                ('object_description', models.CharField(blank=True, max_length=300, verbose_name='object')),
                ('details', models.JSONField(blank=True, default=dict, verbose_name='details')),
                ('ip', models.GenericIPAddressField(blank=True, null=True, verbose_name='IP-adres')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='gebruiker')),
            ],
            options={
                'verbose_name': 'auditgebeurtenis',
                'verbose_name_plural': 'auditlog',
                'db_table': 'operations_auditevent',
                'ordering': ['-created_at', '-id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('kind__in', ['aanmelding', 'mislukte aanmelding', 'toegang geweigerd', 'gegevenswijziging'])), name='audit_event_kind_valid')],
            },
        ),
            ],
            database_operations=[],
        ),
    ]
