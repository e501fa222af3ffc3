"""Visibility and edit rights: the one place that decides who sees and changes what.

* Administrators see and change everything.
* Inspectors and read-only API clients see the whole registry and change nothing.
* Business users see and change only the records of businesses they are members of.
* Other roles (energy suppliers, programme officers) see nothing of the registry.
"""

from django.db import models

from portal.choices import Role

READ_ALL_ROLES = {Role.ADMINISTRATOR, Role.INSPECTOR, Role.API_CLIENT}


class RegistryQuerySet(models.QuerySet):
    """Base queryset: subclasses name the path from their rows to the business."""

    business_path: str = ""
    # The path from the rows to the energy supplier they concern (Art. 18 cases), if any.
    supplier_path: str = ""

    def _business_filter(self, user) -> models.Q:
        lookup = (
            f"{self.business_path}__memberships__user"
            if self.business_path
            else ("memberships__user")
        )
        return models.Q(**{lookup: user})

    def visible_to(self, user):
        """Return the rows ``user`` may see."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser or user.role in READ_ALL_ROLES:
            return self
        if user.role == Role.BUSINESS:
            return self.filter(self._business_filter(user))
        if user.role == Role.ENERGY_SUPPLIER and self.supplier_path:
            return self.filter(**{self.supplier_path: user})
        return self.none()

    def editable_by(self, user):
        """Return the rows ``user`` may change."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_administrator:
            return self
        if user.role == Role.BUSINESS:
            return self.filter(self._business_filter(user))
        return self.none()


class BusinessQuerySet(RegistryQuerySet):
    business_path = ""


class OwnedByBusinessQuerySet(RegistryQuerySet):
    """Rows with a direct ``business`` foreign key (memberships)."""

    business_path = "business"


class ClaimQuerySet(RegistryQuerySet):
    """Claims: a business user sees the claims they made; only administrators decide."""

    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_administrator:
            return self
        if user.role == Role.BUSINESS:
            return self.filter(user=user)
        return self.none()

    def editable_by(self, user):
        if user is None or not user.is_authenticated or not user.is_administrator:
            return self.none()
        return self


class PremisesQuerySet(RegistryQuerySet):
    business_path = "business"


class EquipmentQuerySet(RegistryQuerySet):
    business_path = "premises__business"


class EquipmentLogQuerySet(RegistryQuerySet):
    business_path = "equipment__premises__business"
