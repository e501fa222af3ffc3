"""Where a case stands after its deadline: awaiting verification, verified, the statement period.

The violation's page (business and City), the list and the dashboard, the API's view of
verifications, and the e-mail the outbox sends when non-rectification is verified.
"""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from django.db import connection
from django.template.defaultfilters import date as date_filter
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from compliance import rules
from compliance.choices import VerificationResult
from compliance.enforcement.services.verification import VERIFIED_TOPIC, verify
from compliance.models import RuleBookVersion
from compliance.rulebook.bridge import parameters_of
from portal import outbox
from portal.models import OutboxMessage
from tests.factories import ensure_rulebook, make_premises, make_violation

pytestmark = pytest.mark.django_db

FOUND = datetime.date(2026, 11, 2)
DEADLINE = FOUND + datetime.timedelta(days=14)  # Art. 5-5: 14 days (Monday 2026-11-16)
VERIFIED_ON = DEADLINE + datetime.timedelta(days=1)
TODAY = DEADLINE + datetime.timedelta(days=2)  # 2026-11-18
STATEMENT_DAYS = 7
INSPECTOR_NAME = "王稽查員"
AUTHORITY_EN = "Department of Economic Development, Taipei City Government"


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(f"{TODAY} 10:00 +0800")


def with_statement_periods(administrator, days: int = STATEMENT_DAYS) -> RuleBookVersion:
    """Publish a rule book (in force before the deadline) giving Art. 5-5 a statement period."""
    ensure_rulebook()
    old = RuleBookVersion.objects.published().order_by("-effective_from").first()
    params = dataclasses.replace(
        parameters_of(old), statement_periods=(rules.StatementPeriod("5-5", days),)
    )
    return RuleBookVersion.objects.create(
        title="tests: statement periods",
        status="published",
        published_at=timezone.now(),
        published_by=administrator,
        effective_from=datetime.date(2026, 1, 1),
        parameters=rules.params_to_dict(params),
    )


def persisting(violation, inspector, *, on: datetime.date = VERIFIED_ON):
    """Record a re-inspection after the deadline that finds the violation persisting."""
    row = verify(
        violation,
        result="persisting",
        method="reinspection",
        verified_on=on,
        source_reference="visit-x",
        explanation="複查：室內平均溫度 25.1 °C，仍未改善。",
        actor=inspector,
    )
    violation.refresh_from_db()
    return row


@pytest.fixture
def named_inspector(inspector):
    inspector.display_name = INSPECTOR_NAME
    inspector.save()
    return inspector


@pytest.fixture
def violation(premises):
    return make_violation(premises, "5-5", found_on=FOUND)


@pytest.fixture
def verified(violation, named_inspector, administrator):
    """A persisting verification with a period to state an opinion."""
    with_statement_periods(administrator)
    return persisting(violation, named_inspector)


def detail(client, user, violation):
    client.force_login(user)
    return client.get(reverse("enforcement-violation-detail", args=[violation.pk]))


# --- The violation's page ---------------------------------------------------------------


def test_after_the_deadline_the_page_says_the_case_awaits_verification(client, owner, violation):
    response = detail(client, owner, violation)

    html = response.content.decode()
    assert response.context["stage"]["key"] == "awaiting"
    assert "Deadline passed — awaiting verification (re-inspection or records check)" in html
    assert 'data-stage="awaiting"' in html
    assert "no fine is issued before that" in html
    # Nothing says the fine is certain.
    assert "a fine is issued and a new deadline set" not in html


def test_before_the_deadline_the_countdown_runs_and_no_stage_is_shown(client, owner, premises):
    running = make_violation(premises, "5-5", found_on=TODAY - datetime.timedelta(days=1))

    response = detail(client, owner, running)

    assert response.context["stage"] is None
    assert "days left" in response.content.decode()
    assert "awaiting verification" not in response.content.decode()


def test_the_business_sees_the_persisting_verification_with_its_statement_period(
    client, owner, violation, verified
):
    response = detail(client, owner, violation)

    html = response.content.decode()
    assert verified.statement_until is not None
    assert verified.statement_until > VERIFIED_ON
    assert verified.fine_due_on == verified.statement_until + datetime.timedelta(days=1)
    assert response.context["stage"]["key"] == "verified"
    assert f'data-verification="{verified.pk}"' in html
    assert 'data-result="persisting"' in html
    assert "Re-inspection" in html
    assert VERIFIED_ON.isoformat() in html
    assert str(VerificationResult.PERSISTING.label) in html
    assert "複查：室內平均溫度 25.1 °C，仍未改善。" in html
    assert f"may be stated until {verified.statement_until.isoformat()}" in html
    assert verified.fine_due_on.isoformat() in html
    # The business may state its opinion: the form is offered.
    assert response.context["statement_form"] is not None
    assert reverse("enforcement-statement-submit", args=[violation.pk]) in html


def test_the_business_never_reads_the_inspectors_user_name(client, owner, violation, verified):
    response = detail(client, owner, violation)

    html = response.content.decode()
    assert f"{AUTHORITY_EN} · {INSPECTOR_NAME}" in html
    assert "inspector1" not in html  # neither on the verification nor in the timeline


def test_an_official_without_a_display_name_is_shown_as_the_department(
    client, owner, violation, inspector, administrator
):
    with_statement_periods(administrator)
    persisting(violation, inspector)

    html = detail(client, owner, violation).content.decode()

    assert AUTHORITY_EN in html
    assert "inspector1" not in html


def test_the_city_reads_who_verified_by_name_not_user_name(
    client, administrator, violation, verified
):
    response = detail(client, administrator, violation)

    (shown,) = response.context["verifications"]
    assert shown.shown_by == INSPECTOR_NAME  # the inspector's name (user name: inspector1)
    # Only the violation's own side states its opinion.
    assert response.context["statement_form"] is None


def test_a_verification_without_a_period_says_the_fine_follows(
    client, owner, violation, named_inspector
):
    row = persisting(violation, named_inspector)

    response = detail(client, owner, violation)

    html = response.content.decode()
    assert row.statement_until is None and row.fine_due_on == VERIFIED_ON
    assert "no period to state an opinion" in html
    assert response.context["statement_form"] is None
    assert f"The fine may be issued from {VERIFIED_ON.isoformat()}" in html


def test_the_page_costs_the_same_queries_with_more_verifications_and_statements(
    client, owner, premises, named_inspector, administrator
):
    from compliance.enforcement.services import statements

    with_statement_periods(administrator)
    one = make_violation(premises, "5-5", found_on=FOUND)
    persisting(one, named_inspector)
    other = make_violation(premises, "5-5", found_on=FOUND)
    persisting(other, named_inspector)
    for text in ("Thermostats set to 26 °C.", "A second statement.", "And a third."):
        statements.submit(owner, other, text=text)
    client.force_login(owner)

    def queries(violation) -> int:
        url = reverse("enforcement-violation-detail", args=[violation.pk])
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert queries(one) == queries(other)


# --- The list and the dashboard ----------------------------------------------------------


def test_the_list_distinguishes_awaiting_verification_from_verified(
    client, owner, premises, named_inspector, administrator
):
    with_statement_periods(administrator)
    waiting = make_violation(premises, "5-5", found_on=FOUND)
    done = make_violation(premises, "5-5", found_on=FOUND)
    row = persisting(done, named_inspector)
    running = make_violation(premises, "5-5", found_on=TODAY)
    client.force_login(owner)

    response = client.get(reverse("enforcement-violation-list"))

    rows = {v.pk: v for v in response.context["object_list"]}
    assert rows[waiting.pk].awaiting_verification is True
    assert rows[done.pk].awaiting_verification is False
    assert rows[running.pk].awaiting_verification is False
    assert rows[waiting.pk].stage["key"] == "awaiting"
    assert rows[done.pk].stage["key"] == "verified"
    assert rows[running.pk].stage is None
    html = response.content.decode()
    assert "awaiting verification" in html
    assert f"fine due from {row.fine_due_on.isoformat()}" in html

    filtered = client.get(reverse("enforcement-violation-list") + "?awaiting_verification=on")
    assert [v.pk for v in filtered.context["object_list"]] == [waiting.pk]


def test_the_list_costs_the_same_queries_for_one_row_or_many(
    client, owner, business, named_inspector
):
    client.force_login(owner)
    url = reverse("enforcement-violation-list")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    premises = make_premises(business)
    persisting(make_violation(premises, "5-5", found_on=FOUND), named_inspector)
    few = queries()
    for _i in range(4):
        make_violation(premises, "5-5", found_on=FOUND)
        persisting(make_violation(premises, "5-5", found_on=FOUND), named_inspector)
    assert queries() == few


def test_the_dashboard_counts_the_cases_awaiting_verification(
    client, administrator, premises, named_inspector
):
    make_violation(premises, "5-5", found_on=FOUND)
    make_violation(premises, "5-5", found_on=FOUND)
    persisting(make_violation(premises, "5-5", found_on=FOUND), named_inspector)
    client.force_login(administrator)

    response = client.get(reverse("enforcement-dashboard"))

    html = response.content.decode()
    counts = response.context["figures"]["violations"]
    assert (counts["overdue"], counts["awaiting_verification"]) == (3, 2)
    assert '<div class="figure" id="figure-awaiting_verification">2</div>' in html
    assert f"{reverse('enforcement-violation-list')}?awaiting_verification=on" in html


# --- The API ----------------------------------------------------------------------------


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_lists_a_violations_verifications_and_statements(owner, violation, verified):
    from compliance.enforcement.services import statements

    statements.submit(owner, violation, text="The thermostats are now set to 26 °C.")

    body = api(owner).get(reverse("api:violation-detail", args=[violation.pk])).json()

    assert body["awaiting_verification"] is False
    assert body["fine_due_on"] == verified.fine_due_on.isoformat()
    (shown,) = body["verifications"]
    assert shown["id"] == verified.pk
    assert shown["result"] == "persisting"
    assert shown["method"] == "reinspection"
    assert shown["verified_on"] == VERIFIED_ON.isoformat()
    assert shown["statement_until"] == verified.statement_until.isoformat()
    assert shown["verified_by"] == f"{AUTHORITY_EN} · {INSPECTOR_NAME}"
    (statement,) = shown["statements"]
    assert statement["text"] == "The thermostats are now set to 26 °C."


def test_the_api_list_says_which_cases_await_verification(owner, violation):
    body = api(owner).get(reverse("api:violation-list")).json()

    (row,) = body["results"]
    assert (row["id"], row["awaiting_verification"], row["fine_due_on"]) == (
        violation.pk,
        True,
        None,
    )


def test_the_api_shows_the_city_who_verified_by_name(administrator, violation, verified):
    body = api(administrator).get(reverse("api:violation-detail", args=[violation.pk])).json()

    assert body["verifications"][0]["verified_by"] == INSPECTOR_NAME  # not the user name


# --- The e-mail when non-rectification is verified --------------------------------------


def en_date(day: datetime.date) -> str:
    return date_filter(day, "DATE_FORMAT")


def deliver(time_machine) -> None:
    """Deliver the outbox as a worker would later (messages are due from the database's
    clock, which the tests' frozen day does not move)."""
    time_machine.move_to("2099-01-01 10:00 +0800")
    outbox.deliver("celery")


def test_the_outbox_emails_the_business_the_statement_period(
    violation, verified, owner, mailoutbox, time_machine
):
    owner.preferred_language = "en"
    owner.save()
    assert OutboxMessage.objects.filter(topic=VERIFIED_TOPIC).count() == 1

    deliver(time_machine)

    (message,) = [m for m in mailoutbox if "Deadline not met" in m.subject]
    assert message.to == [owner.email]
    assert "Art. 5-5" in message.subject
    assert f"as verified on {en_date(VERIFIED_ON)}" in message.body
    assert "state your opinion on the violation's page until" in message.body
    assert en_date(verified.statement_until) in message.body
    assert en_date(verified.fine_due_on) in message.body
    assert f"/enforcement/violations/{violation.pk}/" in message.body
    assert "{{" not in message.body and "{%" not in message.body


def test_without_a_period_the_email_says_the_fine_follows(
    violation, named_inspector, owner, mailoutbox, time_machine
):
    owner.preferred_language = "en"
    owner.save()
    persisting(violation, named_inspector)

    deliver(time_machine)

    (message,) = [m for m in mailoutbox if "Deadline not met" in m.subject]
    assert "A fine follows" in message.body
    assert "state your opinion" not in message.body


def test_the_email_is_in_chinese_for_a_reader_of_chinese(
    violation, verified, owner, mailoutbox, time_machine
):
    owner.preferred_language = "zh-hant"
    owner.save()

    deliver(time_machine)

    messages = [m for m in mailoutbox if m.to == [owner.email]]
    assert messages
    assert any("第5條第5款" in m.subject for m in messages)


def test_no_email_for_a_case_cancelled_before_delivery(
    violation, verified, owner, administrator, mailoutbox, time_machine
):
    from compliance.enforcement.services import violations as services

    services.cancel(administrator, violation, reason="Found in error.")
    mailoutbox.clear()

    deliver(time_machine)

    assert not [m for m in mailoutbox if "Deadline not met" in m.subject]
