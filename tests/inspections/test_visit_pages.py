"""The tablet visit pages: idempotent JSON saves, errors by input, limits, who may do what."""

import re
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from compliance.choices import EquipmentKind, PremisesCategory
from compliance.models import Violation
from compliance.rules.measurements import shown_average
from inspections.models import Visit
from tests.factories import make_equipment, make_premises
from tests.inspections.visit_builders import (  # noqa: F401 (fixtures by name)
    inspection_fixture,
    make_inspection,
    make_visit,
    unassigned_inspector_fixture,
    visit_fixture,
)

pytestmark = pytest.mark.django_db


def management(prefix: str, total: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def payload(visit: Visit, *temperatures: str, **fields) -> dict:
    """Return the form as the tablet posts it (as visit_form.js sends it too)."""
    data = {
        "client_key": str(visit.client_key),
        "identification_shown": "on",
        "badge_numbers": "TPE-0042",
        "present_persons": "Ms Lin, store manager",
        "arrived_at": "2026-11-20T10:00",
        "departed_at": "2026-11-20T11:30",
        "obstruction_found": "unknown",
        "after_hours_equipment_on": "unknown",
        "notes": "",
        **management("temperatures", len(temperatures) + 1),
        **management("illuminance", 1),
        **management("checks", 0),
    }
    for index, value in enumerate(temperatures):
        data[f"temperatures-{index}-point"] = f"point {index + 1}"
        data[f"temperatures-{index}-temperature_c"] = value
    data.update(fields)
    return data


def post_json(client, visit, data, **headers):
    return client.post(
        reverse("visit-edit", args=[visit.pk]),
        data,
        headers={"accept": "application/json", "idempotency-key": str(visit.client_key), **headers},
    )


def test_sending_the_same_form_twice_saves_one_state_on_one_visit(client, inspector, visit):
    client.force_login(inspector)
    first = post_json(client, visit, payload(visit, "25.0", "26.0"))
    second = post_json(client, visit, payload(visit, "25.0", "26.0"))
    assert first.status_code == second.status_code == 200
    body = second.json()
    assert body["ok"] is True and body["saved_at"]
    assert Visit.objects.count() == 1
    assert sorted(visit.temperatures.values_list("temperature_c", flat=True)) == [
        Decimal("25.0"),
        Decimal("26.0"),
    ]
    (violation,) = body["violations"]
    assert violation["article"] == "5-5"
    assert "25.5" in violation["message"]


def test_errors_come_back_by_input_name_and_nothing_is_saved(client, inspector, visit):
    client.force_login(inspector)
    response = post_json(
        client,
        visit,
        payload(visit, "25.0", "99", departed_at="2026-11-20T09:00", refused="on"),
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "temperatures-1-temperature_c" in errors
    assert "refusal_circumstances" in errors
    assert "departed_at" in errors or "__all__" in errors
    assert not visit.temperatures.exists()


def test_a_form_for_another_visit_is_refused(client, inspector, visit):
    client.force_login(inspector)
    wrong_header = post_json(client, visit, payload(visit, "26"), **{"idempotency-key": "x"})
    data = payload(visit, "26", client_key=str(uuid.uuid4()))
    wrong_body = post_json(client, visit, data)
    assert wrong_header.status_code == wrong_body.status_code == 400
    assert "another visit" in wrong_body.json()["errors"]["__all__"][0]
    assert not visit.temperatures.exists()


def test_without_javascript_the_page_lists_the_broken_rules_after_saving(client, inspector, visit):
    client.force_login(inspector)
    response = client.post(
        reverse("visit-edit", args=[visit.pk]), payload(visit, "25.0"), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("visit-edit", args=[visit.pk])
    text = response.content.decode()
    assert "The visit has been saved." in text
    assert "Art. 5-5" in text and "25.00" in text


def test_the_form_carries_the_limits_of_the_rule_book_in_force(client, inspector, premises):
    premises.has_arcade = True
    premises.save()
    make_equipment(premises, EquipmentKind.ENTRANCE, tag="DOOR-1")
    make_equipment(premises, EquipmentKind.BOILER, tag="BLR-1")
    visit = make_visit(make_inspection(premises, lead=inspector))
    client.force_login(inspector)
    page = client.get(reverse("visit-edit", args=[visit.pk])).content.decode()
    assert 'data-temperature-floor="26"' in page
    assert 'data-arcade-switch-on="100"' in page
    assert 'data-arcade-low="100"' in page and 'data-arcade-high="300"' in page
    assert "data-cns-upper=" in page and "&quot;office&quot;: &quot;750&quot;" in page
    assert f'data-client-key="{visit.client_key}"' in page
    # Plausible ranges as HTML limits, the checklist pre-filled from the declared equipment.
    assert re.search(r'name="temperatures-0-temperature_c"[^>]*max="45"', page)
    assert 'name="arcade-TOTAL_FORMS"' in page
    assert page.count('name="checks-') >= 3 * 3  # DOOR-1 (5-1), BLR-1 (8-1 and 8-2)
    assert "DOOR-1" in page and "BLR-1" in page
    assert "<script>" not in page


def test_an_exempt_category_has_no_temperature_floor_on_the_form(client, inspector, business):
    premises = make_premises(business, category=PremisesCategory.COLD_STORAGE)
    visit = make_visit(make_inspection(premises, lead=inspector))
    client.force_login(inspector)
    page = client.get(reverse("visit-edit", args=[visit.pk])).content.decode()
    assert "data-temperature-floor" not in page


def test_an_unassigned_inspector_reads_but_cannot_edit(client, unassigned_inspector, visit):
    client.force_login(unassigned_inspector)
    assert client.get(reverse("visit-detail", args=[visit.pk])).status_code == 200
    assert client.get(reverse("visit-edit", args=[visit.pk])).status_code == 403
    assert post_json(client, visit, payload(visit, "20")).status_code == 403
    assert client.post(reverse("visit-complete", args=[visit.pk])).status_code == 403
    assert not visit.temperatures.exists()


def test_the_business_reads_its_visit_but_another_business_does_not(
    client, owner, other_owner, visit
):
    client.force_login(owner)
    assert client.get(reverse("visit-detail", args=[visit.pk])).status_code == 200
    assert client.get(reverse("visit-edit", args=[visit.pk])).status_code == 403
    client.force_login(other_owner)
    assert client.get(reverse("visit-detail", args=[visit.pk])).status_code == 404


def test_starting_from_the_inspection_twice_makes_one_visit(client, inspector, inspection):
    client.force_login(inspector)
    start = reverse("visit-start", args=[inspection.pk])
    page = client.get(start).content.decode()
    key = re.search(r'name="client_key" value="([0-9a-f-]+)"', page).group(1)
    first = client.post(start, {"client_key": key})
    second = client.post(start, {"client_key": key})
    visit = Visit.objects.get()
    assert first["Location"] == second["Location"] == reverse("visit-edit", args=[visit.pk])
    assert str(visit.client_key) == key
    assert client.get(start)["Location"] == reverse("visit-edit", args=[visit.pk])


def test_completing_shows_the_violation_with_its_deadline(client, inspector, visit):
    client.force_login(inspector)
    post_json(client, visit, payload(visit, "25.0", "26.0"))
    confirm = client.get(reverse("visit-complete", args=[visit.pk])).content.decode()
    assert "Art. 5-5" in confirm
    response = client.post(reverse("visit-complete", args=[visit.pk]), follow=True)
    text = response.content.decode()
    assert "1 violation(s) opened" in text
    assert "2026-12-04" in text  # 2026-11-20 + 14 days
    assert Violation.objects.filter(source_reference=f"visit-{visit.pk}").count() == 1
    # The tablet sending its kept entries again after completion changes nothing.
    late = post_json(client, visit, payload(visit, "28"))
    assert late.status_code == 400
    assert sorted(visit.temperatures.values_list("temperature_c", flat=True)) == [
        Decimal("25.0"),
        Decimal("26.0"),
    ]


def test_completing_without_identification_says_what_is_missing(client, inspector, inspection):
    visit = make_visit(inspection, ready=False)
    client.force_login(inspector)
    response = client.post(reverse("visit-complete", args=[visit.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "identification was shown" in text
    assert "time of arrival" in text
    # In the error summary, which takes the focus (static/js/error_summary.js).
    summary = text[text.index("data-error-summary-box") :]
    assert summary.index("identification was shown") < summary.index("</ul>")
    assert not Visit.objects.get(pk=visit.pk).is_completed


def test_a_refusal_page_flow_opens_an_article_17_case(client, inspector, visit):
    client.force_login(inspector)
    data = payload(visit, refused="on", refusal_circumstances="Entry refused at the door.")
    assert post_json(client, visit, data).json()["ok"]
    client.post(reverse("visit-complete", args=[visit.pk]))
    case = Violation.objects.get(source_reference=f"visit-{visit.pk}", article="10-1")
    assert (case.penalty_article, case.deadline) == ("17", None)
    page = client.get(reverse("visit-detail", args=[visit.pk])).content.decode()
    assert "None: fined directly" in page


def test_the_pages_and_the_save_response_show_the_engines_average(client, inspector, visit):
    client.force_login(inspector)
    # 25.966… °C: the engine shows 25.97 (half-up), the decision compares it exactly.
    body = post_json(client, visit, payload(visit, "25.9", "26.0", "26.0")).json()
    engine = shown_average([Decimal("25.9"), Decimal("26.0"), Decimal("26.0")])
    assert engine == Decimal("25.97")
    assert body["temperature_average"] == "25.97"
    (violation,) = body["violations"]
    assert violation["measured"] == "25.97" and "25.97" in violation["message"]
    edit = client.get(reverse("visit-edit", args=[visit.pk])).content.decode()
    assert "Average of the saved points: 25.97 °C" in edit
    assert "data-msg-average-preview=" in edit
    detail = client.get(reverse("visit-detail", args=[visit.pk])).content.decode()
    assert re.search(r"data-average>\s*25\.97\s*<", detail)
    assert "25.96" not in edit + detail


def test_the_save_response_has_no_average_without_temperatures(client, inspector, visit):
    client.force_login(inspector)
    body = post_json(client, visit, payload(visit)).json()
    assert body["ok"] is True and body["temperature_average"] is None
