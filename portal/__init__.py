"""The portal: settings, users and roles, the audit log, API base classes, dashboards."""

from portal.celery import app as celery_app

__all__ = ("celery_app",)
