"""A keyed write costs two transactions: the claim (with the check of the caller's token, whose
user the route then takes as its caller: api/deps.py) and the command with its answer. The answer
the command kept is the one sent, so nothing is written after the response; a replay still
returns it byte for byte. (It took five: the token's check and the claim apart, the route's own
reading of its user, and the answer again.)"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from models.security.users import Role
from tests import factories
from tests.support.api_client import ApiClient


@contextmanager
def commits(engine: Engine) -> Iterator[list[object]]:
    counted: list[object] = []

    def commit(connection: object) -> None:
        counted.append(connection)

    event.listen(engine, "commit", commit)
    try:
        yield counted
    finally:
        event.remove(engine, "commit", commit)


async def test_a_keyed_payment_commits_two_transactions(api: ApiClient, engine: Engine) -> None:
    customer = await factories.posted_customer(api)
    body: dict[str, Any] = {
        "customer_id": customer["id"],
        "amount": "25.00",
        "received_on": "2026-11-27",
        "reference": "BANK-9",
    }
    key = {"Idempotency-Key": "pay-9"}
    with commits(engine) as counted:
        first = await api.post("/payments", Role.FINANCE, body, headers=key, expect=201)
    again = await api.post("/payments", Role.FINANCE, body, headers=key, expect=201)

    assert len(counted) == 2
    assert again.headers["idempotent-replay"] == "true" and again.content == first.content


async def test_a_keyed_order_commits_two_transactions(api: ApiClient, engine: Engine) -> None:
    customer = await factories.posted_customer(api)
    await factories.posted_product(api)
    order = {"customer_id": customer["id"], "lines": [{"sku": "WIDGET", "quantity": "2"}]}
    key = {"Idempotency-Key": "order-9"}
    with commits(engine) as counted:
        first = await api.post("/orders", Role.SALES, order, headers=key, expect=201)
    again = await api.post("/orders", Role.SALES, order, headers=key, expect=201)

    assert len(counted) == 2
    assert again.content == first.content
