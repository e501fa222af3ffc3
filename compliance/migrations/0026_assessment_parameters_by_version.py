"""Decisions read their parameters from the frozen rule-book version; inputs fingerprinted.

The column keeps its name (older rows keep their copy); new decisions under a published
version store none. ``inputs_fingerprint`` lets an unchanged premises be confirmed
without running the engine again.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0025_deadline_figures"),
    ]

    operations = [
        migrations.RenameField(
            model_name="complianceassessment",
            old_name="parameters",
            new_name="parameters_copy",
        ),
        migrations.AlterField(
            model_name="complianceassessment",
            name="parameters_copy",
            field=models.JSONField(
                blank=True, db_column="parameters", default=dict, verbose_name="parameters used"
            ),
        ),
        migrations.AddField(
            model_name="complianceassessment",
            name="inputs_fingerprint",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
    ]
