"""A rule-book parameter is declared once: the editor, the page and explanations follow."""

from dataclasses import fields, replace
from decimal import Decimal

import pytest
from django.utils import translation

from compliance import rules
from compliance.rulebook.explain_texts import PARAMETER_FIELDS
from compliance.rulebook.forms.versions import PARAMETER_GROUPS, PARAMETERS, VersionForm
from compliance.rulebook.views.display import PAGE_SECTIONS, parameter_sections
from compliance.rules.declarations import Kind, declarations
from compliance.rules.params import InspectionTargetCriteria

PARAMS = rules.initial_parameters()


@pytest.mark.parametrize("owner", [rules.RuleParameters, InspectionTargetCriteria])
def test_every_parameter_field_is_declared_with_its_names(owner):
    assert [name for name, _ in declarations(owner)] == [item.name for item in fields(owner)]
    for name, declared in declarations(owner):
        assert declared.name, name
        assert PARAMETER_FIELDS[name] == declared.name
        if declared.kind not in (Kind.TABLE, Kind.CRITERIA):
            assert declared.label, name


def test_the_editor_has_one_field_per_declared_value_with_its_label():
    form = VersionForm()
    edited = {parameter.form_name: parameter.declared for parameter in PARAMETERS}
    assert set(form.fields) == set(VersionForm.VERSION_FIELDS) | set(edited)
    for name, declared in edited.items():
        assert str(form.fields[name].label) == declared.label
        assert str(form.fields[name].help_text) == declared.help
    grouped = [field.name for _legend, group in form.fieldsets()[1:] for field in group]
    assert sorted(grouped) == sorted(edited)  # every value sits in a group, once


def test_labels_help_texts_and_names_are_the_ones_of_the_catalogue():
    form = VersionForm()
    assert form.fields["arcade_band_high_lux"].label == "Arcade illuminance when lit, up to (lx)"
    assert form.fields["target_min_floor_area_m2"].required is False
    assert PARAMETER_FIELDS["arcade_band_high_lux"] == "arcade illuminance, high end (lx)"
    with translation.override("zh-hant"):
        label = str(VersionForm().fields["indoor_temperature_floor_c"].label)
        assert label != "Indoor temperature floor (°C, Art. 5-5)" and "5" in label
        legends = [str(legend) for legend, _ in VersionForm().fieldsets()]
        assert str(PARAMETER_GROUPS[0][1]) in legends


def test_the_page_shows_every_declared_value_it_lists_once_under_its_article():
    rows = {row.name: row for _, section in parameter_sections(PARAMS) for row in section}
    listed = {
        name
        for name, declared in declarations(rules.RuleParameters)
        if declared.shown_as and declared.kind is not Kind.CRITERIA
    } | {
        f"inspection_targets.{name}"
        for name, declared in declarations(InspectionTargetCriteria)
        if declared.shown_as
    }
    assert set(rows) == listed
    assert all(
        any(declared.article in articles for articles, _ in PAGE_SECTIONS)
        for _, declared in declarations(rules.RuleParameters)
        if declared.shown_as
    )
    assert rows["arcade_band_low_lux"].value == "100–300 lx"
    assert rows["boiler_heat_input_threshold_kcal_h"].value == "1,530,000 kcal/h"
    assert rows["grace_months"].value == "6 months"
    assert rows["log_lookback_months"].value == "last 12 months"
    assert rows["inspection_targets.min_floor_area_m2"].value == "1000 m²"


def _bound_cases():
    for name, declared in declarations(rules.RuleParameters):
        if declared.kind not in (Kind.WHOLE, Kind.DECIMAL):
            continue
        if declared.low is None:
            yield name, Decimal(0), "not_positive"
        else:
            yield name, declared.low - 1, "out_of_range"
            yield name, declared.high + 1, "out_of_range"


@pytest.mark.parametrize(("name", "value", "key"), list(_bound_cases()))
def test_validation_checks_the_declared_bounds(name, value, key):
    errors = rules.validate_parameters(replace(PARAMS, **{name: value}))
    assert [(error.field, error.message_key) for error in errors][:1] == [(name, key)]
