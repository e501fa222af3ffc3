"""The visit form as a short sequence of sections, and its error summary.

A long form on a tablet is easier as one thing at a time (GOV.UK's "one thing per page"):
identification, presence, each article's checklist and measurements, photos, refusal,
summary. The page holds every section (without JavaScript it is one long form, the
progress list a table of contents); ``static/js/visit_steps.js`` shows one at a time with
Back and Next. Each step says whether it is complete or holds an error, here for the page
as rendered and in the browser as the inspector types, by the same rules (``kind``).

The error summary (``templates/_error_summary.html``) takes one form; :class:`ErrorSummary`
gives it the visit form and every row of its formsets, in the order of the steps, each
error linking to its field.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

# The visit's own fields of the steps that are not an article's.
STEP_FIELDS = {
    "identification": ("identification_shown", "badge_numbers"),
    "presence": ("present_persons", "arrived_at", "departed_at"),
    "refusal": ("refused", "refusal_circumstances"),
    "summary": ("notes",),
}
EMPTY = (None, "", "unknown", [])


@dataclass
class SummaryField:
    """What the error summary needs of a field: its label, its id and its errors."""

    label: str
    auto_id: str
    errors: list[str]
    is_hidden: bool = False


@dataclass
class Step:
    """One section of the visit form."""

    id: str
    kind: str  # identification, presence, checks, formset, field, photos, refusal, summary
    title: str
    number: int = 0
    section: dict[str, Any] | None = None
    fields: list[Any] = field(default_factory=list)
    complete: bool | None = None  # None: the summary, which has no state
    errors: list[SummaryField] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    @property
    def state(self) -> str:
        if self.errors:
            return "error"
        if self.complete:
            return "complete"
        return "todo" if self.complete is not None else ""


def _filled(bound) -> bool:
    return bound.value() not in EMPTY and bound.value() is not False


def _live_rows(formset) -> list:
    """The rows of a formset that are not removed."""
    rows = []
    for form in formset.forms:
        if formset.can_delete and form["DELETE"].value() in (True, "on", "true"):
            continue
        rows.append(form)
    return rows


def _errors_of(bound, label: str) -> list[SummaryField]:
    if not bound.errors:
        return []
    return [SummaryField(label, bound.auto_id, list(bound.errors), bound.is_hidden)]


def _row_errors(form, label: str) -> list[SummaryField]:
    errors = []
    for name in form.fields:
        bound = form[name]
        errors += _errors_of(bound, f"{label}: {bound.label}")
    if form.non_field_errors():
        errors.append(SummaryField(label, "", list(form.non_field_errors()), True))
    return errors


def build_steps(forms, photo_count: int) -> list[Step]:
    """Return the steps of ``forms`` (a ``VisitForms``), with their state and errors."""
    form = forms.form
    steps = [
        Step("step-identification", "identification", _("Identification (Art. 10-3)")),
        Step("step-presence", "presence", _("Presence and times")),
    ]
    for section in forms.sections():
        steps.append(
            Step(
                f"step-art-{section['article']}",
                section["content"] if section["content"] == "checks" else "",
                section["title"],
                section=section,
            )
        )
    steps += [
        Step("step-photos", "photos", _("Photos")),
        Step("step-refusal", "refusal", _("Refusal, evasion or obstruction (Art. 10-1)")),
        Step("step-summary", "summary", pgettext("visit section", "Summary")),
    ]
    for number, step in enumerate(steps, start=1):
        step.number = number
        if step.kind in STEP_FIELDS:
            step.fields = [form[name] for name in STEP_FIELDS[step.kind]]
            for bound in step.fields:
                step.errors += _errors_of(bound, bound.label)
        if step.kind == "identification":
            step.complete = _filled(form["identification_shown"])
        elif step.kind == "presence":
            step.complete = _filled(form["arrived_at"]) and _filled(form["departed_at"])
        elif step.kind == "refusal":
            step.complete = not _filled(form["refused"]) or _filled(form["refusal_circumstances"])
        elif step.kind == "photos":
            step.complete = photo_count > 0
        elif step.kind == "checks":
            rows = step.section["rows"]
            step.complete = all(_filled(row["result"]) for row, _item in rows)
            for row, item in rows:
                tag = item.equipment.tag if item else row["point"].value()
                step.errors += _row_errors(row, f"{step.title} {tag}")
        elif step.section is not None and "formset" in step.section:
            step.kind = "formset"
            formset = step.section["formset"]
            measured = formset.forms[0].measurement_fields if formset.forms else ()
            step.complete = any(
                any(_filled(row[name]) for name in measured) for row in _live_rows(formset)
            )
            if formset.non_form_errors():
                step.errors.append(
                    SummaryField(step.title, "", list(formset.non_form_errors()), True)
                )
            for index, row in enumerate(formset.forms, start=1):
                step.errors += _row_errors(row, f"{step.title} #{index}")
        elif step.section is not None and "field" in step.section:
            step.kind = "field"
            bound = step.section["field"]
            step.complete = bound.value() not in (None, "", "unknown")  # "no" is an answer
            step.errors += _errors_of(bound, bound.label)
    return steps


def current_step(steps: list[Step]) -> Step:
    """The step the page opens at: the first holding an error, else the first."""
    return next((step for step in steps if step.errors), steps[0])


class ErrorSummary:
    """The visit form and its rows as one form for ``templates/_error_summary.html``."""

    def __init__(self, form, steps: list[Step]):
        self.form = form
        self.steps = steps
        self.fields = [error for step in steps for error in step.errors]
        shown = {error.auto_id for error in self.fields if error.auto_id}
        # Errors of the visit's fields no step holds (none today), listed all the same.
        for bound in form:
            if bound.errors and bound.auto_id not in shown:
                self.fields += _errors_of(bound, bound.label)

    @property
    def errors(self) -> bool:
        return bool(self.fields or self.form.non_field_errors())

    def non_field_errors(self) -> list[str]:
        return list(self.form.non_field_errors())

    def __iter__(self) -> Iterator[SummaryField]:
        return iter(self.fields)
