"""Art. 14 applications: eligibility, drafts, submission, review, approval, verification.

Every step follows :func:`subsidies.rules.workflow.next_status`, runs in one transaction,
is audited and recorded as an :class:`ApplicationEvent`. Refusals raise PermissionDenied
(the actor may not) or ValidationError (state, input or budget do not allow it).
Approval adds to the scheme's ``committed_ntd`` with one conditional UPDATE, so two
officers approving at the same moment never commit more than the budget.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.energy.services import register
from compliance.models import Business, Fine, Premises, Violation
from portal import audit
from portal.choices import AuditAction
from portal.permissions import require
from portal.uploads import check_upload
from subsidies.bridge import proposed_project
from subsidies.models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    Scheme,
)
from subsidies.rules import (
    ApplicantFacts,
    EligibilityDecision,
    assess,
    supported_amount,
    workflow,
)
from subsidies.rules.messages import TRANSITION_MESSAGES
from subsidies.rules.workflow import Action
from subsidies.services import facts


def premises_registered(premises: Premises | None, today: datetime.date) -> bool:
    """Return whether ``premises`` is in the Art. 12 energy-use register on ``today``."""
    if premises is None:
        return False
    return bool(register.register_on(today, Premises.objects.filter(pk=premises.pk)))


def awarded_in_scheme_ntd(scheme: Scheme, business: Business, exclude: int | None = None) -> int:
    """Return what ``business`` already holds under ``scheme`` (approved or later)."""
    rows = Application.objects.committed().filter(scheme=scheme, business=business)
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    total = rows.aggregate(total=Sum(Coalesce("verified_amount_ntd", "approved_amount_ntd")))[
        "total"
    ]
    return int(total or 0)


def applicant_facts(
    business: Business,
    *,
    scheme: Scheme | None = None,
    premises: Premises | None = None,
    documents: Iterable[str] = (),
    today: datetime.date | None = None,
    exclude: int | None = None,
) -> ApplicantFacts:
    """Return what the register knows about ``business`` for an assessment on ``today``."""
    today = today or timezone.localdate()
    unpaid = Fine.objects.outstanding().filter(violation__premises__business=business).count()
    overdue = Violation.objects.overdue(today).filter(premises__business=business).count()
    awarded = awarded_in_scheme_ntd(scheme, business, exclude) if scheme is not None else 0
    return ApplicantFacts(
        unpaid_fines=unpaid,
        overdue_violations=overdue,
        premises_registered=premises_registered(premises, today),
        documents_provided=frozenset(documents),
        awarded_in_scheme_ntd=awarded,
    )


def eligibility(
    scheme: Scheme,
    business: Business,
    *,
    items: Iterable[str],
    eligible_cost_ntd: int,
    expected_saving_percent: Decimal | None = None,
    premises: Premises | None = None,
    documents: Iterable[str] = (),
    today: datetime.date | None = None,
    exclude: int | None = None,
) -> EligibilityDecision:
    """Return the engine's decision, with every reason, for a project of ``business``."""
    today = today or timezone.localdate()
    facts = applicant_facts(
        business,
        scheme=scheme,
        premises=premises,
        documents=documents,
        today=today,
        exclude=exclude,
    )
    project = proposed_project(items, eligible_cost_ntd, expected_saving_percent)
    return assess(scheme.terms(), facts, project, today)


def application_eligibility(
    application: Application, today: datetime.date | None = None
) -> EligibilityDecision:
    """Return the decision for ``application`` as it stands (its documents included)."""
    return eligibility(
        application.scheme,
        application.business,
        items=application.items,
        eligible_cost_ntd=application.eligible_cost_ntd,
        expected_saving_percent=application.expected_saving_percent,
        premises=application.premises,
        documents=_provided_kinds(application),
        today=today,
        exclude=application.pk,
    )


def _provided_kinds(application: Application) -> list[str]:
    """Return the kinds of the application's documents that carry a file.

    A kind named without its file proves nothing, so it never counts as provided (the
    API once accepted bare kinds, which silenced the "documents missing" check).
    """
    return list(application.documents.exclude(file="").values_list("kind", flat=True))


def _without_file(kind: str) -> ValidationError:
    return ValidationError(
        {
            "documents": _(
                "Attach the file of the document “%(kind)s”: a document counts only with its file."
            )
            % {"kind": kind}
        },
        code="document_without_file",
    )


def _advance(application: Application, action: Action, **guards) -> tuple[str, str]:
    try:
        target = workflow.next_status(application.status, action, **guards)
    except workflow.IllegalTransition as exc:
        raise ValidationError(_(TRANSITION_MESSAGES[exc.why]), code=exc.why) from exc
    return application.status, str(target)


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("scheme").get(pk=application.pk)


def _record(
    actor,
    application: Application,
    action: Action,
    before: str,
    *,
    reason: str = "",
    amount: int | None = None,
    audit_action: AuditAction = AuditAction.UPDATE,
) -> None:
    ApplicationEvent.objects.create(
        application=application,
        action=action,
        from_status=before,
        to_status=application.status,
        actor=actor if actor is not None and actor.is_authenticated else None,
        reason=reason,
        amount_ntd=amount,
    )
    changes = {"status": [before, application.status]}
    if amount is not None:
        changes["amount_ntd"] = [None, amount]
    audit.record(
        actor=actor,
        action=audit_action,
        instance=application,
        changes=changes,
        reason=reason,
        business_id=application.business_id,
    )


def _require_applicant(actor, application: Application) -> None:
    if not Application.objects.editable_by(actor).filter(pk=application.pk).exists():
        raise PermissionDenied


def _require_officer(actor) -> None:
    require(actor, "subsidies.review")


def _validate_project(scheme, business, premises, violation, items, cost) -> None:
    errors = {}
    if premises is not None and premises.business_id != business.pk:
        errors["premises"] = _("This premises belongs to another business.")
    if violation is not None and violation.premises.business_id != business.pk:
        errors["violation"] = _("This violation concerns another business.")
    if not items:
        errors["items"] = _("Choose at least one item.")
    if cost is None or int(cost) <= 0:
        errors["eligible_cost_ntd"] = _("The eligible cost must be more than NT$0.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_draft(
    actor,
    scheme: Scheme,
    business: Business,
    *,
    items: Sequence[str],
    eligible_cost_ntd: int,
    expected_saving_percent: Decimal | None = None,
    premises: Premises | None = None,
    violation: Violation | None = None,
    description: str = "",
    documents: Iterable[tuple[str, object]] = (),
) -> Application:
    """A member of ``business`` prepares an application; ``documents`` are (kind, file)."""
    require(actor, "subsidies.apply")
    if not Business.objects.editable_by(actor).filter(pk=business.pk).exists():
        raise PermissionDenied
    if not Scheme.objects.visible_to(actor).filter(pk=scheme.pk).exists():
        raise PermissionDenied
    if violation is not None and premises is None:
        premises = violation.premises
    _validate_project(scheme, business, premises, violation, items, eligible_cost_ntd)
    application = Application.objects.create(
        scheme=scheme,
        business=business,
        premises=premises,
        violation=violation,
        items=sorted(set(items)),
        eligible_cost_ntd=int(eligible_cost_ntd),
        expected_saving_percent=expected_saving_percent,
        description=(description or "").strip(),
        created_by=actor,
    )
    for kind, upload in documents:
        add_document(actor, application, kind, upload)
    ApplicationEvent.objects.create(
        application=application, action="create", to_status=application.status, actor=actor
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=application,
        changes=audit.diff({}, audit.snapshot(application)),
        business_id=business.pk,
    )
    return application


@transaction.atomic
def add_document(
    actor, application: Application, kind: str, upload=None, *, field: str = "documents"
) -> ApplicationDocument:
    """Attach a document of ``kind`` while the applicant holds the application.

    Pages (the application form) and the API both come here, so a file is checked the
    same way (:func:`portal.uploads.check_upload`) and audited whichever way it came;
    ``field`` names the input an error belongs to.
    """
    application = _documents_held(actor, application)
    if not (kind or "").strip():
        raise ValidationError({"kind": _("Say which document this is.")})
    if upload is None:
        raise _without_file(kind.strip())
    return _store_document(actor, application, kind, check_upload(upload, field=field))


def _store_document(actor, application: Application, kind: str, checked) -> ApplicationDocument:
    document = ApplicationDocument(
        application=application,
        kind=kind.strip(),
        uploaded_by=actor,
        original_name=checked.original_name if checked else "",
    )
    if checked is not None:
        # Stored under its hash: the name it came with is only shown.
        document.file.save(checked.stored_name, checked.as_file(), save=False)
    document.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=document,
        changes=audit.diff({}, _document_values(document)),
        business_id=application.business_id,
    )
    return document


def _document_values(document: ApplicationDocument) -> dict:
    """What the audit keeps of a document: its application, kind, names (not its bytes)."""
    return {
        "application_id": document.application_id,
        "kind": document.kind,
        "original_name": document.original_name,
        "file": document.file.name or "",
    }


@transaction.atomic
def _documents_held(actor, application: Application) -> Application:
    """Return ``application`` locked, once its documents are the applicant's to change
    (a draft, or returned for more information); refuse anyone else or any other state."""
    _require_applicant(actor, application)
    application = _locked(application)
    if application.status not in workflow.DOCUMENTS_OPEN:
        raise ValidationError(
            _(
                "Documents can only be changed while the application is a draft or "
                "returned for more information."
            ),
            code="documents_closed",
        )
    return application


def delete_document(actor, document: ApplicationDocument) -> None:
    """The applicant takes a document back while the application is in their hands.

    Its file goes once the deletion is committed, so a rollback never leaves a row
    pointing at nothing.
    """
    application = document.application
    application = _documents_held(actor, application)
    before = _document_values(document)
    audit.record(
        actor=actor,
        action=AuditAction.DELETE,
        instance=document,
        changes=audit.diff(before, {}),
        business_id=application.business_id,
    )
    stored = document.file
    document.delete()
    if stored:
        storage, name = stored.storage, stored.name
        transaction.on_commit(lambda: storage.delete(name))


def _raise_ineligible(decision: EligibilityDecision) -> None:
    from subsidies.reasons import reason_text

    raise ValidationError(
        [reason_text(reason) for reason in decision.failures], code="not_eligible"
    )


def submit(actor, application: Application, idempotency_key: str | None = None) -> Application:
    """The applicant submits a draft; the same key for the business returns the same one.

    A project the scheme would not support is refused with every failed reason.
    """
    _require_applicant(actor, application)
    key = (idempotency_key or "").strip()
    if key:
        existing = Application.objects.filter(business=application.business_id, idempotency_key=key)
        # A draft started under this key (the API's draft) is the one to submit, not an answer.
        found = existing.exclude(pk=application.pk, status=workflow.State.DRAFT).first()
        if found is not None:
            return found
    try:
        with transaction.atomic():
            return _submit(actor, application, key)
    except IntegrityError:
        # Another request with the same key committed first.
        return Application.objects.get(business=application.business_id, idempotency_key=key)


def _submit(actor, application: Application, key: str) -> Application:
    application = _locked(application)
    before, target = _advance(application, Action.SUBMIT)
    decision = application_eligibility(application)
    if not decision.eligible:
        _raise_ineligible(decision)
    application.status = target
    application.idempotency_key = key
    application.eligible_amount_ntd = decision.supported_amount_ntd
    application.submitted_by = actor
    application.submitted_at = timezone.now()
    application.save()
    _record(actor, application, Action.SUBMIT, before, amount=decision.supported_amount_ntd)
    return application


def apply(actor, scheme: Scheme, business: Business, *, idempotency_key: str, **project):
    """Create and submit an application at once (the API); a repeated key returns the first."""
    key = (idempotency_key or "").strip()
    if not key:
        raise ValidationError({"idempotency_key": _("An idempotency key is required.")})
    existing = Application.objects.filter(business=business, idempotency_key=key).first()
    if existing is not None:
        if not Application.objects.editable_by(actor).filter(pk=existing.pk).exists():
            raise PermissionDenied
        return existing
    with transaction.atomic():
        draft = create_draft(actor, scheme, business, **project)
        return submit(actor, draft, key)


def start_draft(actor, scheme: Scheme, business: Business, *, idempotency_key: str, **project):
    """Create a draft to complete before submitting (the API: documents are uploaded to it,
    then it is submitted); a repeated key returns the application it created."""
    key = (idempotency_key or "").strip()
    if not key:
        raise ValidationError({"idempotency_key": _("An idempotency key is required.")})
    existing = Application.objects.filter(business=business, idempotency_key=key).first()
    if existing is not None:
        if not Application.objects.editable_by(actor).filter(pk=existing.pk).exists():
            raise PermissionDenied
        return existing
    try:
        with transaction.atomic():
            draft = create_draft(actor, scheme, business, **project)
            draft.idempotency_key = key
            draft.save(update_fields=["idempotency_key"])
            return draft
    except IntegrityError:
        # Another request with the same key committed first.
        return Application.objects.get(business=business, idempotency_key=key)


@transaction.atomic
def start_review(actor, application: Application) -> Application:
    """An officer takes up a submitted or resubmitted application."""
    _require_officer(actor)
    application = _locked(application)
    before, application.status = _advance(application, Action.START_REVIEW)
    application.save(update_fields=["status"])
    _record(actor, application, Action.START_REVIEW, before)
    return application


@transaction.atomic
def request_information(actor, application: Application, reason: str) -> Application:
    """An officer asks the applicant for more information, saying what is needed."""
    _require_officer(actor)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say what information is needed.")})
    application = _locked(application)
    before, application.status = _advance(application, Action.REQUEST_INFORMATION)
    application.save(update_fields=["status"])
    _record(actor, application, Action.REQUEST_INFORMATION, before, reason=reason.strip())
    return application


def missing_documents(application: Application, adding: Iterable[str] = ()) -> list[str]:
    """Return the kinds the scheme requires that neither the application nor ``adding`` has."""
    have = set(_provided_kinds(application)) | set(adding)
    return sorted(set(application.scheme.required_documents or ()) - have)


@transaction.atomic
def resubmit(
    actor,
    application: Application,
    note: str = "",
    documents: Iterable[tuple[str, object]] = (),
) -> Application:
    """The applicant answers the request for information, with the documents asked for.

    ``documents`` are (kind, file) added now. Every kind the scheme requires must be
    among the application's documents afterwards; otherwise nothing is saved and the
    error names the missing kinds. Files are checked before anything is stored.
    """
    _require_applicant(actor, application)
    application = _locked(application)
    before, target = _advance(application, Action.RESUBMIT)
    documents = [((kind or "").strip(), upload) for kind, upload in documents]
    for kind, upload in documents:
        if upload is None:
            raise _without_file(kind)
    missing = missing_documents(application, [kind for kind, _upload in documents])
    if missing:
        raise ValidationError(
            {
                "documents": _(
                    "The scheme requires these documents before resubmitting: %(kinds)s."
                )
                % {"kinds": ", ".join(missing)}
            },
            code="documents_missing",
        )
    checked = [(kind, check_upload(upload, field=f"document_{kind}")) for kind, upload in documents]
    for kind, upload in checked:
        _store_document(actor, application, kind, upload)
    application.status = target
    application.save(update_fields=["status"])
    _record(actor, application, Action.RESUBMIT, before, reason=(note or "").strip())
    return application


@transaction.atomic
def approve(actor, application: Application, amount_ntd: int) -> Application:
    """An officer approves with an amount, committing it from the scheme's budget.

    The amount may not exceed what the scheme would pay now (rate, caps, remaining
    budget read again). The budget is taken by one conditional UPDATE that must hit one
    row, so concurrent approvals never commit more than the budget.
    """
    _require_officer(actor)
    application = _locked(application)
    scheme = Scheme.objects.get(pk=application.scheme_id)
    facts = applicant_facts(application.business, scheme=scheme, exclude=application.pk)
    project = proposed_project(
        application.items, application.eligible_cost_ntd, application.expected_saving_percent
    )
    eligible_amount = supported_amount(scheme.terms(), facts, project)[0]
    remaining = scheme.budget_ntd - scheme.committed_ntd
    if (isinstance(amount_ntd, int) and 0 < remaining < amount_ntd) or remaining <= 0:
        raise ValidationError(_("The scheme's budget is exhausted."), code="budget_exhausted")
    before, target = _advance(
        application, Action.APPROVE, amount_ntd=amount_ntd, eligible_amount_ntd=eligible_amount
    )
    taken = Scheme.objects.filter(
        pk=scheme.pk, committed_ntd__lte=F("budget_ntd") - amount_ntd
    ).update(committed_ntd=F("committed_ntd") + amount_ntd)
    if taken != 1:
        raise ValidationError(_("The scheme's budget is exhausted."), code="budget_exhausted")
    application.status = target
    application.approved_amount_ntd = amount_ntd
    decided = application.record_decision(actor)
    application.save(update_fields=["status", "approved_amount_ntd", *decided])
    _record(
        actor,
        application,
        Action.APPROVE,
        before,
        amount=amount_ntd,
        audit_action=AuditAction.APPROVE,
    )
    from subsidies.documents.letters import request_letter

    request_letter(application)
    return application


@transaction.atomic
def reject(actor, application: Application, reasons: Sequence[str]) -> Application:
    """An officer rejects with at least one reason."""
    _require_officer(actor)
    reasons = [reason.strip() for reason in reasons if reason and reason.strip()]
    application = _locked(application)
    before, application.status = _advance(application, Action.REJECT, reasons=reasons)
    application.rejection_reasons = reasons
    decided = application.record_decision(actor)
    application.save(update_fields=["status", "rejection_reasons", *decided])
    _record(
        actor,
        application,
        Action.REJECT,
        before,
        reason="\n".join(reasons),
        audit_action=AuditAction.REJECT,
    )
    return application


@transaction.atomic
def verify_installation(
    actor,
    application: Application,
    amount_ntd: int,
    *,
    measured_saving_percent: Decimal | None = None,
    note: str = "",
) -> Application:
    """An officer confirms the installation, keeping or reducing the approved amount.

    A reduction is released from the scheme's committed budget at once. Without a
    measured saving given, the register's figures around today are used where it has them.
    """
    _require_officer(actor)
    application = _locked(application)
    before, application.status = _advance(
        application,
        Action.VERIFY_INSTALLATION,
        amount_ntd=amount_ntd,
        approved_amount_ntd=application.approved_amount_ntd,
    )
    released = application.approved_amount_ntd - amount_ntd
    if released:
        Scheme.objects.filter(pk=application.scheme_id).update(
            committed_ntd=F("committed_ntd") - released
        )
    application.verified_amount_ntd = amount_ntd
    if measured_saving_percent is None:
        today = timezone.localdate()
        installed_on = (
            timezone.localtime(application.decided_at).date() if application.decided_at else today
        )
        measured_saving_percent = facts.measured_saving(application.premises, installed_on, today)
    application.measured_saving_percent = measured_saving_percent
    application.verified_by = actor
    application.verified_at = timezone.now()
    application.save()
    _record(actor, application, Action.VERIFY_INSTALLATION, before, reason=note, amount=amount_ntd)
    return application


@transaction.atomic
def disburse(actor, application: Application) -> Application:
    """An officer records that the verified amount was paid out."""
    _require_officer(actor)
    application = _locked(application)
    before, application.status = _advance(application, Action.DISBURSE)
    application.disbursed_by = actor
    application.disbursed_at = timezone.now()
    application.save(update_fields=["status", "disbursed_by", "disbursed_at"])
    _record(
        actor,
        application,
        Action.DISBURSE,
        before,
        amount=application.verified_amount_ntd,
    )
    return application


@transaction.atomic
def withdraw(actor, application: Application, reason: str = "") -> Application:
    """The applicant withdraws the application before approval."""
    _require_applicant(actor, application)
    application = _locked(application)
    before, application.status = _advance(application, Action.WITHDRAW)
    application.withdrawn_by = actor
    application.withdrawn_at = timezone.now()
    application.save(update_fields=["status", "withdrawn_by", "withdrawn_at"])
    _record(actor, application, Action.WITHDRAW, before, reason=(reason or "").strip())
    return application
