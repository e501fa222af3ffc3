"""The City's document numbers: its prefix in force, a kind letter, the year, a serial.

e.g. TPE-EC-N-2026-0000123 (a notice), TPE-EC-2026-000123 (an inspection report, no kind
letter). The prefix is a City setting (:class:`portal.models.CitySettings`), read when a
number is allocated: numbers already issued never change. An English copy is a
translation of the same document: it carries its Chinese original's number.
"""

from __future__ import annotations

from django.db.models import QuerySet

from portal.models import CitySettings

ORIGINAL_LANGUAGE = "zh-hant"


def kind_prefix(kind: str = "") -> str:
    """Return the numbers' beginning before the year, e.g. TPE-EC-P (TPE-EC without a kind)."""
    prefix = CitySettings.document_prefix_in_force()
    return f"{prefix}-{kind}" if kind else prefix


def new_number(kind: str, year: int, serial: int, *, digits: int = 7) -> str:
    """Return a new number with the prefix in force, e.g. TPE-EC-S-2026-0000042."""
    return f"{kind_prefix(kind)}-{year}-{serial:0{digits}d}"


def original_number(language: str, documents: QuerySet, field: str) -> str | None:
    """Return the Chinese original's number for a copy in ``language`` (None: allocate one).

    ``documents`` are the copies of the same document (the same application, violation,
    …) and ``field`` their number. The original itself, or a translation asked for
    before its original, gets a number of its own.
    """
    if language == ORIGINAL_LANGUAGE:
        return None
    return documents.filter(language=ORIGINAL_LANGUAGE).values_list(field, flat=True).first()
