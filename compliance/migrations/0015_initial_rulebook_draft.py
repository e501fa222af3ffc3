"""The initial rule book is published by a named administrator, not by a migration.

0006 seeded the initial version (in force from the ordinance's start date) as published
with nobody as publisher: penalty schedules and periods were in force without anyone
having published them. This migration turns that version back into a draft, for an
administrator to publish from the rule-book pages (``make demo``'s administrator does
it for the demo), but only while doing so changes nothing anyone relied on:

* it is still unattributed (no ``published_by``),
* it is the only published version (no later version was published on top of it), and
* nothing refers to it: no row of any model that protects its reference to a version
  (violations, fines, assessments, supplier data orders, ...), found from the models'
  relations so that a reference added later is checked too.

Otherwise (a deployment that has assessed, opened cases or fined under it) it is left
as it is: a published version is never withdrawn once used. The change is audited. The
database's freeze trigger (0006) refuses any change to a published row, so it is
suspended for this one update, inside the migration's transaction.
"""

from django.db import migrations, models

REASON = (
    "The initial rule book had been published by a migration, with nobody as publisher; "
    "it is a draft again until an administrator publishes it (nothing referred to it)."
)


def _referenced(version_model, version) -> list[str]:
    """Return the models whose rows refer to ``version`` through a protected reference."""
    found = []
    for relation in version_model._meta.related_objects:
        if relation.on_delete is not models.PROTECT:
            continue
        related = relation.related_model
        if related._default_manager.filter(**{relation.field.name: version.pk}).exists():
            found.append(related._meta.label)
    return found


def _set_trigger(schema_editor, table: str, enabled: bool) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    state = "ENABLE" if enabled else "DISABLE"
    # ALTER TABLE refuses a table with pending (deferred) constraint checks: run them now.
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE", params=None)
    schema_editor.execute(
        f"ALTER TABLE {schema_editor.quote_name(table)} {state} TRIGGER compliance_rulebook_frozen",
        params=None,
    )


def initial_version_to_draft(apps, schema_editor):
    version_model = apps.get_model("compliance", "RuleBookVersion")
    audit_model = apps.get_model("portal", "AuditEntry")
    published = list(version_model._default_manager.filter(status="published").order_by("pk")[:2])
    if len(published) != 1:
        return
    (version,) = published
    first = version_model._default_manager.order_by("pk").first()
    if version.pk != first.pk or version.published_by_id is not None:
        return
    if _referenced(version_model, version):
        return
    table = version_model._meta.db_table
    _set_trigger(schema_editor, table, enabled=False)
    try:
        version_model._default_manager.filter(pk=version.pk).update(
            status="draft", published_at=None
        )
    finally:
        _set_trigger(schema_editor, table, enabled=True)
    audit_model._default_manager.create(
        actor_label="migration",
        action="update",
        object_type="compliance.rulebookversion",
        object_id=str(version.pk),
        object_repr=version.title[:255],
        changes={
            "status": ["published", "draft"],
            "published_at": [version.published_at.isoformat(), None],
        },
        reason=REASON,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0014_verification"),
        ("portal", "0001_initial"),
    ]

    operations = [
        # Not reversed: a draft is left a draft (publishing is an administrator's act).
        migrations.RunPython(initial_version_to_draft, migrations.RunPython.noop),
    ]
