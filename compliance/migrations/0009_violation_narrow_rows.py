"""Keep violation rows narrow: the copy of the rule book's parameters goes out of line.

Each violation keeps the parameters it was decided under (about 3.8 kB of JSON, 1.7 kB
compressed), which PostgreSQL would store in the row itself: four rows to a page. The
deadline sweep reads, locks and rewrites violation rows by the hundred thousand, so it
paid for that copy on every row it touched (and a same-night re-run for every stale index
entry). With ``toast_tuple_target`` at 512 bytes the compressed copy moves to the
table's TOAST relation and rows are about 200 bytes (the other columns, the finding
included, stay in the row); an update that leaves the parameters alone keeps pointing at
the same TOAST value. Measured with
``manage.py benchmark_sweep`` (docs/operations.md): 1,000,000 overdue violations swept
in 58 s instead of 92 s, and the same-night re-run in 0.9 s instead of 13 s.

It applies to rows written from now on (PostgreSQL only; SQLite has no such storage).
"""

from django.db import migrations

NARROW = "ALTER TABLE compliance_violation SET (toast_tuple_target = 512)"
WIDE = "ALTER TABLE compliance_violation RESET (toast_tuple_target)"


def narrow(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(NARROW)


def wide(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(WIDE)


class Migration(migrations.Migration):
    dependencies = [("compliance", "0008_enforcement")]

    operations = [migrations.RunPython(narrow, wide, elidable=False)]
