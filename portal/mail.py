"""One SMTP connection for a whole batch of e-mails instead of one per message.

Django's ``send_mail``/``send_mass_mail`` open and close a connection each call; a
delivery run of 500 follow-ups then greets the relay 500 times. Inside
:func:`one_connection` (the outbox's delivery run), :func:`connection` returns the
batch's connection, opened on first use and closed when the block ends; outside it,
None (Django opens its own). After a failed send the connection is dropped
(:func:`discard`): the next message opens a fresh one instead of writing to a broken one.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator

from django.core.mail import get_connection

logger = logging.getLogger(__name__)

_state = threading.local()


@contextlib.contextmanager
def one_connection() -> Iterator[None]:
    """Share one mail connection among the sends inside the block (nested: the outer one)."""
    if getattr(_state, "active", False):
        yield
        return
    _state.active, _state.connection = True, None
    try:
        yield
    finally:
        _state.active = False
        discard()


def connection():
    """Return the batch's open connection (None outside :func:`one_connection`)."""
    if not getattr(_state, "active", False):
        return None
    if _state.connection is None:
        found = get_connection()
        found.open()
        _state.connection = found
    return _state.connection


def discard() -> None:
    """Close and forget the batch's connection, if any (the next send opens another)."""
    found, _state.connection = getattr(_state, "connection", None), None
    if found is not None:
        try:
            found.close()
        except Exception:  # a broken connection: nothing left to close cleanly
            logger.warning("Closing the shared mail connection failed", exc_info=True)
