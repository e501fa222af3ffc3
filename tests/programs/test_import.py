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


def test_loading_gives_the_esc_documents_totals():
    load_programme_data(SHARED_DATA)

    esc = Participation.objects.filter(programme__code="asean-esc", status="selected")
    assert esc.filter(programme_year=1, city__isnull=False).count() == 14
    assert esc.filter(programme_year=2, city__isnull=False).count() == 21
    assert esc.filter(programme_year=1).values("country").distinct().count() == 8
    assert esc.values("country").distinct().count() == 8
    # Malaysia's year-2 city is "undecided": recorded, without a city, not counted.
    undecided = Participation.objects.get(programme_year=2, status="undecided")
    assert undecided.city is None
    assert undecided.country.name_en == "Malaysia"


def test_loading_gives_the_jcm_fy2014_totals():
    load_programme_data(SHARED_DATA)

    jcm = Project.objects.filter(programme__code="jcm")
    assert jcm.filter(kind="jcm_equipment_subsidy", fiscal_year="FY2014").count() == 7
    studies = jcm.filter(kind="jcm_feasibility_study")
    assert studies.count() == 19
    # The pamphlet counts 11 countries among the studies (Samoa only in a merged cell).
    assert Country.objects.filter(projects__in=studies).distinct().count() == 11


def test_loaded_records_are_published_and_keep_their_provenance():
    load_programme_data(SHARED_DATA)

    tianjin = Project.objects.get(reference="lcmt-tianjin-yujiapu-business-centre-project")
    assert tianjin.published
    assert tianjin.source_doc == "000"
    assert "3,500 km2" in tianjin.note
    assert tianjin.kind == "lcmt_model_town"
    assert [c.name_en for c in tianjin.countries.all()] == ["China"]


def test_missing_reductions_stay_empty_and_the_written_figure_is_kept():
    load_programme_data(SHARED_DATA)

    registered = Project.objects.get(kind="jcm_registered")
    assert registered.expected_tco2_per_year is None  # "799 tCO2 by 2020" is not yearly
    assert registered.expected_reduction_as_written.startswith("799 tCO2 by 2020")
    assert str(registered.registration_date) == "2014-10-31"
    shimizu = Project.objects.get(lead_organisation_name_en="Shimizu Corporation")
    assert shimizu.expected_tco2_per_year == Decimal("28128")
    assert not Project.objects.filter(
        kind="jcm_feasibility_study", expected_tco2_per_year__isnull=False
    ).exists()


def test_rows_whose_note_says_unsure_inference_or_computed_are_uncertain():
    load_programme_data(SHARED_DATA)

    puerto = Participation.objects.get(city__name_en="Puerto Princesa")
    phnom_penh = Participation.objects.filter(city__name_en="Phnom Penh")
    assert puerto.uncertain
    assert not phnom_penh.filter(uncertain=True).exists()
    itochu = Project.objects.get(lead_organisation_name_en="ITOCHU Corporation")
    assert itochu.uncertain  # UNSURE
    assert Project.objects.get(lead_organisation_name_en="Hitachi Zosen Corporation").uncertain
    assert not Project.objects.get(lead_organisation_name_en="Shimizu Corporation").uncertain
    assert Event.objects.get(code="LOCARNET-AM4").uncertain  # INFERENCE
    assert not Event.objects.get(code="ESC-HLS-2").uncertain


def test_case_studies_complete_the_year_one_participations():
    load_programme_data(SHARED_DATA)

    surabaya = Participation.objects.get(city__name_en="Surabaya", programme_year=1)
    assert "50 waste banks" in surabaya.results
    assert surabaya.partners_named == "Unilever; Jawa Post"
    palo = Participation.objects.get(city__name_en="Palo, Leyte")  # "Palo" in the case study
    assert "composting" in palo.focus_areas
    assert Participation.objects.exclude(focus_areas="").count() == 8


def test_one_city_gathers_its_records_across_programmes():
    load_programme_data(SHARED_DATA)

    surabaya = Participation.objects.get(city__name_en="Surabaya").city
    assert {p.programme.code for p in surabaya.participations.all()} == {"asean-esc"}
    assert [p.reference for p in surabaya.projects.all()] == ["jcm-fs-fy2014-03"]
    assert [c.japan_partner_en for c in surabaya.collaborations.all()] == ["Kitakyushu City"]
    phnom_penh = Participation.objects.filter(city__name_en="Phnom Penh").first().city
    assert sorted(phnom_penh.participations.values_list("programme_year", flat=True)) == [1, 2]


def test_seminar_editions_complete_the_events_with_attendance():
    load_programme_data(SHARED_DATA)

    seminars = Event.objects.filter(series="ESC HLS").order_by("edition_number")
    assert [e.participants for e in seminars] == [140, 140, 230, 200, 180, None]
    third = seminars.get(edition_number=3)
    assert third.outcomes_original.startswith("ASEAN ESCモデル都市プログラムの第1年次")
    assert third.local_governments_count == 39
    assert Event.objects.count() == 28  # the editions are the events.csv seminars, not copies
    workshop = Event.objects.get(code="LOCARNET-WS-PNH-2014")
    assert workshop.participants is None
    assert workshop.participants_as_written == "70+"


def test_reimport_does_not_duplicate():
    load_programme_data(SHARED_DATA)
    first = _counts()
    entries = AuditEntry.objects.count()

    report = load_programme_data(SHARED_DATA)

    assert _counts() == first
    assert all(
        not counts.get("created") and not counts.get("updated") for counts in report.counts.values()
    )
    assert AuditEntry.objects.count() == entries  # nothing changed, nothing to audit


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


def test_reimport_keeps_a_record_an_administrator_unpublished():
    load_programme_data(SHARED_DATA)
    Project.objects.filter(kind="jcm_registered").update(published=False)

    load_programme_data(SHARED_DATA)

    assert not Project.objects.get(kind="jcm_registered").published


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
