"""Statements of opinion before a fine (APenA Art. 42): page, service, API, e-mail to the City."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from compliance.enforcement.services import statements
from compliance.enforcement.services.statements import MAX_STATEMENT_CHARS, STATEMENT_TOPIC
from compliance.models import Statement, ViolationEvent
from portal.models import AuditEntry, OutboxMessage
from tests.enforcement.test_verification_pages import (
    FOUND,
    TODAY,
    api,
    deliver,
    persisting,
    with_statement_periods,
)
from tests.factories import make_violation

pytestmark = pytest.mark.django_db

TEXT = "The thermostats have been set to 26 °C since 2026-11-17; see the photos sent."


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(f"{TODAY} 10:00 +0800")


@pytest.fixture
def violation(premises):
    return make_violation(premises, "5-5", found_on=FOUND)


@pytest.fixture
def verified(violation, inspector, administrator):
    with_statement_periods(administrator)
    return persisting(violation, inspector)


def submit_url(violation) -> str:
    return reverse("enforcement-statement-submit", args=[violation.pk])


def move_after_period(time_machine, verified) -> None:
    after = verified.statement_until + datetime.timedelta(days=1)
    time_machine.move_to(f"{after} 10:00 +0800")


# --- The page ---------------------------------------------------------------------------


def test_the_business_submits_a_statement_on_the_case_page(client, owner, violation, verified):
    client.force_login(owner)

    response = client.post(submit_url(violation), {"text": TEXT})

    assert response.status_code == 302
    assert response["Location"] == reverse("enforcement-violation-detail", args=[violation.pk])
    statement = Statement.objects.get()
    assert (statement.violation, statement.verification, statement.text) == (
        violation,
        verified,
        TEXT,
    )
    assert statement.submitted_by == owner
    page = client.get(response["Location"]).content.decode()
    assert "Your statement of opinion has been submitted." in page
    assert TEXT in page


def test_a_statement_is_audited_recorded_in_the_history_and_queued_for_the_city(
    owner, violation, verified
):
    statement = statements.submit(owner, violation, text=f"  {TEXT}  ")

    assert statement.text == TEXT
    entry = AuditEntry.objects.filter(
        object_type="compliance.statement", object_id=str(statement.pk)
    ).get()
    assert entry.changes["text"] == [None, TEXT]
    assert entry.business_id == violation.premises.business_id
    event = ViolationEvent.objects.filter(violation=violation).order_by("-id").first()
    assert event.actor == owner
    assert event.from_status == event.to_status == violation.status
    assert verified.statement_until.isoformat() in event.reason
    assert OutboxMessage.objects.filter(
        topic=STATEMENT_TOPIC, payload={"statement": statement.pk}
    ).exists()


def test_the_city_is_emailed_the_statement(
    owner, administrator, violation, verified, mailoutbox, time_machine
):
    administrator.preferred_language = "en"
    administrator.save()
    statements.submit(owner, violation, text=TEXT)

    deliver(time_machine)

    (message,) = [
        m
        for m in mailoutbox
        if "Statement of opinion" in m.subject and m.to == [administrator.email]
    ]
    assert "Art. 5-5" in message.subject
    assert TEXT in message.body
    assert f"/enforcement/violations/{violation.pk}/" in message.body
    assert "{{" not in message.body and "{%" not in message.body


def test_the_city_sees_the_statement_on_the_case(client, owner, administrator, violation, verified):
    statements.submit(owner, violation, text=TEXT)
    client.force_login(administrator)

    response = client.get(reverse("enforcement-violation-detail", args=[violation.pk]))

    html = response.content.decode()
    assert TEXT in html
    assert 'data-statement="' in html


def test_a_statement_after_the_period_is_refused_with_the_day_it_ended(
    client, owner, violation, verified, time_machine
):
    move_after_period(time_machine, verified)
    client.force_login(owner)

    response = client.post(submit_url(violation), {"text": TEXT})

    assert response.status_code == 200
    html = response.content.decode()
    ended = verified.statement_until.isoformat()
    assert f"The period to state an opinion on this violation ended on {ended}." in html
    assert TEXT in html  # what was typed is kept
    assert not Statement.objects.exists()


def test_after_the_period_the_form_is_no_longer_offered(
    client, owner, violation, verified, time_machine
):
    move_after_period(time_machine, verified)
    client.force_login(owner)

    response = client.get(reverse("enforcement-violation-detail", args=[violation.pk]))

    assert response.context["statement_form"] is None
    assert f"the period ended on {verified.statement_until.isoformat()}" in (
        response.content.decode()
    )


def test_a_statement_is_refused_when_no_period_was_given(client, owner, violation, inspector):
    persisting(violation, inspector)  # the initial rule book gives no period
    client.force_login(owner)

    response = client.post(submit_url(violation), {"text": TEXT})

    assert response.status_code == 200
    assert "No period to state an opinion is open for this violation." in (
        response.content.decode()
    )
    assert not Statement.objects.exists()


def test_a_statement_is_refused_before_any_verification(client, owner, violation):
    client.force_login(owner)

    response = client.post(submit_url(violation), {"text": TEXT})

    assert response.status_code == 200
    assert "No period to state an opinion is open" in response.content.decode()


def test_an_empty_statement_is_refused_on_its_field(client, owner, violation, verified):
    client.force_login(owner)

    response = client.post(submit_url(violation), {"text": "   "})

    assert response.status_code == 200
    form = response.context["statement_form"]
    assert form.errors["text"] == ["Write your statement of opinion."]
    assert not Statement.objects.exists()


def test_an_overlong_statement_keeps_what_was_typed_with_a_field_error(
    client, owner, violation, verified
):
    typed = "意" * (MAX_STATEMENT_CHARS + 1)
    client.force_login(owner)

    response = client.post(submit_url(violation), {"text": typed})

    assert response.status_code == 200
    form = response.context["statement_form"]
    assert form.errors["text"] == [
        f"A statement may have at most {MAX_STATEMENT_CHARS} characters "
        f"(this one has {MAX_STATEMENT_CHARS + 1})."
    ]
    html = response.content.decode()
    assert typed in html
    assert 'id="id_statement' in html and "_text_error" in html
    assert not Statement.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("other_owner", 404), ("supplier", 404), ("administrator", 403), ("inspector", 403)],
)
def test_only_the_violations_own_side_may_state_an_opinion(
    client, personas, other_premises, violation, verified, persona, status
):
    client.force_login(personas[persona])

    response = client.post(submit_url(violation), {"text": TEXT})

    assert response.status_code == status
    assert not Statement.objects.exists()


def test_the_service_refuses_another_business(other_owner, other_premises, violation, verified):
    with pytest.raises(PermissionDenied):
        statements.submit(other_owner, violation, text=TEXT)


def test_the_service_refuses_after_the_period(owner, violation, verified, time_machine):
    move_after_period(time_machine, verified)

    with pytest.raises(ValidationError) as refused:
        statements.submit(owner, violation, text=TEXT)

    assert refused.value.code == "period_over"


def test_a_statement_may_be_submitted_on_the_last_day(owner, violation, verified, time_machine):
    time_machine.move_to(f"{verified.statement_until} 23:00 +0800")

    assert statements.submit(owner, violation, text=TEXT).verification == verified


# --- The API ----------------------------------------------------------------------------


def statement_api(violation) -> str:
    return reverse("api:violation-statement", args=[violation.pk])


def test_the_api_takes_a_statement(owner, violation, verified):
    response = api(owner).post(statement_api(violation), {"text": TEXT}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert (body["violation"], body["verification"], body["text"]) == (
        violation.pk,
        verified.pk,
        TEXT,
    )
    assert Statement.objects.get().pk == body["id"]


@pytest.mark.parametrize("text", ["", "   ", "x" * (MAX_STATEMENT_CHARS + 1)])
def test_the_api_refuses_bad_input_on_the_text_field(owner, violation, verified, text):
    response = api(owner).post(statement_api(violation), {"text": text}, format="json")

    assert response.status_code == 400
    assert "text" in response.json()["errors"]
    assert not Statement.objects.exists()


def test_the_api_refuses_after_the_period(owner, violation, verified, time_machine):
    move_after_period(time_machine, verified)

    response = api(owner).post(statement_api(violation), {"text": TEXT}, format="json")

    assert response.status_code == 400
    (message,) = response.json()["errors"]["non_field_errors"]
    assert verified.statement_until.isoformat() in message


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("other_owner", 404),
        ("supplier", 404),
        ("programme_officer", 404),
        ("administrator", 403),
        ("inspector", 403),
        ("api_client", 403),
    ],
)
def test_the_api_refuses_others(personas, other_premises, violation, verified, persona, status):
    response = api(personas[persona]).post(statement_api(violation), {"text": TEXT}, format="json")

    assert response.status_code == status
    assert not Statement.objects.exists()
