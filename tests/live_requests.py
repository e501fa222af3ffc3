"""Know when the live server has no request in progress, so a test ends on a quiet server.

A browser test ends by closing its browser context, then its database is emptied
(tests/emptying.py). A request the browser sent just before (the visit form's retry, the
service worker's sync or its keeping of the day's pages) may still be running in the live
server's thread: rows it writes while the tables are emptied, or after, would outlive the
test and be found by the next one. :class:`RequestsInProgress` wraps the live server's
WSGI application and counts its requests until the server closes each response;
:func:`wait_until_idle` lets the emptying wait for the count to reach zero first.
"""

from __future__ import annotations

import threading

# The live server's counter once the fixture has wrapped it (tests/conftest.py).
_counter: RequestsInProgress | None = None

# A request still running this long after its test ended is left running.
IDLE_TIMEOUT = 15.0


class RequestsInProgress:
    """A WSGI application counting the requests it is serving, responses included."""

    def __init__(self, application) -> None:
        self.application = application
        self._running = 0
        self._changed = threading.Condition()

    def __call__(self, environ, start_response):
        with self._changed:
            self._running += 1
        try:
            result = self.application(environ, start_response)
        except BaseException:
            self._finished()
            raise
        return _ClosedOnce(result, self._finished)

    def _finished(self) -> None:
        with self._changed:
            self._running -= 1
            self._changed.notify_all()

    @property
    def running(self) -> int:
        with self._changed:
            return self._running

    def wait_until_idle(self, timeout: float) -> bool:
        """Wait until no request is in progress; False if one still is after ``timeout``."""
        with self._changed:
            return self._changed.wait_for(lambda: self._running == 0, timeout)


class _ClosedOnce:
    """A response's iterable that reports its end once, when the server closes it.

    wsgiref (Django's live server) closes the iterable after the last byte is written, and
    also when writing fails (a browser that went away).
    """

    def __init__(self, result, finished) -> None:
        self._result = result
        self._finished = finished
        self._closed = False

    def __iter__(self):
        return iter(self._result)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            close = getattr(self._result, "close", None)
            if close is not None:
                close()
        finally:
            self._finished()


def track(live_server) -> None:
    """Wrap the live server's application (once) and make it the one waited for."""
    global _counter
    server = live_server.thread.httpd
    application = server.get_app()
    if not isinstance(application, RequestsInProgress):
        application = RequestsInProgress(application)
        server.set_app(application)
    _counter = application


def wait_until_idle() -> bool:
    """Wait for the live server's requests in progress, if a live server runs."""
    if _counter is None:
        return True
    return _counter.wait_until_idle(IDLE_TIMEOUT)
