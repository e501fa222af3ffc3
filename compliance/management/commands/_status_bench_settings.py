"""Settings of the gunicorn that ``benchmark_status_api`` starts: the portal's, plus baselines."""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "compliance.management.commands._status_bench_urls"
