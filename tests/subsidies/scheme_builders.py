"""Builders of the Art. 14 scheme and application tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from subsidies.models import Application, Scheme


def make_scheme(code: str = "lamps", **fields) -> Scheme:
    """Return a published lamp/AC scheme paying 50 % up to NT$500,000, open 2000-2100."""
    values = {
        "title_en": "Lamp replacement subsidy",
        "category": "using_products",
        "opens_on": date(2000, 1, 1),
        "closes_on": date(2100, 12, 31),
        "budget_ntd": 10_000_000,
        "support_rate_cap": Decimal("0.50"),
        "project_cap_ntd": 500_000,
        "eligible_items": ["lamp_replacement", "high_eer_ac"],
        "required_documents": ["quotation"],
        "conditions": ["no_unpaid_fine", "no_overdue_violation"],
        "published": True,
    }
    if "title" in fields:  # the English title (schemes keep one per language)
        fields["title_en"] = fields.pop("title")
    values.update(fields)
    return Scheme.objects.create(code=code, **values)


def make_application(scheme: Scheme, premises, *, status: str = "draft", **fields) -> Application:
    """Return an application of ``premises``' business for NT$200,000 of lamps in ``status``."""
    values = {
        "items": ["lamp_replacement"],
        "eligible_cost_ntd": 200_000,
        "eligible_amount_ntd": 100_000 if status != "draft" else None,
    }
    values.update(fields)
    application = Application.objects.create(
        scheme=scheme, business=premises.business, premises=premises, status=status, **values
    )
    if status != "draft":
        # A document counts only with its file: the row names a stored file.
        application.documents.create(
            kind="quotation", original_name="quotation.pdf", file="subsidies/test/quotation.pdf"
        )
    return application


def draft_with_document(scheme: Scheme, premises, owner):
    """Return a draft of ``owner``'s business and its quotation, a real PDF stored by the
    service (so it downloads)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from subsidies.services import applications
    from tests.uploads import PDF

    draft = make_application(scheme, premises)
    document = applications.add_document(
        owner, draft, "quotation", SimpleUploadedFile("quote.pdf", PDF)
    )
    return draft, document


def make_call(code: str = "call", *, criteria=(("saving", "Energy saved", 100),), **fields):
    """Return a published reward call (excellent performance) with ``criteria``."""
    from subsidies.models import RewardCriterion

    values = {"title": "Energy-saving excellence award", "category": "excellent_performance"}
    values.update(fields)
    call = make_scheme(code, **values)
    for criterion_code, label, weight in criteria:
        RewardCriterion.objects.create(scheme=call, code=criterion_code, label=label, weight=weight)
    return call


def make_reviewer(username: str = "reviewer1"):
    """Return an active programme officer (a reviewer to assign to calls)."""
    from django.contrib.auth import get_user_model

    from portal.choices import Role

    return get_user_model().objects.create_user(
        username=username, password="x", role=Role.PROGRAMME_OFFICER
    )


def ready_certificate(call, application, reviewer):
    """Publish ``call`` with ``application`` awarded and its certificate READY (a tiny PDF)."""
    from django.core.files.base import ContentFile

    from subsidies.models import AwardCertificate, AwardPublication, ReviewScore

    for criterion in call.criteria.all():
        ReviewScore.objects.create(
            application=application, reviewer=reviewer, criterion=criterion, score=90
        )
    row = {"application": application.pk, "business": "x", "score": "90.00", "reviewers": 1}
    publication = AwardPublication.objects.create(
        scheme=call, ranking=[row], awarded=[application.pk]
    )
    certificate = AwardCertificate.objects.create(
        publication=publication,
        application=application,
        rank=1,
        language="zh-hant",
        certificate_number=f"TPE-EC-A-2026-{application.pk:07d}",
        status="ready",
    )
    certificate.file.save("certificate.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return certificate


def matrix_objects(premises, owner) -> dict[str, int]:
    """The Art. 14 rows of the permission matrix: schemes, reward calls, their applications."""
    from subsidies.models import ReviewScore

    scheme = make_scheme("matrix-scheme")
    application = make_application(scheme, premises, status="submitted")
    waiting = make_application(scheme, premises, status="more_information_requested")
    call = make_call("matrix-call")
    entry = make_application(call, premises, status="under_review")
    reviewer = make_reviewer("matrix-reviewer")
    call.reviewers.add(reviewer)
    score = ReviewScore.objects.create(
        application=entry, reviewer=reviewer, criterion=call.criteria.get(), score=70
    )
    draft, document = draft_with_document(scheme, premises, owner)
    awarded_call = make_call("matrix-awarded-call")
    awarded = make_application(awarded_call, premises, status="under_review")
    ready_certificate(awarded_call, awarded, reviewer)
    return {
        "scheme": scheme.pk,
        "application": application.pk,
        "info_requested_application": waiting.pk,
        "draft_application": draft.pk,
        "draft_document": document.pk,
        "application_document": application.documents.get().pk,
        "reward_call": call.pk,
        "reward_entry": entry.pk,
        "review_score": score.pk,
        "awarded_call": awarded_call.pk,
        "awarded_application": awarded.pk,
    }
