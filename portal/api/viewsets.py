"""Base API viewsets: visibility applied once, validation in the model, audit on writes."""

from django.db import transaction
from rest_framework import mixins, viewsets

from portal import audit
from portal.choices import AuditAction


class VisibleQuerysetMixin:
    """Restrict the queryset to what the requesting user may see (404 for the rest)."""

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset.visible_to(self.request.user)


class ReadOnlyViewSet(VisibleQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """A read-only list and detail endpoint over visible rows."""


class AuditedModelViewSet(
    VisibleQuerysetMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """A read-write endpoint whose writes go through audited saves."""

    def business_id_of(self, instance) -> int | None:
        """Return the business the instance belongs to, for the audit log."""
        return getattr(instance, "owner_business_id", None)

    @transaction.atomic
    def perform_create(self, serializer):
        instance = serializer.save()
        audit.record(
            actor=self.request.user,
            action=AuditAction.CREATE,
            instance=instance,
            changes=audit.diff({}, audit.snapshot(instance)),
            business_id=self.business_id_of(instance),
        )

    @transaction.atomic
    def perform_update(self, serializer):
        before = audit.snapshot(serializer.instance)
        instance = serializer.save()
        changes = audit.diff(before, audit.snapshot(instance))
        if changes:
            audit.record(
                actor=self.request.user,
                action=AuditAction.UPDATE,
                instance=instance,
                changes=changes,
                business_id=self.business_id_of(instance),
            )

    @transaction.atomic
    def perform_destroy(self, instance):
        audit.record(
            actor=self.request.user,
            action=AuditAction.DELETE,
            instance=instance,
            changes=audit.diff(audit.snapshot(instance), {}),
            business_id=self.business_id_of(instance),
        )
        instance.delete()
