"""Run one function over many items in forked processes, each with its own connection.

For work that is mostly Python and writes its results to PostgreSQL in transactions of
its own (assessing a city's premises chunk by chunk): threads would share one
interpreter lock, so only processes use a second core. The children are forked, so
they start with the parent's settings, loaded apps and module state (the function and
its items included: nothing is pickled on the way in).

Plain ``os.fork``, not a ``multiprocessing`` (or billiard) pool, on purpose:

- those run the after-fork hooks libraries register with ``multiprocessing``, and
  kombu's closes the parent's broker connections from the child, over the sockets it
  shares with the parent: in a Celery worker, or any process that has sent a task, the
  child then waits on Redis for an answer meant for the parent, for ever;
- the standard library refuses children to a daemonic process, which a Celery prefork
  child is.

A child runs only this module's loop and leaves with ``os._exit``: no ``atexit``
handler, finaliser or buffered output of the parent runs twice, and no socket the parent
owns is closed or written by it. It opens its own database connection (the parent's are
closed before the fork) and closes it after every item. The function itself must not
send Celery tasks (it would write on the broker connection it shares with the parent);
the assessment's chunks only read and write the database. Work inside the caller's
transaction could not be seen (or rolled back) by the children, so the caller must not
be in one; that is what :func:`can_fork` checks, with the database being PostgreSQL
(SQLite's file lock would serialise the writers anyway).

Items are dealt to the children in turn (item ``i`` to child ``i mod processes``), so
they should cost about the same (the assessment's chunks do). Every item a child
reaches is tried; the first error is raised once all children have finished, and the
items that finished keep what they committed, as they would one after the other. A
child that dies (killed for memory, say) is reported as an error naming its signal.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
from collections.abc import Callable, Sequence
from typing import BinaryIO, TypeVar

from django.db import connection, connections

Item = TypeVar("Item")
Result = TypeVar("Result")


class ForkedProcessDied(RuntimeError):
    """A forked child ended without reporting its items (killed, or it could not report)."""


def can_fork() -> bool:
    """True when items may be handed to other processes: PostgreSQL, no open transaction."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def map_forked(
    function: Callable[[Item], Result], items: Sequence[Item], processes: int
) -> list[Result]:
    """Return ``[function(item) for item in items]``, computed by up to ``processes`` children.

    Runs in this process when one process is asked for, when there is at most one item or
    when :func:`can_fork` says no.
    """
    processes = min(processes, len(items))
    if processes <= 1 or not can_fork():
        return [function(item) for item in items]
    # A connection the children inherited would be one socket written by several processes.
    connections.close_all()
    children = [_start(function, items, first, processes) for first in range(processes)]
    try:
        return _collect(children, len(items))
    except BaseException:
        # Interrupted (or an error while collecting): no child outlives the caller, and
        # no pipe stays open (closing one already read does nothing).
        for pid, stream in children:
            with contextlib.suppress(ProcessLookupError, ChildProcessError):
                os.kill(pid, signal.SIGTERM)
                os.waitpid(pid, 0)
            stream.close()
        raise


def _collect(children: list[tuple[int, BinaryIO]], count: int) -> list:
    """Read each child's report and reap it; raise the first error once all have ended."""
    results: dict[int, object] = {}
    error: BaseException | None = None
    for pid, stream in children:
        with stream:
            data = stream.read()
        _pid, status = os.waitpid(pid, 0)
        try:
            reported = pickle.loads(data)  # noqa: S301 - written by our own child
        except (EOFError, pickle.UnpicklingError):
            reported = None
        if reported is None:
            error = error or ForkedProcessDied(_ended(status))
            continue
        for index, succeeded, value in reported:
            if succeeded:
                results[index] = value
            else:
                error = error or value
    if error is not None:
        raise error
    return [results[index] for index in range(count)]


def _start(function, items, first: int, step: int) -> tuple[int, BinaryIO]:
    """Fork a child that runs items ``first``, ``first + step``, … and reports on a pipe."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid:
        os.close(writer)
        return pid, os.fdopen(reader, "rb")
    # The child: never returns into the caller's code.
    status = 1
    try:
        os.close(reader)
        reported = []
        for index in range(first, len(items), step):
            try:
                reported.append((index, True, function(items[index])))
            except Exception as error:
                reported.append((index, False, _portable(error)))
            finally:
                connections.close_all()
        with os.fdopen(writer, "wb") as stream:
            pickle.dump(reported, stream)
        status = 0
    finally:
        os._exit(status)


def _portable(error: Exception) -> Exception:
    """The error itself if it survives pickling, else a RuntimeError with its text."""
    try:
        pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error


def _ended(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"a forked process was killed by {signal.Signals(os.WTERMSIG(status)).name}"
    return f"a forked process ended with exit code {os.waitstatus_to_exitcode(status)}"
