"""The City's document-number prefix (TPE-EC), a setting administrators change.

Numbers already issued keep the prefix they were given.
"""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0004_audit_composite_index_only'),
    ]

    operations = [
        migrations.AddField(
            model_name='citysettings',
            name='document_prefix',
            field=models.CharField(default='TPE-EC', help_text='The beginning of every number the City gives a document (notices, penalty decisions, inspection reports, approval letters, award certificates), e.g. TPE-EC in TPE-EC-N-2026-0000123. A change applies to the numbers given afterwards; numbers already issued never change.', max_length=20, validators=[django.core.validators.MinLengthValidator(2), django.core.validators.RegexValidator('\\A[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\\Z', 'Use letters (A-Z), digits and dashes only, beginning and ending with a letter or a digit.', code='invalid_document_prefix')], verbose_name='document-number prefix'),
        ),
    ]
