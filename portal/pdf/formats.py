"""How the City's documents write money, dates and ordinals, in each official language.

These follow the conventions of each official language rather than the interface's
catalogue: a Taiwanese document writes 新臺幣 10,000 元 (thousands grouped by three,
although Django's zh-Hant locale groups by four) and 2026年11月17日; the English version
NT$10,000, Nov. 17, 2026 and "2nd". Every function takes the language explicitly or
uses the active one. Shared by the enforcement documents (which add their titles and
fine steps in :mod:`compliance.enforcement.documents.formats`), the approval letters and the award
certificates.
"""

from __future__ import annotations

import datetime

from django.utils import formats, translation


def is_chinese(language: str | None) -> bool:
    """Return whether ``language`` (or the active language) is Chinese."""
    language = language or translation.get_language() or "zh-hant"
    return language.lower().startswith("zh")


def pick(pair: tuple[str, str], language: str | None) -> str:
    """Return the Chinese or the English of ``pair`` for ``language``."""
    return pair[0] if is_chinese(language) else pair[1]


def thousands(value: int) -> str:
    """Return a whole number grouped by three: 10000 -> "10,000"."""
    return f"{int(value):,}"


def amount(value: int | None, language: str | None = None) -> str:
    """Return a whole NT$ amount: 新臺幣 10,000 元 or NT$10,000 (empty for None)."""
    if value is None:
        return ""
    if is_chinese(language):
        return f"新臺幣 {thousands(value)} 元"
    return f"NT${thousands(value)}"


# The Republic of China's calendar counts years from 1912 (民國元年).
ROC_EPOCH = 1911


def date(value: datetime.date | None, language: str | None = None) -> str:
    """Return a date as an official document writes it.

    In Chinese the City's documents date by the Republic of China's calendar:
    中華民國115年11月17日 (2026-11-17); in English, Nov. 17, 2026.
    """
    if value is None:
        return ""
    language = language or translation.get_language()
    if is_chinese(language):
        return roc_date(value)
    with translation.override(language):
        return formats.date_format(value, "DATE_FORMAT")


def roc_date(value: datetime.date) -> str:
    """Return 中華民國115年11月17日 for 2026-11-17 (years from 1912)."""
    if value.year <= ROC_EPOCH:
        raise ValueError("Dates before 1912 have no year in the Republic of China's calendar.")
    return f"中華民國{value.year - ROC_EPOCH}年{value.month}月{value.day}日"


def month(value: datetime.date | None, language: str | None = None) -> str:
    """Return a month as an official document writes it: 中華民國115年7月 or July 2026."""
    if value is None:
        return ""
    language = language or translation.get_language()
    if is_chinese(language):
        return roc_date(value).partition("月")[0] + "月"
    with translation.override(language):
        return formats.date_format(value, "YEAR_MONTH_FORMAT")


def titled_name(title: str, name: str) -> str:
    """Return a person as a document names them: 科長 王大明, 局長 (the title alone).

    Only the job title and the person's name, never an account's user name; empty when
    neither is known.
    """
    return " ".join(part.strip() for part in (title, name) if part and part.strip())


def ordinal(number: int) -> str:
    """Return an English ordinal: 1st, 2nd, 3rd, 4th, 11th, 21st."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"
