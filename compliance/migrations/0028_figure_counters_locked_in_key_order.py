"""The maintained figures' triggers take their counter rows in key order.

Two officials approving proposals at once deadlocked on the fine figures: each statement
upserted the same counter rows in the order its aggregate produced them, so each
transaction could hold one row the other waited for. The trigger functions of migrations
0022 and 0025 now order their upserts by the counters' keys (see there); this replaces the
functions of databases made before (the triggers themselves are unchanged).
"""

from importlib import import_module

from django.db import migrations

FIGURES = import_module("compliance.migrations.0022_city_scale_figures")
DEADLINES = import_module("compliance.migrations.0025_deadline_figures")


def _function(name: str, body: str) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $fn$\n"
        f"BEGIN\n{body}\nRETURN NULL;\nEND;\n$fn$;"
    )


def replace_functions(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for (table, event), body in FIGURES._bodies().items():
        schema_editor.execute(_function(f"{table}_figures_{event}", body))
    for event, (_referencing, parts) in DEADLINES.EVENTS.items():
        schema_editor.execute(
            _function(f"compliance_violation_deadlines_{event}", DEADLINES._body(parts))
        )


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0027_offender_figure_cascades_in_the_database"),
    ]

    # Backwards: the ordered functions are as correct as the unordered ones.
    operations = [migrations.RunPython(replace_functions, migrations.RunPython.noop)]
