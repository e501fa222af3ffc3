"""City-scale lists and figures (issue 18): keyset pages, constant queries, no COUNT(*).

The list pages page on an index (keyset) and count the extras of the rows shown only; the
dashboard and home figures are maintained by triggers; no page or endpoint counts a table
that can reach millions of rows; the violations and premises lists have an index path.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compliance.choices import ViolationStatus
from compliance.enforcement.services import violations as violation_services
from compliance.enforcement.views.dashboard import live_figures, maintained_figures
from compliance.enforcement.views.violations import ViolationListView
from compliance.home import city_figures
from compliance.models import AcMonthlyLog, Fine, Premises
from tests.enforcement.builders import fined_violation
from tests.factories import make_business, make_equipment, make_premises, make_violation

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)
# Tables that can reach millions of rows in a city (issue 18).
BIG_TABLES = (
    "compliance_violation",
    "compliance_premises",
    "compliance_equipment",
    "compliance_fine",
    "portal_auditentry",
    "compliance_acmonthlylog",
    "compliance_boilermonthlylog",
    "compliance_monthlyenergyuse",
)
PAGES = (
    "enforcement-violation-list",
    "premises-list",
    "equipment-list",
    "business-list",
    "aclog-list",
    "boilerlog-list",
    "energy-use-list",
    "enforcement-dashboard",
    "home",
)
ENDPOINTS = (
    "/api/v1/violations/",
    "/api/v1/fines/",
    "/api/v1/premises/",
    "/api/v1/equipment/",
    "/api/v1/ac-logs/",
    "/api/v1/boiler-logs/",
)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(f"{TODAY} 10:00 +0800")


def _postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("The figures' triggers and the plans are PostgreSQL's.")


def _chiller_logs(premises, count: int) -> None:
    chiller = make_equipment(premises, kind="chiller", cooling_capacity_kw=Decimal("500"))
    for index in range(count):
        AcMonthlyLog.objects.create(
            equipment=chiller,
            month=datetime.date(2020 + index // 12, 1 + index % 12, 1),
            ac_electricity_kwh=Decimal("1000"),
            recorded_by="x",
        )


def _city(business, rows: int) -> None:
    """``rows`` premises with an item each, violations, a fine and monthly logs."""
    for index in range(rows):
        premises = make_premises(business, name=f"P{index:03d}", district="daan")
        make_equipment(premises, tag=f"T{index}")
        make_violation(premises, "5-5", found_on=TODAY - datetime.timedelta(days=index % 40))
    fined_violation(make_premises(business, district="xinyi"))
    _chiller_logs(Premises.objects.filter(business=business).first(), rows)


def _queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in captured.captured_queries]


def _unbounded_counts(queries: list[str]) -> list[str]:
    """COUNT over a big table with neither a LIMIT inside nor a WHERE narrowing it."""
    found = []
    for sql in queries:
        if "COUNT(" not in sql.upper():
            continue
        tables = set(re.findall(r'FROM "(\w+)"', sql)) | set(re.findall(r'JOIN "(\w+)"', sql))
        if tables & set(BIG_TABLES) and "LIMIT" not in sql and "WHERE" not in sql:
            found.append(sql)
    return found


# --- Keyset pages ------------------------------------------------------------------------


def test_the_violation_list_walks_older_and_newer_pages_without_gaps(client, administrator):
    business = make_business()
    premises = make_premises(business)
    made = [
        make_violation(premises, "5-5", found_on=TODAY - datetime.timedelta(days=i % 7)).pk
        for i in range(120)
    ]
    client.force_login(administrator)
    url = reverse("enforcement-violation-list")

    seen, pages, response = [], [], client.get(url)
    while True:
        rows = [v.pk for v in response.context["object_list"]]
        pages.append(rows)
        seen += rows
        page = response.context["page"]
        if not page.has_next:
            break
        response = client.get(f"{url}?{page.next_query}")

    assert [len(rows) for rows in pages] == [50, 50, 20]
    assert sorted(seen) == sorted(made)  # every row once
    # Newest found first, then the highest id, across the pages.
    violations = {v.pk: v for v in response.context["object_list"]}
    assert seen[-len(violations) :] == list(violations)
    back = client.get(f"{url}?{response.context['page'].previous_query}")
    assert [v.pk for v in back.context["object_list"]] == pages[1]
    assert "120 violations" in client.get(url).content.decode()


def test_a_long_list_says_more_than_its_bound(client, administrator, monkeypatch):
    premises = make_premises(make_business())
    for _ in range(4):
        make_violation(premises, "5-5")
    monkeypatch.setattr(ViolationListView, "keyset_count_limit", 3)
    client.force_login(administrator)

    html = client.get(reverse("enforcement-violation-list")).content.decode()

    assert "More than 3 violations" in html


def test_a_bad_cursor_starts_the_list_from_the_top(client, administrator):
    premises = make_premises(make_business())
    violation = make_violation(premises, "5-5")
    client.force_login(administrator)
    url = reverse("enforcement-violation-list")

    for cursor in ("not-base64!", "WzFd", "WyJ4IiwgMV0"):
        response = client.get(url, {"after": cursor})
        assert response.status_code == 200
        assert [v.pk for v in response.context["object_list"]] == [violation.pk]


def test_filters_are_kept_on_the_next_page(client, administrator):
    premises = make_premises(make_business(), district="neihu")
    other = make_premises(make_business(), district="daan")
    for _ in range(55):
        make_violation(premises, "5-5")
    make_violation(other, "5-5")
    client.force_login(administrator)
    url = reverse("enforcement-violation-list")

    first = client.get(url, {"district": "neihu"})
    second = client.get(f"{url}?{first.context['page'].next_query}")

    assert "district=neihu" in first.context["page"].next_query
    assert len(second.context["object_list"]) == 5
    assert {v.premises_id for v in second.context["object_list"]} == {premises.pk}


def test_a_business_sees_its_own_violations_with_the_fines_it_may_see(
    client, owner, premises, administrator
):
    violation, _fine = fined_violation(premises)
    fined_violation(make_premises(make_business()))
    client.force_login(owner)

    rows = client.get(reverse("enforcement-violation-list")).context["object_list"]

    assert [v.pk for v in rows] == [violation.pk]
    assert rows[0].fine_count == Fine.objects.visible_to(owner).filter(violation=violation).count()


def test_the_premises_list_counts_the_equipment_of_the_rows_shown(client, administrator):
    business = make_business()
    first = make_premises(business, name="A")
    make_premises(business, name="B")
    for tag in ("x", "y", "z"):
        make_equipment(first, tag=tag)
    client.force_login(administrator)

    rows = client.get(reverse("premises-list")).context["object_list"]

    assert [(p.name, p.equipment_count) for p in rows] == [("A", 3), ("B", 0)]


# --- Constant queries --------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_each_list_page_and_dashboard_costs_the_same_queries_for_few_rows_and_many(
    client, administrator, name
):
    business = make_business()
    _city(business, 2)
    client.force_login(administrator)
    url = reverse(name)
    _queries(client, url)  # what a first request caches
    few = len(_queries(client, url))

    _city(business, 60)  # more than a page of each

    assert len(_queries(client, url)) == few


# --- No COUNT(*) over a big table; index paths ------------------------------------------


def test_no_list_page_or_endpoint_counts_a_big_table(client, administrator):
    _city(make_business(), 3)
    client.force_login(administrator)

    offending = {}
    for url in [reverse(name) for name in PAGES] + list(ENDPOINTS):
        counts = _unbounded_counts(_queries(client, url))
        if counts:
            offending[url] = counts

    assert offending == {}


@pytest.mark.parametrize(
    ("name", "index"),
    [
        ("enforcement-violation-list", "violation_found"),
        # The businesses in name order, each one's premises by (business, name, id).
        ("premises-list", "business_name"),
    ],
)
def test_the_list_query_has_an_index_path(client, administrator, name, index):
    _postgresql()
    _city(make_business(), 3)
    client.force_login(administrator)
    page_query = [
        sql for sql in _queries(client, reverse(name)) if "LIMIT 51" in sql and "COUNT(" not in sql
    ]
    assert len(page_query) == 1

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {page_query[0]}")
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert f" using {index} on " in plan


# --- Maintained figures ------------------------------------------------------------------


def test_the_maintained_figures_follow_every_change(administrator, owner, premises):
    _postgresql()
    business = premises.business
    other = make_premises(make_business(), district="beitou")
    _violation, paid = fined_violation(premises)
    fined_violation(other)
    fined_violation(make_premises(business, district="xinyi"))
    payment = violation_services.report_payment(
        owner, paid, amount_ntd=paid.amount_due_ntd, paid_on=TODAY, reference="TX"
    )
    violation_services.decide_payment(administrator, payment, confirm=True)
    make_violation(premises, "5-5", found_on=datetime.date(2026, 11, 1))
    cancelled = make_violation(other, "5-5", found_on=datetime.date(2026, 10, 1))
    violation_services.cancel(administrator, cancelled, reason="Found in error.")
    # A bulk UPDATE (as the sweep's SQL writes) and a premises moved to another district.
    Fine.objects.filter(violation__premises=other).update(issued_on=datetime.date(2025, 1, 5))
    Premises.objects.filter(pk=other.pk).update(district="wenshan")

    assert maintained_figures(TODAY) == live_figures(administrator, TODAY)
    figures = maintained_figures(TODAY)
    assert figures["by_district"]["wenshan"].issued == 1
    assert "beitou" not in figures["by_district"]  # moved away with its fine
    assert figures["violations"][ViolationStatus.CANCELLED] == 1
    assert figures["offenders"][0].pk == business.pk


def test_the_city_figures_of_the_home_page_are_the_registry_counts(client, inspector):
    _postgresql()
    business = make_business()
    daan = make_premises(business, district="daan")
    make_premises(business, district="daan")
    make_premises(business, district="neihu")
    make_equipment(daan, tag="a")
    make_equipment(daan, tag="b")
    Premises.objects.filter(district="neihu").delete()

    figures = city_figures()

    assert figures["premises_total"] == 2
    assert figures["equipment_total"] == 2
    assert [(row["district"], row["total"]) for row in figures["by_district"]] == [("daan", 2)]
    client.force_login(inspector)
    html = client.get(reverse("home")).content.decode()
    assert '<div class="figure">2</div>' in html
