"""Compliance pages: a premises' status by article, old decisions, lists and the dashboard."""

from __future__ import annotations

import datetime
import html
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from compliance.articles import ARTICLES
from compliance.choices import AirBarrier, EquipmentKind, ExemptionReason
from compliance.models import ComplianceAssessment, Exemption, Premises, PremisesStatus
from compliance.rulebook.explain import explain_exemption, explain_finding
from compliance.rulebook.services import assessment, exemptions
from portal.charts import Row, Series, bar_chart, nice_step
from portal.models import AuditEntry
from tests.compliance.decisions import (
    LATER,
    TODAY,
    chiller_without_meter,
    decided_then_changed,
)
from tests.factories import make_business, make_equipment, make_premises

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to("2026-11-23 10:00 +0800")


def page(client, user, premises, **query):
    client.force_login(user)
    return client.get(reverse("premises-compliance", args=[premises.pk]), query)


def finding_53(premises) -> dict:
    decision = ComplianceAssessment.objects.filter(premises=premises).latest("id")
    return next(f for f in decision.findings if f["article"] == "5-3")


# The premises compliance page.


def test_page_shows_each_article_with_measured_limit_explanation_and_wording(
    client, owner, premises
):
    chiller_without_meter(premises, "120")
    assessment.assess_premises([premises.pk], day=TODAY)

    response = page(client, owner, premises)

    content = response.content.decode()
    assert response.status_code == 200
    section = content[content.index('id="article-5-3"') : content.index('id="article-5-4"')]
    assert "Non-compliant" in section
    assert '<td class="number">120.0</td>' in section  # measured
    assert '<td class="number">100</td>' in section  # limit
    assert "<td>HP</td>" in section
    assert escape(explain_finding(finding_53(premises), with_exemption=False)) in section
    assert "<details>" in section
    assert escape(ARTICLES["5-3"].text()) in section
    # Every article the engine checks has its section, in the ordinance's order.
    positions = [content.index(f'id="article-{n}"') for n in ("5-1", "5-5", "8-2", "10-1")]
    assert positions == sorted(positions)


def test_a_measured_code_reads_as_its_label(client, owner, premises):
    make_equipment(premises, EquipmentKind.ENTRANCE, air_barrier=AirBarrier.NONE)
    assessment.assess_premises([premises.pk], day=TODAY)

    content = page(client, owner, premises).content.decode()

    section = content[content.index('id="article-5-1"') : content.index('id="article-5-2"')]
    assert '<td class="number">None</td>' in section
    assert "Non-compliant" in section


def test_page_shows_the_exemption_applied(
    client, administrator, owner, premises, django_capture_on_commit_callbacks
):
    chiller = chiller_without_meter(premises)
    request = Exemption(
        premises=premises,
        equipment=chiller,
        article="5-3",
        reason=ExemptionReason.TECHNICAL_IMPOSSIBILITY,
        explanation="The meter room is being rebuilt.",
        evidence="Building permit 115-0001.",
        valid_from=TODAY,
        valid_until=TODAY + datetime.timedelta(days=30),
    )
    with django_capture_on_commit_callbacks(execute=True):
        exemptions.request_exemption(owner, request)
        exemptions.decide_exemption(administrator, request, approve=True, reason="Seen permit.")

    response = page(client, owner, premises)

    content = response.content.decode()
    section = content[content.index('id="article-5-3"') : content.index('id="article-5-4"')]
    text = explain_exemption(finding_53(premises))
    assert text and "grant" in text
    assert escape(text) in section
    assert "Compliant" in section


def test_an_old_decision_is_shown_with_the_parameters_it_was_made_under(
    client, administrator, owner, premises
):
    new_version = decided_then_changed(administrator, premises)
    old_limit = '<th scope="row">chiller capacity threshold (HP)</th><td>100</td>'
    new_limit = '<th scope="row">chiller capacity threshold (HP)</th><td>150</td>'

    current = page(client, owner, premises).content.decode()
    old = page(client, owner, premises, as_of=(LATER - datetime.timedelta(days=1)).isoformat())

    assert new_limit in current and old_limit not in current
    assert new_version.title in current
    content = old.content.decode()
    assert old.context["decision"].as_of == TODAY
    assert old_limit in content and new_limit not in content
    assert "This is an earlier decision" in content
    section = content[content.index('id="article-5-3"') : content.index('id="article-5-4"')]
    assert "Non-compliant" in section and '<td class="number">100</td>' in section
    # The history lists both decisions, each with its version.
    assert [d.as_of for d in old.context["decisions"]] == [LATER, TODAY]


def test_a_day_before_any_decision_says_there_was_none(client, owner, premises):
    assessment.assess_premises([premises.pk], day=TODAY)

    response = page(client, owner, premises, as_of="2020-01-01")

    assert response.context["decision"] is None
    assert "No decision had been made on this premises on or before 2020-01-01." in (
        response.content.decode()
    )


def test_a_bad_date_is_explained_and_the_current_status_shown(client, owner, premises):
    assessment.assess_premises([premises.pk], day=TODAY)

    response = page(client, owner, premises, as_of="2026-13-45")

    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()
    assert response.context["decision"] == PremisesStatus.objects.get(premises=premises).assessment


def test_a_premises_never_assessed_says_so(client, owner, premises):
    response = page(client, owner, premises)

    assert "This premises has not been assessed yet." in response.content.decode()


def test_another_business_premises_is_not_found(client, other_owner, premises):
    assert page(client, other_owner, premises).status_code == 404


def test_administrator_reassesses_now_and_the_request_is_audited(client, administrator, premises):
    assessment.assess_premises([premises.pk], day=TODAY)
    chiller_without_meter(premises)  # saved past the services: the status is stale
    client.force_login(administrator)

    response = client.post(
        reverse("premises-reassess", args=[premises.pk]), {"reason": "Report corrected."}
    )

    assert response.status_code == 302
    status = PremisesStatus.objects.get(premises=premises)
    assert status.outcome == "non_compliant"
    entry = AuditEntry.objects.get(object_type="compliance.premisesstatus")
    assert (entry.actor, entry.action, entry.reason) == (
        administrator,
        "update",
        "Report corrected.",
    )
    assert entry.changes["outcome"] == ["unknown", "non_compliant"]
    assert entry.business_id == premises.business_id
    assert "Re-assess now" in page(client, administrator, premises).content.decode()


def test_only_administrators_may_reassess(client, inspector, owner, premises):
    for user in (inspector, owner):
        client.force_login(user)
        response = client.post(reverse("premises-reassess", args=[premises.pk]))
        assert response.status_code == 403
        assert "Re-assess now" not in page(client, user, premises).content.decode()
    assert not PremisesStatus.objects.exists()
    assert not AuditEntry.objects.filter(object_type="compliance.premisesstatus").exists()


# Status on the registry pages.


def test_premises_list_shows_and_filters_by_status(client, administrator, business):
    breaking = make_premises(business, name="Breaking")
    chiller_without_meter(breaking)
    unknown = make_premises(business, name="Unknown")
    never = make_premises(business, name="Never")
    assessment.assess_premises([breaking.pk, unknown.pk], day=TODAY)
    client.force_login(administrator)
    url = reverse("premises-list")

    content = client.get(url).content.decode()
    assert reverse("premises-compliance", args=[breaking.pk]) in content

    def names(status):
        return [p.name for p in client.get(url, {"status": status}).context["object_list"]]

    assert names("non_compliant") == ["Breaking"]
    assert names("unknown") == ["Unknown"]
    assert names("not_assessed") == ["Never"]
    assert never.name not in names("compliant")


def test_premises_detail_links_its_status(client, owner, premises):
    chiller_without_meter(premises)
    assessment.assess_premises([premises.pk], day=TODAY)
    client.force_login(owner)

    content = client.get(reverse("premises-detail", args=[premises.pk])).content.decode()

    assert reverse("premises-compliance", args=[premises.pk]) in content
    assert '<span class="badge bad">Non-compliant</span>' in content


def test_business_page_rolls_up_its_premises(client, owner, business):
    breaking = make_premises(business, name="Breaking")
    chiller_without_meter(breaking)
    fine = make_premises(business, name="Unknown")
    assessment.assess_premises([breaking.pk, fine.pk], day=TODAY)
    client.force_login(owner)

    response = client.get(reverse("business-detail", args=[business.pk]))

    content = response.content.decode()
    assert response.context["business_outcome"] == "non_compliant"
    rolled_up = content[content.index("Compliance of the business") :]
    assert rolled_up.index('<span class="badge bad">Non-compliant</span>') < rolled_up.index(
        "Breaking"
    )
    assert '<span class="badge warn">Unknown (data missing)</span>' in content


# The city dashboard.


def city(n_per_district: int = 1) -> dict[str, list[Premises]]:
    """Build premises: non-compliant in Da'an, unknown in Xinyi, never assessed in Beitou."""
    business = make_business()
    made: dict[str, list[Premises]] = {"daan": [], "xinyi": [], "beitou": []}
    for district in made:
        for _ in range(n_per_district):
            item = make_premises(business, district=district, category="hotel")
            if district == "daan":
                chiller_without_meter(item)
            made[district].append(item)
    assessment.assess_premises([p.pk for p in made["daan"] + made["xinyi"]], day=TODAY)
    return made


def dashboard(client, user):
    client.force_login(user)
    return client.get(reverse("compliance-dashboard"))


def chart_table(content: str, chart_id: str) -> dict[str, list[int]]:
    """Read a chart's accessible table: {row label: [figures...]}."""
    table = content[content.index(f'id="{chart_id}-table"') :]
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        label = re.sub(r"<[^>]+>", "", re.search(r"<th[^>]*>(.*?)</th>", row, re.S)[1])
        rows[html.unescape(label).strip()] = [
            int(v) for v in re.findall(r'<td class="number">(\d+)</td>', row)
        ]
    return rows


def test_dashboard_counts_by_status_district_article_and_category(client, inspector):
    made = city(n_per_district=2)

    response = dashboard(client, inspector)

    content = response.content.decode()
    assert response.status_code == 200
    assert chart_table(content, "chart-status") == {
        "Compliant": [0],
        "Non-compliant": [2],
        "Unknown (data missing)": [2],
        "Not assessed": [2],
    }
    # Columns: compliant, non-compliant, unknown, not assessed, total.
    districts = chart_table(content, "chart-district")
    assert districts["Da'an"] == [0, 2, 0, 0, 2]
    assert districts["Xinyi"] == [0, 0, 2, 0, 2]
    assert districts["Beitou"] == [0, 0, 0, 2, 2]
    assert districts["Wenshan"] == [0, 0, 0, 0, 0]
    assert chart_table(content, "chart-category") == {"Hotel": [0, 2, 2, 2, 6]}
    articles = chart_table(content, "chart-article")
    assert articles["Art. 5-3 central air conditioning"] == [0, 2, 0, 2]
    assert response.context["figures"]["total"] == 6
    listed = [p.pk for p in response.context["figures"]["non_compliant"]]
    assert sorted(listed) == sorted(p.pk for p in made["daan"])
    assert reverse("premises-compliance", args=[made["daan"][0].pk]) in content


def test_dashboard_charts_are_accessible_svg_without_inline_code(client, administrator):
    city()

    content = dashboard(client, administrator).content.decode()

    assert content.count("<svg") == 4
    for chart_id in ("chart-status", "chart-district", "chart-article", "chart-category"):
        assert f'<title id="{chart_id}-title">' in content
        assert f'<desc id="{chart_id}-desc">' in content
        assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in content
    # No inline code: a script only from a static file (the menu's), no style attribute.
    assert not re.search(r"<script(?![^>]*\bsrc=)", content) and "style=" not in content
    assert "Rule book version in force" in content


def test_dashboard_costs_the_same_queries_for_a_small_and_a_large_city(client, administrator):
    city(n_per_district=1)
    client.force_login(administrator)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("compliance-dashboard")).status_code == 200
    city(n_per_district=10)
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse("compliance-dashboard")).status_code == 200
    assert Premises.objects.count() == 33
    assert len(large) == len(small)


def test_dashboard_is_for_city_staff_and_linked_only_for_them(
    client, administrator, inspector, api_client_user, owner, supplier
):
    for user in (administrator, inspector, api_client_user):
        assert dashboard(client, user).status_code == 200
        home = client.get(reverse("home")).content.decode()
        assert reverse("compliance-dashboard") in home
    for user in (owner, supplier):
        assert dashboard(client, user).status_code == 403
        home = client.get(reverse("home")).content.decode()
        assert reverse("compliance-dashboard") not in home


# Charts.


def test_bars_are_as_long_as_their_figures_and_ticks_are_round():
    series = (Series("a", "A", "fill-ok"), Series("b", "B", "fill-bad"))
    chart = bar_chart(
        "c",
        title="t",
        desc="d",
        label_header="h",
        series=series,
        rows=[Row("one", (3, 1)), Row("two", (0, 8)), Row("none", (0, 0))],
    )
    one, two, none = chart.bars
    assert [s.value for s in one.segments] == [3, 1]
    assert one.segments[0].width == pytest.approx(3 * two.segments[0].width / 8, abs=0.2)
    assert one.segments[1].x == pytest.approx(one.segments[0].x + one.segments[0].width)
    assert none.segments == ()
    assert chart.series_totals == (3, 9) and chart.grand_total == 12
    assert [t.value for t in chart.ticks] == [0, 2, 4, 6, 8]
    assert (nice_step(7), nice_step(30), nice_step(480)) == (2, 10, 100)


# The assess command and the demo data.


def test_assess_command_reports_how_many_were_assessed_and_changed(business):
    first = make_premises(business)
    chiller_without_meter(first)
    make_premises(business)
    out = StringIO()

    call_command("assess", stdout=out)
    call_command("assess", "--premises", str(first.pk), "--as-of", "2026-11-24", stdout=out)

    lines = out.getvalue().splitlines()
    assert re.match(
        r"Assessed 2 premises as of 2026-11-23 in \d+\.\d\d s: 2 changed status, 0 unchanged\.",
        lines[0],
    )
    assert "Assessed 1 premises as of 2026-11-24" in lines[1]
    assert "0 changed status, 1 unchanged" in lines[1]
    assert PremisesStatus.objects.count() == 2


def test_assess_command_refuses_unknown_premises_and_bad_dates(premises):
    with pytest.raises(CommandError, match="No premises with id 999999"):
        call_command("assess", "--premises", str(premises.pk), "999999", stdout=StringIO())
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("assess", "--as-of", "23/11/2026", stdout=StringIO())
    assert not PremisesStatus.objects.exists()


def test_demo_data_is_assessed_after_loading():
    out = StringIO()
    call_command("demo_data", businesses=5, premises=8, equipment=30, stdout=out)

    assert PremisesStatus.objects.count() == Premises.objects.count() == 8
    assert "Assessed 8 premises" in out.getvalue()
