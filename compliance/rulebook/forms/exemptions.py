"""Forms for individual exemptions: the request, the decision, the revocation, the filters.

The model validates (period in order, equipment of the chosen premises); the forms only
offer what the user may edit and present the errors.
"""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from compliance.choices import Article, District, ExemptionStatus
from compliance.form_fields import PremisesChoiceField
from compliance.models import Equipment, Exemption, Premises
from portal import bounds

DATE_WIDGET = {"type": "date"}


def grouped_equipment_choices(items: QuerySet, empty_label: str) -> list:
    """Return select choices grouped by premises (an <optgroup> each), the empty one first.

    Only the widget shows these; the field still accepts any item of its queryset, so a
    wrong pick is answered by the model's own message, not a generic "invalid choice".
    """
    groups: dict[int, tuple[str, list]] = {}
    for item in items:
        label = f"{item.premises.business.display_name} · {item.premises.name}"
        groups.setdefault(item.premises_id, (label, []))[1].append(
            (item.pk, f"{item.tag} · {item.get_kind_display()}")
        )
    return [("", empty_label), *groups.values()]


class ExemptionRequestForm(forms.ModelForm):
    """Ask for an exemption from one article for a premises or one item of it.

    Only premises and equipment the user may edit are accepted. A business user's
    lists hold all of theirs; city staff (who may edit every premises) choose the
    premises by id, or arrive with it preselected from the premises page, and are then
    offered that premises's equipment only.
    """

    class Meta:
        model = Exemption
        fields = [
            "premises",
            "equipment",
            "article",
            "reason",
            "explanation",
            "evidence",
            "valid_from",
            "valid_until",
        ]
        field_classes = {"premises": PremisesChoiceField}
        widgets = {
            "explanation": forms.Textarea(attrs={"rows": 4}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
            "valid_from": forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
            "valid_until": forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        premises_field = self.fields["premises"]
        equipment_field = self.fields["equipment"]
        premises_field.queryset = (
            Premises.objects.editable_by(user)
            .select_related("business")
            .order_by("business__name_zh", "name", "id")
        )
        equipment_field.queryset = Equipment.objects.editable_by(user).select_related(
            "premises__business"
        )
        whole = _("The whole premises")
        equipment_field.empty_label = whole
        ordering = ("premises__business__name_zh", "premises__name", "premises_id", "tag", "id")
        if user.is_business_user:
            # The chosen premises' items only (all of theirs, grouped, until one is chosen).
            offered = equipment_field.queryset.order_by(*ordering)
            chosen = self._chosen_premises_id()
            if chosen is not None:
                offered = offered.filter(premises_id=chosen)
            equipment_field.widget.choices = grouped_equipment_choices(offered, whole)
            return
        # Every premises of the city is editable here: offer only the chosen one.
        chosen = self._chosen_premises_id()
        if chosen is None:
            premises_field.widget = forms.NumberInput(attrs={"min": 1})
            premises_field.label = _("premises id")
            premises_field.help_text = _(
                "Open the form from the premises page to choose among its equipment."
            )
        else:
            premises_field.widget.choices = [("", premises_field.empty_label)] + [
                (p.pk, premises_field.label_from_instance(p))
                for p in premises_field.queryset.filter(pk=chosen)
            ]
        offered = equipment_field.queryset.filter(premises_id=chosen).order_by(*ordering)
        equipment_field.widget.choices = grouped_equipment_choices(offered, whole)

    def _chosen_premises_id(self) -> int | None:
        """Return the premises id typed or preselected, if it is a number."""
        value = self.data.get("premises") if self.is_bound else self.initial.get("premises")
        value = str(value or "")
        return int(value) if value.isdigit() else None


class ExemptionDecisionForm(forms.Form):
    """An administrator's decision on a requested exemption, with its reason."""

    approve = forms.TypedChoiceField(
        label=pgettext_lazy("outcome of a review", "decision"),
        choices=[("yes", _("Approve")), ("no", _("Refuse"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to the business with the decision."),
    )


class ExemptionRevocationForm(forms.Form):
    """An administrator revokes an approved exemption from a date on."""

    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))
    on = bounds.DateField(
        label=_("revoked on"),
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
        help_text=_("The exemption no longer applies from this day on."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate


class ExemptionFilterForm(forms.Form):
    """Filters of the exemption list: status, article, premises and district."""

    status = forms.ChoiceField(label=pgettext_lazy("state of a record", "status"), required=False)
    article = forms.ChoiceField(label=_("article"), required=False)
    district = forms.ChoiceField(label=_("district"), required=False)
    premises = forms.ModelChoiceField(
        label=_("premises"), queryset=Premises.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        blank = [("", _("All"))]
        self.fields["status"].choices = blank + list(ExemptionStatus.choices)
        self.fields["article"].choices = blank + list(Article.choices)
        self.fields["district"].choices = blank + list(District.choices)
        premises = self.fields["premises"]
        premises.queryset = Premises.objects.visible_to(user).order_by("name", "id")
        premises.empty_label = _("All")
        if not user.is_business_user:
            # City staff see every premises: a list of thousands would not help; take an id.
            premises.widget = forms.NumberInput(attrs={"min": 1})
            premises.label = _("premises id")

    def filter(self, queryset: QuerySet) -> QuerySet:
        """Return ``queryset`` narrowed by the valid filters (a hidden premises: nothing)."""
        if not self.is_bound:
            return queryset
        self.is_valid()
        if "premises" in self.errors:
            # A premises the user cannot see filters to nothing, and says nothing about it.
            return queryset.none()
        data = self.cleaned_data
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("article"):
            queryset = queryset.filter(article=data["article"])
        if data.get("district"):
            queryset = queryset.filter(premises__district=data["district"])
        if data.get("premises"):
            queryset = queryset.filter(premises=data["premises"])
        return queryset
