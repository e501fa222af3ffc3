"""State only: the rendered-document base (portal.models.documents) owns the file field.

Files are stored where they were (``<folder>/<year>/<random>.pdf``), now named by
``portal.models.documents.stored_file_path``. The letters' and certificates' statuses
take the portal's labels (RenderStatus): the values are unchanged, and no page or API
shows these labels. The database does not change.
"""

import portal.models.documents
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('subsidies', '0006_award_certificates_prizes_reviewers_expert_removal'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='approvalletter',
                    name='file',
                    field=models.FileField(blank=True, upload_to=portal.models.documents.stored_file_path, verbose_name='file'),
                ),
                migrations.AlterField(
                    model_name='approvalletter',
                    name='status',
                    field=models.CharField(choices=[('pending', 'Waiting to be rendered'), ('rendering', 'Being rendered'), ('ready', 'Ready'), ('failed', 'Failed')], default='pending', max_length=16, verbose_name='status'),
                ),
                migrations.AlterField(
                    model_name='awardcertificate',
                    name='file',
                    field=models.FileField(blank=True, upload_to=portal.models.documents.stored_file_path, verbose_name='file'),
                ),
                migrations.AlterField(
                    model_name='awardcertificate',
                    name='status',
                    field=models.CharField(choices=[('pending', 'Waiting to be rendered'), ('rendering', 'Being rendered'), ('ready', 'Ready'), ('failed', 'Failed')], default='pending', max_length=16, verbose_name='status'),
                ),
            ],
        ),
    ]
