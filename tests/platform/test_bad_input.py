"""Bad input to the write endpoints: malformed JSON, unknown customers and SKUs, zero or negative
quantities, amounts with too many decimals, floats and non-numbers for amounts, dates that do not
parse, 10 MB bodies. Each is a 4xx naming the field, and nothing is written."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from models.receivables.ledger import LedgerEntry
from models.receivables.payments import Payment
from models.security.users import Role
from tests import factories
from tests.factories import NEW_ACME as ACME
from tests.support.api_client import ApiClient
from tests.support.database import rows
from tests.support.refusals import assert_refused_naming, send_raw, ten_megabytes

Spoil = Callable[[dict[str, Any]], dict[str, Any] | bytes]


def field(**changes: Any) -> Spoil:
    return lambda body: {**body, **changes}


def without(name: str) -> Spoil:
    return lambda body: {k: v for k, v in body.items() if k != name}


def line(**changes: Any) -> Spoil:
    return lambda body: {**body, "lines": [{**body["lines"][0], **changes}]}


def malformed(body: dict[str, Any]) -> bytes:
    return json.dumps(body).encode()[:-7]


def literal(name: str, json_text: str) -> Spoil:
    """The body with `name` set to JSON text no encoder writes: 1e400, a lone surrogate."""
    return lambda body: json.dumps({**body, name: "@@"}).replace('"@@"', json_text).encode()


def utf16(body: dict[str, Any]) -> bytes:
    return json.dumps(body).encode("utf-16")


async def send(api: ApiClient, path: str, role: Role, spoil: Spoil, valid: dict[str, Any]) -> Any:
    bad = spoil(valid)
    if isinstance(bad, bytes):
        return await send_raw(api, path, role, bad)
    return await api.post(path, role, bad)


ORDER_CASES: dict[str, tuple[Spoil, str]] = {
    "malformed JSON": (malformed, "body"),
    "unknown customer": (field(customer_id=999), "customer_id"),
    "customer id not a number": (field(customer_id="ACME"), "customer_id"),
    "unknown SKU": (line(sku="NOPE"), "sku"),
    "zero quantity": (line(quantity="0"), "quantity"),
    "negative quantity": (line(quantity="-2"), "quantity"),
    "quantity as a JSON float": (line(quantity=2.5), "quantity"),
    "non-numeric quantity": (line(quantity="two"), "quantity"),
    "fraction of a whole-unit product": (line(quantity="1.5"), "quantity"),
    "absurdly large quantity": (line(quantity="1e30"), "quantity"),
    "price with three decimals": (line(unit_price="19.999"), "unit_price"),
    "price as a JSON float": (line(unit_price=19.99), "unit_price"),
    "non-numeric price": (line(unit_price="cheap"), "unit_price"),
    "negative price": (line(unit_price="-1.00"), "unit_price"),
    "discount over 100 %": (line(discount_pct="101"), "discount_pct"),
    "date that does not parse": (field(requested_date="next friday"), "requested_date"),
    "date that does not exist": (field(requested_date="2026-02-30"), "requested_date"),
    "no lines": (field(lines=[]), "lines"),
    "10 MB body": (ten_megabytes, "body"),
    "customer id beyond 64 bits": (field(customer_id=2**64), "customer_id"),
    "customer id beyond 63 bits": (field(customer_id=2**63), "customer_id"),
    "customer id beyond PostgreSQL's integer": (field(customer_id=2**31), "customer_id"),
    "customer id as a string": (field(customer_id="1"), "customer_id"),
    "customer id of infinity": (literal("customer_id", "1e400"), "customer_id"),
    "quantity beyond what an amount holds": (line(quantity="100000000000000.00"), "quantity"),
    "total beyond what an amount holds": (
        line(quantity="999999999", unit_price="99999999999.99"),
        "quantity",
    ),
    "SKU with a NUL byte": (line(sku="WIDG\u0000ET"), "sku"),
    "requested in year 1": (field(requested_date="0001-01-01"), "requested_date"),
    "requested in year 9999": (field(requested_date="9999-12-31"), "requested_date"),
    "UTF-16 body": (utf16, "body"),
}


@pytest.mark.parametrize("case", ORDER_CASES)
async def test_bad_order_is_refused_naming_the_field_and_uses_no_number(
    api: ApiClient, case: str
) -> None:
    customer = await factories.posted_customer(api)
    await factories.posted_product(api)
    valid = {"customer_id": customer["id"], "lines": [{"sku": "WIDGET", "quantity": "2"}]}
    spoil, named = ORDER_CASES[case]

    response = await send(api, "/orders", Role.SALES, spoil, valid)

    assert_refused_naming(response, named)
    assert await api.total("/orders") == 0
    first = await api.post("/orders", Role.SALES, valid, expect=201)
    assert first.json()["number"] == f"SO-{date.today().year}-000001"


PAYMENT_CASES: dict[str, tuple[Spoil, str]] = {
    "malformed JSON": (malformed, "body"),
    "unknown customer": (field(customer_id=999), "customer_id"),
    "zero amount": (field(amount="0.00"), "amount"),
    "negative amount": (field(amount="-10.00"), "amount"),
    "amount as a JSON float": (field(amount=19.99), "amount"),
    "non-numeric amount": (field(amount="ten dollars"), "amount"),
    "amount with three decimals": (field(amount="10.001"), "amount"),
    "absurdly large amount": (field(amount="1e30"), "amount"),
    "date that does not parse": (field(received_on="yesterday"), "received_on"),
    "month 13": (field(received_on="2026-13-01"), "received_on"),
    "no reference": (without("reference"), "reference"),
    "empty reference": (field(reference=""), "reference"),
    "allocation to an unknown invoice": (
        field(allocations=[{"invoice_id": 999, "amount": "10.00"}]),
        "allocations",
    ),
    "allocation amount as a JSON float": (
        field(allocations=[{"invoice_id": 999, "amount": 10.0}]),
        "amount",
    ),
    "allocation to an invoice id beyond 63 bits": (
        field(allocations=[{"invoice_id": 2**63, "amount": "10.00"}]),
        "invoice_id",
    ),
    "10 MB body": (ten_megabytes, "body"),
    "amount of infinity": (literal("amount", "1e400"), "amount"),
    "amount of minus infinity": (literal("amount", "-1e400"), "amount"),
    "customer id as a string": (field(customer_id="1"), "customer_id"),
    "customer id beyond 63 bits": (field(customer_id=2**63), "customer_id"),
    "received on 9999-12-31": (field(received_on="9999-12-31"), "received_on"),
    "received on 0001-01-01": (field(received_on="0001-01-01"), "received_on"),
    "reference of one space": (field(reference=" "), "reference"),
    "reference with a control character": (field(reference="BANK\u0007"), "reference"),
    "reference with a NUL byte": (field(reference="BANK\u00004711"), "reference"),
    "reference with a line break": (field(reference="BANK\r\nBcc: x"), "reference"),
    "reference with a lone surrogate": (literal("reference", '"BANK\\ud800"'), "reference"),
    "UTF-16 body": (utf16, "body"),
}


@pytest.mark.parametrize("case", PAYMENT_CASES)
async def test_bad_payment_is_refused_naming_the_field_and_records_nothing(
    api: ApiClient, engine: Engine, case: str
) -> None:
    customer = await factories.posted_customer(api)
    valid = {
        "customer_id": customer["id"],
        "amount": "100.00",
        "received_on": "2026-11-27",
        "reference": "BANK-4711",
    }
    spoil, named = PAYMENT_CASES[case]

    response = await send(api, "/payments", Role.FINANCE, spoil, valid)

    assert_refused_naming(response, named)
    assert (rows(engine, Payment), rows(engine, LedgerEntry)) == (0, 0)
    recorded = await api.post("/payments", Role.FINANCE, valid, expect=201)
    assert recorded.json()["unapplied"] == "100.00"


async def test_yen_payment_with_cents_is_refused(api: ApiClient, engine: Engine) -> None:
    customer = await factories.posted_customer(api, currency="JPY", credit_limit="100000")
    payment = {
        "customer_id": customer["id"],
        "amount": "1000.50",
        "received_on": "2026-11-27",
        "reference": "BANK-1",
    }

    response = await api.post("/payments", Role.FINANCE, payment)

    assert_refused_naming(response, "amount")
    assert rows(engine, Payment) == 0


CUSTOMER_CASES: dict[str, tuple[Spoil, str]] = {
    "malformed JSON": (malformed, "body"),
    "invalid e-mail": (field(email="ap-at-acme"), "email"),
    "no name": (without("name"), "name"),
    "code with spaces": (field(code="AC ME"), "code"),
    "credit limit as a JSON float": (field(credit_limit=1000.5), "credit_limit"),
    "non-numeric credit limit": (field(credit_limit="lots"), "credit_limit"),
    "credit limit with three decimals": (field(credit_limit="1000.001"), "credit_limit"),
    "negative credit limit": (field(credit_limit="-1.00"), "credit_limit"),
    "absurdly large credit limit": (field(credit_limit="1e30"), "credit_limit"),
    "payment terms not a number": (field(payment_terms_days="thirty"), "payment_terms_days"),
    "negative payment terms": (field(payment_terms_days=-1), "payment_terms_days"),
    "currency that is not a code": (field(currency="$$$"), "currency"),
    "10 MB body": (ten_megabytes, "body"),
    "name of one space": (field(name=" "), "name"),
    "name with a control character": (field(name="Acme\u001bTrading"), "name"),
    "name with a NUL byte": (field(name="Acme\u0000"), "name"),
    "name with a line break": (field(name="Acme\nTrading"), "name"),
    "name with a lone surrogate": (literal("name", '"Acme \\ud800"'), "name"),
    "payment terms as a string": (field(payment_terms_days="30"), "payment_terms_days"),
    "payment terms of infinity": (literal("payment_terms_days", "1e400"), "payment_terms_days"),
    "UTF-16 body": (utf16, "body"),
}


@pytest.mark.parametrize("case", CUSTOMER_CASES)
async def test_bad_customer_is_refused_naming_the_field_and_writes_nothing(
    api: ApiClient, case: str
) -> None:
    spoil, named = CUSTOMER_CASES[case]

    response = await send(api, "/customers", Role.SALES, spoil, ACME)

    assert_refused_naming(response, named)
    assert await api.total("/customers") == 0
    await api.post("/customers", Role.SALES, ACME, expect=201)


QUERY_CASES: dict[str, tuple[str, str]] = {
    "customer id beyond 64 bits": ("/customers/99999999999999999999999", "customer_id"),
    "customer id beyond PostgreSQL's integer": (f"/customers/{2**31}", "customer_id"),
    "order id of zero": ("/orders/0", "order_id"),
    "offset beyond 63 bits": (f"/customers?offset={2**63}", "offset"),
    "customer filter beyond 63 bits": (f"/invoices?customer_id={2**63}", "customer_id"),
    "ageing as of year 1": ("/reports/ar-aging?as_of=0001-01-01", "as_of"),
    "trial balance as of year 9999": ("/ledger/trial-balance?as_of=9999-12-31", "as_of"),
    "SKU filter with a NUL byte": ("/stock?sku=WID%00GET", "sku"),
    "stock moves of a SKU with a NUL byte": ("/stock/moves?sku=WID%00GET", "sku"),
    "assignee with a NUL byte": ("/collection-tasks?assignee=me%00", "assignee"),
}


@pytest.mark.parametrize("case", QUERY_CASES)
async def test_bad_id_offset_date_or_text_in_the_address_is_refused_naming_it(
    api: ApiClient, case: str
) -> None:
    path, named = QUERY_CASES[case]

    response = await api.call("GET", path, Role.AUDITOR)

    assert response.status_code == 422, response.text
    assert_refused_naming(response, named)


@pytest.mark.parametrize(
    ("path", "taken", "again", "named"),
    [
        ("/customers", ACME, {**ACME, "code": "acme"}, "code"),
        ("/products", factories.WIDGET, {**factories.WIDGET, "sku": "widget"}, "sku"),
    ],
)
async def test_codes_are_one_whatever_their_case(
    api: ApiClient, path: str, taken: dict[str, Any], again: dict[str, Any], named: str
) -> None:
    await api.post(path, Role.SALES, taken, expect=201)

    response = await api.post(path, Role.SALES, again)

    assert_refused_naming(response, named)
    assert await api.total(path) == 1


async def test_a_lower_case_sku_orders_the_upper_case_product(api: ApiClient) -> None:
    customer = await factories.posted_customer(api, code="acme")
    await factories.posted_product(api, sku="wid-100")
    order = {"customer_id": customer["id"], "lines": [{"sku": "Wid-100", "quantity": "2"}]}

    created = await api.post("/orders", Role.SALES, order, expect=201)

    assert customer["code"] == "ACME"
    assert created.json()["lines"][0]["sku"] == "WID-100"


WHOLE_NUMBER_CASES: dict[str, tuple[str, dict[str, Any], str]] = {
    "overdue days as a string": (
        "/credit-policies/standard",
        {"overdue_days_allowed": "5"},
        "overdue_days_allowed",
    ),
    "dunning level days as a string": (
        "/dunning-policies/classes/standard",
        {"levels": [{"level": 1, "days_past_due": "7"}]},
        "days_past_due",
    ),
    "grace days of infinity": (
        "/dunning-policies/classes/standard",
        {"levels": [{"level": 1, "days_past_due": 7}], "promise_grace_days": float("inf")},
        "promise_grace_days",
    ),
}


@pytest.mark.parametrize("case", WHOLE_NUMBER_CASES)
async def test_whole_numbers_are_json_integers(api: ApiClient, case: str) -> None:
    path, body, named = WHOLE_NUMBER_CASES[case]
    listing = path.rsplit("/", 1)[0].removesuffix("/classes")
    before = await api.get(listing)

    response = await send_raw(api, path, Role.ADMIN, json.dumps(body).encode(), method="PUT")

    assert_refused_naming(response, named)
    assert await api.get(listing) == before


MOMENT_CASES: dict[str, tuple[str, dict[str, Any], str]] = {
    "delivered at the end of year 9999 west of Greenwich": (
        "deliver",
        {"delivered_at": "9999-12-31T23:59:59-05:00"},
        "delivered_at",
    ),
    "delivered at the start of year 1 east of Greenwich": (
        "deliver",
        {"delivered_at": "0001-01-01T00:00:00+05:00"},
        "delivered_at",
    ),
    "delivered at a time without offset": (
        "deliver",
        {"delivered_at": "2026-11-27T10:00:00"},
        "delivered_at",
    ),
    "tracking event seen in year 9999": (
        "tracking",
        {"status": "in_transit", "event_id": "E1", "occurred_at": "9999-12-31T23:59:59-05:00"},
        "occurred_at",
    ),
}


@pytest.mark.parametrize("case", MOMENT_CASES)
async def test_bad_moment_is_refused_and_the_shipment_stays_as_it_was(
    api: ApiClient, engine: Engine, case: str
) -> None:
    shipment_id = factories.planned_order(engine).shipments[0]
    factories.dispatch(engine, shipment_id)
    action, body, named = MOMENT_CASES[case]
    before = await api.get(f"/shipments/{shipment_id}")

    response = await api.post(f"/shipments/{shipment_id}/{action}", Role.WAREHOUSE, body)

    assert_refused_naming(response, named)
    assert await api.get(f"/shipments/{shipment_id}") == before


@pytest.mark.parametrize("wait", ["remind_after", "escalate_after", "expire_after"])
async def test_an_approval_wait_beyond_a_year_is_refused_and_no_policy_saved(
    api: ApiClient, wait: str
) -> None:
    level = {"name": "approver", "role": "approver", wait: "P999999999D"}
    if wait == "escalate_after":
        level["escalate_to"] = "admin"

    response = await api.post("/approval-policies", Role.ADMIN, {"name": "x", "levels": [level]})

    assert_refused_naming(response, wait)
    assert await api.total("/approval-policies") == 0
