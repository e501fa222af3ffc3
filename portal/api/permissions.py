"""The API's permission policy: authenticated users only; read-only roles cannot write.

What a user may see is decided by ``Model.objects.visible_to(user)`` in the base viewset;
what it may change by ``Model.objects.editable_by(user)``. Both live in the querysets.
:class:`EditablePermission` derives writes from ``editable_by`` alone:

* creating needs a role that may change at least some rows of the model, i.e. whose
  ``editable_by(user)`` is not empty by rule (administrators, business users);
* changing an object first looks it up among the visible rows, so an object the user
  may not see is a 404, and one the user sees but may not change is a 403.
"""

from rest_framework import permissions


class RolePermission(permissions.BasePermission):
    """Allow reads to signed-in users; refuse writes to read-only roles."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return not user.is_read_only

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        editable = getattr(type(obj).objects, "editable_by", None)
        if editable is None:
            return request.user.is_administrator
        return editable(request.user).filter(pk=obj.pk).exists()


def may_create(user, model) -> bool:
    """Return whether ``user``'s role may add rows of ``model`` at all."""
    return not model.objects.editable_by(user).query.is_empty()


class EditablePermission(RolePermission):
    """Signed-in users read what they see; writes follow ``editable_by``.

    A view may define ``may_create(user)`` to replace the default create rule.
    """

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        if getattr(view, "detail", False):
            # Decided per object: 404 when not visible, 403 when visible but not editable.
            return True
        rule = getattr(view, "may_create", None)
        if rule is not None:
            return rule(user)
        return may_create(user, view.queryset.model)
