"""Run one function over many items in forked processes, each with its own connection.

For work that is mostly Python and writes its results to PostgreSQL in transactions of
its own (assessing a city's premises chunk by chunk): threads would share one
interpreter lock, so only processes use a second core. The children are forked, so
they start with the parent's settings, loaded apps and module state, and take the
function and each item pickled (the function by its module and name).

The pool is billiard's, Celery's own multiprocessing: a Celery prefork worker's children
are daemonic, and the standard library refuses them children of their own; billiard
allows them and reports a child that dies mid-item (killed for memory, say) as
``WorkerLostError`` instead of waiting for it forever.

Each child opens its own database connection and closes it after every item, so no
connection is shared across a fork and none is left open when a child ends. Work done
inside the caller's transaction could not be seen (or rolled back) by the children, so
the caller must not be in one; that is what :func:`can_fork` checks, with the database
being PostgreSQL (SQLite's file lock would serialise the writers anyway).

Every item is tried; the first error is raised after the last item, and the items that
finished keep what they committed, as they would one after the other.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import TypeVar

import billiard
from django.db import connection, connections

Item = TypeVar("Item")
Result = TypeVar("Result")


def can_fork() -> bool:
    """True when items may be handed to other processes: PostgreSQL, no open transaction."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def _run_one(function: Callable[[Item], Result], item: Item) -> Result:
    try:
        return function(item)
    finally:
        connections.close_all()


def map_forked(
    function: Callable[[Item], Result], items: Sequence[Item], processes: int
) -> list[Result]:
    """Return ``[function(item) for item in items]``, computed by up to ``processes`` children.

    Runs in this process when one process is asked for, when there is at most one item or
    when :func:`can_fork` says no. ``function`` must be picklable (a module-level
    function or a ``functools.partial`` of one).
    """
    processes = min(processes, len(items))
    if processes <= 1 or not can_fork():
        return [function(item) for item in items]
    # A connection the children inherited would be one socket written by several processes.
    connections.close_all()
    pool = billiard.get_context("fork").Pool(processes)
    try:
        pending = [
            pool.apply_async(functools.partial(_run_one, function), (item,)) for item in items
        ]
        results, error = [], None
        for job in pending:
            try:
                results.append(job.get())
            except Exception as failure:
                error = error or failure
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
    if error is not None:
        raise error
    return results
