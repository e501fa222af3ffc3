"""How an enforcement document writes money, dates, fine steps and its title.

These follow the conventions of each official language rather than the interface's
catalogue (like the ordinance's own wording in :mod:`compliance.articles`): a Taiwanese
decision writes 新臺幣 10,000 元 (thousands grouped by three, although Django's zh-Hant
locale groups by four), 2026年11月17日 and 第 2 次; the English version NT$10,000,
Nov. 17, 2026 and "2nd". Every function takes the language explicitly or uses the
active one.
"""

from __future__ import annotations

import datetime

from django.utils import formats, translation

from compliance.choices import DocumentKind
from compliance.rules.penalties import STATUTORY_FINE_RANGE_NTD

# The documents' titles as the City issues them (the first is the Chinese original).
TITLES = {
    DocumentKind.RECTIFICATION_NOTICE: ("限期改善通知書", "Rectification notice"),
    DocumentKind.PENALTY_DECISION: ("裁處書", "Penalty decision"),
}
CITY = ("臺北市政府", "Taipei City Government")


def _chinese(language: str | None) -> bool:
    language = language or translation.get_language() or "zh-hant"
    return language.lower().startswith("zh")


def _pick(pair: tuple[str, str], language: str | None) -> str:
    return pair[0] if _chinese(language) else pair[1]


def title(kind: str, language: str | None = None) -> str:
    """Return the title of a document of ``kind``: 限期改善通知書, 裁處書, or the English."""
    return _pick(TITLES[kind], language)


def city(language: str | None = None) -> str:
    """Return the name of the City Government in ``language``."""
    return _pick(CITY, language)


def thousands(value: int) -> str:
    """Return a whole number grouped by three: 10000 -> "10,000"."""
    return f"{int(value):,}"


def amount(value: int | None, language: str | None = None) -> str:
    """Return a whole NT$ amount: 新臺幣 10,000 元 or NT$10,000 (empty for None)."""
    if value is None:
        return ""
    if _chinese(language):
        return f"新臺幣 {thousands(value)} 元"
    return f"NT${thousands(value)}"


def amount_range(penalty_article: str, language: str | None = None) -> str:
    """Return a penalty article's statutory range (Arts. 15-18), e.g. NT$10,000 to NT$30,000."""
    if penalty_article not in STATUTORY_FINE_RANGE_NTD:
        return ""
    low, high = STATUTORY_FINE_RANGE_NTD[penalty_article]
    if _chinese(language):
        return f"新臺幣 {thousands(low)} 元以上 {thousands(high)} 元以下"
    return f"NT${thousands(low)} to NT${thousands(high)}"


def date(value: datetime.date | None, language: str | None = None) -> str:
    """Return a date as the language writes it: 2026年11月17日 or Nov. 17, 2026."""
    if value is None:
        return ""
    with translation.override(language or translation.get_language()):
        return formats.date_format(value, "DATE_FORMAT")


def _ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def step(number: int, language: str | None = None) -> str:
    """Return which fine of a violation this is: 第 2 次 or 2nd."""
    if _chinese(language):
        return f"第 {number} 次"
    return _ordinal(number)
