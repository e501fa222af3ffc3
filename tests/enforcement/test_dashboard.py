"""The enforcement dashboard: who sees it, figures from a known dataset, constant queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compliance.choices import ViolationStatus
from compliance.enforcement.services import violations as services
from compliance.enforcement.views.dashboard import FineTotals, enforcement_figures, months_before
from compliance.models import Fine
from tests.enforcement.builders import FINED_ON, FOUND, fined_violation
from tests.factories import make_business, make_premises, make_violation

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 20)
URL = "enforcement-dashboard"


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(f"{TODAY} 10:00 +0800")


@pytest.fixture
def dataset(administrator, owner, business, other_business):
    """Six violations, three fines (one paid), two businesses fined.

    * ``business``: a fined violation in Da'an whose fine is paid, a fined one in Xinyi
      (unpaid), an open one still running and an open one overdue (Da'an);
    * ``other_business``: a fined violation in Beitou (unpaid), a cancelled one.
    """
    daan = make_premises(business, district="daan")
    xinyi = make_premises(business, district="xinyi")
    beitou = make_premises(other_business, district="beitou")
    _paid_violation, paid = fined_violation(daan)
    fined_violation(xinyi)
    fined_violation(beitou)
    payment = services.report_payment(
        owner, paid, amount_ntd=10_000, paid_on=FINED_ON, reference="TX-1"
    )
    services.decide_payment(administrator, payment, confirm=True)
    # Made after the sweeps, so nothing fined the overdue one yet.
    make_violation(daan, "5-5", found_on=datetime.date(2026, 11, 15))  # deadline 11-29
    make_violation(daan, "5-5", found_on=datetime.date(2026, 11, 1))  # deadline 11-15
    make_violation(beitou, "5-5", found_on=FOUND, status=ViolationStatus.CANCELLED)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("administrator", 200),
        ("inspector", 200),
        ("owner", 403),
        ("api_client", 403),
        ("supplier", 403),
    ],
)
def test_only_city_staff_see_the_dashboard(client, personas, persona, status):
    client.force_login(personas[persona])

    assert client.get(reverse(URL)).status_code == status


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse(URL))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_violation_counts_match_the_dataset(administrator, dataset):
    figures = enforcement_figures(administrator, TODAY)

    counts = figures["violations"]
    assert counts["total"] == 6
    assert (counts["open"], counts["overdue"], counts["fined"]) == (2, 1, 3)
    assert (counts["rectified"], counts["closed"], counts["cancelled"]) == (0, 0, 1)


def test_fines_issued_and_paid_by_month_district_and_article(administrator, dataset):
    figures = enforcement_figures(administrator, TODAY)

    november = datetime.date(2026, 11, 1)
    assert figures["by_month"][november] == FineTotals(
        issued=3,
        issued_ntd=30_000,
        paid=1,
        paid_ntd=10_000,
        outstanding=2,
        outstanding_ntd=20_000,
        revoked=0,
    )
    assert sum(t.issued for t in figures["by_month"].values()) == 3
    assert figures["by_district"]["daan"].paid == 1
    assert figures["by_district"]["daan"].issued == 1
    assert figures["by_district"]["xinyi"].outstanding == 1
    assert figures["by_district"]["beitou"].outstanding_ntd == 10_000
    assert "wenshan" not in figures["by_district"]
    assert figures["by_article"]["15"].issued == 3
    assert figures["by_article"]["15"].paid_ntd == 10_000


def test_the_month_chart_covers_the_last_twelve_months_only(administrator, dataset):
    old = Fine.objects.filter(violation__premises__district="beitou").get()
    Fine.objects.filter(pk=old.pk).update(issued_on=datetime.date(2025, 11, 30))

    figures = enforcement_figures(administrator, TODAY)

    assert list(figures["by_month"]) == months_before(TODAY)
    assert figures["months"][0] == datetime.date(2025, 12, 1)
    assert figures["by_month"][datetime.date(2026, 11, 1)].issued == 2
    # The other groups count every fine, whenever issued.
    assert figures["by_district"]["beitou"].issued == 1


def test_months_before_crosses_the_new_year():
    assert months_before(datetime.date(2026, 2, 14), 4) == [
        datetime.date(2025, 11, 1),
        datetime.date(2025, 12, 1),
        datetime.date(2026, 1, 1),
        datetime.date(2026, 2, 1),
    ]


def test_repeat_offenders_are_ranked_by_fines(administrator, dataset, business, other_business):
    offenders = enforcement_figures(administrator, TODAY)["offenders"]

    assert [b.pk for b in offenders] == [business.pk, other_business.pk]
    first = offenders[0]
    assert (first.fines_count, first.violations_fined) == (2, 2)
    assert (first.fines_ntd, first.outstanding_ntd) == (20_000, 10_000)


def test_only_ten_offenders_are_listed(administrator):
    for _ in range(11):
        fined_violation(make_premises(make_business()))

    assert len(enforcement_figures(administrator, TODAY)["offenders"]) == 10


def test_page_shows_the_figures_charts_tables_and_links(client, administrator, dataset, business):
    client.force_login(administrator)

    response = client.get(reverse(URL))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<div class="figure" id="figure-overdue">1</div>' in html
    assert '<div class="figure" id="figure-fined">3</div>' in html
    for chart in ("chart-violations", "chart-fines-month", "chart-fines-district"):
        assert f'id="{chart}-table"' in html
    assert "chart-fines-article" in html
    assert "30,000" in html  # NT$ decided in November, with thousands separators
    assert reverse("business-detail", args=[business.pk]) in html
    assert f"{reverse('enforcement-fines-export')}?business={business.pk}" in html
    assert f"{reverse('enforcement-violation-list')}?overdue=on" in html
    assert "style=" not in html.split("<main", 1)[1]


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(URL))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_page_costs_the_same_queries_for_one_fine_and_for_many(client, administrator):
    client.force_login(administrator)
    fined_violation(make_premises(make_business(), district="daan"))
    one = _queries(client)
    for district in ("xinyi", "beitou", "neihu", "daan", "daan"):
        fined_violation(make_premises(make_business(), district=district))

    assert _queries(client) == one


@pytest.mark.parametrize(("persona", "linked"), [("inspector", True), ("owner", False)])
def test_navigation_links_the_dashboard_for_city_staff(client, personas, persona, linked):
    client.force_login(personas[persona])

    html = client.get(reverse("home")).content.decode()

    assert (f'href="{reverse(URL)}"' in html) is linked
