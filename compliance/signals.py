"""Signals other apps listen to without compliance importing them (design: dependency
direction). ``fine_issued`` is sent by the outbox delivery of a served decision, inside
its transaction: the inspections app plans the re-inspection for the new deadline."""

from django.dispatch import Signal

# Sent with ``fine``: a decision just served (送達), which set the new deadline.
fine_issued = Signal()

# Sent with ``fine`` and ``violation`` after an official returned a proposed fine for a
# new verification: the inspections app plans a new re-inspection.
proposal_returned = Signal()

# Sent with ``premises`` (a queryset) before demo premises are deleted: apps that keep
# rows about them (inspections) delete theirs.
premises_removing = Signal()

# Sent with ``premises`` (a queryset), ``today`` and ``seed`` after the demo loader saved
# new demo premises: apps that keep records about premises (inspections: past routine
# visits) add their demo rows, before the premises are assessed.
demo_premises_loaded = Signal()
