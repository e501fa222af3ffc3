"""Settings of the gunicorn that ``benchmark_city`` starts: the portal's, plus baselines."""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "compliance.management.commands._city_bench_urls"

# The pages name their static files by the manifest's hashed names, as in production, but
# the benchmark never requests the files themselves: collecting without whitenoise's
# gzip and Brotli copies (40 MB of them) takes seconds instead of minutes.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
