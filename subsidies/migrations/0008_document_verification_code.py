"""A verification code on every approval letter and award certificate (the public page).

Added empty, filled with a distinct random code for each existing document, then made
required and unique; new documents get one when they are created (as enforcement
documents, compliance 0017).
"""

from django.db import migrations, models

import portal.models.documents

MODELS = ("approvalletter", "awardcertificate")


def fill_codes(apps, schema_editor):
    for name in MODELS:
        portal.models.documents.fill_verification_codes(apps.get_model("subsidies", name))


def _add(name):
    return migrations.AddField(
        model_name=name,
        name="verification_code",
        field=models.CharField(
            editable=False, max_length=19, null=True, verbose_name="verification code"
        ),
    )


def _require(name):
    return migrations.AlterField(
        model_name=name,
        name="verification_code",
        field=models.CharField(
            default=portal.models.documents.new_verification_code,
            editable=False,
            max_length=19,
            unique=True,
            verbose_name="verification code",
        ),
    )


class Migration(migrations.Migration):
    dependencies = [("subsidies", "0007_rendered_document_base")]

    operations = [
        *(_add(name) for name in MODELS),
        migrations.RunPython(fill_codes, migrations.RunPython.noop),
        *(_require(name) for name in MODELS),
    ]
