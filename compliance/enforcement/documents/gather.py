"""Gather what a notice or a decision says: an ``EnforcementDocument`` id in, a plain dict out.

Everything the renderer prints is read here, in a fixed number of queries, and turned
into strings in the document's language (the article's wording, the finding explained,
amounts, dates), so :mod:`.render` needs neither the ORM nor the rule engine.

A document says what the records say and nothing else: the finding and the rule-book
version stored on the violation, the amount, step, deadlines and schedule stored on the
fine. Gathered again later it gives the same dict, so its ``verification_hash`` (the
sha256 of the canonical JSON of the rest, printed on the document) lets the City check a
printed copy against its records. The PDF file's own sha256 is stored on the row.

A decision is rendered when an official approves it, before it is served: it states the
periods that run from service as the law words them (文到14日內, 自本處分書送達之次日起30日內),
never the dates service later fixes, and names who decided (決行) and the head of the
authority that issues it (the City's settings), never a user name or an internal code.
Dates are written in the Republic of China's calendar in Chinese (中華民國115年12月6日).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from compliance.articles import ARTICLES, article_label, ordinance_name
from compliance.choices import District, DocumentKind, FineStatus
from compliance.enforcement.documents import formats
from compliance.enforcement.texts import how_found, remedy, supplier_finding
from compliance.models import EnforcementDocument, Fine, Violation
from compliance.rulebook.explain import explain_finding
from portal.models import CitySettings
from portal.models.city import SETTINGS_ROW
from portal.pdf import content_hash
from portal.pdf.verify import verification_url

LANGUAGES = ("zh-hant", "en")
# The hash covers what the document says of the case; the code and the address of its
# verification page identify the copy (and documents issued before codes existed keep
# the hash printed on them).
_UNHASHED_KEYS = ("verification_hash", "verification_code", "verification_url")
# A fine in these states was never decided: there is no decision to print.
UNDECIDED_FINE_STATES = (FineStatus.PROPOSED, FineStatus.RETURNED, FineStatus.CANCELLED)


class UndecidedFine(ValueError):
    """A penalty decision was asked for a fine no official has approved."""


def document_data(document_id: int) -> dict:
    """Return everything the document prints, in its language, as a JSON-safe dict."""
    document = EnforcementDocument.objects.select_related(
        "violation__premises__business",
        "violation__supplier",
        "violation__rulebook_version",
        "fine__rulebook_version",
        "fine__decided_by",
    ).get(pk=document_id)
    if document.language not in LANGUAGES:
        raise ValueError(f"Documents are written in {', '.join(LANGUAGES)}.")
    with translation.override(document.language):
        if document.kind == DocumentKind.PENALTY_DECISION:
            refuse_undecided(document.fine)
        data = _gather(document)
    data["verification_hash"] = verification_hash(data)
    data["verification_code"] = document.verification_code
    data["verification_url"] = verification_url(document.verification_code)
    return data


def refuse_undecided(fine: Fine) -> None:
    """Raise :class:`UndecidedFine` unless an official approved ``fine`` (a decision exists)."""
    if fine.status in UNDECIDED_FINE_STATES or not fine.is_decision:
        raise UndecidedFine(
            _(
                "There is no penalty decision to print: the fine is “{status}”. A decision "
                "exists, with its number, only once an official approves the proposal."
            ).format(status=fine.get_status_display())
        )


def verification_hash(data: dict) -> str:
    """Return the sha256 of the document's data, without the hash itself."""
    return content_hash({key: value for key, value in data.items() if key not in _UNHASHED_KEYS})


def _gather(document: EnforcementDocument) -> dict:
    violation = document.violation
    language = document.language
    fine = document.fine if document.kind == DocumentKind.PENALTY_DECISION else None
    issued = fine.issued_on if fine is not None else timezone.localdate(document.requested_at)
    city = _city_settings()
    return {
        "kind": document.kind,
        "language": language,
        "document_number": document.document_number,
        "title": formats.title(document.kind, language),
        "authority": _authority(city, language),
        # The head of the authority issues every notice and decision in its name.
        "head": formats.titled_name(city.head_title, city.head_name),
        # Who decided a decision (決行): the official's title and name, never a user name.
        "decided_line": _decided_line(fine, language) if fine is not None else "",
        "ordinance": ordinance_name(),
        "legal_basis": _legal_basis(document.kind, violation),
        "issue_date": formats.date(issued, language),
        "business": _business(violation),
        "premises": _premises(violation),
        "violation": _violation(violation, language, _ordered_deadline(violation)),
        "penalty": _penalty(violation.penalty_article, language),
        "fine": _fine(fine, violation, language, city) if fine is not None else None,
    }


def _city_settings() -> CitySettings:
    """Return the City's settings as they stand (the defaults if never saved; no write)."""
    return CitySettings.objects.filter(pk=SETTINGS_ROW).first() or CitySettings()


def _authority(city: CitySettings, language: str) -> str:
    """Name the issuing authority: the City's setting in Chinese, its English name in English."""
    if formats.is_chinese(language):
        return city.authority_name
    return _("Department of Economic Development, Taipei City Government")


def _appeal_body(city: CitySettings, language: str) -> str:
    """Name the body appeals lie to (AAA Art. 4): the City's setting in Chinese."""
    if formats.is_chinese(language):
        return city.appeal_body_name
    return formats.city(language)


def _decided_line(fine: Fine, language: str) -> str:
    """Return the 決行 line: the deciding official's title and name (empty if unnamed)."""
    official = fine.decided_by
    if official is None:
        return ""
    name = formats.titled_name(official.job_title, official.person_name)
    return formats.decided_by(name, language)


def explain_violation(violation: Violation) -> str:
    """Return the violation's recorded finding explained in the active language."""
    stored = violation.finding if isinstance(violation.finding, dict) else {}
    if violation.concerns_supplier:
        return supplier_finding(stored)
    return explain_finding({"message_key": violation.message_key, **stored})


def _finding(violation: Violation, language: str) -> str:
    """Explain the finding as a document writes it: an Art. 18 case's dates in its calendar.

    An Art. 18 case records its data order's deadline and months as ISO values
    (2026-11-16, 2026-07); a document writes them 中華民國115年11月16日, 中華民國115年7月.
    """
    if not violation.concerns_supplier:
        return explain_violation(violation)
    stored = violation.finding if isinstance(violation.finding, dict) else {}
    separator = "、" if formats.is_chinese(language) else ", "
    months = [_iso_month(value, language) for value in str(stored.get("measured", "")).split(",")]
    period = [_iso_month(value, language) for value in str(stored.get("detail", "")).split("..")]
    return supplier_finding(
        {
            **stored,
            "limit": _iso_day(stored.get("limit", ""), language),
            "measured": separator.join(month for month in months if month),
            "detail": "..".join(period),
        }
    )


def _iso_day(value, language: str) -> str:
    """Return an ISO date (2026-11-16) as the document's language writes it (else as given)."""
    try:
        return formats.date(datetime.date.fromisoformat(str(value).strip()), language)
    except ValueError:
        return str(value)


def _iso_month(value, language: str) -> str:
    """Return an ISO month (2026-07) as the document's language writes it (else as given)."""
    text = str(value).strip()
    try:
        return formats.month(datetime.date.fromisoformat(f"{text}-01"), language)
    except ValueError:
        return text


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
        "finding": _finding(violation, language),
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


def _fine(fine: Fine, violation: Violation, language: str, city: CitySettings) -> dict:
    schedule = [int(value) for value in fine.schedule or []]
    within = fine.rectify_within_days
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
        "issued_on": formats.date(fine.issued_on, language),
        # Rendered before service: the new period as the law words it (文到14日內), not
        # the date service fixes later (the portal shows it then).
        "rectify_within_days": within,
        "rectify_period": formats.receipt_period(within, language) if within else "",
        "how_to_appeal": how_to_appeal(_appeal_body(city, language), language),
        "no_suspension": no_suspension(language),
        "rulebook": _rulebook(fine.rulebook_version, language),
        "fined_directly": violation.fined_directly,
    }


# The appeal clause of a decision (APA Art. 96; AAA Arts. 14 and 58). In Chinese:
# 如不服本處分，得自本處分書送達之次日起30日內，繕具訴願書經由本局向臺北市政府
# 提起訴願（訴願法第14條、第58條）。
HOW_TO_APPEAL = gettext_noop(
    "If you disagree with this decision, you may file an administrative appeal {period}, "
    "by submitting a written appeal through this Department, which issued it, to the "
    "{body} ({articles})."
)
# AAA Art. 93. In Chinese: 訴願之提起，不停止原處分之執行，罰鍰仍應依限繳納（訴願法第93條）。
NO_SUSPENSION = gettext_noop(
    "An appeal does not suspend this decision: the fine remains due ({article}), unless "
    "the suspension of its enforcement is ordered."
)


def how_to_appeal(body: str, language: str) -> str:
    """Return how, where and within what period to appeal, in the active language."""
    return _(HOW_TO_APPEAL).format(
        period=formats.appeal_period(settings.ENFORCEMENT_APPEAL_DAYS, language),
        body=body,
        articles=formats.appeal_articles(language),
    )


def no_suspension(language: str) -> str:
    """Return that an appeal does not stop the fine being due (AAA Art. 93)."""
    return _(NO_SUSPENSION).format(article=formats.no_suspension_article(language))
