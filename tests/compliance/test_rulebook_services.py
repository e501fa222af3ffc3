"""The rule book's legal properties: frozen versions, effective dates, explainable decisions."""

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from compliance import rules
from compliance.choices import EquipmentKind, ExemptionReason, RuleBookStatus
from compliance.models import (
    ArticleStatus,
    ComplianceAssessment,
    Exemption,
    PremisesStatus,
    RuleBookVersion,
)
from compliance.rulebook.bridge import parameters_of, version_in_force
from compliance.rulebook.services import assessment, exemptions
from compliance.rulebook.services import versions as rulebook_services
from portal.models import AuditEntry
from tests.factories import make_equipment, make_premises

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to("2026-11-23 10:00 +0800")


def draft_with(administrator, **changes) -> RuleBookVersion:
    draft = rulebook_services.create_draft(administrator)
    params = dataclasses.replace(parameters_of(draft), **changes)
    return rulebook_services.update_draft(administrator, draft, params=params)


def chiller_without_meter(premises, hp="120"):
    return make_equipment(
        premises, EquipmentKind.CHILLER, capacity_hp=Decimal(hp), has_separate_meter=False
    )


def article(premises, number):
    row = ArticleStatus.objects.filter(premises=premises, article=number).first()
    return row.outcome if row else None


def test_the_initial_version_holds_the_ordinances_starting_values():
    version = version_in_force(TODAY)
    params = parameters_of(version)
    assert version.is_published
    assert params.indoor_temperature_floor_c == Decimal("26")
    assert params.chiller_threshold_hp == Decimal("100")
    assert params.boiler_steam_threshold_tph == Decimal("2")
    assert params.boiler_heat_input_threshold_kcal_h == 1_530_000
    assert params.grace_months == 6
    assert AuditEntry.objects.filter(object_type="compliance.rulebookversion").exists()


def test_a_future_version_changes_assessments_from_its_date_only(administrator, premises):
    chiller_without_meter(premises)
    draft = draft_with(administrator, chiller_threshold_hp=Decimal("150"))
    draft.effective_from = TODAY + datetime.timedelta(days=5)
    draft.save()
    rulebook_services.publish(administrator, draft)

    assessment.assess_premises([premises.pk], day=TODAY)
    assert article(premises, "5-3") == "non_compliant"
    assessment.assess_premises([premises.pk], day=TODAY + datetime.timedelta(days=4))
    assert article(premises, "5-3") == "non_compliant"
    assessment.assess_premises([premises.pk], day=TODAY + datetime.timedelta(days=5))
    assert article(premises, "5-3") is None  # 120 HP is below the new threshold

    decisions = ComplianceAssessment.objects.filter(premises=premises).order_by("id")
    first, latest = decisions
    # The old decision still shows the version and the parameter values it used.
    assert first.rulebook_version != draft
    assert first.parameters["chiller_threshold_hp"] == "100"
    assert first.confirmed_on == TODAY + datetime.timedelta(days=4)
    assert latest.rulebook_version == draft
    assert latest.parameters["chiller_threshold_hp"] == "150"


def test_an_unchanged_result_is_confirmed_not_duplicated(premises):
    chiller_without_meter(premises)
    assessment.assess_premises([premises.pk], day=TODAY)
    changed = assessment.assess_premises([premises.pk], day=TODAY + datetime.timedelta(days=1))
    assert changed == 0
    decision = ComplianceAssessment.objects.get(premises=premises)
    assert decision.as_of == TODAY
    assert decision.confirmed_on == TODAY + datetime.timedelta(days=1)


def test_a_penalty_schedule_outside_the_statutory_range_cannot_be_published(administrator):
    schedules = tuple(
        rules.PenaltySchedule("15", (5_000, 10_000)) if row.penalty_article == "15" else row
        for row in parameters_of(version_in_force(TODAY)).penalty_schedules
    )
    draft = draft_with(administrator, penalty_schedules=schedules)
    with pytest.raises(ValidationError) as excinfo:
        rulebook_services.publish(administrator, draft)
    assert "parameters" in excinfo.value.message_dict
    assert any("10,000" in m or "10000" in m for m in excinfo.value.message_dict["parameters"])
    draft.refresh_from_db()
    assert draft.status == RuleBookStatus.DRAFT


def test_a_version_cannot_take_effect_in_the_past(administrator):
    draft = draft_with(administrator)
    draft.effective_from = TODAY - datetime.timedelta(days=1)
    draft.save()
    with pytest.raises(ValidationError) as excinfo:
        rulebook_services.publish(administrator, draft)
    assert "effective_from" in excinfo.value.message_dict


def test_a_published_version_is_never_changed(administrator):
    version = version_in_force(TODAY)
    version.title = "edited"
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        rulebook_services.update_draft(administrator, version, title="edited")
    with pytest.raises(ValidationError):
        version.delete()
    # Even a bulk update past the model is refused by the database.
    with pytest.raises(DatabaseError), transaction.atomic():
        RuleBookVersion.objects.filter(pk=version.pk).update(title="edited")
    with pytest.raises(DatabaseError), transaction.atomic():
        RuleBookVersion.objects.filter(pk=version.pk).delete()
    version.refresh_from_db()
    assert version.title != "edited"


def test_publishing_is_audited_with_the_publisher(administrator):
    draft = draft_with(administrator, indoor_temperature_floor_c=Decimal("25.5"))
    rulebook_services.publish(administrator, draft)
    entry = AuditEntry.objects.filter(
        object_type="compliance.rulebookversion", object_id=str(draft.pk), action="approve"
    ).get()
    assert entry.actor == administrator
    update = AuditEntry.objects.filter(
        object_type="compliance.rulebookversion", object_id=str(draft.pk), action="update"
    ).get()
    assert update.changes["parameters.indoor_temperature_floor_c"] == ["26", "25.5"]


def test_the_diff_names_the_changed_rows():
    before = rules.params_to_dict(rules.initial_parameters())
    after = rules.params_to_dict(
        dataclasses.replace(
            rules.initial_parameters(),
            indoor_temperature_floor_c=Decimal("27"),
            illuminance_standards=tuple(
                dataclasses.replace(row, upper_lux=Decimal("800"))
                if row.space_type == "office"
                else row
                for row in rules.initial_parameters().illuminance_standards
            ),
        )
    )
    changes = {c.path: (c.before, c.after) for c in rulebook_services.diff(before, after)}
    assert changes == {
        "indoor_temperature_floor_c": ("26", "27"),
        "illuminance_standards[office].upper_lux": ("750", "800"),
    }


def test_the_impact_preview_lists_exactly_the_premises_that_would_change(administrator, business):
    changes = make_premises(business, name="A 120 HP")
    chiller_without_meter(changes, "120")
    stays = make_premises(business, name="B 200 HP")
    chiller_without_meter(stays, "200")
    make_premises(business, name="C none")
    draft = draft_with(administrator, chiller_threshold_hp=Decimal("150"))
    impact = assessment.impact_of(draft, TODAY)
    assert [row.premises for row in impact] == [changes]
    assert impact[0].before == "non_compliant"
    assert impact[0].after == "unknown"  # no inspection yet: 5-5 and others unknown
    assert ("5-3", "non_compliant", None) in impact[0].articles


def test_saving_equipment_reassesses_its_premises_after_commit(
    owner, premises, django_capture_on_commit_callbacks
):
    from compliance.models import Equipment
    from compliance.services import save_record
    from tests.factories import EQUIPMENT_DEFAULTS

    item = Equipment(
        premises=premises,
        kind=EquipmentKind.CHILLER,
        tag="CH-9",
        **{**EQUIPMENT_DEFAULTS[EquipmentKind.CHILLER], "has_separate_meter": False},
    )
    with django_capture_on_commit_callbacks(execute=True):
        save_record(owner, item)
    status = PremisesStatus.objects.get(premises=premises)
    assert status.outcome == "non_compliant"
    assert article(premises, "5-3") == "non_compliant"


def test_an_exemption_applies_while_valid_and_stops_when_revoked(
    administrator, owner, premises, django_capture_on_commit_callbacks
):
    chiller = chiller_without_meter(premises)
    assessment.assess_premises([premises.pk], day=TODAY)
    assert article(premises, "5-3") == "non_compliant"
    request = Exemption(
        premises=premises,
        equipment=chiller,
        article="5-3",
        reason=ExemptionReason.TECHNICAL_IMPOSSIBILITY,
        explanation="The meter room is being rebuilt.",
        evidence="Building permit 115-0001.",
        valid_from=TODAY,
        valid_until=TODAY + datetime.timedelta(days=30),
    )
    with django_capture_on_commit_callbacks(execute=True):
        exemptions.request_exemption(owner, request)
        exemptions.decide_exemption(administrator, request, approve=True, reason="Seen permit.")
    assert article(premises, "5-3") == "compliant"
    latest = ComplianceAssessment.objects.filter(premises=premises).latest("id")
    assert any(f["exemption"] == "grant" for f in latest.findings)

    assessment.assess_premises([premises.pk], day=TODAY + datetime.timedelta(days=31))
    assert article(premises, "5-3") == "non_compliant"  # expired

    with django_capture_on_commit_callbacks(execute=True):
        exemptions.revoke_exemption(administrator, request, reason="Rebuilt.", on=TODAY)
    assessment.assess_premises([premises.pk], day=TODAY + datetime.timedelta(days=1))
    assert article(premises, "5-3") == "non_compliant"


def test_a_business_cannot_request_an_exemption_for_another_business(owner, other_premises):
    from django.core.exceptions import PermissionDenied

    request = Exemption(
        premises=other_premises,
        article="5-1",
        reason="other",
        explanation="x",
        evidence="x",
        valid_from=TODAY,
    )
    with pytest.raises(PermissionDenied):
        exemptions.request_exemption(owner, request)


def test_business_status_rolls_up_its_premises(business):
    assert assessment.rollup(["compliant", "compliant"]) == "compliant"
    assert assessment.rollup(["compliant", "unknown"]) == "unknown"
    assert assessment.rollup(["unknown", "non_compliant"]) == "non_compliant"
    assert assessment.rollup([]) == "unknown"
    assert assessment.rollup(["compliant", None]) == "unknown"
