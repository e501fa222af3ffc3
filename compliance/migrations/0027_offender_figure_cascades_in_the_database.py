"""An offender figure goes with its business in the database too.

The figure rows are written by triggers, not by the ORM; a business deleted by SQL (the
benchmarks' scratch cities, a data clean-up) must not be refused because its figure row,
zero by then, still names it. Django's CASCADE only acts for ORM deletions, so the
constraint itself says ON DELETE CASCADE (PostgreSQL; SQLite keeps counting live).
"""

from django.db import migrations

CASCADE = """
DO $$
DECLARE name text;
BEGIN
    SELECT conname INTO name FROM pg_constraint
    WHERE conrelid = 'compliance_offenderfigure'::regclass
      AND confrelid = 'compliance_business'::regclass AND contype = 'f';
    EXECUTE format('ALTER TABLE compliance_offenderfigure DROP CONSTRAINT %I', name);
    ALTER TABLE compliance_offenderfigure
        ADD CONSTRAINT compliance_offenderfigure_business_cascade
        FOREIGN KEY (business_id) REFERENCES compliance_business (id)
        ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED;
END $$;
"""

RESTRICT = """
ALTER TABLE compliance_offenderfigure DROP CONSTRAINT compliance_offenderfigure_business_cascade;
ALTER TABLE compliance_offenderfigure
    ADD CONSTRAINT compliance_offenderfigure_business_id_fk
    FOREIGN KEY (business_id) REFERENCES compliance_business (id)
    DEFERRABLE INITIALLY DEFERRED;
"""


def cascade(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CASCADE, params=None)


def restrict(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(RESTRICT, params=None)


class Migration(migrations.Migration):
    dependencies = [("compliance", "0026_assessment_parameters_by_version")]

    operations = [migrations.RunPython(cascade, restrict)]
