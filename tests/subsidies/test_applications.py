"""Art. 14 applications: eligibility from the register, idempotent submission, the budget."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from portal.models import AuditEntry
from subsidies.models import Application, Scheme
from subsidies.services import applications as services
from subsidies.services import facts
from tests.enforcement.builders import fined_violation
from tests.subsidies.scheme_builders import make_application, make_scheme
from tests.uploads import PDF

pytestmark = pytest.mark.django_db


def _quote():
    """Return the scheme's required quotation as (kind, uploaded PDF)."""
    return [("quotation", SimpleUploadedFile("quote.pdf", PDF))]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


TODAY = date(2026, 11, 23)
GOOD_TERMS = {
    "category": "using_products",
    "opens_on": date(2026, 1, 1),
    "closes_on": date(2027, 12, 31),
    "budget_ntd": 1_000_000,
    "support_rate_cap": Decimal("0.5"),
    "eligible_items": ["lamp_replacement"],
}


def _lamps(owner, scheme, business, **fields):
    values = {"items": ["lamp_replacement"], "eligible_cost_ntd": 200_000, "documents": _quote()}
    values.update(fields)
    return services.create_draft(owner, scheme, business, **values)


def test_the_example_schemes_are_seeded_as_published_rows():
    codes = set(Scheme.objects.filter(published=True).values_list("code", flat=True))

    assert {"city-improvement", "equipment-replacement"} <= codes
    city = Scheme.objects.get(code="city-improvement")
    assert city.terms().support_rate_cap == Decimal("0.30")
    assert city.terms().minimum_project_cost_ntd == 500_000


def test_submitting_twice_with_the_same_key_returns_the_same_application(owner, business):
    scheme = make_scheme()
    project = {"items": ["lamp_replacement"], "eligible_cost_ntd": 200_000, "documents": _quote()}

    first = services.apply(owner, scheme, business, idempotency_key="k-1", **project)
    again = services.apply(
        owner, scheme, business, idempotency_key="k-1", **{**project, "documents": _quote()}
    )
    draft = _lamps(owner, scheme, business)
    third = services.submit(owner, draft, "k-1")

    assert first.pk == again.pk == third.pk
    assert first.status == "submitted"
    assert first.eligible_amount_ntd == 100_000
    assert Application.objects.exclude(status="draft").count() == 1


def test_submission_stores_the_amount_and_records_who_and_when(owner, business):
    application = _lamps(owner, make_scheme(), business)

    application = services.submit(owner, application, "k-2")

    assert application.submitted_by == owner
    assert application.submitted_at is not None
    event = application.events.get(action="submit")
    assert (event.from_status, event.to_status, event.actor) == ("draft", "submitted", owner)
    audited = AuditEntry.objects.filter(
        object_type="subsidies.application", object_id=str(application.pk)
    )
    assert list(audited.order_by("id").values_list("action", flat=True)) == ["create", "update"]


def test_every_failed_eligibility_reason_reaches_the_applicant(owner, business):
    scheme = make_scheme(minimum_project_cost_ntd=500_000)
    application = _lamps(owner, scheme, business, items=["boiler_upgrade"], documents=())

    decision = services.application_eligibility(application)
    with pytest.raises(ValidationError) as refused:
        services.submit(owner, application, "k-3")

    failed = {reason.code for reason in decision.failures}
    assert failed == {"items", "cost", "documents"}
    messages = " ".join(refused.value.messages)
    assert "does not pay for: Boiler upgrade to natural gas" in messages  # named, not coded
    assert "not over the minimum of NT$500,000" in messages
    assert "Required documents missing: Quotation" in messages
    application.refresh_from_db()
    assert application.status == "draft"


def test_an_unpaid_fine_makes_the_business_ineligible(owner, business, premises):
    scheme = make_scheme()
    fined_violation(premises)

    decision = services.eligibility(
        scheme,
        business,
        items=["lamp_replacement"],
        eligible_cost_ntd=200_000,
        documents=["quotation"],
    )

    assert not decision.eligible
    assert decision.supported_amount_ntd == 0
    unpaid = next(reason for reason in decision.reasons if reason.code == "no_unpaid_fine")
    assert not unpaid.passed
    assert unpaid.values["count"] == 1


def test_a_business_without_fines_is_eligible_for_the_supported_amount(business):
    decision = services.eligibility(
        make_scheme(),
        business,
        items=["lamp_replacement"],
        eligible_cost_ntd=2_000_000,
        documents=["quotation"],
    )

    assert decision.eligible
    assert decision.supported_amount_ntd == 500_000


def test_a_business_user_cannot_act_on_another_business_application(other_owner, premises):
    application = make_application(make_scheme(), premises)

    with pytest.raises(PermissionDenied):
        services.submit(other_owner, application, "k-4")
    with pytest.raises(PermissionDenied):
        services.withdraw(other_owner, application)


def test_only_officers_review_and_approve(owner, premises, programme_officer):
    application = make_application(make_scheme(), premises, status="submitted")

    with pytest.raises(PermissionDenied):
        services.start_review(owner, application)
    application = services.start_review(programme_officer, application)

    assert application.status == "under_review"


def test_information_requested_and_resubmitted_is_on_the_timeline(
    owner, premises, programme_officer
):
    application = make_application(make_scheme(), premises, status="under_review")

    services.request_information(programme_officer, application, "Send the lamp datasheet.")
    services.resubmit(owner, application, "Datasheet attached.")
    services.start_review(programme_officer, application)

    steps = list(application.events.values_list("from_status", "to_status", "reason"))
    assert steps == [
        ("under_review", "more_information_requested", "Send the lamp datasheet."),
        ("more_information_requested", "resubmitted", "Datasheet attached."),
        ("resubmitted", "under_review", ""),
    ]


def test_approval_commits_the_amount_and_may_not_exceed_the_eligible_amount(
    premises, programme_officer
):
    scheme = make_scheme()
    application = make_application(scheme, premises, status="under_review")

    with pytest.raises(ValidationError, match="more than the eligible amount"):
        services.approve(programme_officer, application, 100_001)
    application = services.approve(programme_officer, application, 90_000)

    scheme.refresh_from_db()
    assert application.status == "approved"
    assert application.decided_by == programme_officer
    assert scheme.committed_ntd == 90_000


def test_approval_beyond_the_remaining_budget_says_the_budget_is_exhausted(
    premises, programme_officer
):
    scheme = make_scheme(budget_ntd=150_000, committed_ntd=100_000)
    application = make_application(scheme, premises, status="under_review")

    with pytest.raises(ValidationError, match="budget is exhausted"):
        services.approve(programme_officer, application, 60_000)

    scheme.refresh_from_db()
    assert scheme.committed_ntd == 100_000


def test_rejection_needs_reasons_and_keeps_them(premises, programme_officer):
    application = make_application(make_scheme(), premises, status="under_review")

    with pytest.raises(ValidationError):
        services.reject(programme_officer, application, ["  "])
    application = services.reject(programme_officer, application, ["Lamps already LED."])

    assert application.status == "rejected"
    assert application.rejection_reasons == ["Lamps already LED."]


def test_verification_reduces_the_committed_budget(premises, programme_officer):
    scheme = make_scheme()
    application = make_application(scheme, premises, status="under_review")
    services.approve(programme_officer, application, 100_000)

    with pytest.raises(ValidationError, match="never raise"):
        services.verify_installation(programme_officer, application, 100_001)
    application = services.verify_installation(
        programme_officer, application, 80_000, measured_saving_percent=Decimal("18.5")
    )

    scheme.refresh_from_db()
    assert scheme.committed_ntd == 80_000
    assert application.verified_amount_ntd == 80_000
    application = services.disburse(programme_officer, application)
    assert application.status == "disbursed"
    assert application.disbursed_by == programme_officer


def test_withdrawal_is_possible_before_approval_only(owner, premises, programme_officer):
    scheme = make_scheme()
    pending = make_application(scheme, premises, status="under_review")
    approved = make_application(scheme, premises, status="under_review")
    services.approve(programme_officer, approved, 50_000)

    assert services.withdraw(owner, pending, "Changed our plans.").status == "withdrawn"
    with pytest.raises(ValidationError):
        services.withdraw(owner, approved)


def test_the_check_constraint_refuses_committing_beyond_the_budget():
    from django.db import IntegrityError, transaction

    scheme = make_scheme(budget_ntd=100)

    with pytest.raises(IntegrityError), transaction.atomic():
        Scheme.objects.filter(pk=scheme.pk).update(committed_ntd=101)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks")
@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_never_exceed_the_budget(premises, programme_officer, administrator):
    scheme = make_scheme(budget_ntd=100_000)
    first = make_application(scheme, premises, status="under_review")
    second = make_application(scheme, premises, status="under_review")
    barrier = threading.Barrier(2)
    outcomes = {}

    def approve(officer, application):
        from django.db import connection as own

        try:
            barrier.wait(timeout=10)
            services.approve(officer, application, 100_000)
            outcomes[application.pk] = "approved"
        except ValidationError as exc:
            outcomes[application.pk] = exc.messages[0]
        finally:
            own.close()

    threads = [
        threading.Thread(target=approve, args=(programme_officer, first)),
        threading.Thread(target=approve, args=(administrator, second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    scheme.refresh_from_db()
    assert sorted(outcomes.values()) == ["The scheme's budget is exhausted.", "approved"]
    assert scheme.committed_ntd == 100_000
    assert Application.objects.filter(status="approved").count() == 1


def test_a_premises_on_the_energy_use_register_meets_the_registered_condition(
    business, premises, supplier
):
    from tests.compliance.energy_use_builders import make_use
    from tests.factories import ensure_rulebook, make_premises

    ensure_rulebook()
    scheme = make_scheme(conditions=["registered_premises"], required_documents=[])
    make_use(supplier, premises, date(2026, 10, 1), "60000")
    small = make_premises(business)
    make_use(supplier, small, date(2026, 10, 1), "100")
    project = {"items": ["lamp_replacement"], "eligible_cost_ntd": 200_000}

    on = services.eligibility(scheme, business, premises=premises, today=TODAY, **project)
    off = services.eligibility(scheme, business, premises=small, today=TODAY, **project)

    assert on.eligible
    assert not off.eligible
    assert [reason.message_key for reason in off.failures] == ["premises.not_registered"]


@pytest.mark.parametrize(
    ("fields", "field", "text"),
    [
        ({"support_rate_cap": Decimal("1.5")}, "support_rate_cap", "at most 1"),
        ({"eligible_items": []}, "eligible_items", "at least one item"),
        ({"eligible_items": ["teleporter"]}, "eligible_items", "teleporter is not a known item"),
        ({"conditions": ["be_nice"]}, "conditions", "be_nice is not a known condition"),
        ({"closes_on": date(1999, 1, 1)}, "closes_on", "before it opens"),
    ],
)
def test_scheme_terms_the_engine_refuses_cannot_be_saved(fields, field, text):
    scheme = Scheme(code="bad", title_en="Bad", **{**GOOD_TERMS, **fields})

    with pytest.raises(ValidationError) as refused:
        scheme.full_clean()

    assert text in " ".join(refused.value.message_dict[field])


def test_the_schemes_that_would_pay_for_fixing_a_violation(premises):
    from tests.factories import make_violation

    lamps = make_scheme("lamps")
    boilers = make_scheme("boilers", eligible_items=["boiler_upgrade"])
    violation = make_violation(premises, "6-3")

    suggested = facts.schemes_for_violation(violation, [lamps, boilers], TODAY)

    assert suggested == [(lamps, ["lamp_replacement"])]


def test_the_saving_is_measured_from_the_register_around_the_installation(premises, supplier):
    from tests.compliance.energy_use_builders import make_use

    for month in (7, 8, 9):
        make_use(supplier, premises, date(2026, month, 1), "10000")
    make_use(supplier, premises, date(2026, 10, 1), "9000")  # the installation's month
    for month in (date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1)):
        make_use(supplier, premises, month, "8000")
    make_use(supplier, premises, date(2027, 2, 1), "1")  # the month still running

    saving = facts.measured_saving(premises, date(2026, 10, 20), date(2027, 2, 15))

    assert saving == Decimal("20.00")


def test_no_saving_is_measured_without_register_figures(premises):
    assert facts.measured_saving(premises, date(2026, 10, 20), date(2027, 2, 15)) is None


def test_a_document_that_is_not_a_pdf_or_picture_is_refused_and_nothing_is_saved(
    owner, premises, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from subsidies.models import ApplicationDocument
    from subsidies.services import applications
    from tests.subsidies.scheme_builders import make_application, make_scheme

    application = make_application(make_scheme("lamps"), premises)
    page = SimpleUploadedFile("quote.pdf", b"<html><script>alert(1)</script>", "application/pdf")

    with pytest.raises(ValidationError) as refused:
        applications.add_document(owner, application, "quotation", page)

    assert "quote.pdf is not a JPEG, PNG or PDF file." in str(refused.value)
    assert not ApplicationDocument.objects.filter(application=application).exists()
    pdf = SimpleUploadedFile("quote.pdf", PDF, "application/pdf")
    stored = applications.add_document(owner, application, "quotation", pdf)
    assert stored.original_name == "quote.pdf"
    assert not stored.file.name.endswith("quote.pdf")  # stored under its hash


def test_a_required_document_counts_only_with_its_file(owner, business, premises):
    scheme = make_scheme()  # requires a quotation
    draft = _lamps(owner, scheme, business, documents=())

    with pytest.raises(ValidationError) as refused:
        services.add_document(owner, draft, "quotation", None)
    # A row left without a file (as the API once stored) proves nothing either.
    draft.documents.create(kind="quotation", original_name="")
    with pytest.raises(ValidationError) as ineligible:
        services.submit(owner, draft, "no-file")

    assert "counts only with its file" in str(refused.value)
    assert "Required documents missing: Quotation" in str(ineligible.value)
    assert services.missing_documents(draft) == ["quotation"]
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_codes_read_as_names_listed_the_chinese_way():
    from django.utils import translation

    from subsidies.choices import document_list, item_list

    with translation.override("zh-hant"):
        assert "、" in document_list("quotation, equipment_specification")
        assert "quotation" not in document_list(["quotation"])
        assert "high_eer_ac" not in item_list("high_eer_ac, lamp_replacement")
    with translation.override("en"):
        assert document_list(["quotation", "invoice"]) == "Invoice, Quotation"
        assert document_list(["site_plan"]) == "site_plan"  # typed by the officer: as typed
