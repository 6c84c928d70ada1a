"""Idempotency-Key: a retry with the same key and body gets the first answer and writes nothing
more; the same key with another body is refused."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import jwt
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from api.security import ALGORITHM, signing_key
from models.receivables.payments import Payment
from models.security.users import Role, User
from tests import factories
from tests.factories import NEW_ACME
from tests.support.api_client import ApiClient
from tests.support.database import rows

KEY = {"Idempotency-Key": "7f9c2c1e-create-acme"}


async def test_same_key_and_body_replays_the_first_answer_and_writes_once(api: ApiClient) -> None:
    first = await api.post("/customers", Role.SALES, NEW_ACME, headers=KEY)
    again = await api.post("/customers", Role.SALES, NEW_ACME, headers=KEY)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replay"] == "true"
    assert await api.total("/customers") == 1


async def test_retry_after_logging_in_again_still_replays(api: ApiClient) -> None:
    first = await api.post("/customers", Role.SALES, NEW_ACME, headers=KEY)
    # Another token for the same user, as after a new login.
    claims = {"sub": "sales", "exp": datetime.now(UTC) + timedelta(minutes=5), "n": 2}
    token = jwt.encode(claims, signing_key(api.settings), algorithm=ALGORITHM)

    again = await api.http.post(
        "/customers", json=NEW_ACME, headers={**KEY, "Authorization": f"Bearer {token}"}
    )

    assert again.status_code == 201, again.text
    assert again.json() == first.json()
    assert await api.total("/customers") == 1


async def test_same_key_with_another_body_is_409_and_nothing_written(api: ApiClient) -> None:
    first = await api.post("/customers", Role.SALES, NEW_ACME, headers=KEY)

    other = await api.post("/customers", Role.SALES, {**NEW_ACME, "code": "OTHER"}, headers=KEY)

    assert other.status_code == 409
    assert "Idempotency-Key" in other.json()["detail"]
    assert (await api.get("/customers"))["items"] == [first.json()]


async def test_refused_request_is_replayed_as_refused(api: ApiClient) -> None:
    await factories.posted_customer(api)

    first = await api.post("/customers", Role.SALES, NEW_ACME, headers=KEY)
    again = await api.post("/customers", Role.SALES, NEW_ACME, headers=KEY)

    assert first.status_code == again.status_code == 409
    assert again.json() == first.json()


async def test_key_of_another_user_is_not_shared(api: ApiClient) -> None:
    await api.post("/customers", Role.SALES, NEW_ACME, headers=KEY, expect=201)

    theirs = await api.post("/customers", Role.FINANCE, NEW_ACME, headers=KEY)

    assert theirs.status_code == 409  # finance's own request ran: the code is taken
    assert "idempotent-replay" not in theirs.headers


async def test_simultaneous_retries_record_one_payment(api: ApiClient, engine: Engine) -> None:
    customer = await factories.posted_customer(api)
    payment = {
        "customer_id": customer["id"],
        "amount": "250.00",
        "received_on": "2026-11-27",
        "reference": "BANK-99",
    }
    key = {"Idempotency-Key": "pay-bank-99"}

    answers = await asyncio.gather(
        *(api.post("/payments", Role.FINANCE, payment, headers=key) for _ in range(4))
    )

    assert rows(engine, Payment) == 1
    assert 201 in [a.status_code for a in answers]
    # The others either saw the first answer or were told it was still running.
    assert {a.status_code for a in answers} <= {201, 409}
    assert {a.json()["id"] for a in answers if a.status_code == 201} == {1}
    later = await api.post("/payments", Role.FINANCE, payment, headers=key)
    assert (later.status_code, later.json()["id"]) == (201, 1)


async def test_same_key_on_another_invoice_is_another_credit_note(
    api: ApiClient, engine: Engine
) -> None:
    customer = factories.customer(engine)
    first_invoice = factories.invoice(engine, customer.id)
    second_invoice = factories.invoice(engine, customer.id)
    note = {"amount": "11.00", "reason": "damaged"}
    key = {"Idempotency-Key": "credit-damaged"}

    first = await api.post(
        f"/invoices/{first_invoice.id}/credit-notes", Role.FINANCE, note, headers=key
    )
    second = await api.post(
        f"/invoices/{second_invoice.id}/credit-notes", Role.FINANCE, note, headers=key
    )

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["invoice_id"] == first_invoice.id
    assert second.json()["invoice_id"] == second_invoice.id
    assert "idempotent-replay" not in second.headers


async def test_deactivated_user_gets_no_replay(api: ApiClient, engine: Engine) -> None:
    await api.post("/customers", Role.SALES, NEW_ACME, headers=KEY, expect=201)
    with Session(engine) as session, session.begin():
        session.exec(select(User).where(User.username == "sales")).one().active = False

    again = await api.post("/customers", Role.SALES, NEW_ACME, headers=KEY)

    assert again.status_code == 401
    assert "code" not in again.text
