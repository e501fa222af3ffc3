"""State only: the rendered-document base (portal.models.documents) owns the file field.

Files are stored where they were (``<folder>/<year>/<random>.pdf``), now named by
``portal.models.documents.stored_file_path``; the statuses are unchanged. The database
does not change.
"""

import portal.models.documents
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('inspections', '0002_inspection_referral'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='inspectionreport',
                    name='file',
                    field=models.FileField(blank=True, upload_to=portal.models.documents.stored_file_path, verbose_name='file'),
                ),
            ],
        ),
    ]
