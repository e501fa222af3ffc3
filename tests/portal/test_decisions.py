"""The abstract decision: one declaration of who decided, when and why, columns unchanged."""

import datetime

import pytest
from django.conf import settings
from django.db import models
from django.utils import timezone

from compliance.models import Appeal, BusinessClaim, Exemption, FinePayment, SupplierReferral
from portal.models.decisions import Decided, Decision
from programs.models import CriterionAssessment
from subsidies.models import Application

# The label each model's reason had before the abstract model (its migrations say so).
REASON_LABELS = {
    BusinessClaim: "reason",
    Exemption: "reason for the decision",
    FinePayment: "reason for the decision",
    Appeal: "reason for the decision",  # the Department's own review (AAA Art. 58)
    SupplierReferral: "reason",
}


@pytest.mark.parametrize("model", [*REASON_LABELS, Application, CriterionAssessment])
def test_who_and_when_keep_their_columns_labels_and_no_reverse_accessor(model):
    assert issubclass(model, Decided)
    by, at = model._meta.get_field("decided_by"), model._meta.get_field("decided_at")
    assert (by.column, by.null, by.blank) == ("decided_by_id", True, True)
    assert by.remote_field.model._meta.label == settings.AUTH_USER_MODEL
    assert by.remote_field.on_delete is models.SET_NULL and by.remote_field.related_name == "+"
    assert (str(by.verbose_name), str(at.verbose_name)) == ("decided by", "decided")
    assert (at.column, at.null) == ("decided_at", True)


@pytest.mark.parametrize(("model", "label"), REASON_LABELS.items())
def test_the_reason_keeps_its_column_and_its_models_label(model, label):
    assert issubclass(model, Decision)
    reason = model._meta.get_field("decision_reason")
    assert (reason.column, reason.blank, str(reason.verbose_name)) == (
        "decision_reason",
        True,
        label,
    )


def test_the_decision_models_are_abstract():
    assert Decided._meta.abstract and Decision._meta.abstract


AT = datetime.datetime(2026, 11, 17, 2, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize("model", list(REASON_LABELS))
def test_record_decision_sets_who_when_and_why_and_names_the_fields(model, django_user_model):
    row, actor = model(), django_user_model(username="officer")

    fields = row.record_decision(actor, "Documents complete", at=AT)

    assert fields == ["decided_by", "decided_at", "decision_reason"]
    assert (row.decided_by, row.decided_at, row.decision_reason) == (
        actor,
        AT,
        "Documents complete",
    )


def test_record_decision_is_now_by_default_and_keeps_the_reason_when_none_is_given(
    django_user_model,
):
    row = FinePayment(decision_reason="earlier")
    before = timezone.now()

    fields = row.record_decision(django_user_model(username="officer"))

    assert fields == ["decided_by", "decided_at"]
    assert before <= row.decided_at <= timezone.now()
    assert row.decision_reason == "earlier"


@pytest.mark.parametrize("model", [Application, CriterionAssessment])
def test_a_decision_without_a_reason_records_who_and_when_and_can_be_cleared(
    model, django_user_model
):
    row, actor = model(), django_user_model(username="officer")

    assert row.record_decision(actor, at=AT) == ["decided_by", "decided_at"]
    assert (row.decided_by, row.decided_at) == (actor, AT)
    assert row.clear_decision() == ["decided_by", "decided_at"]
    assert (row.decided_by, row.decided_at) == (None, None)
