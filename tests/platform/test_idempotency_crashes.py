"""Idempotency-Key across a crash: the process dies after the command commits (the answer was kept
with it) or before (only an abandoned claim is left); either way a retry does the work once.

The crash is injected at the exact point: the middleware's `_keep` (the step that stores the answer
after the response is ready) raises `ProcessKilled`, which nothing catches, as if the process had
died there; the retry "five minutes later" ages the claims instead of waiting."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from api import deps as api_deps
from api.idempotency import ABANDONED_AFTER, IdempotencyMiddleware
from api.idempotent_answer import KeyedRequest
from models.outbox import IdempotentResponse
from models.receivables.payments import Payment
from models.security.users import Role
from tests import factories
from tests.support.api_client import ApiClient
from tests.support.database import rows

KEY = {"Idempotency-Key": "pay-bank-7"}


class ProcessKilled(BaseException):
    """Stands for the process dying: nothing after the raise runs, no clean-up either."""


def _killed(*_: object) -> None:
    raise ProcessKilled


def age_claims(engine: Engine, by: timedelta) -> None:
    """As if `by` had passed since every key was claimed (instead of waiting)."""
    with Session(engine) as session, session.begin():
        for claim in session.exec(select(IdempotentResponse)):
            claim.created_at -= by


async def killed_after_commit(
    api: ApiClient,
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    path: str,
    role: Role,
    body: dict[str, Any],
) -> Any:
    """Sends the request with KEY and dies once its command committed, before the answer was
    sent; then five minutes pass. The answer the client never received."""
    unsent: list[str] = []

    def killed(_: object, keyed: KeyedRequest, status_code: int, answer: str) -> None:
        unsent.append(answer)
        raise ProcessKilled

    monkeypatch.setattr(IdempotencyMiddleware, "_keep", killed)
    with pytest.raises(ProcessKilled):
        await api.post(path, role, body, headers=KEY)
    monkeypatch.undo()
    age_claims(engine, ABANDONED_AFTER + timedelta(minutes=1))
    return json.loads(unsent[0])


async def payment_of(api: ApiClient) -> dict[str, Any]:
    customer = await factories.posted_customer(api)
    return {
        "customer_id": customer["id"],
        "amount": "250.00",
        "received_on": "2026-11-27",
        "reference": "BANK-7",
    }


async def test_retry_after_a_crash_between_commit_and_answer_replays_the_payment(
    api: ApiClient, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    payment = await payment_of(api)
    unsent = await killed_after_commit(api, engine, monkeypatch, "/payments", Role.FINANCE, payment)

    again = await api.post("/payments", Role.FINANCE, payment, headers=KEY)

    assert again.status_code == 201
    assert again.headers["idempotent-replay"] == "true"
    assert again.json() == unsent
    assert (again.json()["id"], again.json()["amount"]) == (1, "250.00")
    assert rows(engine, Payment) == 1


async def test_retry_after_a_crash_between_commit_and_answer_creates_one_order(
    api: ApiClient, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    customer = await factories.posted_customer(api)
    await factories.posted_product(api)
    await factories.posted_receipt(api, "WIDGET", "10")
    order = {"customer_id": customer["id"], "lines": [{"sku": "WIDGET", "quantity": "2"}]}
    unsent = await killed_after_commit(api, engine, monkeypatch, "/orders", Role.SALES, order)

    again = await api.post("/orders", Role.SALES, order, headers=KEY)

    assert (again.status_code, again.json()) == (201, unsent)
    assert await api.total("/orders") == 1


async def test_crash_after_a_write_off_waiting_for_approval_replays_its_202(
    api: ApiClient, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    large = factories.invoice(engine, factories.customer(engine).id, price="1000.00")
    path = f"/invoices/{large.id}/write-off"
    gone = {"reason": "gone"}
    unsent = await killed_after_commit(api, engine, monkeypatch, path, Role.FINANCE, gone)

    again = await api.post(path, Role.FINANCE, gone, headers=KEY)

    assert (again.status_code, again.json()) == (202, unsent)
    assert unsent["state"] == "pending_approval"
    assert len(await api.get(f"/invoices/{large.id}/write-offs")) == 1


async def test_claim_left_by_a_crash_before_commit_is_taken_over_once_abandoned(
    api: ApiClient, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    payment = await payment_of(api)

    # The process dies inside the command, before its commit: the claim alone stays behind.
    monkeypatch.setattr(api_deps, "keep_answer", _killed)
    monkeypatch.setattr(IdempotencyMiddleware, "_release", _killed)
    with pytest.raises(ProcessKilled):
        await api.post("/payments", Role.FINANCE, payment, headers=KEY)
    monkeypatch.undo()

    soon = await api.post("/payments", Role.FINANCE, payment, headers=KEY)
    age_claims(engine, ABANDONED_AFTER + timedelta(minutes=1))
    later = await api.post("/payments", Role.FINANCE, payment, headers=KEY)

    assert soon.status_code == 409
    assert "still running" in soon.json()["detail"]
    assert later.status_code == 201
    # One payment, the retry's (the dead attempt may have used up id 1 of PostgreSQL's sequence).
    assert rows(engine, Payment) == 1


async def test_request_whose_claim_a_retry_took_over_does_not_commit(
    api: ApiClient, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    payment = await payment_of(api)

    claim = IdempotencyMiddleware._claim

    def claimed_then_taken_over(
        self: IdempotencyMiddleware, *request: str
    ) -> tuple[str, str, datetime] | IdempotentResponse | None:
        mine = claim(self, *request)
        # This request is slow: a retry finds its claim abandoned and takes it over meanwhile.
        with Session(engine) as other, other.begin():
            row = other.exec(select(IdempotentResponse)).one()
            row.created_at += timedelta(seconds=1)
        return mine

    monkeypatch.setattr(IdempotencyMiddleware, "_claim", claimed_then_taken_over)
    slow = await api.post("/payments", Role.FINANCE, payment, headers=KEY)

    assert slow.status_code == 409
    assert "taken this request over" in slow.json()["detail"]
    assert rows(engine, Payment) == 0
