"""A verification code on every inspection report (the public verification page).

Added empty, filled with a distinct random code for each existing report, then made
required and unique; new reports get one when they are created (as enforcement documents,
compliance 0017).
"""

from django.db import migrations, models

import portal.models.documents


def fill_codes(apps, schema_editor):
    portal.models.documents.fill_verification_codes(
        apps.get_model("inspections", "InspectionReport")
    )


class Migration(migrations.Migration):
    dependencies = [("inspections", "0003_rendered_document_base")]

    operations = [
        migrations.AddField(
            model_name="inspectionreport",
            name="verification_code",
            field=models.CharField(
                editable=False, max_length=19, null=True, verbose_name="verification code"
            ),
        ),
        migrations.RunPython(fill_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="inspectionreport",
            name="verification_code",
            field=models.CharField(
                default=portal.models.documents.new_verification_code,
                editable=False,
                max_length=19,
                unique=True,
                verbose_name="verification code",
            ),
        ),
    ]
