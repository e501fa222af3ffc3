"""The administrators' rule book pages: versions, the draft editor, diff, impact, publishing."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compliance import rules
from compliance.choices import EquipmentKind, RuleBookStatus
from compliance.models import RuleBookVersion
from compliance.rulebook.bridge import parameters_of, version_in_force
from compliance.rulebook.services import versions as rulebook_services
from portal.models import AuditEntry
from tests.factories import make_equipment, make_premises

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to("2026-11-23 10:00 +0800")


@pytest.fixture
def in_force() -> RuleBookVersion:
    return version_in_force(TODAY)


def draft_with(administrator, **changes) -> RuleBookVersion:
    draft = rulebook_services.create_draft(administrator)
    params = dataclasses.replace(parameters_of(draft), **changes)
    return rulebook_services.update_draft(administrator, draft, params=params)


def penalties_with(article: str, amounts: tuple[int, ...]) -> tuple[rules.PenaltySchedule, ...]:
    return tuple(
        rules.PenaltySchedule(article, amounts) if row.penalty_article == article else row
        for row in rules.initial_parameters().penalty_schedules
    )


def signed_in(client, user):
    client.force_login(user)
    return client


def editor_data(editor) -> dict:
    """Return what the edit page's form posts when nothing is changed."""
    data: dict = {}
    for field in editor.form:
        value = field.value()
        if isinstance(value, list):
            data[field.html_name] = value
        elif value is not None:
            data[field.html_name] = str(value)
    for formset in editor.formsets.values():
        for field in formset.management_form:
            data[field.html_name] = str(field.value())
        for form in formset.forms:
            for field in form:
                value = field.value()
                if value is not None and value is not False and value != "":
                    data[field.html_name] = str(value)
    return data


def edit_form(client, draft) -> dict:
    response = client.get(reverse("rulebook-edit", args=[draft.pk]))
    assert response.status_code == 200
    return editor_data(response.context["editor"])


def row_index(data: dict, prefix: str, column: str, value: str) -> int:
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    for index in range(total):
        if data.get(f"{prefix}-{index}-{column}") == value:
            return index
    raise AssertionError(f"no {prefix} row with {column}={value}")


def chiller_without_meter(premises, hp: str):
    return make_equipment(
        premises, EquipmentKind.CHILLER, capacity_hp=Decimal(hp), has_separate_meter=False
    )


# Reading.


def test_the_list_marks_the_version_in_force_and_a_future_one(client, administrator, in_force):
    future = draft_with(administrator, indoor_temperature_floor_c=Decimal("25.5"))
    future.effective_from = TODAY + datetime.timedelta(days=10)
    future.title = "Floor 25.5"
    future.save()
    rulebook_services.publish(administrator, future)
    draft = draft_with(administrator)

    response = signed_in(client, administrator).get(reverse("rulebook-list"))

    html = response.content.decode()
    rows = {
        pk: html.split(f'data-version="{pk}"')[1].split("</tr>")[0]
        for pk in (in_force.pk, future.pk, draft.pk)
    }
    assert "In force" in rows[in_force.pk]
    assert "in force later" in rows[future.pk]
    assert "Draft" in rows[draft.pk]


def test_other_roles_see_published_versions_but_never_drafts(client, owner, administrator):
    draft = draft_with(administrator)
    draft.title = "Secret draft"
    draft.save()
    client = signed_in(client, owner)

    listing = client.get(reverse("rulebook-list"))
    assert "Secret draft" not in listing.content.decode()
    published = RuleBookVersion.objects.published().get()
    assert published.title in listing.content.decode()
    for name in ("rulebook-detail", "rulebook-edit", "rulebook-impact", "rulebook-publish"):
        assert client.get(reverse(name, args=[draft.pk])).status_code == 404, name
    assert client.post(reverse("rulebook-delete", args=[draft.pk])).status_code == 404
    assert RuleBookVersion.objects.filter(pk=draft.pk).exists()


def test_non_administrators_cannot_start_a_draft(client, owner, inspector):
    count = RuleBookVersion.objects.count()
    for user in (owner, inspector):
        response = signed_in(client, user).post(reverse("rulebook-draft-create"))
        assert response.status_code == 403
    assert RuleBookVersion.objects.count() == count


def test_the_detail_page_shows_every_parameter_with_its_unit(client, inspector, in_force):
    response = signed_in(client, inspector).get(reverse("rulebook-detail", args=[in_force.pk]))

    text = response.content.decode()
    for expected in (
        "26 °C",
        "Supermarket fresh-food section",  # an exempt category, by its label
        "100–300 lx",
        "18 cm above the arcade floor",
        "Supermarket main display",  # CNS 12112 row
        "Split type",  # MOEA row
        "4.0 to under 7.1 kW",
        "100 HP",
        "2 t/h",
        "1,530,000 kcal/h",
        "NT$10,000, NT$20,000, NT$30,000",  # Art. 15's schedule
        "NT$10,000 to NT$30,000",  # beside it, the statutory range
        "6 months",  # Art. 19 grace
        "50000 kWh",  # Art. 12 electricity threshold
        "Department store or mall",  # Art. 10-5 target category
    ):
        assert expected in text, expected
    assert "Draft a new version" not in text  # inspectors do not draft


def test_a_draft_shows_its_changes_against_the_version_in_force(client, administrator):
    draft = draft_with(
        administrator,
        indoor_temperature_floor_c=Decimal("25.5"),
        penalty_schedules=penalties_with("15", (10_000, 25_000, 30_000)),
    )

    response = signed_in(client, administrator).get(reverse("rulebook-detail", args=[draft.pk]))

    changes = {c.path: c for c in response.context["changes"]}
    assert set(changes) == {"indoor_temperature_floor_c", "penalty_schedules[15].amounts_ntd"}
    floor = changes["indoor_temperature_floor_c"]
    assert (floor.label, floor.before, floor.after) == (
        "Indoor temperature floor (°C)",
        "26",
        "25.5",
    )
    assert "26 → 25.5" in response.content.decode()
    fines = changes["penalty_schedules[15].amounts_ntd"]
    assert "Art. 15" in fines.label
    assert fines.after == "NT$10,000, NT$25,000, NT$30,000"


# Editing.


def test_starting_a_draft_copies_the_version_in_force_and_opens_the_editor(
    client, administrator, in_force
):
    response = signed_in(client, administrator).post(reverse("rulebook-draft-create"))

    draft = RuleBookVersion.objects.latest("id")
    assert response.status_code == 302
    assert response.url == reverse("rulebook-edit", args=[draft.pk])
    assert draft.status == RuleBookStatus.DRAFT
    assert draft.based_on == in_force
    assert draft.parameters == in_force.parameters


def test_saving_the_editor_unchanged_changes_no_parameter(client, administrator):
    draft = draft_with(administrator)
    client = signed_in(client, administrator)
    before = RuleBookVersion.objects.get(pk=draft.pk).parameters

    response = client.post(reverse("rulebook-edit", args=[draft.pk]), edit_form(client, draft))

    assert response.status_code == 302, response.context["editor"].form.errors
    assert RuleBookVersion.objects.get(pk=draft.pk).parameters == before


def test_the_editor_saves_scalars_categories_and_tables_through_the_audited_service(
    client, administrator
):
    draft = draft_with(administrator)
    client = signed_in(client, administrator)
    data = edit_form(client, draft)
    data["title"] = "Summer 2027"
    data["indoor_temperature_floor_c"] = "25.5"
    data["temperature_exempt_categories"] = ["cold_storage", "data_centre"]
    data["chiller_threshold_hp"] = "150"
    office = row_index(data, "illuminance", "space_type", "office")
    data[f"illuminance-{office}-upper_lux"] = "800"
    corridor = row_index(data, "illuminance", "space_type", "corridor")
    data[f"illuminance-{corridor}-DELETE"] = "on"
    extra = int(data["illuminance-TOTAL_FORMS"]) - 1  # the empty row at the end
    data[f"illuminance-{extra}-space_type"] = "arcade"
    data[f"illuminance-{extra}-lower_lux"] = "100"
    data[f"illuminance-{extra}-upper_lux"] = "300"
    art15 = row_index(data, "penalties", "penalty_article", "15")
    data[f"penalties-{art15}-amounts"] = "10,000, 15,000 30000"

    response = client.post(reverse("rulebook-edit", args=[draft.pk]), data)

    assert response.status_code == 302, response.context["editor"].form.errors
    assert response.url == reverse("rulebook-detail", args=[draft.pk])
    draft.refresh_from_db()
    params = parameters_of(draft)
    assert draft.title == "Summer 2027"
    assert params.indoor_temperature_floor_c == Decimal("25.5")
    assert params.temperature_exempt_categories == {"cold_storage", "data_centre"}
    assert params.chiller_threshold_hp == Decimal("150")
    assert params.illuminance_standard_for("office").upper_lux == Decimal("800")
    assert params.illuminance_standard_for("corridor") is None
    assert params.illuminance_standard_for("arcade").upper_lux == Decimal("300")
    assert params.penalty_schedule_for("15") == (10_000, 15_000, 30_000)
    entry = AuditEntry.objects.filter(
        object_type="compliance.rulebookversion", object_id=str(draft.pk), action="update"
    ).latest("id")
    assert entry.actor == administrator
    assert entry.changes["parameters.indoor_temperature_floor_c"] == ["26", "25.5"]


def test_bad_input_is_refused_with_clear_errors_and_keeps_what_was_typed(client, administrator):
    draft = draft_with(administrator)
    client = signed_in(client, administrator)
    before = RuleBookVersion.objects.get(pk=draft.pk).parameters
    data = edit_form(client, draft)
    data["indoor_temperature_floor_c"] = "warm"
    data["title"] = "Typed title"
    art16 = row_index(data, "penalties", "penalty_article", "16")
    data[f"penalties-{art16}-amounts"] = "20000 lots"

    response = client.post(reverse("rulebook-edit", args=[draft.pk]), data)

    assert response.status_code == 200
    editor = response.context["editor"]
    assert "indoor_temperature_floor_c" in editor.form.errors
    assert "Enter whole NT$ amounts" in str(editor.formsets["penalties"].forms[art16].errors)
    html = response.content.decode()
    assert 'value="warm"' in html
    assert 'value="Typed title"' in html
    assert 'value="20000 lots"' in html
    # Summarised at the top, each error linking to its field (GOV.UK's error summary).
    summary = html[
        html.index('class="error-summary"') : html.index(
            "</ul>", html.index('class="error-summary"')
        )
    ]
    assert "There is a problem" in summary
    floor = editor.form["indoor_temperature_floor_c"]
    amounts = editor.formsets["penalties"].forms[art16]["amounts"]
    assert f'<a href="#{floor.auto_id}">' in summary
    assert f'<a href="#{amounts.auto_id}">' in summary
    draft.refresh_from_db()
    assert draft.parameters == before
    assert draft.title != "Typed title"


def test_a_draft_with_problems_is_saved_and_the_editor_shows_them(client, administrator):
    draft = draft_with(administrator)
    client = signed_in(client, administrator)
    data = edit_form(client, draft)
    art15 = row_index(data, "penalties", "penalty_article", "15")
    data[f"penalties-{art15}-amounts"] = "5000 10000"
    split_eer = row_index(data, "efficiency", "min_kw", "7.1")  # split/eer from 7.1 kW
    data[f"efficiency-{split_eer}-min_kw"] = "6"

    response = client.post(reverse("rulebook-edit", args=[draft.pk]), data, follow=True)

    assert parameters_of(RuleBookVersion.objects.get(pk=draft.pk)).penalty_schedule_for("15") == (
        5_000,
        10_000,
    )
    assert "Fix the problems listed before publishing" in response.content.decode()
    page = client.get(reverse("rulebook-edit", args=[draft.pk])).content.decode()
    assert "NT$5000 is outside the statutory range NT$10000-NT$30000" in page
    assert "overlap" in page


# Impact, publishing, discarding.


def test_the_impact_preview_lists_exactly_the_premises_that_would_change(
    client, administrator, business
):
    changes = make_premises(business, name="A 120 HP", district="daan")
    chiller_without_meter(changes, "120")
    stays = make_premises(business, name="B 200 HP")
    chiller_without_meter(stays, "200")
    make_premises(business, name="C none")
    draft = draft_with(administrator, chiller_threshold_hp=Decimal("150"))

    response = signed_in(client, administrator).get(reverse("rulebook-impact", args=[draft.pk]))

    impacts = response.context["impacts"]
    assert [row["premises"] for row in impacts] == [changes]
    html = response.content.decode()
    assert f'data-premises="{changes.pk}"' in html
    assert f'data-premises="{stays.pk}"' not in html
    assert 'data-impact-count="1"' in html
    row = html.split(f'data-premises="{changes.pk}"')[1].split("</tr>")[0]
    assert "Da&#x27;an" in row or "Da'an" in row
    assert business.name_zh in row
    assert "Non-compliant → Unknown" in row
    assert "Art. 5-3: Non-compliant → Not applicable" in row


def test_an_out_of_range_penalty_cannot_be_published_and_stays_a_draft(client, administrator):
    draft = draft_with(administrator, penalty_schedules=penalties_with("15", (5_000, 10_000)))
    client = signed_in(client, administrator)

    page = client.get(reverse("rulebook-publish", args=[draft.pk]))
    assert "outside the statutory range NT$10000-NT$30000" in page.content.decode()
    assert b"data-publish" not in page.content  # no publish button

    response = client.post(reverse("rulebook-publish", args=[draft.pk]))

    assert response.status_code == 200
    assert "outside the statutory range NT$10000-NT$30000" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == RuleBookStatus.DRAFT
    assert draft.published_at is None


def test_a_past_effective_date_is_refused_on_publishing(client, administrator):
    draft = draft_with(administrator)
    draft.effective_from = TODAY - datetime.timedelta(days=1)
    draft.save()

    response = signed_in(client, administrator).post(reverse("rulebook-publish", args=[draft.pk]))

    assert "cannot take effect before the day it is published" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == RuleBookStatus.DRAFT


def test_publishing_freezes_the_draft_with_its_publisher(client, administrator):
    draft = draft_with(administrator, indoor_temperature_floor_c=Decimal("25.5"))
    client = signed_in(client, administrator)
    page = client.get(reverse("rulebook-publish", args=[draft.pk]))
    assert b"data-publish" in page.content
    assert "26 → 25.5" in page.content.decode()

    response = client.post(reverse("rulebook-publish", args=[draft.pk]), {"reason": "Gazette"})

    assert response.status_code == 302
    assert response.url == reverse("rulebook-list")
    draft.refresh_from_db()
    assert draft.status == RuleBookStatus.PUBLISHED
    assert draft.published_by == administrator
    entry = AuditEntry.objects.get(
        object_type="compliance.rulebookversion", object_id=str(draft.pk), action="approve"
    )
    assert entry.reason == "Gazette"


def test_a_published_version_cannot_be_changed_through_the_pages(client, administrator, in_force):
    client = signed_in(client, administrator)
    before = RuleBookVersion.objects.filter(pk=in_force.pk).values().get()
    for name in ("rulebook-edit", "rulebook-publish", "rulebook-delete"):
        url = reverse(name, args=[in_force.pk])
        assert client.get(url).status_code == 403, name
        assert client.post(url, {"title": "edited"}).status_code == 403, name
    assert client.get(reverse("rulebook-impact", args=[in_force.pk])).status_code == 403
    assert RuleBookVersion.objects.filter(pk=in_force.pk).values().get() == before


def test_discarding_a_draft_removes_it_and_is_audited(client, administrator):
    draft = draft_with(administrator)
    client = signed_in(client, administrator)
    assert client.get(reverse("rulebook-delete", args=[draft.pk])).status_code == 200

    response = client.post(reverse("rulebook-delete", args=[draft.pk]))

    assert response.status_code == 302
    assert not RuleBookVersion.objects.filter(pk=draft.pk).exists()
    assert AuditEntry.objects.filter(
        object_type="compliance.rulebookversion", object_id=str(draft.pk), action="delete"
    ).exists()


# The Django admin.


def test_the_admin_site_never_changes_a_published_version(client, administrator, in_force):
    client = signed_in(client, administrator)
    before = RuleBookVersion.objects.filter(pk=in_force.pk).values().get()
    change = reverse("admin:compliance_rulebookversion_change", args=[in_force.pk])
    assert client.get(change).status_code == 200  # shown read-only

    response = client.post(
        change,
        {"title": "edited", "announcement": "x", "effective_from": "2026-12-01", "note": "x"},
    )
    deletion = client.post(
        reverse("admin:compliance_rulebookversion_delete", args=[in_force.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert deletion.status_code == 403
    assert RuleBookVersion.objects.filter(pk=in_force.pk).values().get() == before


def test_the_admin_site_changes_a_drafts_description_through_the_service(client, administrator):
    draft = draft_with(administrator)
    client = signed_in(client, administrator)
    change = reverse("admin:compliance_rulebookversion_change", args=[draft.pk])

    response = client.post(
        change,
        {"title": "Renamed", "announcement": "府產業字第1號", "effective_from": "2026-12-01"},
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.effective_from) == ("Renamed", datetime.date(2026, 12, 1))
    entry = AuditEntry.objects.filter(
        object_type="compliance.rulebookversion", object_id=str(draft.pk), action="update"
    ).latest("id")
    assert entry.actor == administrator
    assert entry.changes["title"][1] == "Renamed"


# Query counts.


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_page_needs_the_same_queries_for_more_versions(client, administrator):
    client = signed_in(client, administrator)
    url = reverse("rulebook-list")
    for offset in (1, 2):
        version = draft_with(administrator)
        version.effective_from = TODAY + datetime.timedelta(days=offset)
        version.save()
        rulebook_services.publish(administrator, version)
    few = _queries(client, url)
    for offset in range(3, 12):
        version = draft_with(administrator)
        version.effective_from = TODAY + datetime.timedelta(days=offset)
        version.save()
        if offset % 2:
            rulebook_services.publish(administrator, version)

    assert _queries(client, url) == few
