"""A violation suggests the schemes that would pay for fixing it."""

from dataclasses import replace
from datetime import date

from subsidies.rules import (
    CITY_IMPROVEMENT_SCHEME,
    EQUIPMENT_REPLACEMENT_SCHEME,
    EXAMPLE_SCHEMES,
    ITEMS_FOR_ARTICLE,
    Item,
    items_for,
    schemes_for,
)
from subsidies.rules.types import ITEM_CODES


def test_violated_articles_map_to_the_items_that_fix_them():
    assert items_for(["6-3"]) == {Item.LAMP_REPLACEMENT}
    assert items_for(["7"]) == {Item.LAMP_REPLACEMENT}
    assert items_for(["5-4"]) == {Item.HIGH_EER_AC}
    assert items_for(["5-1"]) == {Item.AIR_CURTAIN}
    assert items_for(["8-1"]) == {Item.BOILER_UPGRADE}
    assert items_for(["5-1", "8-1"]) == {Item.AIR_CURTAIN, Item.BOILER_UPGRADE}


def test_articles_no_item_fixes_suggest_nothing():
    assert items_for(["5-2", "5-5", "8-2", "9", "10-1"]) == frozenset()
    assert schemes_for(["9", "10-1"], EXAMPLE_SCHEMES) == ()


def test_every_mapped_item_is_a_known_item():
    assert frozenset().union(*ITEMS_FOR_ARTICLE.values()) <= ITEM_CODES


def test_incandescent_lamps_suggest_both_starting_schemes_in_order():
    suggestions = schemes_for(["6-3"], EXAMPLE_SCHEMES)
    assert [s.scheme.code for s in suggestions] == ["city-improvement", "equipment-replacement"]
    assert all(s.items == {Item.LAMP_REPLACEMENT} for s in suggestions)
    assert all(s.articles == ("6-3",) for s in suggestions)


def test_only_schemes_paying_for_the_item_are_suggested_with_their_articles():
    suggestions = schemes_for(["5-3", "9", "5-3"], EXAMPLE_SCHEMES)
    assert [s.scheme for s in suggestions] == [CITY_IMPROVEMENT_SCHEME]
    assert suggestions[0].items == {Item.ENERGY_MANAGEMENT_SYSTEM}
    assert suggestions[0].articles == ("5-3",)


def test_suggested_items_are_only_those_the_scheme_pays_for():
    suggestions = schemes_for(["5-3", "6-3"], [EQUIPMENT_REPLACEMENT_SCHEME])
    assert suggestions[0].items == {Item.LAMP_REPLACEMENT}
    assert suggestions[0].articles == ("6-3",)


def test_a_closed_scheme_is_left_out_when_today_is_given_but_not_one_yet_to_open():
    closed = replace(CITY_IMPROVEMENT_SCHEME, closes_on=date(2026, 5, 31))
    upcoming = replace(EQUIPMENT_REPLACEMENT_SCHEME, opens_on=date(2026, 7, 1))
    today = date(2026, 6, 1)
    assert [s.scheme for s in schemes_for(["6-3"], [closed, upcoming], today)] == [upcoming]
    assert len(schemes_for(["6-3"], [closed, upcoming])) == 2
