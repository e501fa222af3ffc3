"""Art. 14 pages and API: the eligibility preview, applying, the timeline, steps, query counts."""

import pytest
from django.urls import reverse

from subsidies.models import Application
from tests.enforcement.builders import fined_violation
from tests.factories import make_premises
from tests.subsidies.scheme_builders import make_application, make_scheme
from tests.uploads import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _form(business, premises, **fields):
    data = {
        "business": business.pk,
        "premises": premises.pk,
        "items": ["lamp_replacement"],
        "eligible_cost_ntd": 200_000,
        "description": "Replace 40 incandescent lamps with LED.",
        "idempotency_key": "page-key-1",
    }
    data.update(fields)
    return data


def test_the_preview_shows_every_reason_and_saves_nothing(client, owner, business, premises):
    scheme = make_scheme()
    fined_violation(premises)
    client.force_login(owner)

    response = client.post(
        reverse("scheme-apply", args=[scheme.pk]), {**_form(business, premises), "preview": "1"}
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "Not eligible" in text
    assert "The business has 1 unpaid fine." in text
    assert "Required documents missing: Quotation." in text
    assert not Application.objects.exists()


def test_an_eligible_business_applies_and_sees_its_timeline(client, owner, business, premises):
    owner.display_name = "Lin Mei-hui"
    owner.save()
    scheme = make_scheme()
    client.force_login(owner)
    upload = {"document_quotation": _pdf("quotation.pdf")}

    response = client.post(
        reverse("scheme-apply", args=[scheme.pk]), {**_form(business, premises), **upload}
    )

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == application.get_absolute_url()
    assert application.status == "submitted"
    assert application.eligible_amount_ntd == 100_000
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Submitted by Lin Mei-hui" in page  # the person, never the account's user name
    assert "owner1" not in page
    assert "quotation.pdf" in page


def test_posting_the_same_form_twice_creates_one_application(client, owner, business, premises):
    scheme = make_scheme()
    client.force_login(owner)
    data = {**_form(business, premises), "document_quotation": _pdf("q.pdf")}

    client.post(reverse("scheme-apply", args=[scheme.pk]), data)
    client.post(
        reverse("scheme-apply", args=[scheme.pk]),
        {**_form(business, premises), "document_quotation": _pdf("q.pdf")},
    )

    assert Application.objects.count() == 1


def test_an_officer_approves_on_the_page_and_the_budget_is_committed(
    client, programme_officer, premises
):
    scheme = make_scheme()
    application = make_application(scheme, premises, status="under_review")
    client.force_login(programme_officer)

    response = client.post(
        reverse("application-step", args=[application.pk]),
        {"step": "approve", "amount_ntd": 100_000},
    )

    assert response.status_code == 302
    application.refresh_from_db()
    scheme.refresh_from_db()
    assert application.status == "approved"
    assert scheme.committed_ntd == 100_000


def test_a_refused_step_shows_the_reason(client, programme_officer, premises):
    application = make_application(make_scheme(), premises, status="under_review")
    client.force_login(programme_officer)

    response = client.post(
        reverse("application-step", args=[application.pk]),
        {"step": "reject", "reason": ""},
        follow=True,
    )

    assert "A rejection states its reasons." in response.content.decode()
    application.refresh_from_db()
    assert application.status == "under_review"


def test_the_api_submit_is_idempotent(client, owner, business, premises):
    scheme = make_scheme(required_documents=[])
    client.force_login(owner)
    body = {
        "idempotency_key": "api-1",
        "scheme": scheme.pk,
        "business": business.pk,
        "premises": premises.pk,
        "items": ["lamp_replacement"],
        "eligible_cost_ntd": 200_000,
    }
    url = reverse("api:application-list")

    first = client.post(url, body, content_type="application/json")
    again = client.post(url, body, content_type="application/json")

    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["status"] == "submitted"
    assert Application.objects.count() == 1


def test_the_api_refuses_a_required_document_named_without_its_file(
    client, owner, business, premises
):
    scheme = make_scheme()  # requires a quotation
    client.force_login(owner)
    body = {
        "idempotency_key": "api-kinds-only",
        "scheme": scheme.pk,
        "business": business.pk,
        "premises": premises.pk,
        "items": ["lamp_replacement"],
        "eligible_cost_ntd": 200_000,
    }
    url = reverse("api:application-list")

    named = client.post(url, {**body, "documents": ["quotation"]}, content_type="application/json")
    bare = client.post(url, body, content_type="application/json")

    assert named.status_code == 400
    assert "counts only with its file" in " ".join(named.json()["errors"]["documents"])
    assert bare.status_code == 400
    assert "Required documents missing: Quotation" in str(bare.json()["errors"])
    assert not Application.objects.exists()


def test_a_business_never_sees_another_business_application(client, other_owner, premises):
    application = make_application(make_scheme(), premises, status="submitted")
    client.force_login(other_owner)

    assert client.get(application.get_absolute_url()).status_code == 404
    listed = client.get(reverse("api:application-list")).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert rows == []


def _applications(business, count):
    scheme = make_scheme(f"qc-{count}")
    for index in range(count):
        premises = make_premises(business)
        make_application(scheme, premises, status="submitted", description=f"{index}")


@pytest.mark.parametrize("count", [1, 6])
def test_the_application_list_page_runs_a_constant_number_of_queries(
    client, owner, business, count, django_assert_num_queries
):
    _applications(business, count)
    client.force_login(owner)

    with django_assert_num_queries(4):
        response = client.get(reverse("application-list"))

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 6])
def test_the_application_api_list_runs_a_constant_number_of_queries(
    client, owner, business, count, django_assert_num_queries
):
    _applications(business, count)
    client.force_login(owner)

    with django_assert_num_queries(4):
        response = client.get(reverse("api:application-list"))

    assert response.status_code == 200


def test_the_schema_describes_the_scheme_endpoints():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)

    assert "/api/v1/schemes/" in schema["paths"] or any(
        path.endswith("/schemes/") for path in schema["paths"]
    )
    assert any(path.endswith("/applications/") for path in schema["paths"])


def _pdf(name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_a_violation_leads_to_the_schemes_that_would_pay_for_fixing_it(client, owner, premises):
    from tests.factories import make_violation

    make_scheme("lamps", title="Lamp replacement subsidy")
    make_scheme("boilers", title="Boiler subsidy", eligible_items=["boiler_upgrade"])
    violation = make_violation(premises, "6-3")
    client.force_login(owner)

    page = client.get(reverse("scheme-list"), {"violation": violation.pk}).content.decode()

    assert "Lamp replacement subsidy" in page
    assert "Replacing incandescent lamps" in page
    assert "Boiler subsidy" not in page


def test_another_business_violation_is_not_found_on_the_scheme_list(client, other_owner, premises):
    from tests.factories import make_violation

    violation = make_violation(premises, "6-3")
    client.force_login(other_owner)

    response = client.get(reverse("scheme-list"), {"violation": violation.pk})

    assert response.status_code == 404


def test_following_the_suggestion_from_a_lamp_violation_to_an_approved_application(
    client, owner, business, premises, programme_officer
):
    from tests.factories import make_violation

    scheme = make_scheme("lamps", title="Lamp replacement subsidy")
    violation = make_violation(premises, "6-3")
    client.force_login(owner)
    listing = client.get(reverse("scheme-list"), {"violation": violation.pk}).content.decode()
    apply_url = f"{reverse('scheme-apply', args=[scheme.pk])}?violation={violation.pk}"
    assert apply_url in listing

    form = client.get(apply_url).context["form"]
    assert form.initial["items"] == ["lamp_replacement"]
    assert form.initial["premises"] == premises.pk
    data = {
        **_form(business, premises),
        "violation": violation.pk,
        "document_quotation": _pdf("quotation.pdf"),
    }
    preview = client.post(apply_url, {**data, "preview": "1"}).content.decode()
    assert "Eligible: the scheme would pay NT$100,000." in preview
    data["document_quotation"] = _pdf("quotation.pdf")
    client.post(apply_url, data)
    application = Application.objects.get()
    client.force_login(programme_officer)
    step = reverse("application-step", args=[application.pk])
    client.post(step, {"step": "start_review"})
    client.post(step, {"step": "approve", "amount_ntd": 100_000})

    application.refresh_from_db()
    assert application.violation == violation
    assert application.status == "approved"
    assert application.approved_amount_ntd == 100_000


def test_a_violation_page_points_its_business_to_the_subsidies_that_pay_for_the_fix(
    client, owner, inspector, premises
):
    from tests.factories import make_violation

    violation = make_violation(premises, "6-3")
    link = f"{reverse('scheme-list')}?violation={violation.pk}"
    client.force_login(owner)
    page = client.get(reverse("enforcement-violation-detail", args=[violation.pk]))
    assert link in page.content.decode()
    client.force_login(inspector)  # the City's staff do not apply for subsidies
    page = client.get(reverse("enforcement-violation-detail", args=[violation.pk]))
    assert link not in page.content.decode()
