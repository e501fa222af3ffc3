"""Who may use the programme API: everyone reads published records; programme staff write.

Reads need no sign-in: what a visitor sees is decided by ``visible_to`` (published rows
only, unless the user is a programme officer or administrator), and what it may not see
is a 404. Creating needs programme staff; changing an object is decided on the object
(``editable_by``), so an invisible object answers 404 before any 403. Read-only API
clients never write. Publishing is checked in the action itself (administrators).
"""

from rest_framework import permissions

from portal.permissions import can


class ProgrammeRecordPermission(permissions.BasePermission):
    """Reads for everyone; writes for programme officers and administrators."""

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        user = request.user
        if not (user and user.is_authenticated) or user.is_read_only:
            return False
        # On an object, the object decides (after a 404 for what the user cannot see).
        return bool(getattr(view, "detail", False)) or can(user, "programs.keep_records")

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return type(obj).objects.editable_by(request.user).filter(pk=obj.pk).exists()
