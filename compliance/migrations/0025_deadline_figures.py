"""Running violations by deadline (issue 18): the dashboard's overdue figures in a few rows."""
# ruff: noqa: S608 (every SQL piece below is a constant of this file; nothing comes from input)

from django.db import migrations, models

# The running states (compliance.rules.lifecycle.ACTIVE_STATES), as the partial indexes
# of running deadlines name them.
RUNNING = "status IN ('open', 'fined') AND deadline IS NOT NULL"
EVENTS = {
    "insert": ("REFERENCING NEW TABLE AS new_rows", [("new_rows", 1)]),
    "delete": ("REFERENCING OLD TABLE AS old_rows", [("old_rows", -1)]),
    "update": (
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
        [("old_rows", -1), ("new_rows", 1)],
    ),
}


def _body(parts) -> str:
    union = " UNION ALL ".join(
        f"SELECT deadline, fine_due_on IS NULL AS unverified, {sign} AS sign "
        f"FROM {table} WHERE {RUNNING}"
        for table, sign in parts
    )
    return f"""
    INSERT INTO compliance_deadlinefigure (deadline, unverified, violations)
    SELECT c.deadline, c.unverified, sum(c.sign) FROM ({union}) c
    GROUP BY 1, 2 HAVING sum(c.sign) <> 0
    ORDER BY 1, 2
    ON CONFLICT (deadline, unverified) DO UPDATE
        SET violations = compliance_deadlinefigure.violations + EXCLUDED.violations;
    """


def install(apps, schema_editor):
    """Create the triggers (PostgreSQL) and count the running violations already there."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for event, (referencing, parts) in EVENTS.items():
        name = f"compliance_violation_deadlines_{event}"
        schema_editor.execute(
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $fn$\n"
            f"BEGIN\n{_body(parts)}\nRETURN NULL;\nEND;\n$fn$;"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {name} AFTER {event.upper()} ON compliance_violation "
            f"{referencing} FOR EACH STATEMENT EXECUTE FUNCTION {name}();"
        )
    # Recounted by compliance_recount_deadlines() (benchmark_city calls it after a build).
    schema_editor.execute(
        "CREATE OR REPLACE FUNCTION compliance_recount_deadlines() RETURNS void "
        "LANGUAGE sql AS $fn$ DELETE FROM compliance_deadlinefigure; "
        "INSERT INTO compliance_deadlinefigure (deadline, unverified, violations) "
        "SELECT deadline, fine_due_on IS NULL, count(*) FROM compliance_violation "
        f"WHERE {RUNNING} GROUP BY 1, 2; $fn$;"
    )
    schema_editor.execute("SELECT compliance_recount_deadlines();")


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for event in EVENTS:
        name = f"compliance_violation_deadlines_{event}"
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON compliance_violation;")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}();")
    schema_editor.execute("DROP FUNCTION IF EXISTS compliance_recount_deadlines();")


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0024_monthly_log_month_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="DeadlineFigure",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("deadline", models.DateField(verbose_name="rectification deadline")),
                ("unverified", models.BooleanField(verbose_name="not verified yet")),
                ("violations", models.BigIntegerField(default=0, verbose_name="violations")),
            ],
            options={
                "verbose_name": "deadline figure",
                "verbose_name_plural": "deadline figures",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("deadline", "unverified"), name="one_deadline_figure_per_day"
                    )
                ],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
