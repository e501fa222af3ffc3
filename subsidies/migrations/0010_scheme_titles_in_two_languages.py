"""A scheme's title in Traditional Chinese and in English (was one ``title``, in English for
the seeded schemes, shown as is in the Chinese interface).

An existing title written in Chinese becomes the Chinese title, any other the English one;
the two seeded schemes (migration 0003) receive their Chinese titles as the City names them.
"""

import re

from django.db import migrations, models

# The seeded schemes' titles in both languages (0003 wrote the English ones).
SEEDED_TITLES = {
    "city-improvement": ("臺北市節能改善補助", "City energy-saving improvement subsidy"),
    "equipment-replacement": ("節能設備汰換補助", "Energy-saving equipment replacement subsidy"),
}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def split_titles(apps, schema_editor):
    Scheme = apps.get_model("subsidies", "Scheme")
    for scheme in Scheme.objects.all():
        old = scheme.title.strip()
        seeded_zh_hant, seeded_en = SEEDED_TITLES.get(scheme.code, ("", ""))
        if old and old == seeded_en:
            scheme.title_zh_hant, scheme.title_en = seeded_zh_hant, seeded_en
        elif _CJK.search(old):
            scheme.title_zh_hant = old
        else:  # an English title typed by an administrator: shown until a Chinese one is
            scheme.title_en = old or scheme.code
        scheme.save(update_fields=["title_zh_hant", "title_en"])


def join_titles(apps, schema_editor):
    Scheme = apps.get_model("subsidies", "Scheme")
    for scheme in Scheme.objects.all():
        scheme.title = scheme.title_en or scheme.title_zh_hant
        scheme.save(update_fields=["title"])


class Migration(migrations.Migration):
    dependencies = [("subsidies", "0009_english_copy_same_number")]

    operations = [
        migrations.AddField(
            model_name="scheme",
            name="title_zh_hant",
            field=models.CharField(
                blank=True,
                help_text="As businesses read it in Chinese, e.g. 節能設備汰換補助.",
                max_length=200,
                verbose_name="title in Traditional Chinese",
            ),
        ),
        migrations.AddField(
            model_name="scheme",
            name="title_en",
            field=models.CharField(
                blank=True,
                help_text="As businesses read it in English; empty: the Chinese title is shown.",
                max_length=200,
                verbose_name="title in English",
            ),
        ),
        migrations.AlterField(
            model_name="scheme",
            name="title",
            field=models.CharField(blank=True, max_length=200, verbose_name="title"),
        ),
        migrations.RunPython(split_titles, join_titles),
        migrations.AlterModelOptions(
            name="scheme",
            options={
                "ordering": ["title_zh_hant", "title_en", "id"],
                "verbose_name": "scheme",
                "verbose_name_plural": "schemes",
            },
        ),
        migrations.RemoveField(model_name="scheme", name="title"),
        migrations.AddConstraint(
            model_name="scheme",
            constraint=models.CheckConstraint(
                condition=models.Q(("title_en", ""), ("title_zh_hant", ""), _negated=True),
                name="scheme_has_a_title",
            ),
        ),
    ]
