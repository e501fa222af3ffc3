"""Who sees and changes inspections: the City's staff; businesses read their own results."""

from django.db import models

from portal.choices import Role

CITY_READERS = {Role.ADMINISTRATOR, Role.INSPECTOR, Role.API_CLIENT}


class InspectionQuerySet(models.QuerySet):
    """Administrators, inspectors and API clients see every inspection.

    A business user sees the inspections of its own premises (the visit, its findings,
    its report), never anyone else's. Administrators change any inspection; an
    inspector changes only those assigned to them. ``inspection_path`` leads from a row
    to its inspection ("" for the inspection itself).
    """

    inspection_path = ""

    def _lookup(self, suffix: str) -> str:
        return f"{self.inspection_path}{suffix}"

    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser or user.role in CITY_READERS:
            return self
        if user.role == Role.BUSINESS:
            return self.filter(**{self._lookup("premises__business__memberships__user"): user})
        return self.none()

    def editable_by(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_administrator:
            return self
        if user.role == Role.INSPECTOR:
            assigned = models.Q(**{self._lookup("assignments__user"): user})
            return self.filter(pk__in=self.model.objects.filter(assigned).values("pk"))
        return self.none()


class VisitQuerySet(InspectionQuerySet):
    inspection_path = "inspection__"


class VisitPartQuerySet(InspectionQuerySet):
    inspection_path = "visit__inspection__"


class ReportQuerySet(InspectionQuerySet):
    inspection_path = "visit__inspection__"
