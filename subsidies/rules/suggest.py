"""Which scheme items would pay for fixing a violation (Art. 14 meets Arts. 5-8).

A violation's page lists the schemes whose eligible items fix the violated articles,
e.g. incandescent lamps (Art. 6-3) -> lamp replacement. Articles no item fixes (blocked
inlets, indoor temperature, records, conduct) suggest nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from subsidies.rules.types import Item, SchemeTerms

ITEMS_FOR_ARTICLE: dict[str, frozenset[str]] = {
    # Art. 5-1: an entrance without automatic door or air curtain.
    "5-1": frozenset({Item.AIR_CURTAIN}),
    # Art. 5-3: no separate AC electricity meter on a large central system.
    "5-3": frozenset({Item.ENERGY_MANAGEMENT_SYSTEM}),
    # Art. 5-4: an air conditioner below the minimum EER/CSPF.
    "5-4": frozenset({Item.HIGH_EER_AC}),
    # Art. 6-3: incandescent lamps for indoor lighting.
    "6-3": frozenset({Item.LAMP_REPLACEMENT}),
    # Art. 7: incandescent lamps on signboards.
    "7": frozenset({Item.LAMP_REPLACEMENT}),
    # Art. 8-1: a boiler that does not burn natural gas.
    "8-1": frozenset({Item.BOILER_UPGRADE}),
}


@dataclass(frozen=True)
class Suggestion:
    """A scheme that pays for fixing some of the articles: which items, for which articles."""

    scheme: SchemeTerms
    items: frozenset[str]
    articles: tuple[str, ...]


def items_for(articles: Iterable[str]) -> frozenset[str]:
    """Return the items that fix any of ``articles``."""
    return frozenset().union(*(ITEMS_FOR_ARTICLE.get(article, frozenset()) for article in articles))


def schemes_for(
    articles: Iterable[str], schemes: Iterable[SchemeTerms], today: date | None = None
) -> tuple[Suggestion, ...]:
    """Return a suggestion per scheme paying for an item that fixes one of ``articles``.

    Schemes keep their given order. With ``today``, schemes whose window has closed are
    left out (a scheme not yet open is still worth showing).
    """
    articles = tuple(dict.fromkeys(articles))
    suggestions = []
    for scheme in schemes:
        if today is not None and scheme.closes_on is not None and today > scheme.closes_on:
            continue
        matched = [
            article
            for article in articles
            if ITEMS_FOR_ARTICLE.get(article, frozenset()) & scheme.eligible_items
        ]
        if matched:
            items = items_for(matched) & scheme.eligible_items
            suggestions.append(Suggestion(scheme, items, tuple(matched)))
    return tuple(suggestions)
