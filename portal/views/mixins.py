"""View mixins applying the querysets' visibility and edit rights to pages."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404

from portal.permissions import can


class VisibleMixin(LoginRequiredMixin):
    """Limit a page's queryset to what the signed-in user may see (others get 404)."""

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)


class EditableObjectMixin(VisibleMixin):
    """Let a page change only an object the user may edit.

    An object the user cannot see is a 404; one they can see but not change is a 403.
    """

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        model = type(obj)
        if not model.objects.editable_by(self.request.user).filter(pk=obj.pk).exists():
            raise PermissionDenied
        return obj


class WriterRequiredMixin(LoginRequiredMixin):
    """Refuse creation pages to roles that only read (inspectors, API clients, others)."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not (user.is_administrator or user.is_business_user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class AdministratorRequiredMixin(LoginRequiredMixin):
    """Let only administrators in (403 for other signed-in users, login for anonymous)."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not user.is_administrator:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class RuleRequiredMixin(LoginRequiredMixin):
    """Let in the signed-in users whom the rule ``permission_rule`` allows.

    The rule (a name of :mod:`portal.permissions`) is asked for the user's role: others
    signed in get 403, anonymous visitors the login page.
    """

    permission_rule: str = ""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not can(user, self.permission_rule):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def visible_or_404(queryset, user, **lookup):
    """Return the object of ``queryset`` visible to ``user`` matching ``lookup``, or 404."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc
