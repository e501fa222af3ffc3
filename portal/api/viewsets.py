"""Base API viewsets: visibility applied once, validation in the model, audit on writes."""

from django.db import transaction
from rest_framework import mixins, viewsets

from portal import audit
from portal.choices import AuditAction


def columns_but(relation: str, model, *kept: str) -> tuple[str, ...]:
    """The ``defer()`` names of the columns of ``model``, reached through ``relation``,
    other than its primary key and ``kept``."""
    return tuple(
        f"{relation}__{field.name}"
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name not in kept
    )


class VisibleQuerysetMixin:
    """Restrict the queryset to what the requesting user may see (404 for the rest)."""

    # Columns the list's rows do not show (``defer()`` names), left unread by a list.
    list_deferred: tuple[str, ...] = ()

    def get_queryset(self):
        queryset = super().get_queryset().visible_to(self.request.user)
        if self.list_deferred and getattr(self, "action", None) == "list":
            queryset = queryset.defer(*self.list_deferred)
        return queryset


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
