"""How the rule book declares a parameter: its article, kind, bounds, unit and names.

A field of :class:`compliance.rules.params.RuleParameters` carries a :class:`Declared`
in its metadata. Validation reads the bounds from it; the portal reads it to build the
draft editor's fields, the rows of the rule book page and the names in explanations,
so a parameter is spelled out once. Names are English message ids marked with
:func:`gettext_noop`: the engine translates nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """What a parameter's value is."""

    DATE = "date"
    WHOLE = "whole"  # a whole number
    DECIMAL = "decimal"
    CATEGORIES = "categories"  # a set of vocabulary codes
    TABLE = "table"  # rows of a row type (compliance.rules.tables)
    CRITERIA = "criteria"  # a nested group of declared values


class Shown(StrEnum):
    """How the rule book page writes a value, when not as "value unit"."""

    AS_IS = ""
    MONTHS = "months"  # "6 months"
    LAST_MONTHS = "last_months"  # "last 12 months"
    ABOVE_ARCADE_FLOOR = "above_arcade_floor"  # "18 cm above the arcade floor"


def gettext_noop(message: str) -> str:
    """Return ``message`` unchanged: it marks a name for the translation catalogue.

    The engine translates nothing; the portal shows these names through gettext.
    """
    return message


@dataclass(frozen=True)
class Declared:
    """How the rule book declares one parameter: what it is, its bounds and its names.

    ``kind``: see :class:`Kind`; a set of categories holds ``vocabulary`` codes (named
    ``vocabulary_kind`` in errors); the editor names the fields of nested criteria
    ``prefix`` + their name. ``article``: the article that delegates the parameter;
    the editor and the rule book page group parameters by it.

    Bounds: a number lies in ``low``..``high`` inclusive; a decimal without bounds
    must be > 0. ``optional``: None is allowed (the criterion is not used).

    Names are English message ids the portal translates: ``name`` in explanations
    and differences, ``label`` and ``help`` in the editor, ``shown_as`` as the row
    of the rule book page (empty: the page shows it elsewhere, or not at all).
    ``unit`` follows the value on the page, unless ``shown`` says otherwise;
    ``up_to`` names the parameter that closes the range this one opens, shown in
    the same row ("100–300 lx").
    """

    kind: Kind
    article: str
    name: str
    label: str = ""
    help: str = ""
    shown_as: str = ""
    unit: str = ""
    shown: Shown = Shown.AS_IS
    up_to: str = ""
    low: Decimal | int | None = None
    high: Decimal | int | None = None
    optional: bool = False
    vocabulary: type[StrEnum] | None = None
    vocabulary_kind: str = ""
    prefix: str = ""


def declared(kind: Kind, article: str, name: str, **details: Any) -> dict[str, Declared]:
    """Return a dataclass field's metadata declaring a rule-book parameter."""
    return {"declared": Declared(kind, article, name, **details)}


def declarations(cls: type) -> tuple[tuple[str, Declared], ...]:
    """Return (field name, declaration) of every declared field of ``cls``, in order."""
    return tuple(
        (item.name, item.metadata["declared"])
        for item in fields(cls)
        if "declared" in item.metadata
    )
