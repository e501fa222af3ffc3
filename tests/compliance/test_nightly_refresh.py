"""The nightly refresh: a version taking effect at midnight (Asia/Taipei) changes status."""

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.conf import settings

from compliance.choices import EquipmentKind
from compliance.models import ArticleStatus, PremisesStatus
from compliance.rulebook.bridge import parameters_of
from compliance.rulebook.services import assessment
from compliance.rulebook.services import versions as rulebook_services
from compliance.tasks import nightly_refresh
from tests.factories import make_equipment, make_premises

pytestmark = pytest.mark.django_db


def test_the_refresh_is_scheduled_after_midnight_in_taipei():
    entry = settings.CELERY_BEAT_SCHEDULE["compliance-nightly-refresh"]
    assert entry["task"] == "compliance.tasks.nightly_refresh"
    assert entry["schedule"].hour == {0}
    assert settings.CELERY_TIMEZONE == "Asia/Taipei"


def test_a_version_taking_effect_tonight_reassesses_every_premises(
    administrator, business, time_machine
):
    time_machine.move_to("2026-11-23 10:00 +0800")
    first = make_premises(business)
    second = make_premises(business)
    for premises in (first, second):
        make_equipment(
            premises, EquipmentKind.CHILLER, capacity_hp=Decimal("120"), has_separate_meter=False
        )
    assessment.assess_premises(None, day=datetime.date(2026, 11, 23))
    draft = rulebook_services.create_draft(administrator)
    params = dataclasses.replace(parameters_of(draft), chiller_threshold_hp=Decimal("150"))
    draft = rulebook_services.update_draft(
        administrator, draft, params=params, effective_from=datetime.date(2026, 11, 24)
    )
    rulebook_services.publish(administrator, draft)

    # The day before, nothing is due.
    assert nightly_refresh("2026-11-23") == 0
    # At midnight the version takes effect: both premises change.
    assert nightly_refresh("2026-11-24") == 2
    assert not ArticleStatus.objects.filter(article="5-3").exists()
    assert set(PremisesStatus.objects.values_list("as_of", flat=True)) == {
        datetime.date(2026, 11, 24)
    }


def test_an_ordinary_night_only_assesses_what_is_due(business, time_machine):
    time_machine.move_to("2026-11-23 10:00 +0800")
    assessed = make_premises(business)
    assessment.assess_premises([assessed.pk], day=datetime.date(2026, 11, 23))
    never = make_premises(business)
    assert nightly_refresh("2026-11-24") == 1
    assert PremisesStatus.objects.filter(premises=never).exists()
    assert PremisesStatus.objects.get(premises=assessed).as_of == datetime.date(2026, 11, 23)
