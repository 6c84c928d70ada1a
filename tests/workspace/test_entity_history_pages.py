"""A customer's and a product's page show their history from the audit trail (who, when, what
changed, contact data masked as the API masks it) to the auditor and the admin; to nobody else."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.engine import Engine

from tests import factories
from tests.workspace.pages import Person
from tests.workspace.test_master_data_pages import CUSTOMER_FORM


def history_of(page: str) -> str:
    """The page's History section, or "" when it has none."""
    start = page.find('id="history-title"')
    return page[start : page.index("</section>", start)] if start >= 0 else ""


async def test_the_auditor_reads_who_changed_a_customer_and_what_masked(
    person: Callable[[], Person], sqlite_engine: Engine
) -> None:
    manager, auditor = person(), person()
    acme = factories.customer(sqlite_engine, "ACME")
    await manager.log_in("credit_manager")
    form = await manager.open(f"/app/customers/{acme.id}")
    changed = {
        **CUSTOMER_FORM,
        "name": "ACME Holdings",
        "email": "billing@acme.example",
        "invoice_policy": "on_shipment",
        "status": "active",
    }
    saved = await manager.submit(form, f"/app/customers/{acme.id}", **changed)
    assert saved.headers.get("HX-Redirect") == f"/app/customers/{acme.id}", saved.text
    await auditor.log_in("auditor")

    history = history_of((await auditor.open(f"/app/customers/{acme.id}")).text)

    assert "History" in history
    assert 'data-action="updated"' in history
    assert "credit_manager" in history
    assert "ACME Ltd → ACME Holdings" in history
    assert "a***@acme.example → b***@acme.example" in history
    assert "billing@acme.example" not in history and "ap@acme.example" not in history
    assert history_of((await manager.open(f"/app/customers/{acme.id}")).text) == ""


async def test_a_products_page_shows_its_history_to_the_admin_not_to_sales(
    person: Callable[[], Person],
) -> None:
    admin, sales = person(), person()
    await admin.log_in("admin")
    await sales.log_in("sales")
    form = await sales.open("/app/products/new")
    typed = {"sku": "GADGET", "name": "Gadget", "unit": "ea", "tax_rate": "0.08"}
    saved = await sales.submit(form, "/app/products/new", unit_price="12.50", **typed)
    assert saved.headers["HX-Redirect"] == "/app/products"

    history = history_of((await admin.open("/app/products/1")).text)

    assert 'data-action="created"' in history and "sales" in history
    assert "sku: GADGET" in history and "unit_price: 12.50" in history
    assert history_of((await sales.open("/app/products/1")).text) == ""
