"""The Celery tasks of compliance, one module per domain; imported here so that every
process registers them (AppConfig.ready and Celery's autodiscovery look for this module)."""

from compliance.enforcement.tasks import deadline_sweep
from compliance.rulebook.tasks import nightly_refresh, recompute_all, recompute_status

__all__ = ["deadline_sweep", "nightly_refresh", "recompute_all", "recompute_status"]
