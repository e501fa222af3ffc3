"""Filters of the inspections API: by status, premises, day range, inspector and purpose.

Foreign keys are filtered by id with number filters: an id the user may not see simply
matches nothing, so a filter never tells whether another business's record exists.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from inspections.models import Inspection, InspectionAssignment


class InspectionFilterSet(django_filters.FilterSet):
    """Filter inspections; ``scheduled_for_after``/``_before`` bound the day (inclusive)."""

    premises = django_filters.NumberFilter(field_name="premises_id", label=_("premises (id)"))
    batch = django_filters.NumberFilter(field_name="batch_id", label=_("batch (id)"))
    violation = django_filters.NumberFilter(
        field_name="violation_id", label=_("violation re-inspected (id)")
    )
    inspector = django_filters.NumberFilter(
        method="filter_inspector", label=_("assigned inspector (user id)")
    )
    scheduled_for = django_filters.DateFromToRangeFilter(label=_("scheduled between"))

    class Meta:
        model = Inspection
        fields = ["status", "purpose", "premises", "batch", "violation", "inspector"]

    def filter_inspector(self, queryset, name, value):
        assigned = InspectionAssignment.objects.filter(user_id=value).values("inspection_id")
        return queryset.filter(pk__in=assigned)
