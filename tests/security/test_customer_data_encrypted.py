"""Customer data at rest: the raw rows of every table hold no customer e-mail, phone, address or
tax id, on both databases and on one the migrations built; the API still shows them, and finds a
customer by the whole e-mail or tax id."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models.outbox import OutboxKind, OutboxMessage
from models.security.users import Role
from models.tables import metadata
from o2c.bootstrap import upgrade_database
from tests import factories
from tests.fixtures.databases import on_sqlite_only
from tests.support.api_client import ApiClient, api_client
from tests.support.database import outbox
from tests.support.settings import make_settings

PERSONAL = {
    "email": "Jane.Doe@private-mail.example",
    "phone": "+44 20 7946 0958",
    "address": "221B Baker Street, London NW1 6XE",
    "tax_id": "GB 123 4567 89",
}
CHANGED = {"phone": "+44 20 7946 0000", "address": "10 Downing Street, London SW1A 2AA"}


def raw_text(engine: Engine) -> str:
    """Every row of every table as the database hands it out, without o2c's column types."""
    dumped = []
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            rows = conn.execute(text(f'SELECT * FROM "{table.name}"')).all()
            dumped.extend(repr(tuple(row)) for row in rows)
    return "\n".join(dumped)


def assert_nothing_in_plaintext(raw: str, *values: str) -> None:
    for value in values:
        assert value not in raw, value
        assert value.lower() not in raw.lower(), value


async def create_and_change(api: ApiClient) -> dict[str, Any]:
    created = await api.post(
        "/customers",
        Role.CREDIT_MANAGER,
        {"code": "JANE", "name": "Jane Doe Trading", **PERSONAL},
        expect=201,
        headers={"Idempotency-Key": "create-jane-1"},
    )
    customer_id = created.json()["id"]
    await api.call("PATCH", f"/customers/{customer_id}", Role.SALES, expect=200, json=CHANGED)
    shown: dict[str, Any] = await api.get(f"/customers/{customer_id}", Role.SALES)
    return shown


def mail_to_the_customer(engine: Engine, email: str) -> None:
    """A mail waiting in the outbox, addressed as an invoice's is (notifications/outbox.py)."""
    with Session(engine) as session, session.begin():
        session.add(
            OutboxMessage(key="mail-1", kind=OutboxKind.EMAIL, target=email, name="Invoice INV-1")
        )


async def test_raw_rows_hold_no_customer_contact_data(api: ApiClient, engine: Engine) -> None:
    shown = await create_and_change(api)
    mail_to_the_customer(engine, shown["email"])

    assert (shown["email"], shown["tax_id"]) == (PERSONAL["email"], PERSONAL["tax_id"])
    assert (shown["phone"], shown["address"]) == (CHANGED["phone"], CHANGED["address"])
    assert [m.name for m in outbox(engine, PERSONAL["email"])] == ["Invoice INV-1"]
    raw = raw_text(engine)
    assert "Jane Doe Trading" in raw  # the dump does read the customer's row
    assert_nothing_in_plaintext(raw, *PERSONAL.values(), *CHANGED.values(), "GB123456789")


@on_sqlite_only
async def test_the_sqlite_file_holds_no_customer_contact_data(
    api: ApiClient, tmp_path: Path
) -> None:
    await create_and_change(api)

    files = [tmp_path / "o2c.db", tmp_path / "o2c.db-wal"]  # what is not yet checkpointed too
    stored = "".join(f.read_bytes().decode("latin-1") for f in files if f.exists())
    assert "Jane Doe Trading" in stored
    assert_nothing_in_plaintext(stored, *PERSONAL.values(), *CHANGED.values())


async def test_a_database_the_migrations_built_stores_no_plaintext(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    upgrade_database(url)
    engine = create_engine(url)
    factories.one_user_per_role(engine)
    async with api_client(engine, make_settings(tmp_path, temporal_address="127.0.0.1:1")) as api:
        shown = await create_and_change(api)

    assert shown["email"] == PERSONAL["email"]
    assert_nothing_in_plaintext(raw_text(engine), *PERSONAL.values(), *CHANGED.values())
    engine.dispose()


async def test_a_customer_is_found_by_the_whole_email_or_tax_id(
    api: ApiClient, engine: Engine
) -> None:
    await create_and_change(api)
    factories.customer(engine, "OTHER", tax_id="GB 999 9999 99")

    async def found(q: str) -> list[str]:
        page = await api.get("/customers", Role.SALES, params={"q": q})
        return [c["code"] for c in page["items"]]

    assert await found("jane.doe@private-mail.example") == ["JANE"]
    assert await found("  JANE.DOE@PRIVATE-MAIL.EXAMPLE ") == ["JANE"]
    assert await found("gb123456789") == ["JANE"]
    assert await found("GB 123.4567-89") == ["JANE"]
    assert await found("GB 999 9999 99") == ["OTHER"]
    # Only name and code match in part: a piece of an e-mail or tax id finds nobody.
    assert await found("private-mail") == []
    assert await found("4567") == []
    assert await found("---") == []
    assert await found("jane doe") == ["JANE"]
