"""City-scale speed (issue 18): list indexes and the figures maintained by triggers."""
# ruff: noqa: S608 (every SQL piece below is a constant of this file; nothing comes from input)

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Maintained figures (issue 18): statement-level triggers with transition tables, so a
# bulk statement (the sweep's, an import's) updates each counter once, in the same
# transaction. PostgreSQL only (the SQLite development database computes live). Each
# upsert takes its counter rows in key order (ORDER BY): two transactions changing the
# same counters then queue on the first, instead of each holding one the other waits for
# (a deadlock; migration 0028 brought databases made before that up to date).

FINE_COLUMNS = "violation_id, penalty_article, issued_on, status, amount_ntd, amount_due_ntd"

# Adds the fine rows of ``changes`` (columns above + business_id, district, sign).
FINE_APPLY = """
    INSERT INTO compliance_finefigure
        (district, penalty_article, month, status, fines, amount_ntd, amount_due_ntd)
    SELECT coalesce(c.district, ''), c.penalty_article,
           date_trunc('month', c.issued_on)::date, c.status, sum(c.sign),
           sum(c.sign * c.amount_ntd), sum(c.sign * c.amount_due_ntd)
    FROM {changes} c
    GROUP BY 1, 2, 3, 4
    HAVING sum(c.sign) <> 0 OR sum(c.sign * c.amount_ntd) <> 0
        OR sum(c.sign * c.amount_due_ntd) <> 0
    ORDER BY 1, 2, 3, 4
    ON CONFLICT ON CONSTRAINT one_fine_figure_per_group DO UPDATE SET
        fines = compliance_finefigure.fines + EXCLUDED.fines,
        amount_ntd = compliance_finefigure.amount_ntd + EXCLUDED.amount_ntd,
        amount_due_ntd = compliance_finefigure.amount_due_ntd + EXCLUDED.amount_due_ntd;
    INSERT INTO compliance_offenderfigure (business_id, fines, fines_ntd, outstanding_ntd)
    SELECT c.business_id, sum(c.sign), sum(c.sign * c.amount_ntd),
           sum(c.sign * CASE WHEN c.status = 'issued' THEN c.amount_due_ntd ELSE 0 END)
    FROM {changes} c
    WHERE c.business_id IS NOT NULL
    GROUP BY 1
    HAVING sum(c.sign) <> 0 OR sum(c.sign * c.amount_ntd) <> 0
        OR sum(c.sign * CASE WHEN c.status = 'issued' THEN c.amount_due_ntd ELSE 0 END) <> 0
    ORDER BY 1
    ON CONFLICT (business_id) DO UPDATE SET
        fines = compliance_offenderfigure.fines + EXCLUDED.fines,
        fines_ntd = compliance_offenderfigure.fines_ntd + EXCLUDED.fines_ntd,
        outstanding_ntd = compliance_offenderfigure.outstanding_ntd + EXCLUDED.outstanding_ntd;
"""


def _fine_changes(parts):
    union = " UNION ALL ".join(
        f"SELECT {FINE_COLUMNS}, {sign} AS sign FROM {table}" for table, sign in parts
    )
    return (
        "(SELECT f.*, p.business_id, p.district FROM (" + union + ") f "
        "JOIN compliance_violation v ON v.id = f.violation_id "
        "LEFT JOIN compliance_premises p ON p.id = v.premises_id)"
    )


def _counter(table, key_sql, value_col, conflict, parts, extra_cols="", extra_vals=""):
    union = " UNION ALL ".join(
        f"SELECT {key_sql} AS k, {sign} AS sign FROM {t}" for t, sign in parts
    )
    return f"""
    INSERT INTO {table} ({extra_cols}{conflict}, {value_col})
    SELECT {extra_vals}c.k, sum(c.sign) FROM ({union}) c GROUP BY c.k HAVING sum(c.sign) <> 0
    ORDER BY c.k
    ON CONFLICT ({("figure, " if extra_cols else "")}{conflict}) DO UPDATE
        SET {value_col} = {table}.{value_col} + EXCLUDED.{value_col};
    """


EVENTS = {
    "insert": [("new_rows", 1)],
    "delete": [("old_rows", -1)],
    "update": [("old_rows", -1), ("new_rows", 1)],
}
REFERENCING = {
    "insert": "REFERENCING NEW TABLE AS new_rows",
    "delete": "REFERENCING OLD TABLE AS old_rows",
    "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
}


def _bodies():
    """Return {(table, event): body SQL} of every trigger function."""
    bodies = {}
    for event, parts in EVENTS.items():
        bodies[("compliance_fine", event)] = FINE_APPLY.format(changes=_fine_changes(parts))
        bodies[("compliance_violation", event)] = _counter(
            "compliance_violationfigure", "status", "violations", "status", parts
        )
        if event != "update":
            bodies[("compliance_equipment", event)] = _counter(
                "compliance_registryfigure",
                "''",
                "value",
                "key",
                parts,
                extra_cols="figure, ",
                extra_vals="'equipment', ",
            )
        bodies[("compliance_premises", event)] = _counter(
            "compliance_registryfigure",
            "district",
            "value",
            "key",
            parts,
            extra_cols="figure, ",
            extra_vals="'premises', ",
        )
    # A premises moved to another district or business carries its fines along.
    moved = (
        "(SELECT o.id, o.business_id AS old_business, o.district AS old_district, "
        "n.business_id AS new_business, n.district AS new_district "
        "FROM old_rows o JOIN new_rows n ON n.id = o.id "
        "WHERE (o.business_id, o.district) IS DISTINCT FROM (n.business_id, n.district))"
    )
    fine_cols = ", ".join(f"f.{c.strip()}" for c in FINE_COLUMNS.split(","))
    changes = (
        f"(SELECT {fine_cols}, m.old_business AS business_id, m.old_district AS district, "
        f"-1 AS sign FROM {moved} m JOIN compliance_violation v ON v.premises_id = m.id "
        "JOIN compliance_fine f ON f.violation_id = v.id "
        f"UNION ALL SELECT {fine_cols}, m.new_business, m.new_district, 1 "
        f"FROM {moved} m JOIN compliance_violation v ON v.premises_id = m.id "
        "JOIN compliance_fine f ON f.violation_id = v.id)"
    )
    bodies[("compliance_premises", "update")] += FINE_APPLY.format(changes=changes)
    return bodies


def forwards_sql():
    statements = []
    for (table, event), body in _bodies().items():
        name = f"{table}_figures_{event}"
        statements.append(
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $fn$\n"
            f"BEGIN\n{body}\nRETURN NULL;\nEND;\n$fn$;"
        )
        statements.append(
            f"CREATE TRIGGER {name} AFTER {event.upper()} ON {table} "
            f"{REFERENCING[event]} FOR EACH STATEMENT EXECUTE FUNCTION {name}();"
        )
    return statements


RECOUNT = """
CREATE OR REPLACE FUNCTION compliance_recount_figures() RETURNS void LANGUAGE sql AS $fn$
    DELETE FROM compliance_violationfigure;
    DELETE FROM compliance_finefigure;
    DELETE FROM compliance_offenderfigure;
    DELETE FROM compliance_registryfigure;
    INSERT INTO compliance_violationfigure (status, violations)
    SELECT status, count(*) FROM compliance_violation GROUP BY status;
    INSERT INTO compliance_registryfigure (figure, key, value)
    SELECT 'premises', district, count(*) FROM compliance_premises GROUP BY district;
    INSERT INTO compliance_registryfigure (figure, key, value)
    SELECT 'equipment', '', count(*) FROM compliance_equipment;
    INSERT INTO compliance_finefigure
        (district, penalty_article, month, status, fines, amount_ntd, amount_due_ntd)
    SELECT coalesce(p.district, ''), f.penalty_article, date_trunc('month', f.issued_on)::date,
           f.status, count(*), sum(f.amount_ntd), sum(f.amount_due_ntd)
    FROM compliance_fine f JOIN compliance_violation v ON v.id = f.violation_id
    LEFT JOIN compliance_premises p ON p.id = v.premises_id
    GROUP BY 1, 2, 3, 4;
    INSERT INTO compliance_offenderfigure (business_id, fines, fines_ntd, outstanding_ntd)
    SELECT p.business_id, count(*), sum(f.amount_ntd),
           sum(CASE WHEN f.status = 'issued' THEN f.amount_due_ntd ELSE 0 END)
    FROM compliance_fine f JOIN compliance_violation v ON v.id = f.violation_id
    JOIN compliance_premises p ON p.id = v.premises_id
    GROUP BY 1;
$fn$;
"""


def install(apps, schema_editor):
    """Create the triggers (PostgreSQL) and count what is already there."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in [*forwards_sql(), RECOUNT, "SELECT compliance_recount_figures();"]:
        schema_editor.execute(statement)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, event in _bodies():
        name = f"{table}_figures_{event}"
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table};")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}();")
    schema_editor.execute("DROP FUNCTION IF EXISTS compliance_recount_figures();")


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0021_fine_proposals_service_appeals"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="FineFigure",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("district", models.CharField(blank=True, max_length=16, verbose_name="district")),
                ("penalty_article", models.CharField(max_length=4, verbose_name="penalty article")),
                ("month", models.DateField(blank=True, null=True, verbose_name="month of issue")),
                ("status", models.CharField(max_length=16, verbose_name="status")),
                ("fines", models.BigIntegerField(default=0, verbose_name="fines")),
                (
                    "amount_ntd",
                    models.BigIntegerField(default=0, verbose_name="amount decided (NT$)"),
                ),
                (
                    "amount_due_ntd",
                    models.BigIntegerField(default=0, verbose_name="amount due (NT$)"),
                ),
            ],
            options={
                "verbose_name": "fine figure",
                "verbose_name_plural": "fine figures",
            },
        ),
        migrations.CreateModel(
            name="OffenderFigure",
            fields=[
                (
                    "business",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="fine_figure",
                        serialize=False,
                        to="compliance.business",
                        verbose_name="business",
                    ),
                ),
                ("fines", models.BigIntegerField(default=0, verbose_name="fines")),
                (
                    "fines_ntd",
                    models.BigIntegerField(default=0, verbose_name="amount decided (NT$)"),
                ),
                (
                    "outstanding_ntd",
                    models.BigIntegerField(default=0, verbose_name="outstanding (NT$)"),
                ),
            ],
            options={
                "verbose_name": "offender figure",
                "verbose_name_plural": "offender figures",
            },
        ),
        migrations.CreateModel(
            name="RegistryFigure",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("figure", models.CharField(max_length=16, verbose_name="figure")),
                ("key", models.CharField(blank=True, max_length=16, verbose_name="key")),
                ("value", models.BigIntegerField(default=0, verbose_name="value")),
            ],
            options={
                "verbose_name": "registry figure",
                "verbose_name_plural": "registry figures",
            },
        ),
        migrations.CreateModel(
            name="ViolationFigure",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("status", models.CharField(max_length=16, unique=True, verbose_name="status")),
                ("violations", models.BigIntegerField(default=0, verbose_name="violations")),
            ],
            options={
                "verbose_name": "violation figure",
                "verbose_name_plural": "violation figures",
            },
        ),
        migrations.AddIndex(
            model_name="business",
            index=models.Index(fields=["name_zh", "id"], name="business_name"),
        ),
        migrations.AddIndex(
            model_name="equipment",
            index=models.Index(
                fields=["premises", "kind", "tag", "id"], name="equipment_premises_kind"
            ),
        ),
        migrations.AddIndex(
            model_name="premises",
            index=models.Index(fields=["business", "name", "id"], name="premises_business_name"),
        ),
        migrations.AddIndex(
            model_name="violation",
            index=models.Index(fields=["-found_on", "-id"], name="violation_found"),
        ),
        migrations.AddIndex(
            model_name="violation",
            index=models.Index(
                fields=["status", "-found_on", "-id"], name="violation_status_found"
            ),
        ),
        migrations.AddConstraint(
            model_name="finefigure",
            constraint=models.UniqueConstraint(
                fields=("district", "penalty_article", "month", "status"),
                name="one_fine_figure_per_group",
                nulls_distinct=False,
            ),
        ),
        migrations.AddIndex(
            model_name="offenderfigure",
            index=models.Index(
                condition=models.Q(("fines__gt", 0)),
                fields=["-fines", "-fines_ntd"],
                name="offender_figure_rank",
            ),
        ),
        migrations.AddConstraint(
            model_name="registryfigure",
            constraint=models.UniqueConstraint(
                fields=("figure", "key"), name="one_registry_figure_per_key"
            ),
        ),
        migrations.RunPython(install, uninstall),
    ]
