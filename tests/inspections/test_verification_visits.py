"""A re-inspection after a missed deadline: its briefing lists the cases, its visit verifies
them, and its report says what was established, whichever ran first, the sweep or the visit."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from compliance import rules
from compliance.choices import VerificationMethod, VerificationResult, ViolationStatus
from compliance.enforcement.services.opening import record_inspection
from compliance.enforcement.services.sweep import sweep
from compliance.models import Fine, Verification, Violation
from inspections.choices import AssignmentRole, InspectionPurpose
from inspections.models import InspectionAssignment, TemperatureReading
from inspections.reports.gather import report_data
from inspections.reports.render import render_html
from inspections.services.planning import schedule_due_reinspections
from inspections.services.visits import complete_visit
from inspections.views.planning import agenda_of
from tests.deciding import decide_and_serve
from tests.factories import make_violation
from tests.inspections.visit_builders import at, make_visit, planned_before

pytestmark = pytest.mark.django_db
FOUND = datetime.date(2026, 11, 2)
DEADLINE = datetime.date(2026, 11, 16)  # Monday: Art. 5-5's 14 days from FOUND
REINSPECTED = datetime.date(2026, 11, 17)  # the first working day after it
NO_VIOLATION_ZH = "未發現違規"
NOTHING_TO_DO_ZH = "沒有需要改善的事項"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def too_cold(premises, inspector):
    """Art. 5-5 found at a first visit (24 °C), its deadline Monday 2026-11-16."""
    result = record_inspection(
        premises,
        rules.InspectionFacts(inspected_on=FOUND, indoor_temperatures_c=(Decimal("24"),)),
        actor=inspector,
        source_reference="visit-first",
    )
    case = next(v for v in result.violations if v.article == "5-5")
    assert case.deadline == DEADLINE
    return case


@pytest.fixture
def reinspection(too_cold, inspector):
    """The re-inspection the nightly job plans the night after the deadline."""
    assert schedule_due_reinspections(DEADLINE + datetime.timedelta(days=1)) == 1
    inspection = too_cold.reinspections.get()
    assert inspection.scheduled_for == REINSPECTED
    assert inspection.purpose == InspectionPurpose.REINSPECTION
    planned_before(inspection)
    InspectionAssignment.objects.update_or_create(
        inspection=inspection, role=AssignmentRole.LEAD, defaults={"user": inspector}
    )
    return inspection


def reinspect(inspection, inspector, *temperatures: str):
    """Record and complete the re-inspection's visit with these temperatures."""
    visit = make_visit(
        inspection,
        arrived_at=at(10, day=inspection.scheduled_for),
        departed_at=at(11, day=inspection.scheduled_for),
    )
    TemperatureReading.objects.bulk_create(
        TemperatureReading(visit=visit, point=f"T{n}", temperature_c=Decimal(value))
        for n, value in enumerate(temperatures, start=1)
    )
    return complete_visit(inspector, visit).visit


def report_html(visit, language="zh-hant") -> str:
    return render_html(report_data(visit, language), photos=[])


# --- The briefing ---------------------------------------------------------------------------


def test_the_briefing_lists_the_case_being_verified_and_its_fines(
    client, inspector, premises, reinspection, too_cold
):
    other = make_violation(
        premises, "5-2", deadline=datetime.date(2026, 11, 10), status=ViolationStatus.FINED
    )
    Violation.objects.filter(pk=other.pk).update(fines_issued=1)
    running = make_violation(premises, "6-1", deadline=datetime.date(2026, 12, 30))
    client.force_login(inspector)
    with translation.override("zh-hant"):
        page = client.get(
            reverse("inspection-detail", args=[reinspection.pk]), HTTP_ACCEPT_LANGUAGE="zh-hant"
        )
    html = page.content.decode()
    assert page.status_code == 200
    cases = page.context["cases"]
    assert [case.violation.pk for case in cases] == [too_cold.pk, other.pk]
    assert cases[0].planned_for and cases[0].state == "to_verify"
    assert f'data-case="{too_cold.pk}"' in html and f'data-case="{other.pk}"' in html
    assert f'data-case="{running.pk}"' not in html  # its deadline runs: nothing to verify
    assert "2026-11-16" in html
    # The running cases, fined ones too: never "no open violation".
    assert [v.pk for v in page.context["violations"]] == [other.pk, too_cold.pk, running.pk]
    assert "沒有未結的違規案件" not in html


def test_the_agenda_shows_the_cases_in_a_fixed_number_of_queries(
    inspector, premises, reinspection, too_cold
):
    def agenda_queries():
        with CaptureQueriesContext(connection) as queries:
            agenda = agenda_of(inspector, REINSPECTED)
        return agenda, len(queries)

    agenda, few = agenda_queries()
    (item,) = agenda.due_today
    assert [case.violation.pk for case in item.cases] == [too_cold.pk]
    for article in ("5-2", "6-1", "6-2"):
        make_violation(premises, article, deadline=datetime.date(2026, 11, 12))
    agenda, many = agenda_queries()
    assert len(agenda.due_today[0].cases) == 4
    assert many == few


def test_the_visit_form_lists_the_cases(client, inspector, reinspection, too_cold):
    visit = make_visit(
        reinspection, arrived_at=at(10, day=REINSPECTED), departed_at=at(11, day=REINSPECTED)
    )
    client.force_login(inspector)
    page = client.get(reverse("visit-edit", args=[visit.pk]))
    assert page.status_code == 200
    assert [case.violation.pk for case in page.context["cases"]] == [too_cold.pk]
    assert f'data-case="{too_cold.pk}"' in page.content.decode()


# --- The visit and its report -----------------------------------------------------------------


def test_a_reinspection_finding_it_still_there_verifies_non_rectification(
    client, inspector, reinspection, too_cold
):
    visit = reinspect(reinspection, inspector, "25.0", "25.2", "25.2")  # average 25.13 °C

    verification = Verification.objects.get(violation=too_cold)
    assert verification.result == VerificationResult.PERSISTING
    assert verification.method == VerificationMethod.REINSPECTION
    assert verification.missed_deadline == DEADLINE
    assert verification.verified_on == REINSPECTED
    assert verification.source_reference == f"visit-{visit.pk}"
    too_cold.refresh_from_db()
    assert too_cold.fine_due_on is not None
    assert not Violation.objects.filter(source_reference=f"visit-{visit.pk}").exists()

    html = report_html(visit)
    assert "第5條第5款" in html and "25.13" in html
    assert "未改善：將予裁罰" in html or "Not rectified: the fine follows" in html
    assert NO_VIOLATION_ZH not in html and NOTHING_TO_DO_ZH not in html
    english = report_html(visit, "en")
    assert "Not rectified: the fine follows" in english
    assert "No violation was found." not in english
    assert "Nothing needs to be rectified." not in english
    assert "Cases verified at this visit" in english
    data = report_data(visit, "en")
    (case,) = data["verified_cases"]
    assert (case["result"], case["deadline"], case["planned_for"]) == (
        "persisting",
        "Nov. 16, 2026",  # the report's language writes the date
        True,
    )
    assert data["no_violation"] is False

    client.force_login(inspector)
    page = client.get(reverse("visit-detail", args=[visit.pk])).content.decode()
    assert 'data-case-state="persisting"' in page
    assert "data-no-violation" not in page
    briefing = client.get(reverse("inspection-detail", args=[reinspection.pk])).content.decode()
    assert 'data-case-state="persisting"' in briefing


def test_a_reinspection_finding_it_fixed_rectifies_without_a_fine(
    client, inspector, reinspection, too_cold
):
    visit = reinspect(reinspection, inspector, "26.5", "26.2")

    verification = Verification.objects.get(violation=too_cold)
    assert verification.result == VerificationResult.RECTIFIED
    too_cold.refresh_from_db()
    assert too_cold.status in (ViolationStatus.RECTIFIED, ViolationStatus.CLOSED)
    english = report_html(visit, "en")
    assert "Rectified: no fine" in english
    assert "No violation was found." in english  # true now: nothing needs action
    assert "Not rectified" not in english
    client.force_login(inspector)
    page = client.get(reverse("visit-detail", args=[visit.pk])).content.decode()
    assert 'data-case-state="rectified"' in page


def test_a_finding_of_a_case_still_running_is_never_no_violation(inspector, premises, too_cold):
    """A routine visit before the deadline finds it still too cold: no new case, no
    verification, and the report does not say that no violation was found."""
    from tests.inspections.visit_builders import make_inspection

    inspection = make_inspection(premises, lead=inspector, day=datetime.date(2026, 11, 10))
    visit = reinspect(inspection, inspector, "25.0")
    assert not Verification.objects.exists()
    data = report_data(visit, "en")
    assert data["no_violation"] is False
    assert [row["label"] for row in data["covered_findings"]] == ["Art. 5-5"]
    html = report_html(visit, "en")
    assert "No violation was found." not in html
    assert "Nothing needs to be rectified." not in html
    assert "Findings of cases already running" in html


# --- The order of the jobs does not matter ----------------------------------------------------


def outcome(case) -> tuple:
    case.refresh_from_db()
    fines = list(Fine.objects.filter(violation=case).values_list("step", "missed_deadline"))
    return case.status, fines


@pytest.mark.parametrize("sweep_first", [True, False], ids=["sweep-first", "visit-first"])
def test_persisting_is_fined_exactly_once_whichever_runs_first(
    inspector, reinspection, too_cold, sweep_first
):
    if sweep_first:
        sweep(REINSPECTED)  # the deadline is missed, not verified: no fine yet
        assert not Fine.objects.filter(violation=too_cold).exists()
    reinspect(reinspection, inspector, "25.0", "25.2", "25.2")
    too_cold.refresh_from_db()
    due = too_cold.fine_due_on
    sweep(max(due, REINSPECTED))
    sweep(max(due, REINSPECTED) + datetime.timedelta(days=1))  # the next night adds nothing
    decide_and_serve(max(due, REINSPECTED) + datetime.timedelta(days=1))
    status, fines = outcome(too_cold)
    assert fines == [(1, DEADLINE)]
    assert status == ViolationStatus.FINED


@pytest.mark.parametrize("sweep_first", [True, False], ids=["sweep-first", "visit-first"])
def test_fixed_after_the_deadline_is_never_fined_whichever_runs_first(
    inspector, reinspection, too_cold, sweep_first
):
    if sweep_first:
        sweep(REINSPECTED)
    reinspect(reinspection, inspector, "26.5")
    sweep(REINSPECTED + datetime.timedelta(days=1))
    sweep(REINSPECTED + datetime.timedelta(days=30))
    status, fines = outcome(too_cold)
    assert fines == []
    assert status in (ViolationStatus.RECTIFIED, ViolationStatus.CLOSED)


# --- No query per case --------------------------------------------------------------------


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def test_the_pages_and_the_report_take_no_query_per_case(
    client, inspector, premises, reinspection, too_cold
):
    from inspections.models import Visit

    client.force_login(inspector)
    detail = reverse("inspection-detail", args=[reinspection.pk])
    few = _queries(lambda: client.get(detail))
    others = [
        make_violation(premises, article, deadline=datetime.date(2026, 11, 12))
        for article in ("5-2", "6-1", "6-2")
    ]
    for case in others:
        Violation.objects.filter(pk=case.pk).update(fines_issued=1)
    assert len(client.get(detail).context["cases"]) == 4
    assert _queries(lambda: client.get(detail)) == few

    visit = reinspect(reinspection, inspector, "25.0")
    # Make the other cases verified at this visit too, as the visit would have.
    for case in others:
        Verification.objects.create(
            violation=case,
            missed_deadline=case.deadline,
            method=VerificationMethod.REINSPECTION,
            result=VerificationResult.PERSISTING,
            verified_on=REINSPECTED,
            source_reference=f"visit-{visit.pk}",
            explanation="test",
            finding={"article": case.article},
            actor_label="test",
        )
    page = reverse("visit-detail", args=[visit.pk])
    assert len(client.get(page).context["cases"]) == 4
    many_page = _queries(lambda: client.get(page))
    many_report = _queries(lambda: report_data(Visit.objects.get(pk=visit.pk), "en"))
    Verification.objects.filter(violation__in=others).delete()
    assert len(client.get(page).context["cases"]) == 1
    assert _queries(lambda: client.get(page)) == many_page
    assert _queries(lambda: report_data(Visit.objects.get(pk=visit.pk), "en")) == many_report
