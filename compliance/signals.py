"""Signals other apps listen to without compliance importing them (design: dependency
direction). ``fine_issued`` is sent by the outbox delivery of a fine, inside its
transaction: the inspections app plans the re-inspection for the new deadline."""

from django.dispatch import Signal

# Sent with ``fine``: a Fine just issued by the deadline sweep (or directly, Art. 17).
fine_issued = Signal()

# Sent with ``premises`` (a queryset) before demo premises are deleted: apps that keep
# rows about them (inspections) delete theirs.
premises_removing = Signal()
