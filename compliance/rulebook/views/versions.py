"""The rule book's pages: versions, the draft editor, the diff, the impact preview, publishing.

Everyone signed in reads the published versions; administrators also see drafts, edit
them, preview their impact and publish them. A published version is never changed:
its edit, publish and delete pages answer 403 (a draft another role may not see, 404).
Every change goes through :mod:`compliance.rulebook.services.versions`, which audits it.
"""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from compliance import rules
from compliance.articles import article_label
from compliance.models import RuleBookVersion
from compliance.rulebook.bridge import parameters_of, version_in_force
from compliance.rulebook.explain import outcome_label
from compliance.rulebook.forms.versions import RuleBookEditor
from compliance.rulebook.services import assessment
from compliance.rulebook.services import versions as services
from compliance.rulebook.views import display as display
from portal.audit import history_of
from portal.permissions import can, require
from portal.views.mixins import EditableObjectMixin, VisibleMixin


def _parameters(version: RuleBookVersion) -> rules.RuleParameters | None:
    """Return a version's parameters, or None if they cannot be read (a broken draft)."""
    try:
        return parameters_of(version)
    except (KeyError, TypeError, ValueError, ArithmeticError, AttributeError):
        return None


def _comparison(version: RuleBookVersion) -> tuple[RuleBookVersion | None, list]:
    """Return the version in force when ``version`` would take effect, and the diff to it."""
    day = max(timezone.localdate(), version.effective_from)
    current = version_in_force(day)
    if current is None or current.pk == version.pk:
        return current, []
    changes = services.diff(current.parameters, version.parameters)
    return current, display.readable_changes(changes)


class RuleBookListView(VisibleMixin, ListView):
    """Every version the user may see, the one in force today and future ones marked."""

    model = RuleBookVersion
    paginate_by = 50
    template_name = "compliance/rulebook_list.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("created_by", "published_by")
            .order_by("-effective_from", "-id")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        in_force = version_in_force(today)
        context["today"] = today
        context["in_force_id"] = in_force.pk if in_force else None
        context["none_in_force"] = in_force is None
        if in_force is None and can(self.request.user, "rulebook.draft"):
            context["initial_draft"] = services.initial_draft()
        return context


class RuleBookDetailView(VisibleMixin, DetailView):
    """All parameters of a version; for a draft, its difference from the version in force."""

    model = RuleBookVersion
    template_name = "compliance/rulebook_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("created_by", "published_by", "based_on")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = self.object
        params = _parameters(version)
        today = timezone.localdate()
        in_force = version_in_force(today)
        context.update(
            tables=display.tables_of(params) if params else None,
            in_force=in_force is not None and in_force.pk == version.pk,
            is_future=version.is_published and version.effective_from > today,
            can_edit=RuleBookVersion.objects.editable_by(self.request.user)
            .filter(pk=version.pk)
            .exists(),
            can_draft=can(self.request.user, "rulebook.draft"),
            first_publication=services.restates_ordinance(version),
            history=history_of(version)[:20],
        )
        if not version.is_published:
            current, changes = _comparison(version)
            context.update(
                compared_with=current,
                changes=changes,
                problems=display.problem_texts(services.validation_errors(version)),
            )
        return context


class RuleBookDraftCreateView(LoginRequiredMixin, View):
    """Start a draft (a copy of the version in force, or of ``based_on``); POST only."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        require(request.user, "rulebook.draft")
        based_on = None
        raw = request.POST.get("based_on", "")
        if raw:
            if not raw.isdigit():
                raise Http404
            based_on = RuleBookVersion.objects.visible_to(request.user).filter(pk=int(raw)).first()
            if based_on is None:
                raise Http404
        draft = services.create_draft(request.user, based_on=based_on)
        messages.success(
            request, _("A new draft has been started. Change what the City announced.")
        )
        return redirect("rulebook-edit", pk=draft.pk)


class DraftMixin(EditableObjectMixin):
    """Pages that only a draft has: 404 if the user cannot see it, 403 if it is published."""

    model = RuleBookVersion

    def get_object(self, queryset=None):
        if not hasattr(self, "_draft"):
            self._draft = super().get_object(queryset)
        return self._draft


class RuleBookEditView(DraftMixin, DetailView):
    """Edit a draft: its description, every scalar parameter and every table."""

    template_name = "compliance/rulebook_form.html"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        editor = RuleBookEditor(self.object, _parameters(self.object))
        problems = display.problem_texts(services.validation_errors(self.object))
        return self.render_to_response(self.get_context_data(editor=editor, problems=problems))

    def post(self, request, *args, **kwargs):
        self.object = draft = self.get_object()
        editor = RuleBookEditor(draft, None, data=request.POST)
        if editor.is_valid():
            try:
                draft = services.update_draft(
                    request.user, draft, params=editor.parameters(), **editor.version_fields()
                )
            except ValidationError as exc:
                editor.add_service_error(exc)
            else:
                problems = services.validation_errors(draft)
                if problems:
                    messages.warning(
                        request,
                        _(
                            "The draft has been saved. Fix the problems listed before "
                            "publishing it."
                        ),
                    )
                else:
                    messages.success(request, _("The draft has been saved."))
                return redirect("rulebook-detail", pk=draft.pk)
        return self.render_to_response(self.get_context_data(editor=editor, problems=[]))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["statutory_ranges"] = display.statutory_ranges()
        return context


class RuleBookImpactView(DraftMixin, DetailView):
    """Which premises would change status if the draft were in force."""

    template_name = "compliance/rulebook_impact.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        day = max(timezone.localdate(), self.object.effective_from)
        rows = []
        transitions: Counter = Counter()
        for impact in assessment.impact_of(self.object, day):
            transitions[(outcome_label(impact.before), outcome_label(impact.after))] += 1
            rows.append(
                {
                    "premises": impact.premises,
                    "before": outcome_label(impact.before),
                    "after": outcome_label(impact.after),
                    "before_code": impact.before,
                    "after_code": impact.after,
                    "articles": [
                        (article_label(article), outcome_label(old), outcome_label(new))
                        for article, old, new in impact.articles
                    ],
                }
            )
        context.update(
            day=day,
            impacts=rows,
            transitions=sorted(transitions.items()),
            compared_with=version_in_force(day),
        )
        return context


class RuleBookPublishView(DraftMixin, DetailView):
    """Confirm and publish a draft: its diff, its impact and any reason it cannot be."""

    template_name = "compliance/rulebook_publish.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        draft = self.object
        current, changes = _comparison(draft)
        problems = kwargs.get("problems")
        if problems is None:
            problems = display.problem_texts(services.validation_errors(draft))
        first_publication = services.restates_ordinance(draft)
        context.update(
            compared_with=current,
            changes=changes,
            problems=problems,
            impact_count=len(assessment.impact_of(draft)),
            first_publication=first_publication,
            in_the_past=draft.effective_from < timezone.localdate() and not first_publication,
        )
        return context

    def post(self, request, *args, **kwargs):
        self.object = draft = self.get_object()
        reason = request.POST.get("reason", "").strip()[:500]
        try:
            services.publish(request.user, draft, reason=reason)
        except ValidationError as exc:
            problems = []
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            for field, texts in errors.items():
                if field == "parameters":
                    # The engine's own words, translated, in place of the service's English.
                    problems += display.problem_texts(services.validation_errors(draft))
                else:
                    problems += texts
            context = self.get_context_data(problems=problems)
            return self.render_to_response(context)
        messages.success(
            request,
            _("The version has been published; it is in force from %(date)s.")
            % {"date": draft.effective_from.isoformat()},
        )
        return HttpResponseRedirect(reverse("rulebook-list"))


class RuleBookDeleteView(DraftMixin, DetailView):
    """Discard a draft after confirmation (published versions are never deleted)."""

    template_name = "compliance/rulebook_confirm_delete.html"

    def post(self, request, *args, **kwargs):
        draft = self.get_object()
        services.delete_draft(request.user, draft)
        messages.success(request, _("The draft has been discarded."))
        return redirect("rulebook-list")
