"""benchmark_follow_ups renders and mails approved decisions on two real Celery workers."""

from __future__ import annotations

import os
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from compliance.models import EnforcementDocument, Fine, Violation
from portal.models import AuditEntry, OutboxMessage, User
from tests.factories import ensure_rulebook

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


# "name: number" lines; a name may hold digits ("projected minutes for 10,000").
FIGURE = re.compile(r"^([a-z][a-z\d/ ,-]*[a-z\d]): ([\d,.]+)\s*$", re.MULTILINE)


def figures(output: str) -> dict[str, float]:
    return {name: float(value.replace(",", "")) for name, value in FIGURE.findall(output)}


def test_three_decisions_are_rendered_and_mailed_and_the_figures_printed():
    if not os.environ.get("REDIS_URL") or connection.vendor != "postgresql":
        pytest.skip("Real workers need PostgreSQL and Redis (REDIS_URL).")
    ensure_rulebook()  # a transactional test's flush removed the migration's
    users, entries = User.objects.count(), AuditEntry.objects.count()
    out = StringIO()

    call_command("benchmark_follow_ups", "--decisions", "3", "--timeout", "120", stdout=out)

    output = out.getvalue()
    numbers = figures(output)
    assert numbers["decisions"] == 3
    assert "workers: 2 (prefork, one process each, queues celery,reports)" in output
    seconds = numbers["seconds"]
    assert 0 < numbers["pdf seconds"] <= seconds
    assert 0 < numbers["e-mail seconds"] <= seconds
    # Rates from the unrounded seconds: a printed 0.6 s is 0.55–0.65 s, so 3 e-mails in it
    # are 277–327 a minute (printed to 0.1).
    for rate, spent in (("pdfs/min", "pdf seconds"), ("e-mails/min", "e-mail seconds")):
        low, high = (3 / (numbers[spent] + delta) * 60 for delta in (0.05, -0.05))
        assert low - 0.05 <= numbers[rate] <= high + 0.05, rate
    # From the unrounded seconds: the printed ones are rounded to 0.1 s (±0.05 s), which
    # on a run of about a second moves the projection by up to 5%.
    low, high = ((seconds + delta) / 3 * 10_000 / 60 for delta in (-0.05, 0.05))
    assert low - 0.05 <= numbers["projected minutes for 10,000"] <= high + 0.05
    assert "e-mail floor minutes for 10,000" not in numbers  # runs follow one another
    assert re.search(r"^projection \(same rate, two workers\): 10,000 decisions", output, re.M)
    # Everything it made is gone: the city, the decisions, their documents and members.
    assert "scratch data deleted" in output
    assert not Violation.objects.exists()
    assert not Fine.objects.exists()
    assert not EnforcementDocument.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert AuditEntry.objects.count() == entries
    assert User.objects.count() == users


def test_refuses_without_a_broker(settings):
    settings.REDIS_URL = ""

    with pytest.raises(CommandError, match=r"needs PostgreSQL .* and Redis"):
        call_command("benchmark_follow_ups", "--decisions", "3")
