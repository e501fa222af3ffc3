"""Who reaches which programme page: everyone reads published records, staff keep them.

Reading goes through ``visible_to`` (an unpublished record is a 404 for anyone but
programme officers and administrators); editing needs programme staff (403 for other
signed-in users who can see the record, login for anonymous visitors).
"""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.http import url_has_allowed_host_and_scheme

from portal.permissions import can


class PublicRecordMixin:
    """Limit a page's queryset to what the user (anonymous too) may read."""

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        staff = can(self.request.user, "programs.keep_records")
        return super().get_context_data(staff=staff, **kwargs)


class ProgrammeStaffRequiredMixin(LoginRequiredMixin):
    """Refuse a page to every signed-in user who does not keep programme records (403)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, "programs.keep_records"):
            self.refuse()
        return super().dispatch(request, *args, **kwargs)

    def refuse(self):
        """Refuse a user who is not programme staff: 403, or 404 for a record they cannot see."""
        raise PermissionDenied


class AdministratorRequiredMixin(LoginRequiredMixin):
    """Only administrators publish and unpublish (403 for the rest who may see the record)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, "programs.publish"):
            self.refuse()
        return super().dispatch(request, *args, **kwargs)

    def refuse(self):
        raise PermissionDenied


def visible_record_or_404(model, user, **lookup):
    """Return the ``model`` record ``user`` may read matching ``lookup``, or raise 404."""
    try:
        return model.objects.visible_to(user).get(**lookup)
    except model.DoesNotExist as exc:
        raise Http404 from exc


def safe_next(request, default: str) -> str:
    """Return the ``next`` address posted or asked for if it is on this site, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
