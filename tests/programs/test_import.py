"""Loading the shared programme tables: the documents' totals, idempotence, bad tables."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from portal.models import AuditEntry
from programs.imports import ImportFailed, load_programme_data
from programs.models import (
    CityCollaboration,
    Country,
    Event,
    FrameworkItem,
    FundingContribution,
    Organisation,
    Participation,
    Project,
)
from programs.models import (
    Programme as ProgrammeModel,
)
from tests.programs.builders import SHARED_DATA, copy_of_shared_data, drop_column, edit_cell

pytestmark = pytest.mark.django_db

ALL_MODELS = (
    ProgrammeModel,
    Organisation,
    Country,
    Participation,
    Project,
    Event,
    FrameworkItem,
    FundingContribution,
    CityCollaboration,
)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in ALL_MODELS}


def test_reimport_updates_changed_values_in_place(tmp_path):
    data = copy_of_shared_data(tmp_path)
    load_programme_data(data)
    before = _counts()
    edit_cell(
        data,
        "jcm_equipment_subsidy_projects_fy2014.csv",
        3,
        "expected_reduction_tco2_per_year",
        "28200",
    )
    edit_cell(data, "asean_esc_hls_editions.csv", 4, "participants", "231")

    report = load_programme_data(data)

    assert _counts() == before
    shimizu = Project.objects.get(lead_organisation_name_en="Shimizu Corporation")
    assert shimizu.expected_tco2_per_year == Decimal("28200")
    assert Event.objects.get(code="ESC-HLS-3").participants == 231
    assert report.counts["projects"]["updated"] == 1
    entry = AuditEntry.objects.filter(object_type="programs.project").latest("id")
    assert entry.changes["expected_tco2_per_year"] == ["28128.00", "28200.00"]


def test_a_malformed_table_reports_every_bad_row_and_saves_nothing(tmp_path):
    data = copy_of_shared_data(tmp_path)
    name = "jcm_equipment_subsidy_projects_fy2014.csv"
    edit_cell(data, name, 2, "expected_reduction_tco2_per_year", "122,000 t")
    edit_cell(data, name, 7, "country_en", "Atlantis")
    edit_cell(data, "events.csv", 5, "start_date", "2010-13")
    edit_cell(data, "asean_esc_model_cities.csv", 10, "program_year", "one")

    with pytest.raises(ImportFailed) as failure:
        load_programme_data(data)

    places = {(p.file, p.line, p.column) for p in failure.value.problems}
    assert places == {
        (name, 2, "expected_reduction_tco2_per_year"),
        (name, 7, "country_en"),
        ("events.csv", 5, "start_date"),
        ("asean_esc_model_cities.csv", 10, "program_year"),
    }
    messages = {str(p) for p in failure.value.problems}
    assert any("“Atlantis” is not a known country" in m for m in messages)
    assert all(model.objects.count() == 0 for model in ALL_MODELS), _counts()
    assert not AuditEntry.objects.filter(object_type__startswith="programs.").exists()


def test_a_table_without_a_column_is_reported_at_its_header(tmp_path):
    data = copy_of_shared_data(tmp_path)
    drop_column(data, "jcm_feasibility_studies_fy2014.csv", "country_en")

    with pytest.raises(ImportFailed) as failure:
        load_programme_data(data)

    assert [(p.file, p.line, p.column) for p in failure.value.problems] == [
        ("jcm_feasibility_studies_fy2014.csv", 1, "country_en")
    ]
    assert Project.objects.count() == 0


def test_a_duplicate_key_is_reported_with_the_first_line(tmp_path):
    data = copy_of_shared_data(tmp_path)
    edit_cell(data, "organisations.csv", 4, "org_id", "ORG001")

    with pytest.raises(ImportFailed) as failure:
        load_programme_data(data)

    (problem,) = failure.value.problems
    assert (problem.file, problem.line, problem.column) == ("organisations.csv", 4, "org_id")
    assert "line 2" in problem.message


def test_the_command_loads_and_reports_counts(capsys):
    call_command("load_programme_data", "--dir", str(SHARED_DATA))

    out = capsys.readouterr().out
    assert "projects: 29 created, 0 updated, 0 unchanged" in out
    call_command("load_programme_data", "--dir", str(SHARED_DATA))
    assert "projects: 0 created, 0 updated, 29 unchanged" in capsys.readouterr().out


def test_the_command_prints_each_problem_and_fails(tmp_path, capsys):
    data = copy_of_shared_data(tmp_path)
    edit_cell(data, "apec_subfund_d_contributions.csv", 3, "year", "20l0")

    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("load_programme_data", "--dir", str(data))

    err = capsys.readouterr().err
    assert 'apec_subfund_d_contributions.csv, line 3, column "year": “20l0” is not a whole' in err
    assert FundingContribution.objects.count() == 0


def test_the_command_reports_a_missing_directory(tmp_path, capsys):
    with pytest.raises(CommandError, match="There is no directory"):
        call_command("load_programme_data", "--dir", str(tmp_path / "nowhere"))

    call_command("load_programme_data", "--dir", str(tmp_path / "nowhere"), "--skip-if-missing")
    assert "nothing loaded" in capsys.readouterr().out
    assert not ProgrammeModel.objects.exists()


def test_the_default_directory_can_be_set_in_the_environment(monkeypatch, tmp_path):
    from programs.imports import default_data_dir

    monkeypatch.delenv("PROGRAMME_DATA_DIR", raising=False)
    assert default_data_dir().parts[-2:] == ("shared", "data")
    monkeypatch.setenv("PROGRAMME_DATA_DIR", str(tmp_path))
    assert default_data_dir() == tmp_path
