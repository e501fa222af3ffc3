"""A programme's name in Traditional Chinese, shown on the Chinese pages (the pages showed
the English name next to the Japanese one).

``name_zh`` (only ever filled with the Chinese name of the APEC programme, in Traditional
Chinese) becomes ``name_zh_hant``; the four programmes of the sources receive their names
in Taiwan usage where none is set.
"""

from django.db import migrations, models

ZH_HANT_NAMES = {
    "apec-lcmt": "APEC低碳城市計畫",
    "asean-esc": "東協環境永續城市（ESC）模範城市計畫",
    "jcm": "雙邊抵換機制（JCM）",
    "locarnet": "低碳亞洲研究網絡（LoCARNet）",
}


def fill_names(apps, schema_editor):
    Programme = apps.get_model("programs", "Programme")
    for code, name in ZH_HANT_NAMES.items():
        Programme.objects.filter(code=code, name_zh_hant="").update(name_zh_hant=name)


class Migration(migrations.Migration):
    dependencies = [("programs", "0002_value_validators")]

    operations = [
        migrations.RenameField(model_name="programme", old_name="name_zh", new_name="name_zh_hant"),
        migrations.AlterField(
            model_name="programme",
            name="name_zh_hant",
            field=models.CharField(
                blank=True,
                help_text="As the Chinese pages show it; empty: the English name is shown.",
                max_length=200,
                verbose_name="name in Traditional Chinese",
            ),
        ),
        migrations.RunPython(fill_names, migrations.RunPython.noop),
    ]
