"""One error shape for the whole API."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

# DRF's own messages its Traditional Chinese catalogue leaves in English: the portal's
# wording, in both languages, for the refusals every client meets.
DEFAULT_MESSAGES = {
    exceptions.NotAuthenticated: gettext_lazy(
        "Authentication credentials were not provided: send an API token "
        "(Authorization: Token …) or sign in."
    ),
    exceptions.AuthenticationFailed: gettext_lazy("The API token or the sign-in was not accepted."),
    exceptions.PermissionDenied: gettext_lazy("You may not do this."),
    exceptions.NotFound: gettext_lazy("Not found."),
}


def _portal_wording(exc) -> None:
    """Replace DRF's default message of ``exc`` by the portal's translated one."""
    for kind, message in DEFAULT_MESSAGES.items():
        if isinstance(exc, kind) and str(exc.detail) == str(kind.default_detail):
            exc.detail = exceptions.ErrorDetail(str(message), code=exc.default_code)
            return


def exception_handler(exc, context):
    """Answer every client error as ``{"detail": ..., "errors": {field: [messages]}}``.

    Model validation errors and integrity errors that escape a serializer become 400s
    with field errors instead of 500s.
    """
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, IntegrityError):
        exc = exceptions.ValidationError(
            {"non_field_errors": [_("This conflicts with an existing record.")]}
        )
    _portal_wording(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = (
            response.data
            if isinstance(response.data, dict)
            else {"non_field_errors": response.data}
        )
        response.data = {"detail": _("The request has invalid fields."), "errors": errors}
        response.status_code = status.HTTP_400_BAD_REQUEST
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": response.data["detail"], "errors": {}}
    return Response(response.data, status=response.status_code, headers=response.headers)
