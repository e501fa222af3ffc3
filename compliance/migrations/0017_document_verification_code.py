"""A verification code on every enforcement document (the public verification page).

Added empty, filled with a distinct random code for each existing document, then made
required and unique; new documents get one when they are created.
"""

from django.db import migrations, models

import compliance.enforcement.models.documents


def fill_codes(apps, schema_editor):
    document_model = apps.get_model("compliance", "EnforcementDocument")
    new_code = compliance.enforcement.models.documents.new_verification_code
    used = set()
    for document in document_model._default_manager.filter(verification_code__isnull=True):
        code = new_code()
        while code in used:
            code = new_code()
        used.add(code)
        document_model._default_manager.filter(pk=document.pk).update(verification_code=code)


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
                default=compliance.enforcement.models.documents.new_verification_code,
                editable=False,
                max_length=19,
                unique=True,
                verbose_name="verification code",
            ),
        ),
    ]
