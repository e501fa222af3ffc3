"""JSON-safe snapshots of parameters and findings, to store with a decision.

The ordinance requires a decision to be explainable and reproducible under the
parameters it was made with: store :func:`params_to_dict` with it, and rebuild the
exact :class:`RuleParameters` with :func:`params_from_dict` to assess again. Decimals
travel as strings (never floats), dates as ISO strings, sets as sorted lists.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import cache
from operator import attrgetter
from typing import Any, Union, get_args, get_origin, get_type_hints

from compliance.rules.params import RuleParameters
from compliance.rules.types import Finding


@cache
def field_values(cls: type) -> Callable[[Any], tuple]:
    """Return a function giving a dataclass's field values, in order (one C call)."""
    names = [field.name for field in fields(cls)]
    if len(names) > 1:
        return attrgetter(*names)
    return lambda value: tuple(getattr(value, name) for name in names)


# Values encoded as they are, told apart by their exact type (subclasses go through _encoder).
_PLAIN = frozenset({type(None), str, bool, int})


def _same(value: Any) -> Any:
    return value


@cache
def _encoder(cls: type) -> Callable[[Any], Any]:
    """How :func:`_encode` encodes a value of this type (decided once per type)."""
    if cls is type(None) or issubclass(cls, str | bool | int):
        return _same
    if is_dataclass(cls):
        names, values_of = [field.name for field in fields(cls)], field_values(cls)
        return lambda value: {
            name: item if type(item) in _PLAIN else _encode(item)
            for name, item in zip(names, values_of(value), strict=True)
        }
    if issubclass(cls, Enum):
        return lambda value: value.value
    if issubclass(cls, Decimal):
        return str
    if issubclass(cls, date):
        return lambda value: value.isoformat()
    if issubclass(cls, frozenset):
        return lambda value: sorted(_encode(item) for item in value)
    if issubclass(cls, tuple):
        return lambda value: [_encode(item) for item in value]
    return _same


def _encode(value: Any) -> Any:
    return _encoder(type(value))(value)


def _decode(annotation: Any, raw: Any) -> Any:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        if raw is None:
            return None
        (inner,) = [arg for arg in get_args(annotation) if arg is not type(None)]
        return _decode(inner, raw)
    if origin is tuple:
        return tuple(_decode(get_args(annotation)[0], item) for item in raw)
    if origin is frozenset:
        return frozenset(_decode(get_args(annotation)[0], item) for item in raw)
    if isinstance(annotation, type) and is_dataclass(annotation):
        hints = get_type_hints(annotation)
        unknown = sorted(set(raw) - set(hints))
        if unknown:
            raise TypeError(f"{annotation.__name__} has no field {', '.join(unknown)}")
        return annotation(**{name: _decode(hints[name], value) for name, value in raw.items()})
    if annotation is Decimal:
        return Decimal(raw)
    if annotation is date:
        return date.fromisoformat(raw)
    return raw


def params_to_dict(params: RuleParameters) -> dict[str, Any]:
    """Return the parameters as a JSON-safe dict."""
    return _encode(params)


def params_from_dict(data: dict[str, Any]) -> RuleParameters:
    """Rebuild parameters from :func:`params_to_dict`'s output (TypeError on unknown keys)."""
    return _decode(RuleParameters, data)


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    """Return a finding as a JSON-safe dict (measured values as strings or integers)."""
    return _encode(finding)
