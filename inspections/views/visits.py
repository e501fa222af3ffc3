"""Pages of a site visit on a tablet: start, record (kept on the device), photos, complete.

Who sees a visit is ``Visit.objects.visible_to(user)`` (404 for the rest); who changes
it is ``editable_by(user)``: the assigned inspectors and administrators (403 for the
others who see it, e.g. the business and unassigned inspectors). Every change goes
through :mod:`inspections.services.visits`.

The record page works without JavaScript (post, redirect, messages); with
``static/js/visit_form.js`` it keeps every keystroke on the device and sends the form
with ``fetch`` to the same URL, asking for JSON: ``{"ok": true, "saved_at": ...,
"version": ..., "violations": [...]}`` or ``400 {"ok": false, "errors": {input name:
[messages]}}``. The form carries the visit's version it was loaded with
(``loaded_version``); entries made from an older version that would change the visit
again are refused with ``409 {"ok": false, "conflict": true, "version": ..., "server":
{input name: value}}`` (the device shows both and lets the inspector choose), or without
JavaScript with the page again, holding the new version: sending it again keeps the
entries. Offline, ``static/js/visit_queue.js`` keeps the entries and photos in IndexedDB
and sends them when the network returns (``inspections/views/offline.py``).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.forms import CheckboxInput
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import View

from compliance.articles import article_label
from compliance.choices import Article
from compliance.models import Violation
from compliance.rulebook.explain import explain_finding
from inspections import verifications
from inspections.forms.visits import (
    FORMSETS,
    KIND_PREFIX,
    PhotoForm,
    VisitForm,
    build_formsets,
    checklist_items,
    initial_rows,
    limits_attributes,
    messages_attributes,
)
from inspections.models import Inspection, InspectionAssignment, Photo, Visit
from inspections.services import visit_rules
from inspections.services import visits as services
from inspections.views.visit_steps import ErrorSummary, build_steps, current_step
from portal.views.mixins import visible_or_404

# The version a form of a visit not yet started carries (no version of the visit matches).
NEW_VERSION = "new"
# The photo form's id: its inputs sit in the photos step of the visit form (form="…").
PHOTO_FORM_ID = "visit-photo-form"

# The checklist in the ordinance's order: what each article's section holds.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("5-1", "checks"),
    ("5-2", "obstruction_found"),
    ("5-3", "checks"),
    ("5-4", "checks"),
    ("5-5", "temperatures"),
    ("6-1", "arcade"),
    ("6-2", "illuminance"),
    ("6-3", "checks"),
    ("7", "checks"),
    ("8-1", "checks"),
    ("8-2", "checks"),
    ("9", "after_hours_equipment_on"),
)


def _visits():
    return Visit.objects.select_related(
        "inspection__premises__business", "completed_by"
    ).prefetch_related(
        Prefetch(
            "inspection__assignments",
            queryset=InspectionAssignment.objects.select_related("user").order_by("role"),
        )
    )


def _may_edit(user, visit: Visit) -> bool:
    return Visit.objects.editable_by(user).filter(pk=visit.pk).exists()


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


class VisitMixin(LoginRequiredMixin):
    """Find the visit of the URL among the visible ones; optionally require edit rights."""

    require_edit = False

    def get_visit(self) -> Visit:
        visit = visible_or_404(_visits(), self.request.user, pk=self.kwargs["pk"])
        self.can_edit = _may_edit(self.request.user, visit)
        if self.require_edit and not self.can_edit:
            raise PermissionDenied
        return visit


# --- Start ---------------------------------------------------------------------------------


class VisitStartView(LoginRequiredMixin, View):
    """Start (or resume) the visit of an inspection; the form carries the device's key."""

    template_name = "inspections/visit_start.html"

    def get_inspection(self) -> Inspection:
        inspection = visible_or_404(
            Inspection.objects.select_related("premises__business"),
            self.request.user,
            pk=self.kwargs["pk"],
        )
        if not Inspection.objects.editable_by(self.request.user).filter(pk=inspection.pk).exists():
            raise PermissionDenied
        return inspection

    def get(self, request, pk: int):
        inspection = self.get_inspection()
        visit = Visit.objects.filter(inspection=inspection).first()
        if visit is not None:
            return redirect("visit-detail" if visit.is_completed else "visit-edit", pk=visit.pk)
        return render(
            request,
            self.template_name,
            {"inspection": inspection, "client_key": uuid.uuid4()},
        )

    def post(self, request, pk: int):
        inspection = self.get_inspection()
        key = request.POST.get("client_key") or request.headers.get("Idempotency-Key")
        try:
            visit, _created = services.start_visit(request.user, inspection, key)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return render(
                request,
                self.template_name,
                {"inspection": inspection, "client_key": uuid.uuid4()},
            )
        return redirect("visit-detail" if visit.is_completed else "visit-edit", pk=visit.pk)


# --- Record --------------------------------------------------------------------------------


class VisitForms:
    """The visit form and the row formsets of one visit's page, bound or not."""

    def __init__(self, visit: Visit, data=None):
        self.visit = visit
        premises = visit.inspection.premises
        self.equipment = list(premises.equipment.order_by("kind", "tag"))
        self.items = checklist_items(self.equipment)
        self.prefixes = tuple(
            prefix for prefix in FORMSETS if prefix != "arcade" or premises.has_arcade
        )
        if data is None:
            self.form = VisitForm(instance=visit, initial={"client_key": visit.client_key})
            initial = initial_rows(visit, self.items, self.equipment)
            self.formsets = build_formsets(self.prefixes, initial=initial)
        else:
            self.form = VisitForm(data, instance=visit)
            self.formsets = build_formsets(self.prefixes, data=data)
        self._indexes: dict[str, list[int]] = {}

    def is_valid(self) -> bool:
        valid = self.form.is_valid()
        return all([valid, *(formset.is_valid() for formset in self.formsets.values())])

    def data(self) -> dict[str, Any]:
        return {name: self.form.cleaned_data.get(name) for name in services.VISIT_FIELDS}

    def readings(self) -> dict[str, list[dict[str, Any]]]:
        readings = {}
        for prefix, formset in self.formsets.items():
            rows = formset.rows()
            self._indexes[prefix] = [index for index, _row in rows]
            readings[FORMSETS[prefix][0]] = [row for _index, row in rows]
        return readings

    def add_service_errors(self, exc: ValidationError) -> None:
        """Put a service's refusal on the fields and rows it names."""
        errors = exc.errors if isinstance(exc, services.VisitInvalid) else None
        if errors is None:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
        for key, value in errors.items():
            prefix = KIND_PREFIX.get(key) if key else None
            if prefix in self.formsets:
                formset = self.formsets[prefix]
                for position, row_errors in enumerate(value):
                    form = formset.forms[self._indexes[prefix][position]]
                    for field, row_messages in row_errors.items():
                        for message in row_messages:
                            form.add_error(field if field in form.fields else None, message)
            else:
                field = key if key in self.form.fields else None
                for message in value:
                    self.form.add_error(field, message)

    def input_values(self) -> dict[str, Any]:
        """Return what each input of the page holds (the server's version of the visit)."""
        forms = [self.form]
        for formset in self.formsets.values():
            forms.append(formset.management_form)
            forms.extend(formset.forms)
        values: dict[str, Any] = {}
        for form in forms:
            for bound in form:
                widget = bound.field.widget
                value = bound.value()
                if isinstance(widget, CheckboxInput):
                    values[bound.html_name] = bool(widget.check_test(value))
                else:
                    shown = widget.format_value(value)
                    values[bound.html_name] = "" if shown is None else str(shown)
        return values

    def errors_by_input(self) -> dict[str, list[str]]:
        """Return every error keyed by the name of the input it belongs to."""
        errors: dict[str, list[str]] = {}
        for field, field_errors in self.form.errors.items():
            errors[field] = list(field_errors)
        for prefix, formset in self.formsets.items():
            if formset.non_form_errors():
                errors[prefix] = list(formset.non_form_errors())
            for form in formset.forms:
                for field, field_errors in form.errors.items():
                    name = form.prefix if field == "__all__" else form.add_prefix(field)
                    errors[name] = list(field_errors)
        return errors

    def check_rows(self) -> dict[str, list[tuple[Any, Any]]]:
        """Return the checklist's (row form, item) pairs by article."""
        items = {item.key: item for item in self.items}
        rows: dict[str, list] = {}
        for form in self.formsets["checks"].forms:
            try:
                key = (int(form["equipment"].value()), str(form["article"].value()))
            except (TypeError, ValueError):
                continue
            item = items.get(key)
            rows.setdefault(key[1], []).append((form, item))
        return rows

    def sections(self) -> list[dict[str, Any]]:
        checks = self.check_rows()
        sections = []
        for article, content in SECTIONS:
            section = {
                "article": article,
                "title": Article(article).label,
                "content": content,
            }
            if content == "checks":
                section["rows"] = checks.get(article, [])
            elif content in FORMSETS:
                if content not in self.formsets:
                    continue
                section["formset"] = self.formsets[content]
            else:
                section["field"] = self.form[content]
            sections.append(section)
        return sections


class VisitEditView(VisitMixin, View):
    """The tablet form, a sequence of sections: identification, presence, each article's
    checklist and measurements, photos, refusal, summary (:mod:`.visit_steps`)."""

    require_edit = True
    template_name = "inspections/visit_form.html"
    # Added to every JSON answer (the page of a visit not yet started names the visit).
    extra_json: dict[str, Any] = {}

    def render_page(
        self,
        visit: Visit,
        forms: VisitForms,
        status: int = 200,
        version: str | None = None,
        draft: bool = False,
    ):
        started = not draft
        if draft:
            action = reverse("visit-new", args=[visit.inspection_id])
        else:
            action = reverse("visit-edit", args=[visit.pk])
        attributes = {
            "data-client-key": str(visit.client_key),
            "data-storage-key": f"portal.visit.{visit.client_key}",
            "data-visit": str(visit.pk) if started else "",
            "data-inspection": str(visit.inspection_id),
            "data-photo-action": reverse("photo-upload", args=[visit.pk]) if started else "",
            "data-service-worker": reverse("service-worker"),
            **limits_attributes(visit_rules.rule_limits(visit)),
            **messages_attributes(),
        }
        if draft:
            attributes["data-draft"] = ""
        photos = list(visit.photos.all()) if started else []
        photo_form = PhotoForm()
        for field in photo_form.fields.values():
            field.widget.attrs["form"] = PHOTO_FORM_ID  # its inputs sit in the photos step
        steps = build_steps(forms, len(photos))
        temperatures = list(visit.temperatures.all()) if started else []
        context = {
            "visit": visit,
            "inspection": visit.inspection,
            "premises": visit.inspection.premises,
            "draft": draft,
            "action": action,
            "forms": forms,
            "form": forms.form,
            "steps": steps,
            "current_step": current_step(steps),
            "error_summary": ErrorSummary(forms.form, steps),
            "form_attributes": attributes,
            "version": version or (services.version_of(visit) if started else NEW_VERSION),
            "breaches": visit_rules.rule_breaches(visit) if started else [],
            "average": visit_rules.average_temperature(temperatures),
            "photos": photos,
            "photo_form": photo_form,
            "photo_form_id": PHOTO_FORM_ID,
            "cases": verifications.visit_cases(visit, timezone.localdate()),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk: int):
        visit = self.get_visit()
        if visit.is_completed:
            messages.info(request, _("This visit has been completed; it can no longer be changed."))
            return redirect("visit-detail", pk=visit.pk)
        return self.render_page(visit, VisitForms(visit))

    def refuse(self, visit: Visit, message: str, status: int = 400):
        if _wants_json(self.request):
            return JsonResponse(
                {"ok": False, "errors": {"__all__": [message]}, **self.extra_json}, status=status
            )
        messages.error(self.request, message)
        return redirect("visit-detail", pk=visit.pk)

    def post(self, request, pk: int):
        visit = self.get_visit()
        if visit.is_completed:
            return self.refuse(
                visit, _("This visit has been completed; it can no longer be changed.")
            )
        keys = {request.POST.get("client_key"), request.headers.get("Idempotency-Key")}
        if keys - {None, "", str(visit.client_key)}:
            return self.refuse(
                visit, _("These entries belong to another visit; nothing was saved.")
            )
        expected = request.POST.get("loaded_version") or None
        return self.save(visit, VisitForms(visit, request.POST), expected)

    def save(self, visit: Visit, forms: VisitForms, expected_version: str | None):
        """Save the entries over ``expected_version``; answer JSON or the page."""
        if forms.is_valid():
            try:
                visit = services.save_visit(
                    self.request.user,
                    visit,
                    forms.data(),
                    forms.readings(),
                    expected_version=expected_version,
                )
            except services.VisitConflict:
                return self.conflict(visit, forms)
            except ValidationError as exc:
                forms.add_service_errors(exc)
            else:
                return self.saved(visit)
        if _wants_json(self.request):
            return JsonResponse(
                {"ok": False, "errors": forms.errors_by_input(), **self.extra_json}, status=400
            )
        return self.render_page(visit, forms)

    def conflict(self, visit: Visit, forms: VisitForms):
        """The visit changed since the entries were made: show both, let the inspector choose."""
        current = _visits().get(pk=visit.pk)
        version = services.version_of(current)
        if _wants_json(self.request):
            saved_at = timezone.localtime(current.updated_at)
            return JsonResponse(
                {
                    "ok": False,
                    "conflict": True,
                    "version": version,
                    "saved_at_display": date_format(saved_at, "Y-m-d H:i"),
                    "server": VisitForms(current).input_values(),
                    **self.extra_json,
                },
                status=409,
            )
        forms.form.add_error(
            None,
            _(
                "This visit was changed by someone else since you opened it. Your entries are "
                "below: save again to keep them, or open the visit again to see the other "
                "version."
            ),
        )
        return self.render_page(current, forms, status=409, version=version)

    def saved(self, visit: Visit):
        breaches = visit_rules.rule_breaches(visit)
        if _wants_json(self.request):
            average = visit_rules.average_temperature(visit.temperatures.all())
            saved_at = timezone.localtime(visit.updated_at)
            return JsonResponse(
                {
                    "ok": True,
                    "saved_at": saved_at.isoformat(),
                    "version": services.version_of(visit),
                    "saved_at_display": date_format(saved_at, "H:i"),
                    "violations": [breach.as_dict() for breach in breaches],
                    # The engine's figure: the form shows it in place of its preview.
                    "temperature_average": None if average is None else str(average),
                    **self.extra_json,
                }
            )
        messages.success(self.request, _("The visit has been saved."))
        for breach in breaches:
            messages.warning(self.request, f"{breach.article_label}: {breach.message}")
        return redirect("visit-edit", pk=visit.pk)


class VisitNewView(VisitEditView):
    """The form of a visit not yet started: kept by the tablet for the day, filled offline.

    The agenda's "Start the visit" opens it; the service worker keeps it for every
    inspection of the agenda, so an inspector without a network fills it in and the device
    queues the entries under the inspection's draft key (:func:`services.draft_key`). The
    first send starts the visit with that key and saves the entries, once however often it
    is sent; its answers name the started visit (``visit``, ``action``, ``photo_action``)
    so the device sends what follows there. If a colleague started the visit meanwhile,
    entries that would change it are a conflict, shown side by side as on any visit.
    Without JavaScript, saving the form starts the visit and shows its page.
    """

    def get_inspection(self) -> Inspection:
        return VisitStartView.get_inspection(self)

    def get(self, request, pk: int):
        inspection = self.get_inspection()
        visit = Visit.objects.filter(inspection=inspection).first()
        if visit is not None:
            return redirect("visit-detail" if visit.is_completed else "visit-edit", pk=visit.pk)
        draft = Visit(
            inspection=inspection, client_key=services.draft_key(inspection.pk, request.user.pk)
        )
        return self.render_page(draft, VisitForms(draft), draft=True)

    def post(self, request, pk: int):
        inspection = self.get_inspection()
        keys = {request.POST.get("client_key"), request.headers.get("Idempotency-Key")} - {
            None,
            "",
        }
        if len(keys) > 1:
            return self.refuse_start(
                inspection, _("These entries belong to another visit; nothing was saved.")
            )
        key = next(iter(keys), None)
        try:
            visit, created = services.start_visit(request.user, inspection, key)
        except ValidationError as exc:
            return self.refuse_start(inspection, " ".join(exc.messages))
        self.extra_json = {
            "visit": visit.pk,
            "action": reverse("visit-edit", args=[visit.pk]),
            "photo_action": reverse("photo-upload", args=[visit.pk]),
        }
        if visit.is_completed:
            return self.refuse(
                visit, _("This visit has been completed; it can no longer be changed.")
            )
        # Begun before the visit existed: over a visit someone else started, any change is
        # a conflict; over the one this device started (now or by an earlier send), none.
        ours = created or str(visit.client_key) == str(key)
        forms = VisitForms(visit, request.POST)
        return self.save(visit, forms, None if ours else NEW_VERSION)

    def refuse_start(self, inspection: Inspection, message: str):
        if _wants_json(self.request):
            return JsonResponse({"ok": False, "errors": {"__all__": [message]}}, status=400)
        messages.error(self.request, message)
        return redirect("inspection-detail", pk=inspection.pk)


# --- Read ----------------------------------------------------------------------------------


def _violations(opened: list[Violation]) -> list[dict[str, Any]]:
    return [
        {
            "violation": violation,
            "article_label": article_label(violation.article),
            "penalty_label": article_label(violation.penalty_article),
            "message": explain_finding(violation.finding),
        }
        for violation in opened
    ]


def _outcome(visit: Visit) -> verifications.VisitOutcome:
    """What the completed visit opened, verified, and found covered by running cases."""
    opened = list(
        Violation.objects.filter(source_reference=services.source_reference_of(visit)).order_by(
            "article", "subject"
        )
    )
    return verifications.outcome_of(visit, opened)


class VisitDetailView(VisitMixin, View):
    """What was recorded at a visit; the business reads its own, with photos and results."""

    template_name = "inspections/visit_detail.html"

    def get(self, request, pk: int):
        visit = self.get_visit()
        temperatures = list(visit.temperatures.all())
        outcome = _outcome(visit) if visit.is_completed else None
        context = {
            "visit": visit,
            "inspection": visit.inspection,
            "premises": visit.inspection.premises,
            "can_edit": self.can_edit and not visit.is_completed,
            "temperatures": temperatures,
            "average": visit_rules.average_temperature(temperatures),
            "arcade_readings": visit.arcade_readings.all(),
            "illuminance_readings": visit.illuminance_readings.all(),
            "checks": visit.equipment_checks.select_related("equipment"),
            "photos": visit.photos.all(),
            "violations": _violations(outcome.opened) if outcome else [],
            "outcome": outcome,
            "cases": (
                outcome.cases if outcome else verifications.visit_cases(visit, timezone.localdate())
            ),
            "breaches": [] if visit.is_completed else visit_rules.rule_breaches(visit),
            "reports": visit.reports.all(),
        }
        return render(request, self.template_name, context)


# --- Complete ------------------------------------------------------------------------------


class VisitCompleteView(VisitMixin, View):
    """Confirm and complete a visit: the assessment opens the violations it implies."""

    require_edit = True
    template_name = "inspections/visit_complete.html"

    def context(self, visit: Visit, errors=None) -> dict[str, Any]:
        return {
            "visit": visit,
            "inspection": visit.inspection,
            "premises": visit.inspection.premises,
            "missing": services.completion_problems(visit) if errors is None else errors,
            "breaches": visit_rules.rule_breaches(visit),
            "cases": verifications.visit_cases(visit, timezone.localdate()),
        }

    def get(self, request, pk: int):
        visit = self.get_visit()
        if visit.is_completed:
            return redirect("visit-detail", pk=visit.pk)
        return render(request, self.template_name, self.context(visit))

    def post(self, request, pk: int):
        visit = self.get_visit()
        try:
            completion = services.complete_visit(request.user, visit)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            return render(request, self.template_name, self.context(visit, errors))
        if completion.newly_completed:
            messages.success(
                request,
                _("The visit has been completed; %(count)d violation(s) opened.")
                % {"count": len(completion.violations)},
            )
        return redirect("visit-detail", pk=visit.pk)


# --- Photos --------------------------------------------------------------------------------


class PhotoUploadView(VisitMixin, View):
    """Attach a photo to a visit (assigned inspectors and administrators)."""

    require_edit = True
    template_name = "inspections/visit_photo.html"

    def get(self, request, pk: int):
        visit = self.get_visit()
        return render(request, self.template_name, {"visit": visit, "photo_form": PhotoForm()})

    def post(self, request, pk: int):
        visit = self.get_visit()
        form = PhotoForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                photo = services.add_photo(
                    request.user,
                    visit,
                    form.cleaned_data["file"],
                    form.cleaned_data["caption"],
                    form.cleaned_data["article"],
                )
            except ValidationError as exc:
                if _wants_json(request) and _is_duplicate(exc):
                    # A photo queued on the device and sent again: it is there already.
                    return JsonResponse({"ok": True, "duplicate": True})
                errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
                for field, field_messages in errors.items():
                    for message in field_messages:
                        form.add_error(field if field in form.fields else None, message)
            else:
                if _wants_json(request):
                    return JsonResponse({"ok": True, "photo": photo.pk})
                messages.success(request, _("The photo has been added."))
                return redirect("visit-detail" if visit.is_completed else "visit-edit", pk=pk)
        if _wants_json(request):
            errors = {name: list(texts) for name, texts in form.errors.items()}
            return JsonResponse({"ok": False, "errors": errors}, status=400)
        return render(request, self.template_name, {"visit": visit, "photo_form": form})


def _is_duplicate(exc: ValidationError) -> bool:
    errors = exc.error_dict.get("file", []) if hasattr(exc, "error_dict") else []
    return any(error.code == "duplicate" for error in errors)


class PhotoFileView(LoginRequiredMixin, View):
    """Serve a photo's bytes to those who may see its visit, never as a static file."""

    def get(self, request, pk: int) -> HttpResponse:
        photo = visible_or_404(Photo.objects.all(), request.user, pk=pk)
        try:
            handle = photo.file.open("rb")
        except (FileNotFoundError, ValueError) as exc:
            raise Http404 from exc
        extension = photo.file.name.rsplit(".", 1)[-1]
        response = FileResponse(handle, content_type=photo.content_type)
        response["Content-Disposition"] = f'inline; filename="photo-{photo.pk}.{extension}"'
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, max-age=3600"
        return response
