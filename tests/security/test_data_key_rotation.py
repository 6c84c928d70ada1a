"""The data keys: `o2c keys rotate` re-encrypts every value under the new key in committed batches
and resumes when stopped half-way, after which the old key can go; a missing or wrong key stops
the start with an error that names it; the dev stack's key is generated once under DATA_DIR."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from activities.documents.stored_documents import invoice_document
from models.documents.stored_documents import StoredDocument
from models.security.field_cipher import DataKeyError, parse_keyring, use_keyring
from models.security.users import Role
from o2c.bootstrap import alembic_config, upgrade_database
from o2c.keys import check_keyring, count_stale, load_keyring, rotate
from o2c.settings import Settings
from tests import factories
from tests.support.api_client import ApiClient
from tests.support.data_keys import FIRST, INDEX, SECOND, TEST_DATA_KEYS

ROTATED = parse_keyring(f"{INDEX},{FIRST},{SECOND}", current="test2")
ONLY_NEW = parse_keyring(f"{INDEX},{SECOND}")
O2C = str(Path(sys.executable).parent / "o2c")


def key_ids(engine: Engine) -> list[str]:
    """The key each customer's e-mail is encrypted under, read raw, in id order."""
    with engine.connect() as conn:
        emails = conn.execute(text("SELECT email FROM customer ORDER BY id")).scalars().all()
    return [email.split(":")[1] for email in emails]


async def emails_shown(api: ApiClient) -> list[str]:
    page = await api.get("/customers", Role.SALES, params={"limit": 100})
    return [c["email"] for c in page["items"]]


async def test_a_rotation_stopped_half_way_resumes_and_the_old_key_can_go(
    api: ApiClient, engine: Engine
) -> None:
    for code in ("C1", "C2", "C3", "C4", "C5"):
        factories.customer(engine, code, tax_id=f"TAX-{code}")
    before = await emails_shown(api)
    use_keyring(ROTATED)

    stopped = rotate(engine, ROTATED, batch_size=2)
    first = next(stopped)
    stopped.close()  # the operator's Ctrl-C after the first committed batch

    assert (first.done, first.total) == (2, 5)
    assert key_ids(engine) == ["test2", "test2", "test1", "test1", "test1"]
    assert await emails_shown(api) == before  # old and new keys side by side
    resumed = list(rotate(engine, ROTATED, batch_size=2))
    assert [(p.done, p.total) for p in resumed] == [(2, 3), (3, 3)]
    assert key_ids(engine) == ["test2"] * 5
    assert count_stale(engine, "test2") == 0

    use_keyring(ONLY_NEW)
    check_keyring(engine, ONLY_NEW)
    assert await emails_shown(api) == before
    found = await api.get("/customers", Role.SALES, params={"q": "tax-c3"})
    assert [c["code"] for c in found["items"]] == ["C3"]


def test_a_start_without_the_key_of_stored_data_names_it(engine: Engine) -> None:
    factories.customer(engine)

    with pytest.raises(DataKeyError, match="'test1'.*does not hold"):
        check_keyring(engine, ONLY_NEW)


def test_a_wrong_key_under_the_right_id_stops_the_start(engine: Engine) -> None:
    factories.customer(engine)
    wrong = parse_keyring(f"{INDEX},test1={SECOND.split('=', 1)[1]}")

    with pytest.raises(DataKeyError, match="'test1' does not open customer"):
        check_keyring(engine, wrong)


def test_o2c_refuses_to_start_with_a_wrong_key(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'o2c.db'}"
    upgrade_database(url)
    engine = create_engine(url)
    factories.customer(engine)
    engine.dispose()
    wrong = f"{INDEX},test1={SECOND.split('=', 1)[1]}"
    env = {**os.environ, "O2C_DATA_DIR": str(tmp_path), "O2C_DATA_KEYS": wrong}

    started = subprocess.run(
        [O2C, "audit", "verify"], env=env, capture_output=True, text=True, timeout=120
    )

    assert started.returncode == 1
    assert "o2c could not start: data key 'test1' does not open customer" in started.stderr


def test_o2c_keys_rotate_shows_progress_and_resumes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'o2c.db'}"
    upgrade_database(url)
    engine = create_engine(url)
    for code in ("C1", "C2", "C3"):
        factories.customer(engine, code)
    env = {
        **os.environ,
        "O2C_DATA_DIR": str(tmp_path),
        "O2C_DATA_KEYS": f"{INDEX},{FIRST},{SECOND}",
    }

    rotated = subprocess.run(
        [O2C, "keys", "rotate", "--batch-size", "2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    again = subprocess.run(
        [O2C, "keys", "rotate"], env=env, capture_output=True, text=True, timeout=120
    )

    assert rotated.returncode == 0, rotated.stderr
    assert "2/3 rows" in rotated.stderr and "3/3 rows" in rotated.stderr
    assert "rows/s" in rotated.stderr
    assert "under key 'test2' (3 rows changed)" in rotated.stdout
    assert "(0 rows changed)" in again.stdout
    assert key_ids(engine) == ["test2"] * 3
    engine.dispose()


def test_the_migration_encrypts_customers_it_finds_and_its_downgrade_decrypts(
    tmp_path: Path,
) -> None:
    from alembic import command

    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(url), "0013_token_version_sender")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO customer (code, name, email, phone, tax_id, payment_terms_days,"
                " credit_class, currency, status, language, invoice_policy, credit_limit,"
                " created_at) VALUES ('OLD', 'Old Ltd', 'ap@old.example', '+1 555 0100',"
                " 'US-99', 30, 'standard', 'USD', 'ACTIVE', 'en', 'ON_SHIPMENT', 0,"
                " '2026-01-01 00:00:00')"
            )
        )

    upgrade_database(url)

    with engine.connect() as conn:
        raw = conn.execute(text("SELECT email, phone, tax_id FROM customer")).one()
    assert all(value.startswith("v1:test1:") for value in raw)
    check_keyring(engine, parse_keyring(TEST_DATA_KEYS))
    command.downgrade(alembic_config(url), "0013_token_version_sender")
    with engine.connect() as conn:
        back = conn.execute(text("SELECT email, phone, tax_id FROM customer")).one()
    assert tuple(back) == ("ap@old.example", "+1 555 0100", "US-99")
    engine.dispose()


def test_the_dev_stack_generates_its_keys_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("O2C_DATA_KEYS")
    settings = Settings(data_dir=tmp_path)

    first = load_keyring(settings)
    again = load_keyring(settings)

    assert first == again
    assert (tmp_path / "data_keys").stat().st_mode & 0o777 == 0o600
    production = Settings(data_dir=tmp_path / "other", database_url="postgresql://db/o2c")
    with pytest.raises(DataKeyError, match="set O2C_DATA_KEYS"):
        load_keyring(production)


async def test_a_start_without_the_key_of_one_stored_pdf_among_many_values_names_it(
    engine: Engine,
) -> None:
    for code in ("C1", "C2", "C3"):
        factories.customer(engine, code)
    buyer = factories.customer(engine, "PDF")
    billed = factories.invoice(engine, buyer.id, "100.00", tax_rate="0", issued=date(2026, 11, 2))
    use_keyring(ROTATED)  # test2 current: the PDF is kept under it
    await invoice_document(engine, billed.id, "o2c Demo")

    with pytest.raises(
        DataKeyError,
        match="stored_document.content holds values under key 'test2', which the keyring does",
    ):
        check_keyring(engine, parse_keyring(TEST_DATA_KEYS))
    check_keyring(engine, ROTATED)
    [*_, last] = rotate(engine, ROTATED)
    assert last.done == 4  # the customers created under test1; the PDF is under test2 already
    check_keyring(engine, ONLY_NEW)


def test_o2c_refuses_to_start_without_a_key_a_customer_needs(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'o2c.db'}"
    upgrade_database(url)
    engine = create_engine(url)
    factories.customer(engine, "OLD")
    use_keyring(ROTATED)
    factories.customer(engine, "NEW")
    engine.dispose()
    env = {**os.environ, "O2C_DATA_DIR": str(tmp_path), "O2C_DATA_KEYS": TEST_DATA_KEYS}

    started = subprocess.run(
        [O2C, "audit", "verify"], env=env, capture_output=True, text=True, timeout=120
    )

    assert started.returncode == 1
    assert (
        "o2c could not start: customer.email holds values under key 'test2', which the keyring"
        " does not hold: add it to O2C_DATA_KEYS"
    ) in started.stderr


def test_the_migration_encrypts_the_pdfs_it_finds_and_its_downgrade_decrypts(
    tmp_path: Path,
) -> None:
    from alembic import command

    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(url), "0021_credit_review_rules")
    engine = create_engine(url)
    pdf = b"%PDF-1.7 Old Ltd, 1 Old Street"
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO stored_document (document, document_id, version, filename,"
                " content_type, content, created_at) VALUES ('invoice', 1, 'v', 'i.pdf',"
                " 'application/pdf', :pdf, '2026-01-01 00:00:00')"
            ),
            {"pdf": pdf},
        )

    upgrade_database(url)

    with engine.connect() as conn:
        raw = conn.execute(text("SELECT content FROM stored_document")).scalar_one()
    assert raw.startswith("v1:test1:") and "Old" not in raw
    with Session(engine) as session:
        assert session.exec(select(StoredDocument.content)).one() == pdf
    check_keyring(engine, parse_keyring(TEST_DATA_KEYS))
    command.downgrade(alembic_config(url), "0021_credit_review_rules")
    with engine.connect() as conn:
        back = conn.execute(text("SELECT content FROM stored_document")).scalar_one()
    assert back == pdf
    engine.dispose()
