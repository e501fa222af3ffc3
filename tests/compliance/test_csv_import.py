"""CSV import and export of equipment: every bad row reported, all or nothing, round trips."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.choices import EquipmentKind, LampType
from compliance.models import BusinessMembership, Equipment, ImportBatch, RegistryFigure
from compliance.registry.imports import (
    COLUMNS,
    equipment_template_csv,
    export_equipment_csv,
    import_equipment_csv,
    validate_equipment_csv,
)
from compliance.registry.imports.batches import commit_equipment_import, stage_equipment_import
from compliance.registry.models.figures import EQUIPMENT_TOTAL
from portal import audit_chain
from portal.choices import AuditAction
from portal.models import AuditEntry
from tests.factories import make_equipment, make_premises

pytestmark = pytest.mark.django_db


def csv_text(rows: list[dict], columns=COLUMNS) -> str:
    """Return a CSV file with ``columns`` as header and ``rows`` (missing cells empty)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(name, "") for name in columns])
    return out.getvalue()


def ac_row(premises, tag="AC-01", **values) -> dict:
    row = {
        "premises_id": premises.pk,
        "tag": tag,
        "kind": "air_conditioner",
        "ac_type": "split",
        "cooling_capacity_kw": "7.1",
        "efficiency_metric": "cspf",
        "efficiency_value": "5.2",
        "installed_on": "2024-05-01",
    }
    row.update(values)
    return row


def boiler_row(premises, tag="BL-01", **values) -> dict:
    row = {
        "premises_id": premises.pk,
        "tag": tag,
        "kind": "boiler",
        "steam_evaporation_tph": "1.5",
        "fuel": "natural_gas",
        "is_standby": "no",
        "installed_on": "2020-01-15",
    }
    row.update(values)
    return row


def errors_at(report) -> set[tuple[int | None, str]]:
    return {(error.line, error.column) for error in report.errors}


def test_good_file_saves_every_row_with_an_import_audit_entry(owner, premises):
    text = equipment_template_csv(premises.pk)

    report = import_equipment_csv(text, owner, dry_run=False)

    assert report.ok and report.committed
    assert report.created == len(EquipmentKind.values)
    assert sorted(premises.equipment.values_list("kind", flat=True)) == sorted(EquipmentKind.values)
    entries = AuditEntry.objects.filter(object_type="compliance.equipment")
    assert entries.count() == len(EquipmentKind.values)
    assert set(entries.values_list("action", flat=True)) == {AuditAction.IMPORT}
    boiler = premises.equipment.get(kind=EquipmentKind.BOILER)
    entry = entries.get(object_id=str(boiler.pk))
    assert entry.changes["fuel"] == [None, "natural_gas"]
    assert entry.actor == owner
    assert entry.business_id == premises.business_id


def test_file_with_several_bad_rows_reports_each_line_and_column_and_saves_nothing(owner, premises):
    text = csv_text(
        [
            ac_row(premises, "AC-01"),  # line 2: good
            ac_row(premises, "AC-02", ac_type="splitt"),  # line 3: bad choice
            ac_row(premises, "AC-03", cooling_capacity_kw="seven"),  # line 4: not a number
            boiler_row(premises, "BL-01", is_standby="maybe"),  # line 5: not a boolean
            boiler_row(premises, "BL-02", installed_on="2020/01/15"),  # line 6: bad date
            {  # line 7: the model's own rule: a lighting group needs its lamps
                "premises_id": premises.pk,
                "tag": "LT-01",
                "kind": "lighting",
                "space_type": "office",
                "lamp_type": "led",
                "lamp_wattage_w": "18",
            },
            ac_row(premises, "AC-04", efficiency_value="55"),  # line 8: implausible CSPF
            ac_row(premises, "AC-05", cooling_capacity_kw="-3"),  # line 9: negative
        ]
    )

    report = import_equipment_csv(text, owner, dry_run=False)

    assert not report.committed
    assert errors_at(report) == {
        (3, "ac_type"),
        (4, "cooling_capacity_kw"),
        (5, "is_standby"),
        (6, "installed_on"),
        (7, "lamp_count"),
        (8, "efficiency_value"),
        (9, "cooling_capacity_kw"),
    }
    assert report.error_lines == 7
    assert Equipment.objects.count() == 0
    assert not AuditEntry.objects.filter(action=AuditAction.IMPORT).exists()


def test_one_row_with_several_bad_cells_reports_every_cell(owner, premises):
    text = csv_text([ac_row(premises, "AC 01", ac_type="x", installed_on="yesterday")])

    report = validate_equipment_csv(text, owner)

    assert errors_at(report) == {(2, "tag"), (2, "ac_type"), (2, "installed_on")}


def test_bad_choice_names_the_allowed_values(owner, premises):
    report = validate_equipment_csv(csv_text([boiler_row(premises, fuel="gas")]), owner)

    (error,) = report.errors
    assert error.column == "fuel"
    assert "natural_gas" in error.message and "lpg" in error.message


def test_a_cell_that_is_not_applicable_to_the_kind_is_reported(owner, premises):
    report = validate_equipment_csv(csv_text([boiler_row(premises, ac_type="split")]), owner)

    assert errors_at(report) == {(2, "ac_type")}


def test_reimport_updates_instead_of_duplicating(owner, premises):
    import_equipment_csv(csv_text([ac_row(premises), boiler_row(premises)]), owner, dry_run=False)
    item = premises.equipment.get(tag="AC-01")

    report = import_equipment_csv(
        csv_text([ac_row(premises, efficiency_value="6.1"), boiler_row(premises)]),
        owner,
        dry_run=False,
    )

    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert premises.equipment.count() == 2
    item.refresh_from_db()
    assert item.efficiency_value == Decimal("6.10")
    entry = AuditEntry.objects.filter(object_id=str(item.pk)).first()
    assert entry.action == AuditAction.IMPORT
    assert entry.changes["efficiency_value"] == ["5.20", "6.10"]


def test_columns_left_out_of_the_file_keep_their_values(owner, premises):
    item = make_equipment(premises, EquipmentKind.AIR_CONDITIONER, tag="AC-01", description="Lobby")
    columns = (
        "premises_id",
        "tag",
        "kind",
        "ac_type",
        "cooling_capacity_kw",
        "efficiency_metric",
        "efficiency_value",
        "installed_on",
    )

    report = import_equipment_csv(
        csv_text([ac_row(premises, cooling_capacity_kw="9.0")], columns), owner, dry_run=False
    )

    assert report.updated == 1
    item.refresh_from_db()
    assert (item.description, item.cooling_capacity_kw) == ("Lobby", Decimal("9.00"))


def test_dry_run_reports_what_would_happen_and_saves_nothing(owner, premises):
    make_equipment(premises, tag="AC-01")
    text = csv_text([ac_row(premises, "AC-01", efficiency_value="6"), boiler_row(premises)])

    report = import_equipment_csv(text, owner, dry_run=True)

    assert report.ok and not report.committed
    assert (report.created, report.updated) == (1, 1)
    assert premises.equipment.count() == 1
    assert premises.equipment.get().efficiency_value == Decimal("5.20")
    assert not AuditEntry.objects.filter(action=AuditAction.IMPORT).exists()


def test_row_for_another_business_premises_is_refused_like_a_missing_one(
    owner, premises, other_premises
):
    missing_id = other_premises.pk + 1000
    text = csv_text(
        [
            ac_row(premises),
            ac_row(other_premises, "AC-02"),
            ac_row(premises, premises_id=missing_id),
        ]
    )

    report = import_equipment_csv(text, owner, dry_run=False)

    assert errors_at(report) == {(3, "premises_id"), (4, "premises_id")}
    foreign, missing = report.errors
    assert foreign.message.replace(str(other_premises.pk), "N") == missing.message.replace(
        str(missing_id), "N"
    )
    assert Equipment.objects.count() == 0


def test_an_inspector_cannot_import(inspector, premises):
    report = import_equipment_csv(csv_text([ac_row(premises)]), inspector, dry_run=False)

    assert errors_at(report) == {(2, "premises_id")}
    assert Equipment.objects.count() == 0


def test_same_premises_and_tag_twice_in_a_file_is_reported(owner, premises):
    report = validate_equipment_csv(csv_text([ac_row(premises), ac_row(premises)]), owner)

    (error,) = report.errors
    assert (error.line, error.column) == (3, "tag")
    assert "line 2" in error.message


def test_unknown_duplicate_and_missing_columns_are_reported_on_the_header_line(owner, premises):
    text = "premises_id,kind,colour,kind\n1,boiler,red,boiler\n"

    report = validate_equipment_csv(text, owner)

    assert errors_at(report) == {(1, "colour"), (1, "kind"), (1, "tag")}


def test_a_row_with_too_many_values_is_reported(owner, premises):
    text = csv_text([boiler_row(premises)]) + f"{premises.pk},BL-02,boiler,extra" + "," * 30 + "\n"

    report = validate_equipment_csv(text, owner)

    assert errors_at(report) == {(3, "")}


def test_line_numbers_count_blank_lines_and_multi_line_cells(owner, premises):
    text = csv_text([ac_row(premises, description="first\nsecond")])
    text += "\n" + csv_text([boiler_row(premises, fuel="wood")]).split("\n", 1)[1]

    report = validate_equipment_csv(text, owner)

    assert errors_at(report) == {(5, "fuel")}


def test_excel_byte_order_mark_and_chinese_booleans_are_accepted(owner, premises):
    text = csv_text([boiler_row(premises, is_standby="否", description="鍋爐一號")])

    report = import_equipment_csv(b"\xef\xbb\xbf" + text.encode("utf-8"), owner, dry_run=False)

    assert report.ok, report.errors
    boiler = premises.equipment.get()
    assert (boiler.is_standby, boiler.description) == (False, "鍋爐一號")


@pytest.mark.parametrize("encoding", ["utf-16", "big5"])
def test_other_encodings_are_refused_with_a_clear_error(owner, premises, encoding):
    text = csv_text([boiler_row(premises, description="鍋爐")])

    report = import_equipment_csv(text.encode(encoding), owner, dry_run=False)

    (error,) = report.errors
    assert "UTF-8" in error.message
    assert Equipment.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(owner, premises, settings):
    settings.CSV_IMPORT_MAX_BYTES = 100
    text = csv_text([ac_row(premises, f"AC-{n}") for n in range(5)])

    report = validate_equipment_csv(io.BytesIO(text.encode()), owner)

    (error,) = report.errors
    assert "larger than" in error.message


def test_export_then_import_changes_nothing(owner, premises):
    for kind in EquipmentKind.values:
        make_equipment(premises, kind)
    make_equipment(premises, EquipmentKind.SIGNBOARD, lamp_count=3, lamp_wattage_w=Decimal("9.5"))
    make_equipment(premises, EquipmentKind.BOILER, heat_input_kcal_h=900000, is_standby=True)
    make_equipment(
        premises, EquipmentKind.CHILLER, energy_manager="", installed_on=date(2019, 1, 2)
    )

    report = import_equipment_csv(
        export_equipment_csv(Equipment.objects.all()), owner, dry_run=False
    )

    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 0, 9)
    assert not AuditEntry.objects.filter(action=AuditAction.IMPORT).exists()


def test_export_only_writes_the_given_rows_in_the_import_format(owner, premises, other_premises):
    mine = make_equipment(premises, EquipmentKind.LIGHTING, tag="LT-9")
    make_equipment(other_premises)

    rows = list(csv.reader(io.StringIO(export_equipment_csv(Equipment.objects.visible_to(owner)))))

    assert rows[0] == list(COLUMNS)
    assert len(rows) == 2
    exported = dict(zip(rows[0], rows[1], strict=True))
    assert exported["premises_id"] == str(premises.pk)
    assert (exported["tag"], exported["kind"], exported["lamp_type"]) == (
        "LT-9",
        "lighting",
        LampType.LED,
    )
    assert exported["lamp_count"] == str(mine.lamp_count)


def test_formula_cells_are_defused_on_export_and_restored_on_import(owner, premises):
    formula = '=HYPERLINK("http://evil.example","click")'
    make_equipment(premises, tag="AC-01", description=formula)
    make_equipment(premises, EquipmentKind.CHILLER, tag="CH-01", energy_manager="@boss")

    exported = export_equipment_csv(Equipment.objects.all())
    cells = [cell for row in csv.reader(io.StringIO(exported)) for cell in row]

    assert "'" + formula in cells and "'@boss" in cells
    assert formula not in cells and "@boss" not in cells
    report = import_equipment_csv(exported, owner, dry_run=False)
    assert report.unchanged == 2
    Equipment.objects.all().delete()
    import_equipment_csv(exported, owner, dry_run=False)
    assert premises.equipment.get(tag="AC-01").description == formula
    assert premises.equipment.get(tag="CH-01").energy_manager == "@boss"


def test_checking_a_file_takes_the_same_queries_for_5_or_50_rows(owner, premises):
    def queries_for(count: int) -> int:
        # Half the rows update existing items, half create new ones.
        for n in range(0, count, 2):
            make_equipment(premises, tag=f"AC-{count}-{n}")
        text = csv_text([ac_row(premises, f"AC-{count}-{n}") for n in range(count)])
        with CaptureQueriesContext(connection) as context:
            report = validate_equipment_csv(text, owner)
        assert report.ok
        return len(context.captured_queries)

    assert queries_for(5) == queries_for(50)


def test_template_rows_import_cleanly(owner, premises):
    report = validate_equipment_csv(equipment_template_csv(premises.pk), owner)

    assert report.ok, report.errors
    assert report.created == len(EquipmentKind.values)


def test_a_staged_file_is_committed_once_and_only_by_its_uploader(owner, other_owner, premises):
    batch = stage_equipment_import(
        owner, io.BytesIO(csv_text([ac_row(premises)]).encode()), "a.csv"
    )

    with pytest.raises(ImportBatch.DoesNotExist):
        commit_equipment_import(other_owner, batch.pk)
    batch, report = commit_equipment_import(owner, batch.pk)
    assert report.committed and batch.created_count == 1
    with pytest.raises(ImportBatch.DoesNotExist):
        commit_equipment_import(owner, batch.pk)
    assert premises.equipment.count() == 1


def test_commit_checks_again_and_saves_nothing_if_rights_were_lost(owner, premises):
    text = csv_text([ac_row(premises), boiler_row(premises)])
    batch = stage_equipment_import(owner, text, "a.csv")
    assert validate_equipment_csv(batch.content, owner).ok
    BusinessMembership.objects.filter(user=owner).delete()

    batch, report = commit_equipment_import(owner, batch.pk)

    assert not report.committed
    assert errors_at(report) == {(2, "premises_id"), (3, "premises_id")}
    assert Equipment.objects.count() == 0
    assert batch.committed_at is None


def test_rows_for_premises_of_two_businesses_of_the_same_user_are_accepted(owner, premises):
    second = make_premises(premises.business)

    report = import_equipment_csv(
        csv_text([ac_row(premises), ac_row(second)]), owner, dry_run=False
    )

    assert report.created == 2


def model_errors(**fields) -> dict[str, list[str]]:
    """Return what the model's own full_clean says of an item (the premises aside)."""
    with pytest.raises(ValidationError) as failure:
        Equipment(**fields).full_clean(exclude=["premises"], validate_unique=False)
    return failure.value.message_dict


def test_a_bad_value_repeated_on_many_lines_is_reported_on_each_with_the_models_words(
    owner, premises
):
    # Each field's checks run once per distinct value of a file: a bad value on several
    # lines must still be reported on every one, in the words of the model's full_clean.
    second = make_premises(premises.business)
    tag, efficiency, wattage = "A B", "999.999", "18.25"
    rows = [ac_row(place, tag, efficiency_value=efficiency) for place in (premises, second)]
    lighting = {"kind": "lighting", "space_type": "office", "lamp_type": "led", "lamp_count": "4"}
    rows += [
        {"premises_id": premises.pk, "tag": f"LT-{i}", **lighting, "lamp_wattage_w": wattage}
        for i in range(2)
    ]

    report = import_equipment_csv(csv_text(rows), owner, dry_run=False)

    ac_words = model_errors(
        kind=EquipmentKind.AIR_CONDITIONER,
        tag=tag,
        ac_type="split",
        cooling_capacity_kw=Decimal("7.1"),
        efficiency_metric="cspf",
        efficiency_value=Decimal(efficiency),
        installed_on=date(2024, 5, 1),
    )
    lighting_words = model_errors(
        kind=EquipmentKind.LIGHTING,
        tag="LT-0",
        space_type="office",
        lamp_type="led",
        lamp_count=4,
        lamp_wattage_w=Decimal(wattage),
    )
    found: dict[tuple[int, str], list[str]] = {}
    for error in report.errors:
        found.setdefault((error.line, error.column), []).append(error.message)
    assert found == {
        (2, "tag"): ac_words["tag"],
        (3, "tag"): ac_words["tag"],
        (2, "efficiency_value"): ac_words["efficiency_value"],
        (3, "efficiency_value"): ac_words["efficiency_value"],
        (4, "lamp_wattage_w"): lighting_words["lamp_wattage_w"],
        (5, "lamp_wattage_w"): lighting_words["lamp_wattage_w"],
    }
    assert len(ac_words["efficiency_value"]) > 1  # the field's checks and the model's clean()
    assert not report.committed and not Equipment.objects.filter(premises__in=[premises, second])


def test_imported_items_are_counted_and_their_entries_seal_into_the_chain(owner, premises):
    figure = RegistryFigure.objects.filter(figure=EQUIPMENT_TOTAL, key="")
    counted_before = figure.values_list("value", flat=True).first() or 0
    make_equipment(premises, EquipmentKind.AIR_CONDITIONER, tag="AC-01")
    rows = [ac_row(premises, "AC-01", efficiency_value="6.1")]
    rows += [ac_row(premises, f"AC-{index}", cooling_capacity_kw="7.15") for index in (2, 3)]

    report = import_equipment_csv(csv_text(rows), owner, dry_run=False, filename="units.csv")

    assert (report.created, report.updated) == (2, 1)
    assert figure.get().value == counted_before + 3
    new = premises.equipment.get(tag="AC-2")
    assert (new.cooling_capacity_kw, new.installed_on) == (Decimal("7.15"), date(2024, 5, 1))
    assert new.created_at is not None and new.updated_at is not None
    entries = {
        entry.object_id: entry
        for entry in AuditEntry.objects.filter(object_type="compliance.equipment")
    }
    assert set(entries) == {str(item.pk) for item in premises.equipment.all()}
    entry = entries[str(new.pk)]
    assert (entry.actor, entry.actor_label, entry.action) == (owner, owner.username, "import")
    assert (entry.object_repr, entry.business_id) == (str(new), premises.business_id)
    assert entry.reason == "CSV import units.csv"
    assert entry.changes["cooling_capacity_kw"] == [None, "7.15"]
    assert entry.changes["premises_id"] == [None, premises.pk]
    assert "created_at" not in entry.changes and entry.timestamp is not None
    updated = entries[str(premises.equipment.get(tag="AC-01").pk)]
    assert updated.changes == {"efficiency_value": ["5.20", "6.10"]}
    assert entry.seq is None  # written unsealed; the sealer chains it

    assert audit_chain.verify().ok
    assert AuditEntry.objects.filter(seq__isnull=True).count() == 0
