"""Enforcement: what an inspection finds becomes violations with deadlines (Arts. 10, 15-19).

The inspections app hands over what it measured as the engine's ``InspectionFacts``;
this module assesses the premises with them under the rule book in force on the day of
the visit, stores the decision, and opens one violation per non-compliant finding that
has a penalty article, with its rectification deadline (none for Art. 17).
"""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from compliance import rules
from compliance.choices import ViolationStatus
from compliance.enforcement.services import sweep, verification
from compliance.enforcement.services.violations import rectify_found_compliant
from compliance.enforcement.services.working_calendar import calendar_for
from compliance.enforcement.texts import how_found
from compliance.models import Premises, RuleBookVersion, Violation, ViolationEvent
from compliance.rulebook.bridge import PublishedRuleBook, facts_for, parameters_of
from compliance.rulebook.services import assessment
from portal import outbox
from portal.audit import SYSTEM_ACTOR


@dataclasses.dataclass(frozen=True)
class InspectionResult:
    """The decision an inspection led to, and the violations it opened."""

    assessment: rules.Assessment
    version: RuleBookVersion
    violations: list[Violation]


@transaction.atomic
def record_inspection(
    premises: Premises,
    inspection: rules.InspectionFacts,
    *,
    actor,
    source_reference: str,
) -> InspectionResult:
    """Assess ``premises`` with an inspection's measurements and open its violations.

    Idempotent: recording the same ``source_reference`` again opens nothing new.
    """
    day = inspection.inspected_on
    rulebook = PublishedRuleBook.load()
    version = rulebook.version_on(day)
    if version is None:
        raise ValidationError(_("No rule book version is in force on the day of the visit."))
    params = parameters_of(version)
    facts = dataclasses.replace(facts_for([premises], day)[premises.pk], inspection=inspection)
    result = rules.assess(facts, params, day, at_installation=rulebook.parameters_on)
    assessment.store(
        {premises.pk: assessment.result_of(premises.pk, result)},
        day,
        version,
        f"inspection {source_reference}",
    )
    violations = open_violations(
        premises,
        result.findings,
        version,
        params,
        found_on=day,
        actor=actor,
        source_reference=source_reference,
    )
    # First the cases whose deadline passed: this inspection verifies them (persisting
    # or fixed); then those still running that it found fixed early.
    verification.verify_by_inspection(
        premises, result.findings, day=day, actor=actor, source_reference=source_reference
    )
    rectify_found_compliant(
        premises, result.findings, actor=actor, source_reference=source_reference
    )
    return InspectionResult(result, version, violations)


def open_violations(
    premises: Premises,
    findings,
    version: RuleBookVersion,
    params: rules.RuleParameters,
    *,
    found_on,
    actor,
    source_reference: str,
) -> list[Violation]:
    """Open a violation per non-compliant finding with a penalty article; return them all.

    A finding that an active violation of the premises already covers (same article and
    subject: the re-inspection of a violation not yet rectified) opens nothing new: that
    violation's deadline and fines go on. An Art. 17 refusal is fined at once.
    """
    opened = []
    calendar = calendar_for(found_on)
    running = {
        (article, subject)
        for article, subject in Violation.objects.active()
        .filter(premises=premises)
        .exclude(source_reference=source_reference)
        .values_list("article", "subject")
    }
    for finding in findings:
        if (
            finding.outcome != rules.Outcome.NON_COMPLIANT
            or finding.advisory
            or finding.article not in rules.PENALTY_ARTICLE_FOR
        ):
            continue
        subject = finding.subject or ""
        if (finding.article, subject) in running:
            continue
        existing = Violation.objects.filter(
            source_reference=source_reference, article=finding.article, subject=subject
        ).first()
        if existing is not None:
            opened.append(existing)
            continue
        violation = Violation(
            premises=premises,
            article=finding.article,
            penalty_article=rules.penalty_article_for(finding.article),
            subject=subject,
            message_key=finding.message_key,
            finding=rules.finding_to_dict(finding),
            rulebook_version=version,
            parameters=version.parameters,
            found_on=found_on,
            deadline=rules.rectification_deadline(finding.article, found_on, params, calendar),
            status=ViolationStatus.OPEN,
            source_reference=source_reference,
            opened_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        try:
            with transaction.atomic():
                violation.save()
        except IntegrityError:
            # Opened by a concurrent completion of the same visit: keep that one.
            opened.append(
                Violation.objects.get(
                    source_reference=source_reference, article=finding.article, subject=subject
                )
            )
            continue
        ViolationEvent.objects.create(
            violation=violation,
            from_status="",
            to_status=ViolationStatus.OPEN,
            actor=violation.opened_by,
            actor_label=actor.get_username() if violation.opened_by else SYSTEM_ACTOR,
            reason=_opening_reason(source_reference),
        )
        outbox.add("enforcement.violation_opened", {"violation": violation.pk})
        if violation.fined_directly:
            sweep.fine_directly(violation, actor=actor)
        opened.append(violation)
    return opened


def _opening_reason(source_reference: str) -> str:
    """The history's first line, in the City's language like the rest of the case file."""
    with translation.override(settings.LANGUAGE_CODE):
        how = how_found(source_reference)
        if not how:
            return _("Violation opened.")
        return pgettext("history: how a violation was found", "Found %(how)s.") % {"how": how}
