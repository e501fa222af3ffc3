"""Published rule-book versions carry a number: 1 for the first published, then 2, …

Documents and pages named a version by its database id. A version now has a published
number, given at publication (``compliance.rulebook.services.versions.publish``, under a
table lock) and never changed. Versions already published are numbered here in the order
they were published (``published_at``, then id).

The freeze trigger of 0006 refuses changes to a published row's listed columns; the new
column is not yet among them when the existing versions are numbered, and is added to
them afterwards, so a number once given never changes (the trigger also keeps a
published row without a number from being given one later).
"""

from django.db import migrations, models

# The columns 0006's trigger keeps from changing on a published row.
FROZEN_0006 = (
    "status",
    "effective_from",
    "parameters::text",
    "title",
    "announcement",
    "note",
    "published_at",
)


def freeze_function(columns: tuple[str, ...]) -> str:
    """Return 0006's trigger function, refusing a change to any of ``columns``."""
    changed = "\n       OR ".join(
        f"NEW.{column} IS DISTINCT FROM OLD.{column}" for column in columns
    )
    return f"""
CREATE OR REPLACE FUNCTION compliance_rulebook_frozen() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'published rule book version % cannot be deleted', OLD.id;
    END IF;
    IF {changed} THEN
        RAISE EXCEPTION 'published rule book version % cannot be changed', OLD.id;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def number_published(apps, schema_editor):
    """Number the versions published so far in the order of publication (time, then id)."""
    version_model = apps.get_model("compliance", "RuleBookVersion")
    published = version_model._default_manager.filter(status="published", number__isnull=True)
    highest = version_model._default_manager.aggregate(highest=models.Max("number"))["highest"] or 0
    for number, pk in enumerate(
        published.order_by("published_at", "pk").values_list("pk", flat=True), start=highest + 1
    ):
        version_model._default_manager.filter(pk=pk).update(number=number)


def unnumber(apps, schema_editor):
    version_model = apps.get_model("compliance", "RuleBookVersion")
    version_model._default_manager.update(number=None)


def _replace_function(schema_editor, sql: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(sql, params=None)


def freeze_number(apps, schema_editor):
    _replace_function(schema_editor, freeze_function((*FROZEN_0006, "number")))


def unfreeze_number(apps, schema_editor):
    _replace_function(schema_editor, freeze_function(FROZEN_0006))


def immediate_constraints(apps, schema_editor):
    # ALTER TABLE refuses a table with pending (deferred) constraint checks: run them now.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE", params=None)


class Migration(migrations.Migration):
    dependencies = [("compliance", "0019_records_awaiting_index")]

    operations = [
        migrations.AddField(
            model_name="rulebookversion",
            name="number",
            field=models.PositiveIntegerField(
                blank=True,
                editable=False,
                help_text=(
                    "The published number (1 for the first version published, then 2, …), "
                    "given at publication and never changed; a draft has none."
                ),
                null=True,
                verbose_name="number",
            ),
        ),
        # Reversed (backwards), 0006's function is restored before the rows are unnumbered.
        migrations.RunPython(number_published, unnumber),
        migrations.RunPython(freeze_number, unfreeze_number),
        migrations.RunPython(immediate_constraints, immediate_constraints),
        migrations.AddConstraint(
            model_name="rulebookversion",
            constraint=models.UniqueConstraint(
                condition=models.Q(number__isnull=False),
                fields=("number",),
                name="one_version_per_number",
            ),
        ),
        migrations.AddConstraint(
            model_name="rulebookversion",
            constraint=models.CheckConstraint(
                condition=models.Q(number__isnull=True)
                | (models.Q(number__gte=1) & models.Q(status="published")),
                name="only_published_versions_are_numbered",
            ),
        ),
    ]
