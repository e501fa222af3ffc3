"""The English copy of an approval letter or award certificate carries the Chinese number.

Numbers are unique per language now instead of across languages. English copies issued
before keep the "-EN" number printed on them: a number on an issued document never
changes.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('subsidies', '0008_document_verification_code'),
    ]

    operations = [
        migrations.AlterField(
            model_name='approvalletter',
            name='letter_number',
            field=models.CharField(max_length=40, verbose_name='letter number'),
        ),
        migrations.AddConstraint(
            model_name='approvalletter',
            constraint=models.UniqueConstraint(fields=('letter_number', 'language'), name='one_letter_number_per_language'),
        ),
        migrations.AlterField(
            model_name='awardcertificate',
            name='certificate_number',
            field=models.CharField(max_length=40, verbose_name='certificate number'),
        ),
        migrations.AddConstraint(
            model_name='awardcertificate',
            constraint=models.UniqueConstraint(fields=('certificate_number', 'language'), name='one_certificate_number_per_language'),
        ),
    ]
