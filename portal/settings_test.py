"""The test runner's settings: the portal's own, in development mode unless told otherwise.

``portal/settings.py`` defaults to production (DEBUG off, every secret required); the test
suite names this module (pyproject.toml) so that ``make test`` and a bare ``pytest`` need no
variable. The workers and commands the tests start get ``DJANGO_DEBUG`` from
``tests/conftest.py`` and read ``portal.settings`` itself.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "true")

from portal.settings import *  # noqa: F403
