"""Names people type in two languages, shown in the reader's language.

A scheme's or a programme's name is data, not an interface string: gettext cannot
translate it. Such a record keeps a Traditional Chinese and an English name; a page shows
the one of the active language and, when only the other was given, that one marked with
its language (``lang``) so that a screen reader reads it right and a page can say so.
"""

from __future__ import annotations

from django.utils.translation import get_language

ZH_HANT = "zh-Hant"
EN = "en"


class Named(str):
    """A name in one language; ``lang`` is its BCP 47 tag, ``fallback`` whether it stands
    in for the reader's language."""

    lang: str = ""
    fallback: bool = False

    def __new__(cls, value: str, lang: str, fallback: bool = False):
        named = super().__new__(cls, value)
        named.lang = lang
        named.fallback = fallback
        return named


def reads_chinese(language: str | None = None) -> bool:
    """Return whether ``language`` (default: the active one) is a Chinese language."""
    return (language or get_language() or "").lower().startswith("zh")


def in_language(zh_hant: str, en: str, language: str | None = None) -> Named:
    """Return the name for ``language`` (default: the active one), else the other one."""
    first, other = ((zh_hant, ZH_HANT), (en, EN))[:: 1 if reads_chinese(language) else -1]
    if first[0]:
        return Named(first[0], first[1])
    return Named(other[0] or "", other[1], fallback=bool(other[0]))
