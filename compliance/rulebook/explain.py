"""The rule engine's words in the active language (zh-Hant by default, or English).

The engine (``compliance.rules``) speaks plain English templates filled with
``str.format``. Here every template has a translatable twin under the same key with the
same ``{placeholders}``; a message is translated first and filled afterwards, with the
engine's own values (:meth:`Finding.message_values`, :attr:`ParameterError.values`), so
numbers and dates (YYYY-MM-DD) read the same in both languages. Only codes are dressed
for reading: vocabulary codes (``automatic_door``, ``diesel``) become the registry's
translated labels, and ``{article}`` becomes the full citation in Chinese (第5條第1款)
while English templates keep "Art. {article}".

Nothing here raises on a message it does not know: an unknown key falls back to the
engine's English template, and failing that to the key itself, because a page showing
an old stored finding must never break.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import fields
from datetime import date
from typing import Any

from django.db.models import TextChoices
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext

from compliance import choices
from compliance.articles import article_label, is_chinese
from compliance.rulebook.explain_texts import (
    EXEMPTION_TEXT,
    FINDING_TEXT,
    GRANT_REASONS,
    OUTCOME_LABELS,
    PARAMETER_FIELDS,
    PARAMETER_KINDS,
    PARAMETER_TEXT,
)
from compliance.rules import (
    EXEMPTION_MESSAGES,
    FINDING_MESSAGES,
    PARAMETER_MESSAGES,
    Exemption,
    Finding,
    Outcome,
    ParameterError,
)

__all__ = [
    "EXEMPTION_TEXT",
    "FINDING_TEXT",
    "PARAMETER_TEXT",
    "article_label",
    "explain_exemption",
    "explain_finding",
    "explain_parameter_error",
    "outcome_label",
    "parameter_field_label",
]

FindingLike = Finding | Mapping[str, Any]
_VALUE_NAMES = (
    "article",
    "subject",
    "measured",
    "limit",
    "unit",
    "detail",
    "exemption",
    "exemption_detail",
    "exemption_until",
)
_FINDING_FIELDS = frozenset(field.name for field in fields(Finding))

# Which placeholders of which findings (by key prefix) hold a vocabulary code.
_VOCABULARY: dict[str, dict[str, type[TextChoices]]] = {
    "entrance": {"measured": choices.AirBarrier},
    "boiler": {"measured": choices.Fuel, "limit": choices.Fuel},
    "illuminance": {"detail": choices.SpaceType},
    "lighting": {"detail": choices.LampType},
    "signboard": {"detail": choices.LampType},
}
_BAND = re.compile(
    r"^(?P<ac_type>[a-z_]+)/(?P<metric>[a-z]+) "
    r"(?:from (?P<from_kw>\S+)|(?P<low>[^-\s]+)-(?P<high>\S+)) kW$"
)
_GROUP = re.compile(r"^(?P<ac_type>[a-z_]+)/(?P<metric>[a-z]+)$")
_EXISTED_BEFORE = re.compile(r"^existed before (?P<date>\d{4}-\d{2}-\d{2})$")
_GRANT_DETAIL = re.compile(r"^(?P<reason>[^\s(]+)(?: \((?P<reference>.*)\))?$")
_FIELD_PART = re.compile(r"^(?P<name>[a-z_0-9]+)(?:\[(?P<index>\d+)\])?$")


class _Blank(dict):
    """Fill a placeholder missing from the values with nothing rather than failing."""

    def __missing__(self, key: str) -> str:
        return ""


def _fill(template: str | Promise | None, values: Mapping[str, str]) -> str | None:
    """Return the template filled in, or None if there is none or it is malformed."""
    if template is None:
        return None
    try:
        return str(template).format_map(_Blank(values))
    except (ValueError, IndexError, AttributeError, KeyError, TypeError):
        return None


def _inline(label: str) -> str:
    """Return a label as it reads inside a sentence ("Automatic door" -> "automatic door")."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def _label(vocabulary: type[TextChoices], code: str) -> str:
    """Return the translated label of a vocabulary code, or the code if it is not one."""
    try:
        return _inline(str(vocabulary(code).label))
    except ValueError:
        return code


def _metric(code: str) -> str:
    return code.upper() if code in choices.EfficiencyMetric.values else code


def _band(label: str) -> str:
    """Return an efficiency band ("split/eer 4.0-7.1 kW", "split/eer from 71 kW") to read."""
    match = _BAND.match(label)
    if match is None:
        return _group(label)
    values = {
        "ac_type": _label(choices.AcType, match["ac_type"]),
        "metric": _metric(match["metric"]),
        "low": match["from_kw"] or match["low"],
        "high": match["high"] or "",
    }
    if match["from_kw"] is not None:
        return gettext("{ac_type} {metric}, from {low} kW").format(**values)
    return gettext("{ac_type} {metric}, {low}-{high} kW").format(**values)


def _group(label: str) -> str:
    """Return an efficiency group ("split/cspf") to read."""
    match = _GROUP.match(label)
    if match is None:
        return label
    return gettext("{ac_type} {metric}").format(
        ac_type=_label(choices.AcType, match["ac_type"]), metric=_metric(match["metric"])
    )


def _as_finding(value: FindingLike) -> Finding:
    """Return a Finding from itself or from :func:`compliance.rules.finding_to_dict`."""
    if isinstance(value, Finding):
        return value
    data = {name: item for name, item in value.items() if name in _FINDING_FIELDS}
    data["outcome"] = Outcome(data["outcome"])
    data["exemption"] = Exemption(data["exemption"]) if data.get("exemption") else None
    until = data.get("exemption_until")
    data["exemption_until"] = date.fromisoformat(until) if isinstance(until, str) else until
    return Finding(**data)


def _finding_values(value: object) -> tuple[str, dict[str, str]]:
    """Return a finding's message key and the engine's display values for it."""
    try:
        finding = _as_finding(value)  # type: ignore[arg-type]
    except (KeyError, TypeError, ValueError, AttributeError):
        # A stored dict the engine can no longer read: show what it holds.
        data = value if isinstance(value, Mapping) else {}
        values = {name: "" if data.get(name) is None else str(data[name]) for name in _VALUE_NAMES}
        return str(data.get("message_key", "")), values
    return finding.message_key, finding.message_values()


def _localized(key: str, values: Mapping[str, str]) -> dict[str, str]:
    """Return a finding's values dressed for the active language."""
    local = dict(values)
    if is_chinese() and local.get("article"):
        local["article"] = article_label(local["article"])
    prefix = key.partition(".")[0]
    for name, vocabulary in _VOCABULARY.get(prefix, {}).items():
        if local.get(name):
            local[name] = _label(vocabulary, local[name])
    if prefix == "ac_efficiency":
        local["unit"] = _metric(local.get("unit", ""))
        local["detail"] = _band(local.get("detail", ""))
    return local


def _localized_exemption(code: str, values: Mapping[str, str]) -> dict[str, str]:
    local = _localized("", values)
    detail = local.get("exemption_detail", "")
    if code == Exemption.PREMISES_CATEGORY:
        local["exemption_detail"] = _label(choices.PremisesCategory, detail)
    elif code == Exemption.ART19_GRACE and (match := _EXISTED_BEFORE.match(detail)):
        local["exemption_detail"] = gettext("existed before {date}").format(date=match["date"])
    elif code == Exemption.GRANT and (match := _GRANT_DETAIL.match(detail)):
        reason = GRANT_REASONS.get(match["reason"])
        reason_text = _inline(str(reason)) if reason is not None else match["reason"]
        if match["reference"]:
            reason_text = gettext("{reason} ({reference})").format(
                reason=reason_text, reference=match["reference"]
            )
        local["exemption_detail"] = reason_text
    return local


def explain_exemption(finding: FindingLike) -> str | None:
    """Return the exemption applied to a finding in the active language (None: none)."""
    _key, values = _finding_values(finding)
    code = values.get("exemption", "")
    if not code:
        return None
    text = _fill(EXEMPTION_TEXT.get(code), _localized_exemption(code, values))
    if text is None:
        text = _fill(EXEMPTION_MESSAGES.get(code), values)
    if text is None:
        text = gettext("Exempt: {reason}.").format(reason=code)
    return text


def explain_finding(finding: FindingLike, *, with_exemption: bool = True) -> str:
    """Return a finding's message in the active language.

    Accepts an engine :class:`Finding` or its stored form (``finding_to_dict``). Like
    :func:`compliance.rules.render_finding`, the exemption that applied (if any) follows
    the message; ``with_exemption=False`` leaves it to :func:`explain_exemption`.
    """
    key, values = _finding_values(finding)
    text = _fill(FINDING_TEXT.get(key), _localized(key, values))
    if text is None:
        text = _fill(FINDING_MESSAGES.get(key), values)
    if text is None and values["article"]:
        text = gettext("{article}: {message}").format(
            article=article_label(values["article"]), message=key
        )
    if text is None:
        text = key
    exemption = explain_exemption(finding) if with_exemption else None
    if exemption:
        text = pgettext("a finding followed by its exemption", "{finding} {exemption}").format(
            finding=text, exemption=exemption
        )
    return text


def outcome_label(outcome: Outcome | str | None) -> str:
    """Return an outcome to show: Compliant, Non-compliant, Unknown, or Not applicable."""
    if outcome is None:
        return gettext("Not applicable")
    label = OUTCOME_LABELS.get(str(outcome))
    return str(label) if label is not None else str(outcome)


def parameter_field_label(field: str) -> str:
    """Return a parameter's name to read, e.g. "efficiency_standards[3].min_kw".

    Table rows count from 1 for people; an unknown name is shown as it is.
    """
    parts = []
    for part in field.split("."):
        match = _FIELD_PART.match(part)
        if match is None:
            parts.append(part)
            continue
        name = PARAMETER_FIELDS.get(match["name"])
        text = str(name) if name is not None else match["name"]
        if match["index"] is not None:
            text = gettext("{name}, row {row}").format(name=text, row=int(match["index"]) + 1)
        parts.append(text)
    return pgettext("parts of a parameter name", ": ").join(parts)


_PARAMETER_VALUES: dict[str, Callable[[str], str]] = {
    "field": parameter_field_label,
    "kind": lambda kind: str(PARAMETER_KINDS.get(kind, kind)),
    "group": _group,
    "band": _band,
    "other": _band,
}


def explain_parameter_error(error: ParameterError | Mapping[str, Any]) -> str:
    """Return why a rule-book parameter cannot be published, in the active language."""
    if isinstance(error, ParameterError):
        key, raw, detail = error.message_key, dict(error.values), error.detail
    else:
        key = str(error.get("message_key", ""))
        raw = dict(error.get("values") or ())
        detail = str(error.get("detail", ""))
    values = {name: str(value) for name, value in raw.items()}
    local = {
        name: _PARAMETER_VALUES[name](value) if name in _PARAMETER_VALUES else value
        for name, value in values.items()
    }
    text = _fill(PARAMETER_TEXT.get(key), local)
    if text is None:
        text = _fill(PARAMETER_MESSAGES.get(key), values)
    return text if text is not None else detail or key
