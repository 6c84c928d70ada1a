"""Customers and products over HTTP: searched by name or code and paged on the server; a new
customer with a bad e-mail is refused beside the field with what was typed kept; a taken code is
named beside the code; a saved product appears in the list; readers see no form to change."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy.engine import Engine

from tests import factories
from tests.workspace.pages import Person

CUSTOMER_FORM = {
    "code": "BETA",
    "name": "Beta Trading",
    "email": "ap@beta.example",
    "currency": "USD",
    "credit_limit": "2500.00",
    "payment_terms_days": "45",
    "credit_class": "standard",
    "invoice_policy": "",
    "language": "en",
}


async def test_customers_are_found_by_name_or_code(
    person: Callable[[], Person], sqlite_engine: Engine
) -> None:
    factories.customer(sqlite_engine, "ACME")
    factories.customer(sqlite_engine, "ZX9", name="Zeta Corp", credit_limit="1000.00")
    reader = person()
    await reader.log_in("collector")
    by_code = await reader.open("/app/customers?q=zx9")
    assert "Zeta Corp" in by_code.text and "ACME Ltd" not in by_code.text
    assert "1,000.00 USD" in by_code.text
    by_name = await reader.open("/app/customers?q=acme")
    assert "ACME Ltd" in by_name.text and "Zeta Corp" not in by_name.text
    assert "New customer" not in by_name.text  # a collector reads, the API lets them no more


async def test_a_bad_email_is_named_next_to_the_field_and_what_was_typed_stays(
    person: Callable[[], Person],
) -> None:
    rep = person()
    await rep.log_in("credit_manager")  # the form sets a credit limit: a credit manager's
    form = await rep.open("/app/customers/new")
    assert form.status_code == 200
    typed = {**CUSTOMER_FORM, "email": "not-an-email"}
    refused = await rep.submit(form, "/app/customers/new", **typed)
    email_field = re.search(r'name="email".*?</p>', refused.text, re.S)
    assert email_field and 'class="field-error"' in email_field.group(0)
    assert 'value="not-an-email"' in refused.text and 'value="Beta Trading"' in refused.text
    assert 'value="2500.00"' in refused.text

    saved = await rep.submit(form, "/app/customers/new", **CUSTOMER_FORM)
    assert saved.headers["HX-Redirect"].startswith("/app/customers/")
    shown = await rep.open(saved.headers["HX-Redirect"])
    assert "Beta Trading (BETA)" in shown.text and 'value="ap@beta.example"' in shown.text

    taken = await rep.submit(form, "/app/customers/new", **{**CUSTOMER_FORM, "name": "Other"})
    code_field = re.search(r'name="code".*?</p>', taken.text, re.S)
    assert code_field and "already used" in code_field.group(0)


async def test_a_sales_rep_giving_a_new_customer_a_limit_is_refused_beside_it(
    person: Callable[[], Person], sqlite_engine: Engine
) -> None:
    rep = person()
    await rep.log_in("sales")
    form = await rep.open("/app/customers/new")

    refused = await rep.submit(form, "/app/customers/new", **CUSTOMER_FORM)
    saved = await rep.submit(form, "/app/customers/new", **{**CUSTOMER_FORM, "credit_limit": ""})

    limit_field = re.search(r'name="credit_limit".*?</p>', refused.text, re.S)
    assert limit_field and "only a credit manager" in limit_field.group(0)
    assert 'value="Beta Trading"' in refused.text
    assert saved.headers["HX-Redirect"].startswith("/app/customers/")


async def test_a_customer_change_keeps_the_typed_limit_when_refused_then_saves(
    person: Callable[[], Person], sqlite_engine: Engine
) -> None:
    acme = factories.customer(sqlite_engine, "ACME")
    manager = person()
    await manager.log_in("credit_manager")
    page = await manager.open(f"/app/customers/{acme.id}")
    changed = {
        **CUSTOMER_FORM,
        "name": "ACME Ltd",
        "email": "ap@acme.example",
        "invoice_policy": "on_shipment",
        "status": "active",
    }
    refused = await manager.submit(
        page, f"/app/customers/{acme.id}", **{**changed, "credit_limit": "-5"}
    )
    limit_field = re.search(r'name="credit_limit".*?</p>', refused.text, re.S)
    assert limit_field and 'class="field-error"' in limit_field.group(0)
    assert 'value="-5"' in limit_field.group(0)

    saved = await manager.submit(
        page, f"/app/customers/{acme.id}", **{**changed, "credit_limit": "7500.00"}
    )
    assert saved.headers["HX-Redirect"] == f"/app/customers/{acme.id}"
    listed = await manager.open("/app/customers?q=ACME")
    assert "7,500.00 USD" in listed.text


async def test_a_saved_product_appears_in_the_list(person: Callable[[], Person]) -> None:
    finance = person()
    await finance.log_in("finance")
    form = await finance.open("/app/products/new")
    typed = {"sku": "GADGET", "name": "Gadget", "unit": "ea", "tax_rate": "0.08"}
    refused = await finance.submit(form, "/app/products/new", **{**typed, "unit_price": "abc"})
    price_field = re.search(r'name="unit_price".*?</p>', refused.text, re.S)
    assert price_field and 'class="field-error"' in price_field.group(0)
    assert 'value="Gadget"' in refused.text and 'value="abc"' in refused.text

    saved = await finance.submit(
        form, "/app/products/new", whole_units="on", **{**typed, "unit_price": "12.50"}
    )
    assert saved.headers["HX-Redirect"] == "/app/products"
    listed = await finance.open("/app/products")
    assert "GADGET" in listed.text and "Gadget" in listed.text and "12.50" in listed.text

    warehouse = person()
    await warehouse.log_in("warehouse")
    read_only = await warehouse.open("/app/products")
    assert "GADGET" in read_only.text and "New product" not in read_only.text
    assert (await warehouse.open("/app/products/new")).status_code == 403
