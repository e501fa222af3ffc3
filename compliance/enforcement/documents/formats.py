"""How an enforcement document writes its title, the City, a fine's step and range.

Money, dates and ordinals follow each official language's conventions as every City
document writes them (:mod:`portal.pdf.formats`, re-exported here for the enforcement
documents and pages); this module adds what only enforcement documents say: 限期改善通知書
or 裁處書, 第 2 次 or "2nd", and the statutory range of a penalty article.
"""

from __future__ import annotations

from compliance.choices import DocumentKind
from compliance.rules.penalties import STATUTORY_FINE_RANGE_NTD
from portal.pdf.formats import amount, date, is_chinese, ordinal, pick, thousands

__all__ = ["CITY", "TITLES", "amount", "amount_range", "city", "date", "step", "thousands", "title"]

# The documents' titles as the City issues them (the first is the Chinese original).
TITLES = {
    DocumentKind.RECTIFICATION_NOTICE: ("限期改善通知書", "Rectification notice"),
    DocumentKind.PENALTY_DECISION: ("裁處書", "Penalty decision"),
}
CITY = ("臺北市政府", "Taipei City Government")


def title(kind: str, language: str | None = None) -> str:
    """Return the title of a document of ``kind``: 限期改善通知書, 裁處書, or the English."""
    return pick(TITLES[kind], language)


def city(language: str | None = None) -> str:
    """Return the name of the City Government in ``language``."""
    return pick(CITY, language)


def amount_range(penalty_article: str, language: str | None = None) -> str:
    """Return a penalty article's statutory range (Arts. 15-18), e.g. NT$10,000 to NT$30,000."""
    if penalty_article not in STATUTORY_FINE_RANGE_NTD:
        return ""
    low, high = STATUTORY_FINE_RANGE_NTD[penalty_article]
    if is_chinese(language):
        return f"新臺幣 {thousands(low)} 元以上 {thousands(high)} 元以下"
    return f"NT${thousands(low)} to NT${thousands(high)}"


def step(number: int, language: str | None = None) -> str:
    """Return which fine of a violation this is: 第 2 次 or 2nd."""
    if is_chinese(language):
        return f"第 {number} 次"
    return ordinal(number)
