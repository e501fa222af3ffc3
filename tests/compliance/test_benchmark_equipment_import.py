"""benchmark_equipment_import commits a generated file, rolled back, beside a bulk insert."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command

from compliance.models import Business, Equipment, Premises
from portal.models import AuditEntry

pytestmark = pytest.mark.django_db

LINE = re.compile(
    r"^(?P<label>import \(commit\)|bare bulk insert): (?P<rows>[\d,]+) rows, "
    r"min (?P<min>[\d.]+) s, median (?P<median>[\d.]+) s$",
    re.MULTILINE,
)


def test_prints_seconds_of_the_import_and_the_bulk_insert_and_their_ratio_and_keeps_nothing():
    out = StringIO()

    call_command(
        "benchmark_equipment_import",
        "--rows",
        "60",
        "--premises",
        "4",
        "--repeats",
        "2",
        stdout=out,
    )

    output = out.getvalue()
    assert output.startswith("equipment import: 60 rows over 4 premises")
    lines = {match["label"]: match for match in LINE.finditer(output)}
    assert list(lines) == ["import (commit)", "bare bulk insert"]
    for line in lines.values():
        assert line["rows"] == "60"
        assert float(line["min"]) <= float(line["median"])
    ratio = float(re.search(r"ratio \(median import / median bulk insert\): ([\d.]+)", output)[1])
    expected = float(lines["import (commit)"]["median"]) / float(
        lines["bare bulk insert"]["median"]
    )
    assert ratio == pytest.approx(expected, abs=0.05 + expected * 0.15)
    # Rolled back and cleaned up: the registry and the audit log are as they were.
    assert not Equipment.objects.exists()
    assert not Premises.objects.exists()
    assert not Business.objects.exists()
    assert not AuditEntry.objects.filter(object_type="compliance.equipment").exists()
