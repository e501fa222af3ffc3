"""An install date in the future is refused by the model, so form, API and CSV alike."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from compliance.choices import EquipmentKind
from tests.factories import make_business, make_equipment, make_premises

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", [EquipmentKind.AIR_CONDITIONER, EquipmentKind.BOILER])
def test_an_install_date_in_the_future_is_refused_with_its_reason(kind):
    item = make_equipment(make_premises(make_business()), kind)
    item.installed_on = date(2030, 1, 1)

    with pytest.raises(ValidationError) as refused:
        item.full_clean()

    errors = refused.value.message_dict
    assert list(errors) == ["installed_on"]
    assert "2030-01-01" in errors["installed_on"][0]
    assert "future" in errors["installed_on"][0]


def test_today_and_past_install_dates_are_accepted():
    item = make_equipment(make_premises(make_business()))
    for day in (timezone.localdate(), timezone.localdate() - timedelta(days=400)):
        item.installed_on = day
        item.full_clean()
