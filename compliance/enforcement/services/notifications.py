"""E-mails about enforcement, in each recipient's language, from templates.

Each event has a subject and a body template, ``compliance/email/<event>_subject.txt`` and
``<event>.txt`` (under ``compliance/enforcement/templates/``); their text is translatable, and each
message is rendered in the recipient's preferred language. Businesses hear about their
own violations (a missed deadline verified as not met among them); the City's staff about
evidence to review, appeals to review and statements of opinion submitted before a fine
(administrators, who decide the fine).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.utils import translation

from portal import mail
from portal.choices import Role
from portal.models import User

BUSINESS_EVENTS = (
    "violation_opened",
    "fine_issued",
    "fine_served",
    "deadline_reminder",
    "deadline_moved",
    "violation_closed",
    "evidence_reviewed",
    "appeal_forwarded",
    "appeal_decided",
    "non_rectification_verified",
)
CITY_EVENTS = ("evidence_submitted", "appeal_filed", "statement_submitted")


def business_recipients(violation) -> list[User]:
    """The members of the violation's business, or the energy supplier of an Art. 18 case."""
    if violation.supplier_id is not None:
        who = User.objects.filter(pk=violation.supplier_id, is_active=True)
    else:
        who = User.objects.filter(
            memberships__business_id=violation.premises.business_id, is_active=True
        )
    return list(who.exclude(email="").distinct().order_by("pk"))


def city_recipients(event: str) -> list[User]:
    roles = [Role.ADMINISTRATOR]
    if event == "evidence_submitted":
        roles.append(Role.INSPECTOR)
    return list(
        User.objects.filter(role__in=roles, is_active=True).exclude(email="").order_by("pk")
    )


def render(event: str, recipient: User, context: dict) -> tuple[str, str]:
    """Return (subject, body) of ``event`` for ``recipient``, in their language."""
    language = recipient.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {**context, "recipient": recipient, "site_url": settings.PORTAL_BASE_URL}
        subject = render_to_string(f"compliance/email/{event}_subject.txt", context)
        body = render_to_string(f"compliance/email/{event}.txt", context)
    return " ".join(subject.split()), body


def _send(event: str, recipients: list[User], context: dict) -> int:
    messages = []
    for recipient in recipients:
        subject, body = render(event, recipient, context)
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email]))
    if not messages:
        return 0
    # The delivery run's one connection (portal.mail), or one of its own outside a run.
    return send_mass_mail(messages, fail_silently=False, connection=mail.connection())


def notify(event: str, *, violation, **context) -> int:
    """E-mail the members of the violation's business about ``event``; return how many."""
    if event not in BUSINESS_EVENTS:
        raise ValueError(event)
    return _send(event, business_recipients(violation), {"violation": violation, **context})


def notify_city(event: str, *, violation, **context) -> int:
    """E-mail the City's staff about ``event`` (evidence to review, an appeal to review)."""
    if event not in CITY_EVENTS:
        raise ValueError(event)
    return _send(event, city_recipients(event), {"violation": violation, **context})
