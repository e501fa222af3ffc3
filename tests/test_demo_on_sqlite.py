"""`make demo`'s data on its embedded database: SQLite, tasks in-process, no services.

The suite runs on PostgreSQL; code that only PostgreSQL understands (arrays, JSON record
sets) must keep a path the demo's SQLite takes. This builds the demo as `scripts/demo`
does, in a scratch file, and reads back what a newcomer sees first.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _manage(*arguments: str, env: dict) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        check=True,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=600,
    )


def test_the_demo_builds_on_sqlite_with_assessed_premises_and_opened_cases(tmp_path):
    database = tmp_path / "demo.sqlite3"
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "CELERY_"))
    }
    env |= {
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
    }

    _manage("migrate", "--noinput", "-v0", env=env)
    _manage("demo_data", env=env)

    with sqlite3.connect(database) as db:
        premises, statuses, compliant, violations = db.execute(
            "SELECT (SELECT COUNT(*) FROM compliance_premises),"
            " (SELECT COUNT(*) FROM compliance_premisesstatus),"
            " (SELECT COUNT(*) FROM compliance_premisesstatus WHERE outcome = 'compliant'),"
            " (SELECT COUNT(*) FROM compliance_violation)"
        ).fetchone()
    assert premises > 0 and statuses == premises
    assert 0 < compliant < premises
    assert violations > 0
