"""Save imported rows by their natural key: create, update or leave alone, audited.

Re-running a load updates the rows it finds by key and never duplicates them; a row
whose values did not change is not written. New rows are published (the documents are
public); a row an administrator unpublished stays unpublished on re-import.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from portal import audit
from portal.choices import AuditAction
from programs.imports.tables import Problems, Row

IMPORT_ACTOR = "load_programme_data"


class Store:
    """Writes of one load: counts per model and one audit entry per created or changed row."""

    def __init__(self, actor, problems: Problems) -> None:
        self.actor = actor
        self.problems = problems
        self.counts: dict[str, Counter] = {}
        self.lines: dict[tuple, tuple[str, int]] = {}

    def _count(self, model: type[models.Model], outcome: str) -> None:
        label = model._meta.verbose_name_plural
        self.counts.setdefault(str(label), Counter())[outcome] += 1

    def save(
        self,
        row: Row | None,
        model: type[models.Model],
        key: Mapping[str, Any],
        values: Mapping[str, Any],
        *,
        m2m: Mapping[str, Iterable[models.Model]] | None = None,
        columns: Mapping[str, str] | None = None,
    ):
        """Create or update the ``model`` row found by ``key``; return it (None on a problem).

        ``columns`` names the CSV column of a model field, for validation messages.
        """
        if row is not None:
            self._check_once(row, model, key, columns or {})
            if not row.ok:
                return None
        instance = model.objects.filter(**key).first()
        creating = instance is None
        if creating:
            instance = model(**key, published=True)
            before: dict[str, Any] = {}
        else:
            before = audit.snapshot(instance)
        for name, value in values.items():
            setattr(instance, name, value)
        try:
            instance.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            self._report(row, exc, columns or {})
            return None
        after = audit.snapshot(instance)
        changes = audit.diff(before, after)
        if creating or changes:
            instance.save()
        m2m_changes = self._set_m2m(instance, m2m or {}, creating)
        changes.update(m2m_changes)
        if creating or changes:
            audit.record(
                actor=self.actor,
                action=AuditAction.IMPORT,
                instance=instance,
                changes=changes,
                actor_label=None if self.actor is not None else IMPORT_ACTOR,
            )
        self._count(model, "created" if creating else ("updated" if changes else "unchanged"))
        return instance

    def _check_once(self, row: Row, model, key: Mapping[str, Any], columns) -> None:
        """Report a row whose natural key an earlier row of this load already used."""
        marker = (
            model,
            tuple(sorted((name, str(getattr(value, "pk", value))) for name, value in key.items())),
        )
        earlier = self.lines.setdefault(marker, (row.table.name, row.line))
        if earlier != (row.table.name, row.line):
            row.problem(
                columns.get(next(iter(key)), next(iter(key))),
                _("The same record is already on line %(line)d of %(file)s.")
                % {"line": earlier[1], "file": earlier[0]},
            )

    def _set_m2m(self, instance, m2m, creating) -> dict[str, list]:
        changes = {}
        for name, targets in m2m.items():
            manager = getattr(instance, name)
            wanted = sorted({target.pk for target in targets})
            current = [] if creating else sorted(manager.values_list("pk", flat=True))
            if wanted != current:
                manager.set(wanted)
                changes[name] = [current, wanted]
        return changes

    def _report(self, row: Row | None, exc: ValidationError, columns: Mapping[str, str]) -> None:
        if row is None:
            for message in exc.messages:
                self.problems.add("", 0, "", message)
            return
        for field, messages in exc.message_dict.items():
            column = columns.get(field, "" if field == "__all__" else field)
            for message in messages:
                row.problem(column, message)
