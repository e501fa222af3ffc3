"""Forms of the programme records officers create and edit in the browser.

Validation lives in the models (``clean()`` and named constraints): a ModelForm runs
it, and :func:`programs.services.save_record` runs it again on the whole record, so an
error on a field the form does not show (a constraint with the programme, say) comes
back as an error of the form (:func:`add_model_errors`), with what was typed kept.
``published`` is never a form field: administrators publish with the page's button.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from programs.models import (
    City,
    Event,
    FundingContribution,
    Milestone,
    Participation,
    Programme,
    Project,
)
from programs.rules.periods import PeriodError, parse_period

# First path segments of the programme pages: no programme may be coded like them.
RESERVED_CODES = frozenset(
    {
        "new",
        "cities",
        "projects",
        "events",
        "participations",
        "contributions",
        "assessments",
        "milestones",
        "scoring",
        "records",
    }
)
PROVENANCE = ["source_doc", "note"]
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_model_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Attach a model's ``ValidationError`` to ``form``: by field where the form shows it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        target = field if field in form.fields else None
        if target is None and field != NON_FIELD_ERRORS:
            label = str(form.instance._meta.get_field(field).verbose_name)
            errors = [ValidationError(f"{label}: {message}") for e in errors for message in e]
        form.add_error(target, errors)


def not_negative(field: forms.Field) -> None:
    """Refuse a negative number in ``field`` with a message on the field.

    The models' check constraints refuse it too, but their message names the constraint.
    """
    field.validators.append(MinValueValidator(0))
    field.widget.attrs.setdefault("min", "0")


class RecordForm(forms.ModelForm):
    """Common layout: text areas stay small, dates use the browser's date picker."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs.setdefault("rows", 3)


class ProgrammeForm(RecordForm):
    class Meta:
        model = Programme
        fields = [
            "code",
            "name_zh_hant",
            "name_en",
            "name_ja",
            "name_original",
            "kind",
            "description",
            "organisers",
            *PROVENANCE,
        ]
        widgets = {"organisers": forms.SelectMultiple(attrs={"size": 8})}

    def clean_code(self):
        code = self.cleaned_data["code"]
        if code in RESERVED_CODES:
            raise ValidationError(
                _("“%(code)s” names a page of the programmes; choose another code."),
                code="reserved",
                params={"code": code},
            )
        return code


class CityForm(RecordForm):
    class Meta:
        model = City
        fields = ["country", "name_original", "name_en", *PROVENANCE]


class ParticipationForm(RecordForm):
    """A city's participation in a programme year; the programme is the page's."""

    class Meta:
        model = Participation
        fields = [
            "city",
            "country",
            "programme_year",
            "period_as_written",
            "status",
            "focus_areas",
            "problem_stated",
            "activities",
            "results",
            "partners_named",
            *PROVENANCE,
            "case_study_source_doc",
            "case_study_note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = City.objects.select_related("country")


class ProjectForm(RecordForm):
    """A project or proposal; its status changes only through review steps once it exists."""

    class Meta:
        model = Project
        fields = [
            "reference",
            "programme",
            "fund",
            "kind",
            "status",
            "fiscal_year",
            "number",
            "title_en",
            "title_original",
            "countries",
            "region_en",
            "region_original",
            "city",
            "lead_organisation",
            "lead_organisation_name_en",
            "lead_organisation_name_original",
            "participants_en",
            "participants_original",
            "technology",
            "expected_tco2_per_year",
            "expected_reduction_as_written",
            "reference_performance",
            "registration_date",
            "registering_body",
            "area_as_written",
            "dimensions",
            "key_facts",
            "proponents",
            "dates_as_written",
            *PROVENANCE,
        ]
        widgets = {
            "countries": forms.SelectMultiple(attrs={"size": 6}),
            "registration_date": DATE_INPUT,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = City.objects.select_related("country")
        not_negative(self.fields["expected_tco2_per_year"])
        if self.instance.pk is not None:
            # The review steps move an existing proposal (programs.rules.review), not this form.
            del self.fields["status"]

    def clean(self):
        cleaned = super().clean()
        fund, programme = cleaned.get("fund"), cleaned.get("programme")
        if fund and programme and fund.programme_id not in (None, programme.pk):
            self.add_error("fund", _("The fund belongs to another programme."))
        return cleaned


class EventForm(RecordForm):
    """An event or seminar; the start date is read from the date as written when left empty."""

    class Meta:
        model = Event
        fields = [
            "code",
            "programme",
            "name_en",
            "name_original",
            "series",
            "edition",
            "edition_number",
            "start_as_written",
            "end_as_written",
            "start_date",
            "end_date",
            "date_precision",
            "status",
            "status_as_written",
            "venue_en",
            "venue_original",
            "country",
            "country_as_written",
            "organiser",
            "participants",
            "participants_as_written",
            "countries_count",
            "countries_as_written",
            "local_governments_count",
            "local_governments_as_written",
            "organisations_count",
            "organisations_as_written",
            "outcomes_en",
            "outcomes_original",
            *PROVENANCE,
        ]
        widgets = {"start_date": DATE_INPUT, "end_date": DATE_INPUT}

    def clean(self):
        cleaned = super().clean()
        written = cleaned.get("start_as_written", "")
        if written and not cleaned.get("start_date"):
            try:
                period = parse_period(written)
            except PeriodError:
                return cleaned
            cleaned["start_date"] = period.start
            cleaned["date_precision"] = cleaned.get("date_precision") or period.precision
            if not cleaned.get("end_date") and not cleaned.get("end_as_written"):
                cleaned["end_date"] = period.end
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The event cannot end before it starts."))
        return cleaned


class FundingContributionForm(RecordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        not_negative(self.fields["amount"])
        not_negative(self.fields["total_contributed"])

    class Meta:
        model = FundingContribution
        fields = [
            "fund",
            "economy",
            "economy_as_written",
            "year",
            "amount",
            "currency",
            "total_contributed",
            "total_currency",
            *PROVENANCE,
        ]


class MilestoneForm(RecordForm):
    """A dated milestone of a programme (the page's), or of one of its proposals."""

    class Meta:
        model = Milestone
        fields = [
            "project",
            "date_as_written",
            "date",
            "end_date",
            "date_precision",
            "title_en",
            "title_original",
            "kind",
            *PROVENANCE,
        ]
        widgets = {"date": DATE_INPUT, "end_date": DATE_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.filter(
            programme_id=self.instance.programme_id
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The milestone cannot end before it starts."))
        return cleaned
