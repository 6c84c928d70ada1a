"""Customers imported a batch at a time (1,000 rows): a change in any batch is written, reported
and audited; each changed customer's audit row says what the master-data use case's would (the
customers an import creates are in its one `imported` event); personal data is encrypted and
found by its blind index; the hash chain stays whole."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from activities.imports.customers import batch_blind_indexes
from activities.imports.pipeline import BATCH
from activities.master_data.customers import create_customer, list_customers, update_customer
from activities.security.audit_chain import verify_chain
from activities.transaction import run_command
from models.imports.kinds import ImportKind
from models.master_data.customers import CustomerCreate, CustomerUpdate, blind_indexes
from models.security.audit import AuditEvent
from tests.imports.files import csv_file, imported

HEADER = ["code", "name", "email", "phone", "address", "tax_id", "currency", "credit_limit"]
COUNT = 2 * BATCH + 500  # three batches
PERSONAL = {
    "email": "Jane.Doe@private-mail.example",
    "phone": "+44 20 7946 0958",
    "address": "221B Baker Street, London",
    "tax_id": "GB 123 4567 89",
}


def row(n: int) -> list[str]:
    return [f"C{n:05d}", f"Customer {n}", f"ap{n}@bench.example", "", "", "", "EUR", "1,000.00"]


def audited(engine: Engine, action: str) -> list[AuditEvent]:
    with Session(engine) as session:
        query = select(AuditEvent).where(
            AuditEvent.entity_type == "customer", AuditEvent.action == action
        )
        return list(session.exec(query.order_by(col(AuditEvent.id))).all())


def imports_audited(engine: Engine) -> list[dict[str, Any]]:
    """What each import's `imported` event says, oldest first."""
    with Session(engine) as session:
        query = select(AuditEvent).where(AuditEvent.action == "imported")
        return [json.loads(e.after or "") for e in session.exec(query.order_by(col(AuditEvent.id)))]


def chain_intact(engine: Engine) -> bool:
    with Session(engine) as session:
        return verify_chain(session).intact


def test_changes_in_later_batches_are_written_reported_and_audited(
    engine: Engine, tmp_path: Path
) -> None:
    rows = [row(n) for n in range(COUNT)]
    first = imported(engine, ImportKind.CUSTOMERS, csv_file(tmp_path / "a.csv", [HEADER, *rows]))
    assert first.status == "done", first.errors
    assert (first.counts.created, first.counts.updated, first.counts.unchanged) == (COUNT, 0, 0)
    assert audited(engine, "created") == []
    assert [(i["created"], i["updated"]) for i in imports_audited(engine)] == [(COUNT, 0)]

    rows[1200][1] = "Renamed GmbH"  # second batch
    rows[1200][2] = "new-ap@renamed.example"
    rows[2400][7] = "2,500.00"  # third batch
    rows.append(row(COUNT))  # new, in the third batch
    again = imported(engine, ImportKind.CUSTOMERS, csv_file(tmp_path / "b.csv", [HEADER, *rows]))

    assert (again.counts.created, again.counts.updated, again.counts.unchanged) == (
        1,
        2,
        COUNT - 2,
    )
    assert again.changes == [
        {"key": "C01200", "changed": ["email", "name"]},
        {"key": "C02400", "changed": ["credit_limit"]},
    ]
    updates = audited(engine, "updated")
    assert [json.loads(e.after or "") for e in updates] == [
        {"email": "n***@renamed.example", "name": "Renamed GmbH"},
        {"credit_limit": "2500.00"},
    ]
    assert json.loads(updates[0].before or "") == {
        "email": "a***@bench.example",
        "name": "Customer 1200",
    }
    with Session(engine) as session:
        found, _ = list_customers(session, 10, 0, search="NEW-AP@renamed.example")
        gone, _ = list_customers(session, 10, 0, search="ap1200@bench.example")
    assert [c.code for c in found] == ["C01200"] and gone == []
    assert audited(engine, "created") == []
    assert [(i["created"], i["updated"]) for i in imports_audited(engine)] == [(COUNT, 0), (1, 2)]
    assert chain_intact(engine)

    third = imported(engine, ImportKind.CUSTOMERS, csv_file(tmp_path / "c.csv", [HEADER, *rows]))
    assert (third.counts.created, third.counts.updated) == (0, 0)
    assert len(audited(engine, "updated")) == 2 and chain_intact(engine)


def _comparable(event: AuditEvent) -> tuple[Any, Any]:
    """Before and after, but what differs between two customers by nature."""
    values = [json.loads(v) if v else None for v in (event.before, event.after)]
    for value in values:
        for name in ("id", "code", "created_at"):
            (value or {}).pop(name, None)
    return values[0], values[1]


def test_an_imported_change_is_audited_and_encrypted_as_the_use_case_writes_it(
    engine: Engine, tmp_path: Path
) -> None:
    given = {"name": "Doe Trading", "currency": "EUR", "credit_limit": "1500.00", **PERSONAL}
    new = CustomerCreate.model_validate({"code": "BYAPI", **given})
    created = run_command(engine, create_customer, new)
    header = ["code", *given]
    file = [header, ["BYFILE", *given.values()]]
    imported(engine, ImportKind.CUSTOMERS, csv_file(tmp_path / "a.csv", file))
    change = {"name": "Doe Trading Ltd", "email": "john@private-mail.example"}
    run_command(engine, update_customer, created.id, CustomerUpdate.model_validate(change))
    changed = [header, ["BYFILE", *{**given, **change}.values()]]
    imported(engine, ImportKind.CUSTOMERS, csv_file(tmp_path / "b.csv", changed))

    [by_api] = audited(engine, "created")  # the file's new customer: in its import's event
    assert json.loads(by_api.after or "")["email"] == "J***@private-mail.example"
    updated_by_api, updated_by_file = audited(engine, "updated")
    assert _comparable(updated_by_file) == _comparable(updated_by_api)
    assert json.loads(updated_by_file.after or "")["email"] == "j***@private-mail.example"
    assert [(i["created"], i["updated"]) for i in imports_audited(engine)] == [(1, 0), (0, 1)]
    with engine.connect() as conn:
        raw = repr(conn.execute(text("SELECT * FROM customer")).all())
    for secret in [*PERSONAL.values(), change["email"]]:
        assert secret not in raw
    with Session(engine) as session:
        found, _ = list_customers(session, 10, 0, search="gb123456789")
    assert sorted(c.code for c in found) == ["BYAPI", "BYFILE"]
    assert chain_intact(engine)


def test_a_batch_hashes_e_mail_and_tax_id_as_every_write_does() -> None:
    for values in [
        {"email": "Jane.Doe@Private-Mail.example ", "tax_id": "de 123.456-789"},
        {"email": "ap1@bench.example", "tax_id": None},
        {"email": "", "tax_id": " "},
        {"email": "客户@例子.example", "tax_id": "GB 123 4567 89"},
    ]:
        assert batch_blind_indexes(values) == blind_indexes(values)
