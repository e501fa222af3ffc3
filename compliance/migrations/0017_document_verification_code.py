"""A verification code on every enforcement document (the public verification page).

Added empty, filled with a distinct random code for each existing document, then made
required and unique; new documents get one when they are created.
"""

from django.db import migrations, models

import portal.models.documents


def fill_codes(apps, schema_editor):
    portal.models.documents.fill_verification_codes(
        apps.get_model("compliance", "EnforcementDocument")
    )


class Migration(migrations.Migration):
    dependencies = [("compliance", "0016_initial_rulebook_title")]

    operations = [
        migrations.AddField(
            model_name="enforcementdocument",
            name="verification_code",
            field=models.CharField(
                editable=False, max_length=19, null=True, verbose_name="verification code"
            ),
        ),
        migrations.RunPython(fill_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="enforcementdocument",
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
