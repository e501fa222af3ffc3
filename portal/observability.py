"""What operators watch: request ids, JSON log lines, task runs, metrics, error reports.

* Every request gets an id (the ``X-Request-ID`` it came with, if well-formed, or a new
  one), returned in the response header and put on every log record written while it
  is handled; tasks queued meanwhile carry it in a message header and log under it on
  the worker, and outbox rows written meanwhile keep it for their delivery.
* :class:`JsonFormatter` writes one JSON object a line (``DJANGO_LOG_FORMAT=json``).
* Celery's task signals record each task's last run (:class:`~portal.models.TaskRun`)
  and, when metrics are on, count tasks.
* Metrics (Prometheus) and Sentry are off unless configured (``METRICS_ENABLED``,
  ``SENTRY_DSN``).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import json
import logging
import re
import time
import uuid
from collections.abc import Iterator

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)

HEADER = "X-Request-ID"
TASK_HEADER = "request_id"
# What a caller may send as its id: a UUID, a load balancer's trace id; nothing to inject.
_VALID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


def current_request_id() -> str:
    """The id of the request or task being handled here ("" outside one)."""
    return _request_id.get()


@contextlib.contextmanager
def request_id_as(value: str) -> Iterator[None]:
    """Log (and queue tasks) under ``value`` while the block runs."""
    token = _request_id.set(value or "")
    try:
        yield
    finally:
        _request_id.reset(token)


def new_request_id() -> str:
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Give each request an id: the caller's ``X-Request-ID`` if well-formed, else a new one."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        request.request_id = given if _VALID.match(given) else new_request_id()
        started = time.perf_counter()
        with request_id_as(request.request_id):
            response = self.get_response(request)
        response[HEADER] = request.request_id
        metrics.observe_request(request, response, time.perf_counter() - started)
        return response


class RequestIdFilter(logging.Filter):
    """Put the current request id on every record (``record.request_id``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = current_request_id()
        return True


_RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request id, extras, traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or current_request_id(),
        }
        for key, value in vars(record).items():
            if key not in _RESERVED and key not in entry and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


# --- Celery: the request id in the message, each task's last run -----------------------


def before_task_publish(headers=None, **kwargs) -> None:
    """Send the current request id with the task (a message header)."""
    if headers is not None and current_request_id() and TASK_HEADER not in headers:
        headers[TASK_HEADER] = current_request_id()


_running: dict[str, tuple[contextvars.Token, float]] = {}


def task_prerun(task_id=None, task=None, **kwargs) -> None:
    """Log under the request id the task was queued with (or its own id), record its start."""
    given = getattr(task.request, TASK_HEADER, None) or ""
    # Run in-process (eager: the demo), a task keeps the id of the request that ran it.
    token = _request_id.set(given or current_request_id() or task_id or "")
    _running[task_id] = (token, time.perf_counter())
    _record_run(task.name, started=True)


def task_postrun(task_id=None, task=None, state=None, **kwargs) -> None:
    """Record how the task ended and how long it took; restore the request id."""
    token, started = _running.pop(task_id, (None, None))
    seconds = time.perf_counter() - started if started is not None else None
    outcome = {"SUCCESS": "succeeded", "RETRY": "retrying"}.get(state or "", "failed")
    error = ""
    if outcome == "failed":
        error = str(kwargs.get("retval") or state or "")[:2000]
    _record_run(task.name, outcome=outcome, seconds=seconds, error=error)
    metrics.observe_task(task.name, outcome, seconds)
    if token is not None:
        _request_id.reset(token)


def _record_run(
    name: str,
    *,
    started: bool = False,
    outcome: str = "running",
    seconds: float | None = None,
    error: str = "",
) -> None:
    """Update the task's :class:`TaskRun` row; a failure to record never fails the task."""
    from django.db import transaction
    from django.db.models import F

    from portal.models import TaskRun

    now = timezone.now()
    try:
        with transaction.atomic():
            if started:
                updated = TaskRun.objects.filter(task=name).update(
                    started_at=now, outcome=TaskRun.Outcome.RUNNING, runs=F("runs") + 1
                )
                if not updated:
                    TaskRun.objects.get_or_create(
                        task=name,
                        defaults={"started_at": now, "outcome": TaskRun.Outcome.RUNNING, "runs": 1},
                    )
                return
            changes = {
                "finished_at": now,
                "outcome": outcome,
                "duration_ms": round(seconds * 1000) if seconds is not None else None,
                "error": error,
            }
            if outcome == TaskRun.Outcome.FAILED:
                changes["failures"] = F("failures") + 1
            TaskRun.objects.filter(task=name).update(**changes)
    except Exception:  # a broken transaction, the database away: the task goes on
        logger.warning("Could not record the run of %s", name, exc_info=True)


def connect_celery_signals() -> None:
    from celery import signals

    signals.before_task_publish.connect(before_task_publish, weak=False)
    signals.task_prerun.connect(task_prerun, weak=False)
    signals.task_postrun.connect(task_postrun, weak=False)


# --- Metrics (Prometheus) ---------------------------------------------------------------


class _Metrics:
    """Prometheus counters, created only when ``METRICS_ENABLED`` is set."""

    def __init__(self) -> None:
        self._ready = False

    @property
    def enabled(self) -> bool:
        return bool(getattr(settings, "METRICS_ENABLED", False))

    def _setup(self) -> None:
        if self._ready:
            return
        from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

        self.registry = CollectorRegistry()
        self.requests = Counter(
            "portal_http_requests",
            "HTTP requests handled, by method and status class.",
            ["method", "status"],
            registry=self.registry,
        )
        self.request_seconds = Histogram(
            "portal_http_request_seconds", "Time to answer a request.", registry=self.registry
        )
        self.tasks = Counter(
            "portal_celery_tasks",
            "Celery tasks run, by task and outcome.",
            ["task", "outcome"],
            registry=self.registry,
        )
        self.task_seconds = Histogram(
            "portal_celery_task_seconds", "Time a task took.", ["task"], registry=self.registry
        )
        self.outbox_backlog = Gauge(
            "portal_outbox_backlog",
            "Outbox messages not delivered yet, by state (due, waiting, gave_up).",
            ["state"],
            registry=self.registry,
        )
        self._ready = True

    def observe_request(self, request, response, seconds: float) -> None:
        if not self.enabled:
            return
        self._setup()
        self.requests.labels(request.method, f"{response.status_code // 100}xx").inc()
        self.request_seconds.observe(seconds)

    def observe_task(self, name: str, outcome: str, seconds: float | None) -> None:
        if not self.enabled:
            return
        self._setup()
        self.tasks.labels(name, outcome).inc()
        if seconds is not None:
            self.task_seconds.labels(name).observe(seconds)

    def render(self, outbox_backlog: dict[str, int]) -> bytes:
        """The metrics in Prometheus's text format, with the outbox backlog just read."""
        from prometheus_client import generate_latest

        self._setup()
        for state, count in outbox_backlog.items():
            self.outbox_backlog.labels(state).set(count)
        return generate_latest(self.registry)


metrics = _Metrics()


# --- Sentry -----------------------------------------------------------------------------


def init_sentry(dsn: str, *, environment: str = "", traces_sample_rate: float = 0.0) -> bool:
    """Start reporting errors to Sentry when ``dsn`` is set; return whether it started."""
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        traces_sample_rate=traces_sample_rate,
        # No user names, addresses or cookies leave the City: the SDK's default when
        # neither send_default_pii (deprecated in the locked sentry-sdk 2.76) nor
        # data_collection is given; the tests check the client says so.
    )
    return True
