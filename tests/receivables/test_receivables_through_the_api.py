"""Receivables through the HTTP API: payments (with Idempotency-Key), credit notes, write-offs,
reversal, applying credit, the trial balance, and clear 4xx with nothing posted for bad input."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine

from models.receivables.ledger import LedgerLine
from models.security.users import Role
from tests import factories
from tests.support.api_client import ApiClient
from tests.support.database import rows


def _payment(customer_id: int, amount: str, **extra: Any) -> dict[str, Any]:
    return {
        "customer_id": customer_id,
        "amount": amount,
        "received_on": "2026-02-01",
        "reference": "BANK-1",
        **extra,
    }


async def test_payment_is_allocated_oldest_first_and_the_rest_kept_as_credit(
    engine: Engine, api: ApiClient
) -> None:
    customer = factories.customer(engine)
    first = factories.invoice(engine, customer.id)
    response = await api.post(
        "/payments", Role.FINANCE, _payment(customer.id, "150.00"), expect=201
    )
    body = response.json()
    assert body["allocations"] == [{"invoice_id": first.id, "amount": "110.00"}]
    assert body["unapplied"] == "40.00"
    shown = await api.get(f"/invoices/{first.id}")
    assert (shown["status"], shown["paid"], shown["outstanding"]) == ("paid", "110.00", "0.00")


async def test_resent_payment_with_the_same_idempotency_key_is_recorded_once(
    engine: Engine, api: ApiClient
) -> None:
    customer = factories.customer(engine)
    factories.invoice(engine, customer.id)
    headers = {"Idempotency-Key": "bank-import-77"}
    data = _payment(customer.id, "50.00")
    first = await api.post("/payments", Role.FINANCE, data, expect=201, headers=headers)
    again = await api.post("/payments", Role.FINANCE, data, expect=201, headers=headers)
    assert again.json() == first.json()
    assert again.headers.get("Idempotent-Replay") == "true"
    shown = await api.get(f"/invoices/{first.json()['allocations'][0]['invoice_id']}")
    assert shown["paid"] == "50.00"
    other = await api.post(
        "/payments", Role.FINANCE, _payment(customer.id, "60.00"), headers=headers
    )
    assert other.status_code == 409


@pytest.mark.parametrize(
    "case, status, detail",
    [
        ("another_customer", 422, "belongs to another customer"),
        ("above_payment", 422, "more than the payment"),
        ("above_outstanding", 422, "more than the 110.00 outstanding"),
        ("other_currency", 422, "billed in USD"),
    ],
)
async def test_bad_payment_is_refused_with_a_clear_error_and_nothing_posted(
    engine: Engine, api: ApiClient, case: str, status: int, detail: str
) -> None:
    customer = factories.customer(engine)
    other = factories.customer(engine, code="OTHER")
    ours, theirs = factories.invoice(engine, customer.id), factories.invoice(engine, other.id)
    bodies = {
        "another_customer": _payment(
            customer.id, "10.00", allocations=[{"invoice_id": theirs.id, "amount": "10.00"}]
        ),
        "above_payment": _payment(
            customer.id, "10.00", allocations=[{"invoice_id": ours.id, "amount": "20.00"}]
        ),
        "above_outstanding": _payment(
            customer.id, "500.00", allocations=[{"invoice_id": ours.id, "amount": "110.01"}]
        ),
        "other_currency": _payment(customer.id, "10.00", currency="EUR"),
    }
    lines_before = rows(engine, LedgerLine)
    response = await api.post("/payments", Role.FINANCE, bodies[case])
    assert response.status_code == status
    assert detail in response.json()["detail"]
    assert rows(engine, LedgerLine) == lines_before
    assert (await api.get(f"/invoices/{ours.id}"))["outstanding"] == "110.00"


async def test_only_finance_records_payments(engine: Engine, api: ApiClient) -> None:
    customer = factories.customer(engine)
    response = await api.post("/payments", Role.SALES, _payment(customer.id, "10.00"))
    assert response.status_code == 403


async def test_bounced_payment_reopens_the_invoice(engine: Engine, api: ApiClient) -> None:
    customer = factories.customer(engine)
    issued = factories.invoice(engine, customer.id)
    paid = (await api.post("/payments", Role.FINANCE, _payment(customer.id, "110.00"))).json()
    reversed_ = await api.post(
        f"/payments/{paid['id']}/reverse", Role.FINANCE, {"reason": "bounced"}, expect=200
    )
    assert reversed_.json()["reversed_on"] is not None
    shown = await api.get(f"/invoices/{issued.id}")
    assert (shown["status"], shown["outstanding"]) == ("open", "110.00")
    again = await api.post(f"/payments/{paid['id']}/reverse", Role.FINANCE, {"reason": "twice"})
    assert again.status_code == 409


async def test_credit_note_reduces_the_invoice_and_its_excess_can_be_applied_elsewhere(
    engine: Engine, api: ApiClient
) -> None:
    customer = factories.customer(engine)
    first, second = factories.invoice(engine, customer.id), factories.invoice(engine, customer.id)
    await api.post(
        "/payments",
        Role.FINANCE,
        _payment(customer.id, "100.00", allocations=[{"invoice_id": first.id, "amount": "100.00"}]),
        expect=201,
    )
    note = await api.post(
        f"/invoices/{first.id}/credit-notes",
        Role.FINANCE,
        {"amount": "22.00", "reason": "two units damaged"},
        expect=201,
    )
    assert (note.json()["applied"], note.json()["unapplied"]) == ("10.00", "12.00")
    assert (await api.get(f"/invoices/{first.id}"))["status"] == "paid"

    applied = await api.post(
        f"/customers/{customer.id}/credit/apply",
        Role.FINANCE,
        {"invoice_id": second.id},
        expect=200,
    )
    assert applied.json() == {
        "customer_id": customer.id,
        "invoice_id": second.id,
        "applied": "12.00",
        "unapplied_credit": "0.00",
    }
    assert (await api.get(f"/invoices/{second.id}"))["outstanding"] == "98.00"


async def test_credit_note_above_the_invoice_total_is_refused(
    engine: Engine, api: ApiClient
) -> None:
    customer = factories.customer(engine)
    issued = factories.invoice(engine, customer.id)
    lines_before = rows(engine, LedgerLine)
    response = await api.post(
        f"/invoices/{issued.id}/credit-notes", Role.FINANCE, {"amount": "110.01", "reason": "x"}
    )
    assert response.status_code == 422
    assert "exceed the invoice total 110.00" in response.json()["detail"]
    both = await api.post(
        f"/invoices/{issued.id}/credit-notes",
        Role.FINANCE,
        {"amount": "1.00", "lines": [{"invoice_line_id": 1, "quantity": "1"}], "reason": "x"},
    )
    assert both.status_code == 422
    assert rows(engine, LedgerLine) == lines_before


async def test_write_off_small_posts_large_waits_paid_is_a_conflict(
    engine: Engine, api: ApiClient
) -> None:
    customer = factories.customer(engine)
    small, large = (
        factories.invoice(engine, customer.id),
        factories.invoice(engine, customer.id, price="1000.00"),
    )
    posted = await api.post(
        f"/invoices/{small.id}/write-off", Role.FINANCE, {"reason": "not worth chasing"}
    )
    assert (posted.status_code, posted.json()["state"], posted.json()["amount"]) == (
        201,
        "posted",
        "110.00",
    )
    assert (await api.get(f"/invoices/{small.id}"))["status"] == "written_off"
    waiting = await api.post(f"/invoices/{large.id}/write-off", Role.FINANCE, {"reason": "gone"})
    assert (waiting.status_code, waiting.json()["state"]) == (202, "pending_approval")
    assert (await api.get(f"/invoices/{large.id}"))["written_off"] == "0.00"

    paid = factories.invoice(engine, customer.id)
    await api.post(
        "/payments",
        Role.FINANCE,
        _payment(customer.id, "110.00", allocations=[{"invoice_id": paid.id, "amount": "110.00"}]),
        expect=201,
    )
    lines_before = rows(engine, LedgerLine)
    refused = await api.post(f"/invoices/{paid.id}/write-off", Role.FINANCE, {"reason": "x"})
    assert refused.status_code == 409
    assert rows(engine, LedgerLine) == lines_before


async def test_trial_balance_shows_balanced_accounts_as_of_a_date(
    engine: Engine, api: ApiClient
) -> None:
    customer = factories.customer(engine)
    factories.invoice(engine, customer.id)  # issued 2026-01-01
    await api.post("/payments", Role.FINANCE, _payment(customer.id, "50.00"), expect=201)
    before = await api.get("/ledger/trial-balance", Role.AUDITOR, params={"as_of": "2025-12-31"})
    assert before["accounts"] == [] and before["balanced"] is True
    january = await api.get("/ledger/trial-balance", Role.FINANCE, params={"as_of": "2026-01-31"})
    assert {a["account"]: a["balance"] for a in january["accounts"]} == {
        "1100-receivables": "110.00",
        "2200-tax-payable": "-10.00",
        "4000-revenue": "-100.00",
    }
    later = await api.get("/ledger/trial-balance", params={"as_of": "2026-12-31"})
    balances = {a["account"]: a["balance"] for a in later["accounts"]}
    assert (balances["1000-cash"], balances["1100-receivables"]) == ("50.00", "60.00")
    assert later["balanced"] is True and later["total_debit"] == later["total_credit"] == "160.00"


async def test_customer_gets_an_invoice_policy_and_instalment_terms(
    engine: Engine, api: ApiClient
) -> None:
    body = {
        "code": "TERMS",
        "name": "Terms Ltd",
        "email": "ap@terms.example",
        "invoice_policy": "on_delivery",
        "instalment_plan": "30@30,50@60,20@90",
    }
    created = (await api.post("/customers", Role.SALES, body, expect=201)).json()
    assert (created["invoice_policy"], created["instalment_plan"]) == (
        "on_delivery",
        "30@30,50@60,20@90",
    )
    bad = await api.post(
        "/customers", Role.SALES, {**body, "code": "BAD", "instalment_plan": "30@30,60@60"}
    )
    assert bad.status_code == 422


async def test_invoice_policy_defaults_from_the_credit_class(
    engine: Engine, api: ApiClient
) -> None:
    base = {"name": "X", "email": "ap@x.example"}
    standard = await api.post("/customers", Role.SALES, {**base, "code": "STD"}, expect=201)
    # A credit class is a credit term: a credit manager's (docs/security.md).
    prepaid = await api.post(
        "/customers",
        Role.CREDIT_MANAGER,
        {**base, "code": "PRE", "credit_class": "prepayment"},
        expect=201,
    )
    chosen = await api.post(
        "/customers",
        Role.CREDIT_MANAGER,
        {**base, "code": "OWN", "credit_class": "prepayment", "invoice_policy": "on_delivery"},
        expect=201,
    )
    assert [r.json()["invoice_policy"] for r in (standard, prepaid, chosen)] == [
        "on_shipment",
        "on_order",
        "on_delivery",
    ]
