"""A backup restores: pg_dump -Fc, pg_restore into a new database, the chain and counts hold.

The commands are those of docs/operations.md ("Backups and restore"); the restored copy is
checked as an operator would check it, with ``manage.py verify_audit_chain`` against it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from portal import audit, audit_chain
from portal.choices import AuditAction, Role
from portal.models import AuditEntry, User
from portal.tasks import Heartbeat
from tests.factories import make_business, make_premises

pytestmark = [pytest.mark.django_db(transaction=True)]
ROOT = Path(settings.BASE_DIR)


def _tools() -> tuple[str, str]:
    dump, restore = shutil.which("pg_dump"), shutil.which("pg_restore")
    if connection.vendor != "postgresql" or not dump or not restore:
        pytest.skip("a PostgreSQL backup needs PostgreSQL and its client tools")
    return dump, restore


def _params(name: str) -> dict:
    conf = connection.settings_dict
    return {
        "dbname": name,
        "host": conf["HOST"] or "127.0.0.1",
        "port": str(conf["PORT"] or 5432),
        "user": conf["USER"],
        "password": conf["PASSWORD"] or None,
    }


def _env(name: str) -> dict:
    params = _params(name)
    env = {**os.environ, "PGHOST": params["host"], "PGPORT": params["port"]}
    env["PGUSER"] = params["user"]
    if params["password"]:
        env["PGPASSWORD"] = params["password"]
    return env


def _counts(name: str) -> dict[str, int]:
    params = {k: v for k, v in _params(name).items() if v is not None}
    with psycopg.connect(**params) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables
        }


def _admin(sql: str) -> None:
    params = {k: v for k, v in _params("postgres").items() if v is not None}
    with psycopg.connect(**params, autocommit=True) as conn:
        conn.execute(sql)


def _verify(name: str) -> subprocess.CompletedProcess:
    params = _params(name)
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{params['user']}@{params['host']}:{params['port']}/{params['dbname']}"
        ),
        "DJANGO_DEBUG": "true",
    }
    env.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", "verify_audit_chain"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _build_data(administrator) -> None:
    business = make_business()
    for _ in range(3):
        make_premises(business)
    audit.record(
        actor=administrator,
        action=AuditAction.UPDATE,
        instance=business,
        changes={"name_zh": ["舊名", "新名"], "amount": ["1.50", "2.00"]},
        reason="renamed",
    )
    audit.entries_bulk(
        audit.entry(
            actor=None, action=AuditAction.IMPORT, instance=Heartbeat(f"row{i}"), reason="import"
        )
        for i in range(200)
    )
    audit_chain.seal()
    # Some entries still waiting for the sealer when the dump is taken: sealed after restore.
    audit.record(actor=administrator, action=AuditAction.CREATE, instance=Heartbeat("late"))


def test_a_dump_restores_into_a_new_database_with_its_chain_and_counts(tmp_path):
    pg_dump, pg_restore = _tools()
    administrator = User.objects.create_user("backup-admin", role=Role.ADMINISTRATOR)
    _build_data(administrator)
    source = connection.settings_dict["NAME"]
    copy = f"restore_{uuid.uuid4().hex[:12]}"
    dump = tmp_path / "portal.dump"

    subprocess.run(
        [pg_dump, "-Fc", "--no-owner", "-d", source, "-f", str(dump)],
        env=_env(source),
        check=True,
        timeout=300,
    )
    expected = _counts(source)
    _admin(f'CREATE DATABASE "{copy}"')
    try:
        subprocess.run(
            [pg_restore, "--no-owner", "--exit-on-error", "-d", copy, str(dump)],
            env=_env(copy),
            check=True,
            timeout=300,
        )

        assert _counts(copy) == expected
        assert expected["portal_auditentry"] == AuditEntry.objects.count() > 200
        verified = _verify(copy)
        assert verified.returncode == 0, verified.stderr
        assert f"{expected['portal_auditentry']} entries" in verified.stdout

        # The restored copy is checked for real: an entry edited there is found.
        params = {k: v for k, v in _params(copy).items() if v is not None}
        with psycopg.connect(**params, autocommit=True) as conn:
            conn.execute("UPDATE portal_auditentry SET reason = 'edited' WHERE seq = 7")
        broken = _verify(copy)
        assert broken.returncode != 0
        assert "BROKEN at position 7 " in broken.stderr
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
