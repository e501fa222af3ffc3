"""Seed the first rule-book version from spec/ordinance.md, and freeze published versions.

The database itself refuses to change or delete a published version (PostgreSQL
trigger), beside the model's own guard: a legal parameter set must not drift.
"""

from django.db import migrations
from django.utils import timezone

FREEZE_FUNCTION = """
CREATE OR REPLACE FUNCTION compliance_rulebook_frozen() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'published rule book version % cannot be deleted', OLD.id;
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status
       OR NEW.effective_from IS DISTINCT FROM OLD.effective_from
       OR NEW.parameters::text IS DISTINCT FROM OLD.parameters::text
       OR NEW.title IS DISTINCT FROM OLD.title
       OR NEW.announcement IS DISTINCT FROM OLD.announcement
       OR NEW.note IS DISTINCT FROM OLD.note
       OR NEW.published_at IS DISTINCT FROM OLD.published_at THEN
        RAISE EXCEPTION 'published rule book version % cannot be changed', OLD.id;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER compliance_rulebook_frozen
    BEFORE UPDATE OR DELETE ON compliance_rulebookversion
    FOR EACH ROW WHEN (OLD.status = 'published')
    EXECUTE FUNCTION compliance_rulebook_frozen();
"""
UNFREEZE = """
DROP TRIGGER IF EXISTS compliance_rulebook_frozen ON compliance_rulebookversion;
DROP FUNCTION IF EXISTS compliance_rulebook_frozen();
"""


def freeze(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FREEZE_FUNCTION, params=None)


def unfreeze(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNFREEZE, params=None)


def seed(apps, schema_editor):
    from compliance.rules import initial_parameters, params_to_dict

    version_model = apps.get_model("compliance", "RuleBookVersion")
    audit_model = apps.get_model("portal", "AuditEntry")
    if version_model.objects.exists():
        return
    params = initial_parameters()
    version = version_model.objects.create(
        title="Initial rule book (spec/ordinance.md starting values)",
        announcement="",
        status="published",
        effective_from=params.effective_date,
        parameters=params_to_dict(params),
        note=(
            "Starting values of the ordinance and its explanation. The effective date, "
            "EER/CSPF table, CNS rows beyond the source's examples, rectification periods, "
            "penalty amounts, Art. 12 thresholds and Art. 10-5 targets are starting "
            "assumptions for the administrator to confirm in a new version."
        ),
        published_at=timezone.now(),
    )
    audit_model.objects.create(
        actor_label="migration",
        action="create",
        object_type="compliance.rulebookversion",
        object_id=str(version.pk),
        object_repr=version.title,
        changes={"status": [None, "published"]},
        reason="Initial rule book seeded from spec/ordinance.md",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0005_rulebook_exemptions_assessments"),
        ("portal", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(freeze, unfreeze),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
