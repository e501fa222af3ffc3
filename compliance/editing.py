"""The one way registry pages save a form: through the audited service, errors kept on the form."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from compliance import services


class UserFormMixin:
    """Pass the signed-in user to forms that limit their choices to what the user may edit."""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs


class AuditedSaveMixin:
    """Save the form's instance with ``services.save_record``; a refusal becomes a form error.

    Subclasses may override :meth:`save` (another service) and :meth:`get_success_url`
    (by default the saved object's page).
    """

    success_message = ""

    def save(self, form):
        return services.save_record(self.request.user, form.instance)

    def form_valid(self, form):
        try:
            self.object = self.save(form)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())

    def get_success_url(self):
        return self.object.get_absolute_url()
