"""The rendered-document base: a PDF that a worker renders, with its status row.

Inspection reports, enforcement documents, approval letters and award certificates are
long jobs (design.md): a row PENDING → RENDERING → READY, or FAILED with the reason, and
retried on request. This abstract model holds what they share: the status (one
vocabulary of values, :class:`portal.choices.RenderStatus`), the stored file and its
sha256, the attempts, the error, when it was rendered, where files are stored, and the
conditional UPDATEs that move a row through its life. Exactly once comes from the
database: :meth:`RenderedDocument.claim` moves a row from PENDING or FAILED to
RENDERING and hits one row only, and :meth:`~RenderedDocument.mark_ready` and
:meth:`~RenderedDocument.mark_failed` move it on only from RENDERING, so a row released
meanwhile (an administrator forced a new rendering) keeps the newer outcome. Rendering,
auditing and queuing are the job's (:mod:`portal.pdf.jobs`).
"""

from __future__ import annotations

import datetime
import posixpath
import secrets
from collections.abc import Iterable
from typing import ClassVar

from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.choices import RenderStatus

CLAIMABLE = (RenderStatus.PENDING, RenderStatus.FAILED)
# A verification code's letters: no 0/O or 1/I to misread from paper.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_GROUPS = 4


def new_verification_code() -> str:
    """Return a random code printed on a document, e.g. ``K7QH-2MXA-P9RT-CW4E`` (80 bits)."""
    letters = "".join(secrets.choice(CODE_ALPHABET) for _ in range(4 * CODE_GROUPS))
    return "-".join(letters[i : i + 4] for i in range(0, len(letters), 4))


def fill_verification_codes(model) -> None:
    """Give each row of ``model`` (a migration's historical model) without a code a new one.

    For the migration that adds the code to a document's existing rows (then made
    required and unique).
    """
    used = set()
    for pk in model._default_manager.filter(verification_code__isnull=True).values_list(
        "pk", flat=True
    ):
        code = new_verification_code()
        while code in used:
            code = new_verification_code()
        used.add(code)
        model._default_manager.filter(pk=pk).update(verification_code=code)


def stored_file_path(instance: RenderedDocument, filename: str) -> str:
    """Return where a rendered file is stored: ``<storage_folder>/<year>/<filename>``."""
    year = datetime.datetime.now().strftime("%Y")  # as FileField names "%Y" folders
    return posixpath.join(instance.storage_folder, year, filename)


def render_status_field(choices: Iterable[tuple[str, str]] = RenderStatus.choices):
    """Return a status field of :class:`RenderStatus` values.

    ``choices`` gives the values other labels, for a page that words them its own way
    (the inspection report's); the values must be :class:`RenderStatus`'s.
    """
    choices = list(choices)
    if sorted(value for value, _label in choices) != sorted(RenderStatus.values):
        raise ValueError("A rendered document's statuses are RenderStatus's values.")
    return models.CharField(
        pgettext_lazy("state of a record", "status"),
        max_length=16,
        choices=choices,
        default=RenderStatus.PENDING,
    )


class RenderedDocument(models.Model):
    """A PDF rendered by a worker: its status, file, hash, attempts and error.

    A concrete document names its ``storage_folder``, the outbox topic that renders it
    and the payload key of its id (``render_topic``, ``render_key``), the relations its
    rendering reads (``render_related``), and implements :attr:`audit_business_id`.
    """

    storage_folder: ClassVar[str] = ""
    render_topic: ClassVar[str] = ""
    render_key: ClassVar[str] = ""
    render_related: ClassVar[tuple[str, ...]] = ()

    status = render_status_field()
    file = models.FileField(_("file"), upload_to=stored_file_path, blank=True)
    sha256 = models.CharField(_("verification hash"), max_length=64, blank=True)
    error = models.TextField(_("why it failed"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)
    # Printed on the document with a QR code to the public verification page
    # (portal.pdf.verify); random, so nobody reaches a document's page without holding it.
    verification_code = models.CharField(
        _("verification code"),
        max_length=4 * CODE_GROUPS + CODE_GROUPS - 1,
        unique=True,
        default=new_verification_code,
        editable=False,
    )

    class Meta:
        abstract = True

    @property
    def audit_business_id(self) -> int | None:
        """Return the business whose audit trail records this document's life."""
        raise NotImplementedError

    @staticmethod
    def new_file_name() -> str:
        """Return a fresh random name for a rendered PDF (never guessable)."""
        return f"{secrets.token_hex(16)}.pdf"

    @classmethod
    def claim(cls, pk: int) -> bool:
        """Move a row from PENDING or FAILED to RENDERING; return whether this call did it."""
        return bool(
            cls.objects.filter(pk=pk, status__in=CLAIMABLE).update(
                status=RenderStatus.RENDERING, attempts=F("attempts") + 1
            )
        )

    @classmethod
    def status_of(cls, pk: int) -> str:
        """Return the row's status as stored now (empty if there is no such row)."""
        return cls.objects.filter(pk=pk).values_list("status", flat=True).first() or ""

    def mark_failed(self, reason: str) -> bool:
        """Move this row from RENDERING to FAILED with ``reason``; return whether it moved."""
        updated = (
            type(self)
            .objects.filter(pk=self.pk, status=RenderStatus.RENDERING)
            .update(status=RenderStatus.FAILED, error=reason)
        )
        if updated:
            self.status, self.error = RenderStatus.FAILED, reason
        return bool(updated)

    def mark_ready(self, stored: str, sha256: str) -> bool:
        """Move this row from RENDERING to READY with its stored file; return whether it moved."""
        now = timezone.now()
        updated = (
            type(self)
            .objects.filter(pk=self.pk, status=RenderStatus.RENDERING)
            .update(
                status=RenderStatus.READY, file=stored, sha256=sha256, error="", rendered_at=now
            )
        )
        if updated:
            self.status, self.sha256, self.error, self.rendered_at = (
                RenderStatus.READY,
                sha256,
                "",
                now,
            )
        return bool(updated)
