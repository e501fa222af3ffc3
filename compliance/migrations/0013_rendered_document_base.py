"""State only: the rendered-document base (portal.models.documents) owns the file field.

Files are stored where they were (``<folder>/<year>/<random>.pdf``), now named by
``portal.models.documents.stored_file_path``; the statuses are unchanged. The database
does not change.
"""

import portal.models.documents
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('compliance', '0012_working_calendar'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='enforcementdocument',
                    name='file',
                    field=models.FileField(blank=True, upload_to=portal.models.documents.stored_file_path, verbose_name='file'),
                ),
            ],
        ),
    ]
