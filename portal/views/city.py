"""The City's procedural settings: administrators read and change them, audited."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from portal import audit
from portal.choices import AuditAction
from portal.models import CitySettings
from portal.views.mixins import AdministratorRequiredMixin

FIELDS = ["visit_tolerance_days", "document_prefix"]


class CitySettingsForm(forms.ModelForm):
    class Meta:
        model = CitySettings
        fields = FIELDS


class CitySettingsView(AdministratorRequiredMixin, FormView):
    """Change the City's procedural settings (each change in the audit log)."""

    template_name = "portal/city_settings.html"
    form_class = CitySettingsForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": CitySettings.current()}

    @transaction.atomic
    def form_valid(self, form):
        row = CitySettings.objects.select_for_update().get(pk=form.instance.pk)
        before = audit.snapshot(row, FIELDS)
        form.instance.updated_by = self.request.user
        form.save()
        changes = audit.diff(before, audit.snapshot(form.instance, FIELDS))
        if changes:
            audit.record(
                actor=self.request.user,
                action=AuditAction.UPDATE,
                instance=form.instance,
                changes=changes,
            )
        messages.success(self.request, _("The City settings are saved."))
        return redirect("city-settings")
