"""Decide and serve proposed fines in tests, through the services an official uses."""

from __future__ import annotations

import datetime
import zoneinfo

import time_machine

TAIPEI = zoneinfo.ZoneInfo("Asia/Taipei")


def official(username: str = "official-wang"):
    """Return an administrator holding ``compliance.decide_fine`` (created once)."""
    from django.contrib.auth.models import Permission

    from portal.choices import Role
    from portal.models import User

    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "role": Role.ADMINISTRATOR,
            "display_name": "王大明",
            "job_title": "科長",
            # No address: the City's own e-mails in the tests go to the fixtures' staff.
            "email": "",
        },
    )
    if created:
        from tests.conftest import PASSWORD

        user.set_password(PASSWORD)  # signs in like the fixtures' users
        user.save(update_fields=["password"])
        user.user_permissions.add(
            Permission.objects.get(codename="decide_fine", content_type__app_label="compliance")
        )
        user = User.objects.get(pk=user.pk)  # a fresh permission cache
    return user


def at_noon(day: datetime.date):
    """Travel to noon in Taipei on ``day`` (the clock stands still)."""
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(12), TAIPEI), tick=False
    )


def approve_proposals(on: datetime.date, *, by=None, ids=None) -> int:
    """Approve the proposals (all, or ``ids``) on ``on`` as an official; return how many."""
    from compliance.choices import FineStatus
    from compliance.enforcement.services import proposals
    from compliance.models import Fine

    by = by or official()
    if ids is None:
        ids = Fine.objects.filter(status=FineStatus.PROPOSED).values_list("pk", flat=True)
    with at_noon(on):
        return proposals.approve_many(by, list(ids)).approved


def serve(fine, on: datetime.date, *, method: str = "registered_mail", by=None):
    """Record the service of ``fine`` on ``on`` (staff's record); return it."""
    from compliance.enforcement.services import serving

    with at_noon(on):
        return serving.record_service(by or official(), fine, served_on=on, method=method)


def decide_and_serve(on: datetime.date, *, served_on: datetime.date | None = None) -> int:
    """Approve every proposal on ``on`` and serve each decision on ``served_on`` (``on``)."""
    from compliance.models import Fine

    approved = approve_proposals(on)
    for fine in Fine.objects.filter(status="issued", served_on__isnull=True):
        serve(fine, served_on or on)
    return approved
