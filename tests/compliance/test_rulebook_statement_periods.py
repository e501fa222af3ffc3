"""APenA Art. 42 periods to state an opinion as a rule-book table: editor, page, API."""

from __future__ import annotations

import copy
import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from compliance import rules
from compliance.models import RuleBookVersion
from compliance.rulebook.bridge import parameters_of, version_in_force
from compliance.rulebook.services import versions as rulebook_services
from portal.models import AuditEntry
from tests.compliance.test_rulebook_pages import draft_with, edit_form, row_index, signed_in

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to("2026-11-23 10:00 +0800")


def add_statement_row(data: dict, article: str, days: str) -> int:
    """Fill the statements table's empty last row, as a person adding a row does."""
    index = int(data["statements-TOTAL_FORMS"]) - 1
    data[f"statements-{index}-article"] = article
    data[f"statements-{index}-days"] = days
    return index


def test_the_initial_rule_book_gives_no_period_and_says_so(client, inspector):
    version = version_in_force(TODAY)
    response = signed_in(client, inspector).get(reverse("rulebook-detail", args=[version.pk]))
    html = response.content.decode()
    assert "Periods to state an opinion before a fine (APenA Art. 42)" in html
    assert "None: the exceptions of APenA Art. 42 apply to every article" in html


def test_a_row_added_in_the_editor_is_saved_shown_and_edited_again(client, administrator):
    draft = draft_with(administrator)
    client = signed_in(client, administrator)
    data = edit_form(client, draft)
    assert data["statements-TOTAL_FORMS"] == "1"  # only the empty row to fill in
    add_statement_row(data, "5-5", "10")

    response = client.post(reverse("rulebook-edit", args=[draft.pk]), data)

    assert response.status_code == 302, response.context["editor"].formsets["statements"].errors
    draft.refresh_from_db()
    params = parameters_of(draft)
    assert params.statement_days_for("5-5") == 10
    assert params.statement_days_for("6-2") is None
    assert rulebook_services.validation_errors(draft) == []
    entry = AuditEntry.objects.filter(
        object_type="compliance.rulebookversion", object_id=str(draft.pk), action="update"
    ).latest("id")
    assert entry.actor == administrator
    assert entry.changes["parameters.statement_periods[5-5].days"] == [None, 10]

    page = client.get(reverse("rulebook-detail", args=[draft.pk])).content.decode()
    table = page.split('class="statement-periods"', 1)[1].split("</table>", 1)[0]
    assert "5-5" in table and "<td>10</td>" in table
    assert "Articles not listed get no period to state an opinion" in page
    # The diff against the version in force names the new row.
    assert "periods to state an opinion" in page.lower()

    again = edit_form(client, draft)
    row = row_index(again, "statements", "article", "5-5")
    assert again[f"statements-{row}-days"] == "10"
    assert again["statements-TOTAL_FORMS"] == "2"

    # Removing the row removes the period.
    again[f"statements-{row}-DELETE"] = "on"
    client.post(reverse("rulebook-edit", args=[draft.pk]), again)
    draft.refresh_from_db()
    assert parameters_of(draft).statement_periods == ()


@pytest.mark.parametrize(
    ("article", "days", "message"),
    [
        ("5-5", "90", "Ensure this value is less than or equal to 60."),
        ("5-5", "0", "Ensure this value is greater than or equal to 1."),
        ("5-5", "ten", "Enter a whole number."),
        ("", "10", "This field is required."),
        ("10-1", "10", "Select a valid choice."),
    ],
)
def test_an_invalid_row_is_refused_with_a_clear_error_and_keeps_what_was_typed(
    client, administrator, article, days, message
):
    draft = draft_with(administrator)
    client = signed_in(client, administrator)
    before = RuleBookVersion.objects.get(pk=draft.pk).parameters
    data = edit_form(client, draft)
    data["title"] = "Typed title"
    index = add_statement_row(data, article, days)

    response = client.post(reverse("rulebook-edit", args=[draft.pk]), data)

    assert response.status_code == 200
    errors = str(response.context["editor"].formsets["statements"].forms[index].errors)
    assert message in errors
    html = response.content.decode()
    assert "There is a problem" in html
    row = response.context["editor"].formsets["statements"].forms[index]
    wrong = [field for field in row if field.errors]
    assert wrong
    for field in wrong:  # the summary links to the field that is wrong
        assert f'<a href="#{field.auto_id}">' in html
    assert f'name="statements-{index}-days" value="{days}"' in html
    assert 'value="Typed title"' in html
    draft.refresh_from_db()
    assert draft.parameters == before


def test_a_duplicate_article_is_saved_and_listed_as_a_problem(client, administrator):
    draft = draft_with(administrator)
    client = signed_in(client, administrator)
    data = edit_form(client, draft)
    add_statement_row(data, "5-5", "10")
    client.post(reverse("rulebook-edit", args=[draft.pk]), data)
    data = edit_form(client, draft)
    add_statement_row(data, "5-5", "20")

    response = client.post(reverse("rulebook-edit", args=[draft.pk]), data, follow=True)

    assert "Fix the problems listed before publishing" in response.content.decode()
    page = client.get(reverse("rulebook-edit", args=[draft.pk])).content.decode()
    assert (
        "periods to state an opinion, row 2: article: &#x27;5-5&#x27; appears more than once"
        in (page)
    )
    published = client.post(reverse("rulebook-publish", args=[draft.pk]))
    assert published.status_code == 200  # refused, with the problem shown
    assert RuleBookVersion.objects.get(pk=draft.pk).status == "draft"


def test_a_published_version_with_a_period_applies_it(administrator):
    draft = draft_with(administrator, statement_periods=(rules.StatementPeriod("5-5", 10),))
    rulebook_services.publish(administrator, draft)
    in_force = version_in_force(draft.effective_from)
    assert in_force == draft
    assert parameters_of(in_force).statement_days_for("5-5") == 10
    assert parameters_of(version_in_force(TODAY)).statement_days_for("5-5") is None


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_reads_and_writes_statement_periods_and_lists_their_problems(administrator):
    draft = rulebook_services.create_draft(administrator)
    url = reverse("api:rulebook-version-detail", args=[draft.pk])
    params = copy.deepcopy(draft.parameters)
    params["statement_periods"] = [{"article": "10-1", "days": 90}]

    saved = api(administrator).patch(url, {"parameters": params}, format="json")

    assert saved.status_code == 200, saved.json()
    assert saved.json()["parameters"]["statement_periods"] == [{"article": "10-1", "days": 90}]
    problems = {(p["field"], p["message_key"]) for p in saved.json()["problems"]}
    assert problems == {
        ("statement_periods[0].article", "statement_article_not_rectifiable"),
        ("statement_periods[0].days", "out_of_range"),
    }

    params["statement_periods"] = [{"article": "5-5", "days": 10.5}]
    refused = api(administrator).patch(url, {"parameters": params}, format="json")
    assert refused.status_code == 400
    assert "statement_periods[0].days" in refused.json()["errors"]["parameters"]
