"""`kill -9` of the API while keyed payments stream in, some committed and not yet answered:
every payment retried with its Idempotency-Key is recorded exactly once, and the ledger
balances."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from activities.receivables.ledger import trial_balance
from models.receivables.payments import Payment
from tests import factories
from tests.chaos.stack import Stack

PAYMENTS = 100


async def test_keyed_payments_retried_after_the_api_was_killed_are_recorded_once(
    chaos: tuple[Stack, Engine],
) -> None:
    stack, engine = chaos
    buyer = factories.customer(engine)
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=60) as http:

        async def pay(number: int) -> httpx.Response:
            body = {
                "customer_id": buyer.id,
                "amount": "10.00",
                "received_on": date.today().isoformat(),
                "reference": f"CHAOS-{number}",
            }
            headers = {**stack.token("finance"), "Idempotency-Key": f"chaos-pay-{number}"}
            return await http.post("/payments", json=body, headers=headers)

        stream = [asyncio.create_task(pay(n)) for n in range(PAYMENTS)]
        await asyncio.wait(stream, return_when=asyncio.FIRST_COMPLETED)
        stack.api.kill()  # mid-stream: some answered, some committed unanswered, some not begun
        before = await asyncio.gather(*stream, return_exceptions=True)
        answered_before = sum(isinstance(a, httpx.Response) and a.is_success for a in before)
        assert 0 < answered_before < PAYMENTS, stack.logs()

        stack.api.start()
        stack.wait_for_api()
        answers = [await _answered(pay, n) for n in range(PAYMENTS)]

    with Session(engine) as session:
        kept = session.exec(select(Payment).where(col(Payment.reference).like("CHAOS-%"))).all()
        balanced = trial_balance(session, date.today()).balanced
    assert sorted(p.reference for p in kept) == sorted(f"CHAOS-{n}" for n in range(PAYMENTS))
    assert sorted(a["id"] for a in answers) == sorted(p.id or 0 for p in kept)
    assert balanced


async def _answered(pay: Any, number: int, timeout: float = 60) -> dict[str, Any]:
    """The payment's answer, retrying while its abandoned claim is not yet taken over."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        answer = await pay(number)
        if answer.status_code == 201:
            return answer.json()  # type: ignore[no-any-return]
        assert answer.status_code == 409, answer.text  # "still running": the dead attempt's claim
        assert asyncio.get_running_loop().time() < deadline, answer.text
        await asyncio.sleep(0.5)
