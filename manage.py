#!/usr/bin/env python
"""Run Django administrative commands for the portal."""

import os
import sys


def main() -> None:
    """Run the command named on the command line."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    # manage.py is the developer's tool (check, makemigrations, runserver): development
    # unless said otherwise. The servers never pass here (gunicorn loads portal/wsgi.py,
    # the workers portal/celery.py: production by default), and the image and
    # docker-compose set DJANGO_DEBUG=false for every command run in them.
    os.environ.setdefault("DJANGO_DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
