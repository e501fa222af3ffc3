"""The audit log is a hash chain: an entry changed, removed or slipped in is found.

Entries are written unsealed by every writer (services, set-based SQL, bulk imports) and
sealed in order by one sealer; ``manage.py verify_audit_chain`` names the first position
that does not hold, and the admin's audit log shows a broken chain as an alarm.
"""

from __future__ import annotations

import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal import audit, audit_chain
from portal.choices import AuditAction
from portal.models import AuditChainVerification, AuditEntry
from portal.tasks import Heartbeat

pytestmark = pytest.mark.django_db
TABLE = AuditEntry._meta.db_table


def write(count: int, prefix: str = "e") -> list[int]:
    return audit.entries_bulk(
        audit.entry(
            actor=None,
            actor_label="tests",
            action=AuditAction.UPDATE,
            instance=Heartbeat(f"{prefix}{i}"),
            changes={"amount_ntd": [i, i + 1], "note": ["舊", "新"]},
            reason="a test change",
        )
        for i in range(count)
    )


def sealed_chain() -> list[AuditEntry]:
    write(6)
    audit_chain.seal()
    return list(AuditEntry.objects.order_by("seq"))


def verify_fails(match: str) -> str:
    with pytest.raises(CommandError, match=match) as failure:
        call_command("verify_audit_chain")
    return str(failure.value)


def test_the_hash_covers_every_content_column():
    columns = {field.attname for field in AuditEntry._meta.concrete_fields} - {"hash"}
    assert columns == set(audit_chain.HASHED_FIELDS)


def test_a_clean_chain_verifies_and_the_outcome_is_kept(capsys):
    write(5)
    audit.record(
        actor=None, action=AuditAction.CREATE, instance=Heartbeat("one"), reason="one more"
    )
    assert AuditEntry.objects.filter(seq__isnull=True).exists()

    call_command("verify_audit_chain")

    total = AuditEntry.objects.count()
    assert "Audit chain intact" in capsys.readouterr().out
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True)) == list(
        range(1, total + 1)
    )
    first = AuditEntry.objects.get(seq=1)
    assert first.prev_hash == audit_chain.GENESIS_HASH and len(first.hash) == 64
    verification = AuditChainVerification.objects.get()
    assert verification.ok and verification.entries_checked == total
    assert verification.head_seq == total


def test_an_entry_edited_with_sql_breaks_the_chain_at_its_position():
    entries = sealed_chain()
    target = entries[2]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET reason = 'nothing happened' WHERE id = %s", [target.id])

    message = verify_fails(f"BROKEN at position {target.seq} ")
    assert f"id {target.id}) was changed after it was sealed" in message
    verification = AuditChainVerification.objects.get()
    assert not verification.ok and verification.broken_position == target.seq


@pytest.mark.parametrize(
    "column, value",
    [("changes", '{"amount_ntd": [0, 9]}'), ("actor_label", "someone else"), ("timestamp", None)],
)
def test_every_column_is_protected(column, value):
    target = sealed_chain()[1]
    with connection.cursor() as cursor:
        if column == "timestamp":
            cursor.execute(
                f"UPDATE {TABLE} SET timestamp = %s WHERE id = %s",
                [timezone.now() - timezone.timedelta(days=400), target.id],
            )
        else:
            cursor.execute(f"UPDATE {TABLE} SET {column} = %s WHERE id = %s", [value, target.id])
    verify_fails(f"position {target.seq} ")


def test_a_deleted_entry_breaks_the_chain_where_it_was():
    entries = sealed_chain()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [entries[1].id])

    message = verify_fails("BROKEN at position 2 ")
    assert "Position 2 is missing" in message


def test_an_entry_slipped_in_with_a_forged_hash_is_found():
    entries = sealed_chain()
    # The forger renumbers the entries after position 3 and hashes a row of their own in.
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET seq = seq + 1000 WHERE seq >= 3")
        cursor.execute(f"UPDATE {TABLE} SET seq = seq - 999 WHERE seq >= 1000")
    forged = write(1, prefix="forged")[0]
    values = AuditEntry.objects.filter(pk=forged).values(*audit_chain.HASHED_FIELDS).get()
    values.update(seq=3, prev_hash=entries[1].hash)
    AuditEntry.objects.filter(pk=forged).update(
        seq=3, prev_hash=entries[1].hash, hash=audit_chain.entry_hash(values)
    )

    message = verify_fails("BROKEN at position 4 ")
    assert "does not follow the entry before it" in message


def test_entries_cut_from_the_end_are_found_by_the_last_verification():
    entries = sealed_chain()
    call_command("verify_audit_chain")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE seq >= 5")

    message = verify_fails("BROKEN at position 5 ")
    assert f"position {len(entries)} was verified" in message


def test_entries_written_after_sealing_extend_the_chain_with_sql_writers_too():
    sealed_chain()
    # A set-based writer (the sweep) inserts without naming the chain's columns.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (timestamp, actor_label, action, object_type, object_id, "
            "object_repr, changes, reason) VALUES (%s, 'sweep', 'create', 'x.y', '1', 'y', "
            "'{}', '')",
            [timezone.now()],
        )
    write(2, prefix="later")
    assert audit_chain.seal() == 3

    call_command("verify_audit_chain")
    assert AuditEntry.objects.filter(seq__isnull=True).count() == 0
    assert AuditEntry.objects.order_by("-seq").first().seq == AuditEntry.objects.count()


def test_the_bulk_writer_uses_one_insert_and_refuses_sealed_rows():
    with CaptureQueriesContext(connection) as queries:
        rows = write(300)
    inserts = [q for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert len(rows) == 300
    assert len(inserts) == (1 if connection.vendor == "postgresql" else len(inserts))
    assert AuditEntry.objects.filter(pk__in=rows, seq__isnull=True).count() == 300

    sealed = audit.entry(
        actor=None, action=AuditAction.CREATE, instance=Heartbeat("x"), reason="sealed"
    )
    sealed.hash = "0" * 64
    with pytest.raises(ValueError):
        audit.entries_bulk([sealed])


def test_the_admin_audit_log_raises_the_alarm_on_a_broken_chain(client, administrator):
    client.force_login(administrator)
    url = "/admin/portal/auditentry/"

    assert "has not been verified yet" in client.get(url).content.decode()

    entries = sealed_chain()
    call_command("verify_audit_chain")
    page = client.get(url).content.decode()
    assert "Audit chain verified intact" in page
    assert "The audit chain is broken" not in page

    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET object_repr = 'x' WHERE id = %s", [entries[3].id])
    with pytest.raises(CommandError):
        call_command("verify_audit_chain")
    page = client.get(url).content.decode()
    assert "The audit chain is broken" in page
    assert f"first break at position {entries[3].seq}" in page


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_and_sealers_make_one_valid_chain():
    """Two writers commit entries (bulk and one by one) while sealers run: one chain."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    start = threading.Barrier(3)
    errors: list[BaseException] = []

    def writer(name: str) -> None:
        try:
            start.wait()
            for batch in range(15):
                with transaction.atomic():
                    write(20, prefix=f"{name}-{batch}-")
                    audit.record(
                        actor=None,
                        action=AuditAction.UPDATE,
                        instance=Heartbeat(f"{name}-{batch}"),
                        reason="one by one",
                    )
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    def sealer() -> None:
        try:
            start.wait()
            for _ in range(20):
                audit_chain.seal(wait=False)
                audit_chain.seal(batch=7)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=writer, args=("a",)),
        threading.Thread(target=writer, args=("b",)),
        threading.Thread(target=sealer),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []

    outcome = audit_chain.verify()
    total = AuditEntry.objects.count()
    assert total >= 2 * 15 * 21
    assert outcome.ok, outcome.message
    assert outcome.entries_checked == total
    assert not AuditEntry.objects.filter(seq__isnull=True).exists()


def test_the_database_refuses_two_entries_at_one_position():
    """A last guard if two sealers ever ran at once: one position, one entry."""
    from django.db import IntegrityError

    entries = sealed_chain()
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEntry.objects.filter(pk=entries[1].pk).update(seq=entries[0].seq)


@pytest.mark.parametrize("vendor", ["postgresql", "sqlite"])
def test_bulk_entries_from_dicts_or_instances_carry_the_same_fields_and_verify(
    administrator, monkeypatch, vendor
):
    # "sqlite": the demo's path (bulk_create), taken here on PostgreSQL.
    monkeypatch.setattr(connection, "vendor", vendor)
    given = {
        "actor": administrator,
        "action": AuditAction.IMPORT,
        "changes": {"amount": [None, "7.10"], "note": [None, "新"]},
        "reason": "CSV import 單位.csv",
        "business_id": 42,
    }
    as_dicts = [audit.entry_values(instance=Heartbeat(f"d{i}"), **given) for i in range(3)]
    as_rows = [audit.entry(instance=Heartbeat(f"r{i}"), **given) for i in range(3)]

    ids = audit.entries_bulk([*as_dicts, *as_rows], batch_size=2)

    monkeypatch.undo()
    fields = ("actor_id", "actor_label", "action", "changes", "reason", "business_id")
    written = list(AuditEntry.objects.filter(pk__in=ids).order_by("object_id"))
    assert [entry.object_id for entry in written] == ["d0", "d1", "d2", "r0", "r1", "r2"]
    expected = (administrator.pk, administrator.username, "import")
    expected += (given["changes"], given["reason"], 42)
    assert [tuple(getattr(entry, name) for name in fields) for entry in written] == [expected] * 6
    assert all(entry.timestamp and entry.seq is None and not entry.hash for entry in written)
    assert audit_chain.verify().ok
    assert AuditEntry.objects.filter(pk__in=ids, seq__isnull=False).count() == 6
