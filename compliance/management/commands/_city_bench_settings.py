"""Settings of the gunicorn that ``benchmark_city`` starts: the portal's, plus baselines."""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "compliance.management.commands._city_bench_urls"
