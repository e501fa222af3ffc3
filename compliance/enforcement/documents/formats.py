"""How an enforcement document writes its title, the City, a fine's step and range.

Money, dates and ordinals follow each official language's conventions as every City
document writes them (:mod:`portal.pdf.formats`, re-exported here for the enforcement
documents and pages); this module adds what only enforcement documents say: 限期改善通知書
or 裁處書, 第 2 次 or "2nd", the statutory range of a penalty article, and the formulas
the law words a decision with: the periods that run from its service (文到14日內,
自本處分書送達之次日起30日內), the Administrative Appeal Act's articles it cites and the
line naming who decided (決行). Like the titles they are the wording of each official
language's document, kept verbatim here rather than in the interface's catalogue.
"""

from __future__ import annotations

from compliance.choices import DocumentKind
from compliance.rules.penalties import STATUTORY_FINE_RANGE_NTD
from portal.pdf.formats import (
    amount,
    date,
    is_chinese,
    month,
    ordinal,
    pick,
    thousands,
    titled_name,
)

__all__ = [
    "CITY",
    "TITLES",
    "amount",
    "amount_range",
    "appeal_articles",
    "appeal_period",
    "city",
    "date",
    "decided_by",
    "month",
    "no_suspension_article",
    "receipt_period",
    "step",
    "thousands",
    "title",
    "titled_name",
]

# The documents' titles as the City issues them (the first is the Chinese original).
TITLES = {
    DocumentKind.RECTIFICATION_NOTICE: ("限期改善通知書", "Rectification notice"),
    DocumentKind.PENALTY_DECISION: ("裁處書", "Penalty decision"),
}
CITY = ("臺北市政府", "Taipei City Government")
# A new rectification period runs from service (文到N日內): the day after it (APA Art. 48).
RECEIPT_PERIOD = ("文到{days}日內", "within {days} days of receipt of this decision")
# The appeal period (AAA Art. 14), from the day after service.
APPEAL_PERIOD = (
    "自本處分書送達之次日起{days}日內",
    "within {days} days from the day after this decision is served",
)
# Filing through the authority that decided (AAA Arts. 14 and 58); no suspension (Art. 93).
APPEAL_ARTICLES = ("訴願法第14條、第58條", "Administrative Appeal Act, Arts. 14 and 58")
NO_SUSPENSION_ARTICLE = ("訴願法第93條", "Administrative Appeal Act, Art. 93")
DECIDED_BY = ("決行：{official}", "Decided by: {official}")


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


def receipt_period(days: int, language: str | None = None) -> str:
    """Return a period counted from service: 文到14日內 / within 14 days of receipt …."""
    return pick(RECEIPT_PERIOD, language).format(days=days)


def appeal_period(days: int, language: str | None = None) -> str:
    """Return the appeal period as the law words it: 自本處分書送達之次日起30日內 / …."""
    return pick(APPEAL_PERIOD, language).format(days=days)


def appeal_articles(language: str | None = None) -> str:
    """Return the articles on filing an appeal: 訴願法第14條、第58條."""
    return pick(APPEAL_ARTICLES, language)


def no_suspension_article(language: str | None = None) -> str:
    """Return the article by which an appeal does not suspend the fine: 訴願法第93條."""
    return pick(NO_SUSPENSION_ARTICLE, language)


def decided_by(official: str, language: str | None = None) -> str:
    """Return the line naming who decided: 決行：科長 王大明 (empty without an official)."""
    if not official:
        return ""
    return pick(DECIDED_BY, language).format(official=official)
