"""What every programme record shares: provenance, the uncertainty flag and publication.

Programme records are reference data about international low-carbon programmes (issue 7);
they serve no article of the ordinance. Each imported row keeps the source document it
was reconstructed from and the digest's note; a note containing one of the markers
UNSURE, INFERENCE or COMPUTED makes the row ``uncertain``. Anonymous visitors and users
outside the programmes read published rows only; programme officers and administrators
read and write all of them; only administrators publish or unpublish
(:mod:`programs.services`).
"""

from __future__ import annotations

import re

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.choices import Role

# Markers the data digest writes into a note when a value was reconstructed or derived.
UNCERTAINTY_MARKERS = ("UNSURE", "INFERENCE", "COMPUTED")
_MARKER = re.compile(r"\b(?:" + "|".join(UNCERTAINTY_MARKERS) + r")\b")


def note_is_uncertain(*notes: str) -> bool:
    """Return whether any of ``notes`` carries an uncertainty marker (upper case, as written)."""
    return any(_MARKER.search(note or "") for note in notes)


def is_programme_staff(user) -> bool:
    """Return whether ``user`` keeps programme records: a programme officer or administrator."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_administrator or user.role == Role.PROGRAMME_OFFICER


class ProgrammeRecordQuerySet(models.QuerySet):
    """Visibility of programme records: published for everyone, all for programme staff."""

    def published(self):
        return self.filter(published=True)

    def visible_to(self, user):
        """Return what ``user`` (None or anonymous too) may read.

        Outside the programme staff, a record is visible when it is published and so
        is each record it belongs to (``Model.published_parents``): a published city
        of an unpublished programme's participation stays hidden with it.
        """
        if is_programme_staff(user):
            return self
        visible = self.filter(published=True)
        for path in getattr(self.model, "published_parents", ()):
            visible = visible.filter(
                models.Q(**{f"{path}__isnull": True}) | models.Q(**{f"{path}__published": True})
            )
        return visible

    def editable_by(self, user):
        """Return what ``user`` may change: everything for programme staff, else nothing."""
        return self if is_programme_staff(user) else self.none()


class ProgrammeRecord(models.Model):
    """Abstract base of every programme record: provenance, uncertainty, publication."""

    source_doc = models.CharField(
        _("source document"),
        max_length=40,
        blank=True,
        help_text=_("The document(s) the record was taken from, e.g. 003."),
    )
    note = models.TextField(_("note"), blank=True)
    uncertain = models.BooleanField(
        _("uncertain"),
        default=False,
        editable=False,
        help_text=_(
            "The note says a value was reconstructed or derived (UNSURE, INFERENCE or COMPUTED)."
        ),
    )
    published = models.BooleanField(
        pgettext_lazy("when", "published"),
        default=False,
        help_text=_("Published records are public; only administrators publish."),
    )
    created_at = models.DateTimeField(pgettext_lazy("when", "created"), auto_now_add=True)
    updated_at = models.DateTimeField(pgettext_lazy("when", "updated"), auto_now=True)

    objects = ProgrammeRecordQuerySet.as_manager()
    # Paths to the records this one belongs to; unpublishing one of them hides it too.
    published_parents: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.uncertain = note_is_uncertain(*self.uncertainty_notes())
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "uncertain" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "uncertain"]
        super().save(*args, **kwargs)

    def uncertainty_notes(self) -> tuple[str, ...]:
        """Return the notes whose markers decide ``uncertain`` (subclasses add theirs)."""
        return (self.note,)
