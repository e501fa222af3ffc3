"""Template filters writing enforcement facts in the active language (e-mails, pages).

They reuse what the PDF documents print (:mod:`compliance.enforcement.documents.formats`), so an
amount, a fine step or a statutory range reads the same in a decision and in the e-mail
announcing it: ``{{ fine.amount_ntd|ntd }}`` gives 新臺幣 10,000 元 or NT$10,000, the
City's one way of writing an amount (:func:`portal.pdf.formats.amount`).
"""

from __future__ import annotations

from django import template

from compliance import articles
from compliance.enforcement.documents import formats
from compliance.enforcement.documents.gather import explain_violation
from compliance.enforcement.texts import how_found
from compliance.enforcement.texts import remedy as remedy_text
from portal.pdf import formats as money

register = template.Library()


@register.filter
def ntd(value) -> str:
    """Write a whole NT$ amount: 新臺幣 10,000 元 or NT$10,000."""
    if value in (None, ""):
        return ""
    return money.amount(int(value))


@register.filter
def fine_step(value) -> str:
    """Write which fine of a violation this is: 第 2 次 or 2nd."""
    return formats.step(int(value))


@register.filter
def fine_range(penalty_article) -> str:
    """Write a penalty article's statutory range, e.g. NT$10,000 to NT$30,000."""
    return formats.amount_range(str(penalty_article))


@register.filter
def article_label(number) -> str:
    """Cite an article in the active language: 第15條 or Art. 15."""
    return articles.article_label(str(number))


@register.filter
def remedy(article) -> str:
    """Say what rectifies a violation of ``article`` (empty if nothing is known)."""
    return remedy_text(str(article))


@register.filter
def finding(violation) -> str:
    """Explain a violation's recorded finding in the active language."""
    return explain_violation(violation)


@register.filter
def found_at(reference) -> str:
    """Say how a violation was found, never the internal reference (``visit-12``)."""
    return how_found(str(reference or ""))
