"""Gather what a notice or a decision says: an ``EnforcementDocument`` id in, a plain dict out.

Everything the renderer prints is read here, in a fixed number of queries, and turned
into strings in the document's language (the article's wording, the finding explained,
amounts, dates), so :mod:`.render` needs neither the ORM nor the rule engine.

A document says what the records say and nothing else: the finding and the rule-book
version stored on the violation, the amount, step, deadlines and schedule stored on the
fine. Gathered again later it gives the same dict, so its ``verification_hash`` (the
sha256 of the canonical JSON of the rest, printed on the document) lets the City check a
printed copy against its records. The PDF file's own sha256 is stored on the row.
"""

from __future__ import annotations

import datetime

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from compliance.articles import ARTICLES, article_label, ordinance_name
from compliance.choices import District, DocumentKind
from compliance.enforcement.documents import formats
from compliance.enforcement.texts import how_found, remedy, supplier_finding
from compliance.models import EnforcementDocument, Fine, Violation
from compliance.rulebook.explain import explain_finding
from portal.pdf import content_hash
from portal.pdf.verify import verification_url

LANGUAGES = ("zh-hant", "en")
# The hash covers what the document says of the case; the code and the address of its
# verification page identify the copy (and documents issued before codes existed keep
# the hash printed on them).
_UNHASHED_KEYS = ("verification_hash", "verification_code", "verification_url")


def document_data(document_id: int) -> dict:
    """Return everything the document prints, in its language, as a JSON-safe dict."""
    document = EnforcementDocument.objects.select_related(
        "violation__premises__business",
        "violation__supplier",
        "violation__rulebook_version",
        "fine__rulebook_version",
    ).get(pk=document_id)
    if document.language not in LANGUAGES:
        raise ValueError(f"Documents are written in {', '.join(LANGUAGES)}.")
    with translation.override(document.language):
        data = _gather(document)
    data["verification_hash"] = verification_hash(data)
    data["verification_code"] = document.verification_code
    data["verification_url"] = verification_url(document.verification_code)
    return data


def verification_hash(data: dict) -> str:
    """Return the sha256 of the document's data, without the hash itself."""
    return content_hash({key: value for key, value in data.items() if key not in _UNHASHED_KEYS})


def _gather(document: EnforcementDocument) -> dict:
    violation = document.violation
    language = document.language
    fine = document.fine if document.kind == DocumentKind.PENALTY_DECISION else None
    issued = fine.issued_on if fine is not None else timezone.localdate(document.requested_at)
    return {
        "kind": document.kind,
        "language": language,
        "document_number": document.document_number,
        "title": formats.title(document.kind, language),
        "city": formats.city(language),
        "authority": _("Department of Economic Development, Taipei City Government"),
        "ordinance": ordinance_name(),
        "legal_basis": _legal_basis(document.kind, violation),
        "issue_date": formats.date(issued, language),
        "business": _business(violation),
        "premises": _premises(violation),
        "violation": _violation(violation, language, _ordered_deadline(violation)),
        "penalty": _penalty(violation.penalty_article, language),
        "fine": _fine(fine, violation, language) if fine is not None else None,
    }


def explain_violation(violation: Violation) -> str:
    """Return the violation's recorded finding explained in the active language."""
    stored = violation.finding if isinstance(violation.finding, dict) else {}
    if violation.concerns_supplier:
        return supplier_finding(stored)
    return explain_finding({"message_key": violation.message_key, **stored})


def _legal_basis(kind: str, violation: Violation) -> str:
    if kind == DocumentKind.RECTIFICATION_NOTICE:
        return _("{article} and {penalty} of the {ordinance}").format(
            article=article_label("10-4"),
            penalty=article_label(violation.penalty_article),
            ordinance=ordinance_name(),
        )
    return _("{penalty} of the {ordinance}").format(
        penalty=article_label(violation.penalty_article), ordinance=ordinance_name()
    )


def _business(violation: Violation) -> dict:
    if violation.concerns_supplier:
        # Art. 18: the energy supplier, as its account on the portal names it.
        supplier = violation.supplier
        return {
            "is_supplier": True,
            "name_zh": supplier.person_name or _("Energy supplier"),
            "name_en": "",
            "ubn": "",
            "address": "",
            "responsible_person": "",
        }
    business = violation.premises.business
    return {
        "name_zh": business.name_zh,
        "name_en": business.name_en,
        "ubn": business.ubn,
        "address": business.registered_address,
        "responsible_person": business.responsible_person,
    }


def _premises(violation: Violation) -> dict | None:
    premises = violation.premises
    if premises is None:
        return None
    try:
        district = str(District(premises.district).label)
    except ValueError:
        district = premises.district
    return {"name": premises.name, "address": premises.address, "district": district}


def _ordered_deadline(violation: Violation) -> datetime.date | None:
    """Return the deadline the notice ordered: the first one, also after fines moved it."""
    if violation.fines_issued == 0:
        return violation.deadline
    first = Fine.objects.filter(violation=violation, step=1).values_list(
        "missed_deadline", flat=True
    )
    return first.first() or violation.deadline


def _violation(violation: Violation, language: str, deadline: datetime.date | None) -> dict:
    article = ARTICLES.get(violation.article)
    version = violation.rulebook_version
    return {
        "article": violation.article,
        "label": article_label(violation.article),
        "title": str(article.title) if article else "",
        "text": article.text() if article else "",
        "subject": violation.subject,
        "finding": explain_violation(violation),
        "found_on": formats.date(violation.found_on, language),
        # How it was found, in words: never the internal reference ("visit-12").
        "found_at": how_found(violation.source_reference),
        "deadline": formats.date(deadline, language),
        "fined_directly": violation.fined_directly,
        "remedy": remedy(violation.article),
        "rulebook": _rulebook(version, language),
    }


def _penalty(penalty_article: str, language: str) -> dict:
    article = ARTICLES.get(penalty_article)
    return {
        "article": penalty_article,
        "label": article_label(penalty_article),
        "text": article.text() if article else "",
        "range": formats.amount_range(penalty_article, language),
    }


def _rulebook(version, language: str) -> dict:
    """Name the rule book by its published number and title, never by a database id."""
    return {
        "number": version.number,
        "title": version.title,
        "reference": version.reference,
        "effective_from": formats.date(version.effective_from, language),
    }


def _fine(fine: Fine, violation: Violation, language: str) -> dict:
    schedule = [int(value) for value in fine.schedule or []]
    return {
        "step": fine.step,
        "step_text": formats.step(fine.step, language),
        "amount": fine.amount_ntd,
        "amount_text": formats.amount(fine.amount_ntd, language),
        "schedule": " / ".join(formats.thousands(value) for value in schedule),
        # The schedule's last step repeats for every further fine.
        "schedule_step": min(fine.step, len(schedule)) if schedule else None,
        "offence_on": formats.date(fine.offence_on, language),
        "missed_deadline": formats.date(fine.missed_deadline, language),
        "new_deadline": formats.date(fine.new_deadline, language),
        "issued_on": formats.date(fine.issued_on, language),
        "appeal_until": formats.date(fine.appeal_until, language),
        "appeal_days": _appeal_days(fine),
        "how_to_appeal": _how_to_appeal(fine, language),
        "rulebook": _rulebook(fine.rulebook_version, language),
        "fined_directly": violation.fined_directly,
    }


def _appeal_days(fine: Fine) -> int:
    """Return the appeal period the fine was issued with (the setting may change later)."""
    return (fine.appeal_until - fine.issued_on).days


def _how_to_appeal(fine: Fine, language: str) -> str:
    return _(
        "If you disagree with this decision, you may file an administrative appeal (訴願) "
        "with the Taipei City Government within {days} days from the day after this "
        "decision is served, by submitting a written appeal through the {authority}, which "
        "issued it (Administrative Appeal Act, Arts. 14 and 58). The portal accepts the "
        "appeal until {until}. An appeal does not suspend the fine."
    ).format(
        days=_appeal_days(fine),
        authority=_("Department of Economic Development, Taipei City Government"),
        until=formats.date(fine.appeal_until, language),
    )
