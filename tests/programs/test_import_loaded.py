"""The shared programme tables, loaded once for the module: the documents' totals and re-imports."""

from __future__ import annotations

from decimal import Decimal

import pytest

from portal.models import AuditEntry
from programs.imports import load_programme_data
from programs.models import Country, Event, Participation, Project
from tests.db import built_once
from tests.programs.builders import SHARED_DATA
from tests.programs.test_import import _counts

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The shared tables, loaded once for the module (tests/db.py)."""
    with built_once(django_db_blocker):
        load_programme_data(SHARED_DATA)
        yield


def test_loading_gives_the_esc_documents_totals(loaded):
    esc = Participation.objects.filter(programme__code="asean-esc", status="selected")
    assert esc.filter(programme_year=1, city__isnull=False).count() == 14
    assert esc.filter(programme_year=2, city__isnull=False).count() == 21
    assert esc.filter(programme_year=1).values("country").distinct().count() == 8
    assert esc.values("country").distinct().count() == 8
    # Malaysia's year-2 city is "undecided": recorded, without a city, not counted.
    undecided = Participation.objects.get(programme_year=2, status="undecided")
    assert undecided.city is None
    assert undecided.country.name_en == "Malaysia"


def test_loading_gives_the_jcm_fy2014_totals(loaded):
    jcm = Project.objects.filter(programme__code="jcm")
    assert jcm.filter(kind="jcm_equipment_subsidy", fiscal_year="FY2014").count() == 7
    studies = jcm.filter(kind="jcm_feasibility_study")
    assert studies.count() == 19
    # The pamphlet counts 11 countries among the studies (Samoa only in a merged cell).
    assert Country.objects.filter(projects__in=studies).distinct().count() == 11


def test_loaded_records_are_published_and_keep_their_provenance(loaded):
    tianjin = Project.objects.get(reference="lcmt-tianjin-yujiapu-business-centre-project")
    assert tianjin.published
    assert tianjin.source_doc == "000"
    assert "3,500 km2" in tianjin.note
    assert tianjin.kind == "lcmt_model_town"
    assert [c.name_en for c in tianjin.countries.all()] == ["China"]


def test_missing_reductions_stay_empty_and_the_written_figure_is_kept(loaded):
    registered = Project.objects.get(kind="jcm_registered")
    assert registered.expected_tco2_per_year is None  # "799 tCO2 by 2020" is not yearly
    assert registered.expected_reduction_as_written.startswith("799 tCO2 by 2020")
    assert str(registered.registration_date) == "2014-10-31"
    shimizu = Project.objects.get(lead_organisation_name_en="Shimizu Corporation")
    assert shimizu.expected_tco2_per_year == Decimal("28128")
    assert not Project.objects.filter(
        kind="jcm_feasibility_study", expected_tco2_per_year__isnull=False
    ).exists()


def test_rows_whose_note_says_unsure_inference_or_computed_are_uncertain(loaded):
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


def test_case_studies_complete_the_year_one_participations(loaded):
    surabaya = Participation.objects.get(city__name_en="Surabaya", programme_year=1)
    assert "50 waste banks" in surabaya.results
    assert surabaya.partners_named == "Unilever; Jawa Post"
    palo = Participation.objects.get(city__name_en="Palo, Leyte")  # "Palo" in the case study
    assert "composting" in palo.focus_areas
    assert Participation.objects.exclude(focus_areas="").count() == 8


def test_one_city_gathers_its_records_across_programmes(loaded):
    surabaya = Participation.objects.get(city__name_en="Surabaya").city
    assert {p.programme.code for p in surabaya.participations.all()} == {"asean-esc"}
    assert [p.reference for p in surabaya.projects.all()] == ["jcm-fs-fy2014-03"]
    assert [c.japan_partner_en for c in surabaya.collaborations.all()] == ["Kitakyushu City"]
    phnom_penh = Participation.objects.filter(city__name_en="Phnom Penh").first().city
    assert sorted(phnom_penh.participations.values_list("programme_year", flat=True)) == [1, 2]


def test_seminar_editions_complete_the_events_with_attendance(loaded):
    seminars = Event.objects.filter(series="ESC HLS").order_by("edition_number")
    assert [e.participants for e in seminars] == [140, 140, 230, 200, 180, None]
    third = seminars.get(edition_number=3)
    assert third.outcomes_original.startswith("ASEAN ESCモデル都市プログラムの第1年次")
    assert third.local_governments_count == 39
    assert Event.objects.count() == 28  # the editions are the events.csv seminars, not copies
    workshop = Event.objects.get(code="LOCARNET-WS-PNH-2014")
    assert workshop.participants is None
    assert workshop.participants_as_written == "70+"


def test_reimport_does_not_duplicate(loaded):
    first = _counts()
    entries = AuditEntry.objects.count()

    report = load_programme_data(SHARED_DATA)

    assert _counts() == first
    assert all(
        not counts.get("created") and not counts.get("updated") for counts in report.counts.values()
    )
    assert AuditEntry.objects.count() == entries  # nothing changed, nothing to audit


def test_reimport_keeps_a_record_an_administrator_unpublished(loaded):
    Project.objects.filter(kind="jcm_registered").update(published=False)

    load_programme_data(SHARED_DATA)

    assert not Project.objects.get(kind="jcm_registered").published
