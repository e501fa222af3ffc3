"""Seed the two starting schemes of issue 6 (subsidies.rules.examples) as published rows."""

from django.db import migrations

TITLES = {
    "city-improvement": "City energy-saving improvement subsidy",
    "equipment-replacement": "Energy-saving equipment replacement subsidy",
}


def seed(apps, schema_editor):
    from subsidies.bridge import scheme_fields
    from subsidies.rules.examples import EXAMPLE_SCHEMES

    Scheme = apps.get_model("subsidies", "Scheme")
    for terms in EXAMPLE_SCHEMES:
        fields = scheme_fields(terms)
        code = fields.pop("code")
        fields["title"] = TITLES.get(code, code)
        fields["published"] = True
        Scheme.objects.get_or_create(code=code, defaults=fields)


def unseed(apps, schema_editor):
    Scheme = apps.get_model("subsidies", "Scheme")
    Scheme.objects.filter(code__in=TITLES, applications__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("subsidies", "0002_schemes_applications")]

    operations = [migrations.RunPython(seed, unseed)]
