"""Every write through the Django admin leaves an audit entry (who, when, before and after).

:class:`AuditedAdminMixin` audits what a ModelAdmin writes: an object added or changed (its
fields and its many-to-many sets, e.g. a user's groups and permissions, so granting
``compliance.decide_fine`` reads ``user_permissions: [[…], […, "compliance.decide_fine"]]``),
the rows of its inlines, a deletion (one by one or the bulk "delete selected" action) and
the effect of every other admin action (the rows it changed or removed, read before and
after). :func:`audit_every_admin` applies it to every ModelAdmin registered on the site,
Django's and third-party apps' included (``PortalConfig.ready``), so a newly registered
admin cannot slip past; tests/portal/test_admin_audit.py checks the registry.

When the admin calls a service that writes its own entry (a rule-book draft, publishing a
programme record), no second entry is written for the same object.
"""

from __future__ import annotations

import datetime
import functools
import json
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.db import models, router, transaction
from django.db.models import Max, Prefetch
from django.db.models.deletion import Collector
from django.utils.translation import gettext as _

from portal import audit
from portal.choices import AuditAction
from portal.models import AuditEntry

# Values never copied into the log: it says that they changed, not what they are.
SECRET_FIELDS = frozenset({"password", "digest"})
HIDDEN = "***"


def _m2m_fields(model) -> list:
    return [field for field in model._meta.many_to_many if field.remote_field.through]


def _m2m_value(field, related) -> list:
    if field.remote_field.model is Permission:
        # "app_label.codename", as permissions are checked (``user.has_perm``).
        return sorted(f"{p.content_type.app_label}.{p.codename}" for p in related)
    return sorted(item.pk for item in related)


def state(obj: models.Model) -> dict[str, Any]:
    """Return the concrete fields and many-to-many sets of a saved object, as logged."""
    values = audit.snapshot(obj)
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname, None)
        if field.attname in values and isinstance(value, datetime.datetime) and value.tzinfo:
            # One instant, one text: read from the database (UTC) or typed (Taipei time).
            values[field.attname] = str(value.astimezone(datetime.UTC))
    if obj.pk is not None:
        for field in _m2m_fields(type(obj)):
            values[field.name] = _m2m_value(field, getattr(obj, field.name).all())
    return values


def states(model, pks) -> dict[Any, tuple[models.Model, dict[str, Any]]]:
    """Return ``{pk: (object, state)}`` of the stored rows ``pks``, in a few queries."""
    prefetch = []
    for field in _m2m_fields(model):
        queryset = field.remote_field.model._base_manager.all()
        if field.remote_field.model is Permission:
            queryset = queryset.select_related("content_type")
        prefetch.append(Prefetch(field.name, queryset=queryset))
    rows = model._base_manager.filter(pk__in=list(pks)).prefetch_related(*prefetch)
    return {obj.pk: (obj, state(obj)) for obj in rows}


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Return the audit diff, secrets shown as changed but never with their values."""
    changes = audit.diff(before, after)
    for name in SECRET_FIELDS & changes.keys():
        changes[name] = [HIDDEN, HIDDEN]
    return changes


def _business_id(obj) -> int | None:
    return getattr(obj, "owner_business_id", None) or getattr(obj, "business_id", None)


def _watermark() -> int:
    """The newest entry id now: entries written later in this request have larger ids."""
    return AuditEntry.objects.aggregate(newest=Max("id"))["newest"] or 0


def _already_audited(objects, since: int) -> set[str]:
    """The ids (as logged) of ``objects`` a service audited after ``since``."""
    if not objects:
        return set()
    label = objects[0]._meta.label_lower
    return set(
        AuditEntry.objects.filter(
            id__gt=since, object_type=label, object_id__in=[str(obj.pk) for obj in objects]
        ).values_list("object_id", flat=True)
    )


def _cascade(objs) -> str:
    """Name what a deletion takes with it (``"3 compliance.premises, 12 …"``), or ''."""
    if not objs:
        return ""
    model = type(objs[0])
    collector = Collector(using=router.db_for_write(model))
    collector.collect(objs)
    counts: dict[str, int] = {}
    for related, instances in collector.data.items():
        count = len(instances) - (len(objs) if related is model else 0)
        if count:
            counts[related._meta.label_lower] = count
    for queryset in collector.fast_deletes:
        count = queryset.count()
        if count:
            label = queryset.model._meta.label_lower
            counts[label] = counts.get(label, 0) + count
    return ", ".join(f"{count} {label}" for label, count in sorted(counts.items()))


def _deleted_entry(request, obj, before: dict[str, Any], reason: str) -> AuditEntry:
    return audit.entry(
        actor=request.user,
        action=AuditAction.DELETE,
        instance=obj,
        changes=changes_between(before, {}),
        reason=reason,
        business_id=_business_id(obj),
    )


class AuditedAdminMixin:
    """Audit everything a ModelAdmin writes (see the module docstring)."""

    audit_change_reason = None  # default: "Changed in the administration site"

    def _reason(self) -> str:
        return str(self.audit_change_reason or _("Changed in the administration site"))

    # Add and change (the form, then its many-to-many sets and inlines).

    def save_model(self, request, obj, form, change):
        obj._audit_since = _watermark()
        if change:
            stored = states(type(obj), [obj.pk]).get(obj.pk)
            obj._audit_before = stored[1] if stored else {}
        else:
            obj._audit_before = {}
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        before = obj.__dict__.pop("_audit_before", None)
        if before is None:
            return  # not saved through save_model: log_change records it
        obj._audit_handled = True
        since = obj.__dict__.pop("_audit_since", 0)
        changes = changes_between(before, state(obj))
        if change and not changes:
            return
        if _already_audited([obj], since):
            return  # a service wrote the entry of this change
        audit.record(
            actor=request.user,
            action=AuditAction.UPDATE if change else AuditAction.CREATE,
            instance=obj,
            changes=changes,
            reason=self._reason(),
            business_id=_business_id(obj),
        )

    def save_formset(self, request, form, formset, change):
        """Audit each inline row added, changed or removed, with before and after."""
        model = formset.model
        initial = [f.instance.pk for f in formset.initial_forms if f.instance.pk is not None]
        before = {pk: values for pk, (_obj, values) in states(model, initial).items()}
        deleted_pks = {
            id(f.instance): f.instance.pk for f in formset.deleted_forms if f.instance.pk
        }
        super().save_formset(request, form, formset, change)
        reason = _("Changed in the administration site, with %(parent)s") % {
            "parent": str(form.instance)[:200]
        }
        entries = []
        for obj in formset.new_objects:
            entries.append(
                audit.entry(
                    actor=request.user,
                    action=AuditAction.CREATE,
                    instance=obj,
                    changes=changes_between({}, state(obj)),
                    reason=reason,
                    business_id=_business_id(obj),
                )
            )
        for obj, _fields in formset.changed_objects:
            changes = changes_between(before.get(obj.pk, {}), state(obj))
            if changes:
                entries.append(
                    audit.entry(
                        actor=request.user,
                        action=AuditAction.UPDATE,
                        instance=obj,
                        changes=changes,
                        reason=reason,
                        business_id=_business_id(obj),
                    )
                )
        for obj in formset.deleted_objects:
            pk = deleted_pks.get(id(obj), obj.pk)
            row = _deleted_entry(request, obj, before.get(pk, {}), reason)
            row.object_id = str(pk)
            entries.append(row)
        audit.entries_bulk(entries)

    def log_change(self, request, obj, message):
        """A change saved outside save_model (e.g. Django's set-password page): audit it."""
        entry = super().log_change(request, obj, message)
        if not obj.__dict__.pop("_audit_handled", False):
            text = LogEntry(
                change_message=json.dumps(message) if isinstance(message, list) else message
            ).get_change_message()
            audit.record(
                actor=request.user,
                action=AuditAction.UPDATE,
                instance=obj,
                # Django's set-password page (…/<id>/password/) is the one such page.
                changes=(
                    {"password": [HIDDEN, HIDDEN]}
                    if request.path.rstrip("/").endswith("/password")
                    else {}
                ),
                reason=f"{self._reason()}: {text}" if text else self._reason(),
                business_id=_business_id(obj),
            )
        return entry

    # Deletion, one object or the bulk action.

    def delete_model(self, request, obj):
        with transaction.atomic(using=router.db_for_write(type(obj))):
            stored = states(type(obj), [obj.pk]).get(obj.pk)
            reason = str(_("Deleted in the administration site"))
            cascade = _cascade([obj])
            if cascade:
                reason += " " + _("(with %(objects)s)") % {"objects": cascade}
            audit.record(
                actor=request.user,
                action=AuditAction.DELETE,
                instance=obj,
                changes=changes_between(stored[1] if stored else state(obj), {}),
                reason=reason,
                business_id=_business_id(obj),
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic(using=router.db_for_write(queryset.model)):
            stored = states(queryset.model, queryset.values_list("pk", flat=True))
            objs = [obj for obj, _values in stored.values()]
            reason = str(_("Deleted in the administration site (%(count)d selected)")) % {
                "count": len(objs)
            }
            cascade = _cascade(objs)
            if cascade:
                reason += " " + _("(with %(objects)s)") % {"objects": cascade}
            audit.entries_bulk(
                _deleted_entry(request, obj, values, reason) for obj, values in stored.values()
            )
            super().delete_queryset(request, queryset)

    # Other actions: audited by their effect on the selected rows.

    def get_actions(self, request):
        actions = super().get_actions(request)
        return {
            name: (
                (func, action_name, description)
                if name == "delete_selected"  # audited by delete_queryset
                else (self._audited_action(func, name, description), action_name, description)
            )
            for name, (func, action_name, description) in actions.items()
        }

    def _audited_action(self, func, name, description):
        @functools.wraps(func)
        def run(modeladmin, request, queryset):
            model = queryset.model
            with transaction.atomic(using=router.db_for_write(model)):
                before = states(model, queryset.values_list("pk", flat=True))
                since = _watermark()
                response = func(modeladmin, request, queryset)
                after = states(model, before.keys())
                reason = _("Action “%(action)s” in the administration site") % {
                    "action": str(description or name)
                }
                audited = _already_audited([obj for obj, _v in before.values()], since)
                entries = []
                for pk, (obj, values) in before.items():
                    if str(pk) in audited:
                        continue  # the action's service wrote the entry
                    if pk not in after:
                        entries.append(_deleted_entry(request, obj, values, reason))
                        continue
                    changes = changes_between(values, after[pk][1])
                    if changes:
                        entries.append(
                            audit.entry(
                                actor=request.user,
                                action=AuditAction.UPDATE,
                                instance=after[pk][0],
                                changes=changes,
                                reason=reason,
                                business_id=_business_id(after[pk][0]),
                            )
                        )
                audit.entries_bulk(entries)
            return response

        return run


def audit_every_admin(site) -> None:
    """Give every ModelAdmin registered on ``site`` the audit mixin (in place).

    Called once the admin modules of every app are loaded; an admin that already has the
    mixin is kept as it is.
    """
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, AuditedAdminMixin):
            continue
        cls = type(model_admin)
        audited = type(
            cls.__name__,
            (AuditedAdminMixin, cls),
            {"__module__": cls.__module__, "__doc__": cls.__doc__},
        )
        site._registry[model] = audited(model, site)
