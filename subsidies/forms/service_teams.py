"""Forms of the service-team pages; the services validate the rules again."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compliance.models import Business, Premises, Violation
from subsidies.models import Consultation, ServiceRequest, ServiceTeam, TeamExpert


class ServiceTeamForm(forms.ModelForm):
    class Meta:
        model = ServiceTeam
        fields = ["name", "industry", "description", "active"]


class TeamExpertForm(forms.ModelForm):
    class Meta:
        model = TeamExpert
        fields = ["name", "expertise", "organisation", "user"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = get_user_model().objects.filter(is_active=True)


ExpertFormSet = forms.inlineformset_factory(
    ServiceTeam, TeamExpert, form=TeamExpertForm, extra=2, can_delete=False
)


class ServiceRequestForm(forms.ModelForm):
    """A business asks for help; ``violation`` comes from "ask the service team"."""

    violation = forms.ModelChoiceField(
        queryset=Violation.objects.none(), required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = ServiceRequest
        fields = ["business", "premises", "violation", "topic", "description"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["business"].queryset = Business.objects.editable_by(user)
        self.fields["premises"].queryset = Premises.objects.editable_by(user)
        self.fields["violation"].queryset = Violation.objects.visible_to(user)


class AssignForm(forms.Form):
    team = forms.ModelChoiceField(
        label=_("Service team"), queryset=ServiceTeam.objects.filter(active=True)
    )
    reason = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why this team, or what it should look at first."),
    )


class ConsultationForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = ["held_on", "experts", "findings", "recommendations", "follow_up_due"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}),
            "follow_up_due": forms.DateInput(attrs={"type": "date"}),
            "experts": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, service_request: ServiceRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experts"].queryset = TeamExpert.objects.current().filter(
            team=service_request.team_id
        )
        self.fields["held_on"].initial = timezone.localdate()


class CloseForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ExpertRemovalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the expert leaves the team; kept with the team's history."),
    )


class WithdrawForm(forms.Form):
    """Nothing to fill in: the button confirms."""
