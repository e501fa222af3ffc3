"""Shared fixtures: the personas every permission test uses."""

import os
from datetime import timedelta

import pytest

from portal.choices import Role
from tests import emptying, live_requests
from tests.db import publish_initial_rulebook
from tests.factories import make_business, make_premises

# Tests run the development settings, said explicitly for the Celery workers and commands
# they start (the settings default to production, DEBUG off, outside pytest).
os.environ.setdefault("DJANGO_DEBUG", "true")

PASSWORD = "correct-horse-battery-staple-42"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

SERIAL_GROUP = "real-services"


def _uses_real_services(item: pytest.Item) -> bool:
    """A test that runs a real Celery worker (or is marked ``services``)."""
    if item.get_closest_marker("services") is not None:
        return True
    module = getattr(item, "module", None)
    return module is not None and any(
        getattr(value, "__module__", None) == "tests.workers" for value in vars(module).values()
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Keep the tests that use real workers on one xdist worker, one after the other.

    ``make test`` runs the suite on two processes (``-n 2 --dist loadgroup``). Each has its
    own test database, but the Redis broker is shared: two Celery workers started by two
    processes would consume each other's tasks. Grouping them on one process keeps one
    real worker alive at a time; every other test runs its tasks in-process.
    """
    for item in items:
        if _uses_real_services(item):
            item.add_marker(pytest.mark.xdist_group(SERIAL_GROUP))


@pytest.fixture(autouse=True, scope="session")
def _transactional_tests_empty_quickly():
    """End each transactional test by deleting what it wrote, not a flush (tests/emptying.py)."""
    emptying.install()


@pytest.fixture(scope="session")
def live_server(live_server):
    """pytest-django's live server, its requests in progress counted (tests/live_requests.py).

    A transactional test's database is emptied only once the requests its browser sent
    have finished, so none writes into the next test.
    """
    live_requests.track(live_server)
    return live_server


@pytest.fixture(autouse=True, scope="session")
def _tasks_run_in_process():
    """Run Celery tasks in-process and give the cache keys of their own, even with REDIS_URL.

    ``make test`` sets REDIS_URL, so the cache is a Redis database other test runs share:
    a key prefix per run keeps them apart without flushing anyone's keys (or the broker's).
    tests/portal/test_celery_worker.py switches eager mode off to use a real worker.
    """
    import copy
    import uuid

    from django.conf import settings
    from django.test import override_settings

    from portal.celery import app

    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    app.conf.task_always_eager = True
    # Tests travel in time with a signed-in client: sessions last as long as before the
    # idle and absolute limits (tests/portal/test_sessions.py sets and tests them).
    with override_settings(
        CACHES=caches, SESSION_COOKIE_AGE=14 * 24 * 3600, SESSION_IDLE_TIMEOUT=timedelta(days=14)
    ):
        yield


@pytest.fixture(autouse=True)
def _fresh_request_rates(monkeypatch):
    """Give each test request-rate counters of its own (throttles count per address, and
    every test client comes from 127.0.0.1)."""
    import uuid

    from portal.security.throttles import AddressRateThrottle

    monkeypatch.setattr(
        AddressRateThrottle, "cache_format", f"throttle_{uuid.uuid4().hex}_%(scope)s_%(ident)s"
    )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, _tasks_run_in_process):
    """Each test database (one per xdist process) starts with the rule book published.

    The migrations leave the initial version a draft (0015); as on a real deployment, a
    named administrator publishes it (tests/db.py), once per database, not per test.
    """
    with django_db_blocker.unblock():
        publish_initial_rulebook()


@pytest.fixture
def make_user(django_user_model):
    def _make(username: str, role: str, **extra):
        return django_user_model.objects.create_user(
            username=username,
            password=PASSWORD,
            role=role,
            email=f"{username}@example.test",
            **extra,
        )

    return _make


@pytest.fixture
def administrator(make_user):
    return make_user("admin1", Role.ADMINISTRATOR, is_staff=True)


@pytest.fixture
def inspector(make_user):
    return make_user("inspector1", Role.INSPECTOR)


@pytest.fixture
def owner(make_user):
    """A business user acting for ``business``."""
    return make_user("owner1", Role.BUSINESS)


@pytest.fixture
def other_owner(make_user):
    """A business user acting for ``other_business`` only."""
    return make_user("owner2", Role.BUSINESS)


@pytest.fixture
def supplier(make_user):
    return make_user("supplier1", Role.ENERGY_SUPPLIER)


@pytest.fixture
def programme_officer(make_user):
    return make_user("officer1", Role.PROGRAMME_OFFICER)


@pytest.fixture
def api_client_user(make_user):
    return make_user("apiclient1", Role.API_CLIENT)


@pytest.fixture
def business(owner):
    return make_business(members=[owner])


@pytest.fixture
def other_business(other_owner):
    return make_business(members=[other_owner])


@pytest.fixture
def premises(business):
    return make_premises(business)


@pytest.fixture
def other_premises(other_business):
    return make_premises(other_business)


@pytest.fixture
def personas(
    administrator, inspector, owner, other_owner, supplier, programme_officer, api_client_user
):
    """Every role by name, plus ``anonymous`` as None."""
    return {
        "administrator": administrator,
        "inspector": inspector,
        "owner": owner,
        "other_owner": other_owner,
        "supplier": supplier,
        "programme_officer": programme_officer,
        "api_client": api_client_user,
        "anonymous": None,
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hash test passwords quickly; production keeps Django's default hasher."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _english_unless_asked(settings):
    """Speak English to tests that assert messages; Chinese tests ask for zh-hant.

    The portal's own default (zh-hant) is covered by tests/portal/test_i18n.py.
    """
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
