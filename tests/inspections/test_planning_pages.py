"""Planning pages: targets and batches, the inspections list and its actions, the
inspectors' load, the agenda, and the page of one inspection, by role."""

import datetime
from decimal import Decimal
from html import escape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from compliance import rules
from compliance.choices import District, EquipmentKind, PremisesCategory
from compliance.enforcement.services.opening import record_inspection
from compliance.models import ComplianceAssessment
from compliance.rulebook.explain import explain_finding
from inspections.choices import InspectionPurpose, InspectionStatus
from inspections.models import Inspection, InspectionBatch
from portal.audit import history_of
from tests.factories import make_business, make_equipment, make_premises
from tests.inspections.planning_builders import make_inspection, make_inspector

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 18)  # a Wednesday
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to("2026-11-18 09:00 +0800", tick=False)


def get(client, user, name, *args, **params):
    client.force_login(user)
    return client.get(reverse(name, args=args), params)


# Target selection and batches.


def test_plan_page_lists_matching_premises_with_what_decides_the_choice(client, administrator):
    hotel = make_premises(
        make_business(industry_code="5510"),
        name="Grand Hotel",
        district=District.DAAN,
        category=PremisesCategory.HOTEL,
        floor_area_m2=Decimal("5400.00"),
    )
    make_inspection(hotel, datetime.date(2025, 4, 2), status=InspectionStatus.COMPLETED)
    make_premises(make_business(industry_code="4711"), name="Corner Shop", district=District.DAAN)

    response = get(
        client, administrator, "inspection-plan", search="1", district="daan", industry_code="55"
    )

    assert response.status_code == 200
    assert [p.name for p in response.context["targets"]] == ["Grand Hotel"]
    assert response.context["target_count"] == 1
    content = response.content.decode()
    for shown in ("Grand Hotel", "Da&#x27;an", "Hotel", "5400.00", "2025-04-02", "Not assessed"):
        assert shown in content
    assert "Corner Shop" not in content


def test_plan_page_explains_bad_criteria(client, administrator):
    response = get(
        client,
        administrator,
        "inspection-plan",
        search="1",
        industry_code="4x",
        last_inspection="before",
    )

    assert response.status_code == 200
    form = response.context["criteria_form"]
    assert set(form.errors) == {"industry_code", "inspected_before"}
    assert "targets" not in response.context
    assert 'value="4x"' in response.content.decode()


def test_planning_a_batch_creates_the_ticked_inspections(client, administrator, business):
    ann, bo = make_inspector("ann"), make_inspector("bo")
    ticked = [make_premises(business, name=f"Shop {n}") for n in range(3)]
    make_premises(business, name="Not ticked")
    client.force_login(administrator)

    response = client.post(
        reverse("inspection-plan") + "?search=1&district=xinyi",
        {
            "premises": [p.pk for p in ticked],
            "title": "Xinyi shops",
            "scheduled_for": "2026-11-25",
            "inspectors": [ann.pk, bo.pk],
            "experts": "林教授",
        },
    )

    batch = InspectionBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('inspection-list')}?batch={batch.pk}"
    assert sorted(batch.inspections.values_list("premises__name", flat=True)) == [
        "Shop 0",
        "Shop 1",
        "Shop 2",
    ]
    assert batch.criteria["district"] == "xinyi"
    listing = client.get(response["Location"])
    assert "3 inspections planned" in listing.content.decode()
    assert [i.premises.name for i in listing.context["object_list"]] == [
        "Shop 0",
        "Shop 1",
        "Shop 2",
    ]


def test_a_bad_batch_keeps_what_was_typed_and_ticked(client, administrator, business):
    first, second = make_premises(business, name="First"), make_premises(business, name="Second")
    client.force_login(administrator)

    response = client.post(
        reverse("inspection-plan") + "?search=1",
        {"premises": [second.pk], "title": "Keep me", "scheduled_for": "2026-11-01"},
    )

    assert response.status_code == 200
    form = response.context["batch_form"]
    assert set(form.errors) == {"scheduled_for", "inspectors"}
    assert response.context["selected"] == {second.pk}
    content = response.content.decode()
    assert 'value="Keep me"' in content
    assert f'value="{second.pk}" id="premises-{second.pk}" checked' in content
    assert f'value="{first.pk}" id="premises-{first.pk}">' in content
    assert not Inspection.objects.exists()


# The inspections list, its filters and the administrators' actions.


def test_list_filters_by_status_inspector_district_dates_and_batch(client, inspector, business):
    ann = make_inspector("ann")
    batch = InspectionBatch.objects.create(title="November")
    daan = make_premises(business, name="Da'an shop", district=District.DAAN)
    xinyi = make_premises(business, name="Xinyi shop", district=District.XINYI)
    make_inspection(daan, TODAY, lead=ann, batch=batch)
    make_inspection(xinyi, TODAY + 3 * DAY, lead=inspector)
    make_inspection(xinyi, TODAY + 9 * DAY, lead=ann, status=InspectionStatus.CANCELLED)

    def names(**params):
        response = get(client, inspector, "inspection-list", **params)
        return [(i.premises.name, i.scheduled_for.day) for i in response.context["object_list"]]

    assert names() == [("Da'an shop", 18), ("Xinyi shop", 21), ("Xinyi shop", 27)]
    assert names(status="cancelled") == [("Xinyi shop", 27)]
    assert names(inspector=ann.pk) == [("Da'an shop", 18), ("Xinyi shop", 27)]
    assert names(district="daan") == [("Da'an shop", 18)]
    assert names(scheduled_from="2026-11-19", scheduled_to="2026-11-26") == [("Xinyi shop", 21)]
    assert names(batch=batch.pk) == [("Da'an shop", 18)]


def test_only_administrators_see_the_actions(client, administrator, inspector, premises):
    inspection = make_inspection(premises, TODAY, lead=inspector)
    reschedule = reverse("inspection-reschedule", args=[inspection.pk])

    assert reschedule in get(client, administrator, "inspection-list").content.decode()
    assert reschedule not in get(client, inspector, "inspection-list").content.decode()
    assert (
        reschedule
        in get(client, administrator, "inspection-detail", inspection.pk).content.decode()
    )
    assert (
        reschedule
        not in get(client, inspector, "inspection-detail", inspection.pk).content.decode()
    )


def test_rescheduling_on_the_page_records_the_reason(client, administrator, inspector, premises):
    inspection = make_inspection(premises, TODAY, lead=inspector)
    client.force_login(administrator)
    url = reverse("inspection-reschedule", args=[inspection.pk])

    refused = client.post(url, {"scheduled_for": "2026-11-20", "reason": ""})
    assert refused.status_code == 200
    assert "reason" in refused.context["form"].errors
    assert 'value="2026-11-20"' in refused.content.decode()

    done = client.post(url, {"scheduled_for": "2026-11-20", "reason": "Owner asked."})
    assert done.status_code == 302
    inspection.refresh_from_db()
    assert inspection.scheduled_for == datetime.date(2026, 11, 20)
    (entry,) = history_of(inspection)
    assert (entry.actor, entry.reason) == (administrator, "Owner asked.")
    page = client.get(inspection.get_absolute_url()).content.decode()
    assert "Owner asked." in page


def test_rescheduling_to_the_past_is_refused_on_the_page(client, administrator, premises):
    inspection = make_inspection(premises, TODAY)
    client.force_login(administrator)

    response = client.post(
        reverse("inspection-reschedule", args=[inspection.pk]),
        {"scheduled_for": "2026-11-01", "reason": "Oops"},
    )

    assert response.status_code == 200
    assert "The day cannot be in the past." in response.content.decode()
    inspection.refresh_from_db()
    assert inspection.scheduled_for == TODAY


def test_cancelling_and_reassigning_on_the_page(client, administrator, inspector, premises):
    other = make_inspector("other")
    inspection = make_inspection(premises, TODAY, lead=inspector)
    client.force_login(administrator)

    client.post(
        reverse("inspection-assign", args=[inspection.pk]),
        {"lead": other.pk, "others": [inspector.pk], "reason": "Swap"},
    )
    assert dict(inspection.assignments.values_list("user__username", "role")) == {
        "other": "lead",
        "inspector1": "inspector",
    }
    response = client.post(
        reverse("inspection-cancel", args=[inspection.pk]), {"reason": "Closed down."}
    )
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.CANCELLED
    assert [e.reason for e in history_of(inspection)] == ["Closed down.", "Swap"]


def test_load_table_counts_open_inspections_per_inspector(client, administrator, premises):
    ann, bo = make_inspector("ann"), make_inspector("bo")
    make_inspection(premises, TODAY - DAY, lead=ann)
    make_inspection(premises, TODAY, lead=ann)
    make_inspection(premises, TODAY + 2 * DAY, lead=ann, others=[bo])
    make_inspection(premises, TODAY, lead=bo, status=InspectionStatus.COMPLETED)

    rows = get(client, administrator, "inspection-load").context["rows"]

    table = {
        row.inspector.username: (row.open, row.overdue, row.today, row.next_week) for row in rows
    }
    assert table == {"ann": (3, 1, 1, 1), "bo": (1, 0, 0, 1)}


# The agenda.


def test_agenda_shows_overdue_today_and_the_next_14_days(client, inspector, business):
    colleague = make_inspector("colleague")

    def plan(name, day, lead=inspector, **fields):
        premises = make_premises(business, name=name, address=f"{name} road")
        return make_inspection(premises, day, lead=lead, **fields)

    plan("Monday shop", TODAY - 2 * DAY)
    plan("Started yesterday", TODAY - DAY, status=InspectionStatus.IN_PROGRESS)
    plan("Done yesterday", TODAY - DAY, status=InspectionStatus.COMPLETED)
    plan("Called off", TODAY - DAY, status=InspectionStatus.CANCELLED)
    plan("Today shop", TODAY, purpose=InspectionPurpose.COMPLAINT)
    plan("Colleague's", TODAY, lead=colleague)
    plan("Friday shop", TODAY + 2 * DAY)
    plan("Sunday shop", TODAY + 4 * DAY)
    plan("Next Monday", TODAY + 5 * DAY)
    plan("In three weeks", TODAY + 21 * DAY)

    response = get(client, inspector, "inspection-agenda")

    agenda = response.context["agenda"]
    assert [i.premises.name for i in agenda.overdue] == ["Monday shop", "Started yesterday"]
    assert [i.premises.name for i in agenda.due_today] == ["Today shop"]
    assert [i.premises.name for i in agenda.coming] == ["Friday shop", "Sunday shop", "Next Monday"]
    content = response.content.decode()
    for shown in ("Today shop road", "Xinyi", business.name_zh, "Complaint or referral"):
        assert shown in content
    for hidden in ("Done yesterday", "Called off", "Colleague&#x27;s", "In three weeks"):
        assert hidden not in content
    try:
        # "Start the visit" opens the visit's form, kept by the tablet (filled offline too).
        start = reverse("visit-new", args=[agenda.due_today[0].pk])
    except NoReverseMatch:  # the visit pages are built separately
        start = None
    if start:
        assert f'href="{start}"' in content


def test_batch_form_shows_each_inspectors_open_load(client, administrator, premises):
    busy = make_inspector("busy")
    make_inspection(premises, TODAY, lead=busy)
    make_inspection(premises, TODAY + DAY, lead=busy)
    make_inspection(premises, TODAY, lead=busy, status=InspectionStatus.COMPLETED)
    make_inspector("idle")

    content = get(client, administrator, "inspection-plan", search="1", include_open="on")

    assert "busy (2 open inspections)" in content.content.decode()
    assert "idle (0 open inspections)" in content.content.decode()


def test_agenda_on_a_sunday_shows_the_next_14_days(client, inspector, premises, time_machine):
    time_machine.move_to("2026-11-22 09:00 +0800", tick=False)  # a Sunday
    monday = make_inspection(premises, datetime.date(2026, 11, 23), lead=inspector)
    make_inspection(premises, datetime.date(2026, 12, 6), lead=inspector)  # the 14th day
    make_inspection(premises, datetime.date(2026, 12, 7), lead=inspector)  # the 15th

    agenda = get(client, inspector, "inspection-agenda").context["agenda"]

    assert (agenda.overdue, agenda.due_today) == ([], [])
    assert [i.scheduled_for.isoformat() for i in agenda.coming] == ["2026-11-23", "2026-12-06"]
    assert agenda.coming[0] == monday
    assert agenda.until == datetime.date(2026, 12, 6)


def test_an_inspector_reads_every_inspection_but_only_their_own_agenda(client, inspector, premises):
    theirs = make_inspection(premises, TODAY, lead=make_inspector("someone"))

    assert get(client, inspector, "inspection-agenda").context["agenda"].due_today == []
    assert get(client, inspector, "inspection-detail", theirs.pk).status_code == 200
    listed = get(client, inspector, "inspection-list").context["object_list"]
    assert [i.pk for i in listed] == [theirs.pk]


def test_an_administrator_looks_at_an_inspectors_agenda(client, administrator, inspector, premises):
    make_inspection(premises, TODAY, lead=inspector)

    assert "agenda" not in get(client, administrator, "inspection-agenda").context
    response = get(client, administrator, "inspection-agenda", inspector=inspector.pk)
    assert len(response.context["agenda"].due_today) == 1


# The page of one inspection.


def test_detail_shows_premises_equipment_previous_findings_and_open_violations(
    client, inspector, premises
):
    make_equipment(premises, EquipmentKind.CHILLER, tag="CH-1")
    make_equipment(premises, EquipmentKind.ENTRANCE, tag="DOOR-1")
    result = record_inspection(
        premises,
        rules.InspectionFacts(
            inspected_on=datetime.date(2026, 11, 2), indoor_temperatures_c=(Decimal("24.5"),)
        ),
        actor=inspector,
        source_reference="visit-earlier",
    )
    (violation,) = [v for v in result.violations if v.article == "5-5"]
    inspection = make_inspection(
        premises, TODAY, lead=inspector, experts="林教授 (NTUST)", violation=violation
    )

    response = get(client, inspector, "inspection-detail", inspection.pk)

    content = response.content.decode()
    assert premises.name in content and premises.address in content
    assert "Central air conditioning / chiller" in content and "CH-1" in content
    assert "Entrance" in content and "DOOR-1" in content
    latest = ComplianceAssessment.objects.filter(premises=premises).latest("as_of", "id")
    (finding,) = [
        f for f in latest.findings if f["article"] == "5-5" and f["outcome"] == "non_compliant"
    ]
    assert escape(explain_finding(finding)) in content
    assert str(violation.deadline) in content
    assert "林教授 (NTUST)" in content
    try:
        start = reverse("visit-start", args=[inspection.pk])
    except NoReverseMatch:  # the visit pages are built separately
        start = None
    if start:
        assert response.context["visit_start_url"] == start
        assert f'href="{start}"' in content


def test_detail_offers_no_visit_to_an_inspector_not_assigned(client, inspector, premises):
    inspection = make_inspection(premises, TODAY, lead=make_inspector("someone"))

    response = get(client, inspector, "inspection-detail", inspection.pk)

    assert response.context["visit_start_url"] is None


def test_a_business_reads_its_own_inspection_and_no_one_elses(
    client, owner, premises, other_premises, inspector
):
    own = make_inspection(premises, TODAY, lead=inspector, notes="Internal: arrive early.")
    others = make_inspection(other_premises, TODAY, lead=inspector)

    response = get(client, owner, "inspection-detail", own.pk)
    assert response.status_code == 200
    content = response.content.decode()
    assert premises.name in content
    assert "Internal: arrive early." not in content
    assert reverse("inspection-reschedule", args=[own.pk]) not in content
    assert response.context["visit_start_url"] is None
    assert get(client, owner, "inspection-detail", others.pk).status_code == 404


@pytest.mark.parametrize(
    "name", ["inspection-list", "inspection-plan", "inspection-load", "inspection-agenda"]
)
def test_business_users_have_no_planning_pages(client, owner, name):
    assert get(client, owner, name).status_code == 403


def test_business_users_cannot_act_on_their_own_inspections(client, owner, premises):
    inspection = make_inspection(premises, TODAY)
    client.force_login(owner)

    response = client.post(
        reverse("inspection-cancel", args=[inspection.pk]), {"reason": "Not today"}
    )

    assert response.status_code == 403
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.PLANNED


# No N+1.


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _add_inspections(business, inspector, count, day):
    for _ in range(count):
        premises = make_premises(make_business())
        make_inspection(premises, day, lead=inspector, others=[make_inspector(f"i{premises.pk}")])


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("inspection-list", ""),
        ("inspection-agenda", ""),
        ("inspection-load", ""),
        ("inspection-plan", "?search=1"),
    ],
)
def test_list_pages_cost_the_same_queries_for_few_and_many_rows(
    client, administrator, inspector, business, name, query
):
    user = inspector if name == "inspection-agenda" else administrator
    client.force_login(user)
    url = reverse(name) + query
    _add_inspections(business, inspector, 2, TODAY)
    make_premises(business)  # a target not yet planned
    small = _count_queries(client, url)
    _add_inspections(business, inspector, 8, TODAY)
    for _ in range(8):
        make_premises(business)
    large = _count_queries(client, url)

    assert large == small
