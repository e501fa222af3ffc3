"""What prompted an assessment, as a reader may read it.

An assessment records its trigger as a short internal note ("nightly: new month or rule
book", "compliance.equipment changed", "exemption 12 approved", "inspection visit-7"):
useful to staff and to the tests that find an assessment by its cause, but not words a
business should read, and never a user name. Pages show :func:`trigger_label` instead, in
the reader's language.
"""

from __future__ import annotations

import re

from django.utils.translation import pgettext

_RULE_BOOK = re.compile(r"^rule book no\. (?P<number>\d+) took effect$")


def trigger_label(trigger: str) -> str:
    """Return what prompted an assessment in the active language ("" when nothing did)."""
    trigger = (trigger or "").strip()
    if not trigger:
        return ""
    if trigger.startswith("nightly:"):
        return pgettext(
            "what prompted an assessment",
            "The nightly re-assessment (a new month, an exemption or a rule book)",
        )
    if trigger.startswith(("command:", "requested by")):
        return pgettext("what prompted an assessment", "A re-assessment asked for by the City")
    if trigger.startswith("inspection "):
        return pgettext("what prompted an assessment", "An on-site inspection")
    if trigger.startswith("exemption "):
        if trigger.endswith(" revoked"):
            return pgettext("what prompted an assessment", "An exemption revoked")
        return pgettext("what prompted an assessment", "An exemption granted")
    if match := _RULE_BOOK.match(trigger):
        return pgettext("what prompted an assessment", "Rule book no. %(number)s took effect") % {
            "number": match["number"]
        }
    # (Imports before the trigger became "… imported" recorded their translated reason.)
    legacy_import = trigger.startswith(("CSV import", "CSV 匯入"))
    if trigger.endswith((" changed", " deleted", " imported")) or legacy_import:
        return pgettext(
            "what prompted an assessment", "A change to the registered premises, equipment or logs"
        )
    return pgettext("what prompted an assessment", "A re-assessment")
