"""The API's permission policy: authenticated users only; read-only roles cannot write.

What a user may see is decided by ``Model.objects.visible_to(user)`` in the base viewset;
what it may change by ``Model.objects.editable_by(user)``. Both live in the querysets.
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
