"""GET /reports/sales grouped by month, customer or product; GET /reports/dso."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from sqlalchemy.engine import Engine

from models.reports.sales import days_sales_outstanding
from models.security.users import Role
from tests import factories
from tests.support.api_client import ApiClient


def given_sales(engine: Engine) -> None:
    """Oak chairs billed with 10 % tax: ACME in September and October, BETA in October (paid)."""
    acme = factories.customer(engine, "ACME")
    beta = factories.customer(engine, "BETA")
    chair = {"sku": "CHAIR", "description": "Oak chair"}
    factories.invoice(engine, acme.id, "100.00", issued=date(2026, 9, 10), **chair)
    factories.invoice(engine, acme.id, "200.00", issued=date(2026, 10, 5), **chair)
    paid = factories.invoice(engine, beta.id, "50.00", issued=date(2026, 10, 20), **chair)
    received = date(2026, 10, 25)
    factories.payment(
        engine, beta.id, "55.00", received_on=received, allocations={paid.id: "55.00"}
    )


async def test_sales_by_month_by_customer_and_by_product(engine: Engine, api: ApiClient) -> None:
    given_sales(engine)
    period = "from=2026-09-01&to=2026-10-31"

    by_month = await api.get(f"/reports/sales?{period}&group_by=month", Role.FINANCE)
    by_customer = await api.get(f"/reports/sales?{period}&group_by=customer", Role.FINANCE)
    by_product = await api.get(f"/reports/sales?{period}&group_by=product", Role.FINANCE)

    assert [
        (r["key"], r["invoices"], r["net"], r["tax"], r["total"]) for r in by_month["rows"]
    ] == [
        ("2026-09", 1, "100.00", "10.00", "110.00"),
        ("2026-10", 2, "250.00", "25.00", "275.00"),
    ]
    assert [(r["key"], r["total"]) for r in by_customer["rows"]] == [
        ("ACME", "330.00"),
        ("BETA", "55.00"),
    ]
    assert [(r["key"], r["name"], r["total"]) for r in by_product["rows"]] == [
        ("CHAIR", "Oak chair", "385.00")
    ]
    as_csv = await api.call(
        "GET", f"/reports/sales?{period}&group_by=month&format=csv", Role.FINANCE, expect=200
    )
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert rows[0] == ["key", "name", "currency", "invoices", "net", "tax", "total"]
    assert rows[2][-1] == "275.00"


async def test_dso_is_receivables_over_recent_credit_sales_times_days(
    engine: Engine, api: ApiClient
) -> None:
    given_sales(engine)

    report = await api.get("/reports/dso?as_of=2026-10-31&days=30", Role.FINANCE)

    [usd] = report["items"]
    # Open on 31 October: 110.00 + 220.00 (the 55.00 is paid); sold in October: 275.00.
    assert (usd["receivables"], usd["credit_sales"]) == ("330.00", "275.00")
    assert usd["dso"] == "36.0"
    await api.call("GET", "/reports/dso?days=0", Role.FINANCE, expect=422)


def test_dso_without_sales_is_undefined() -> None:
    assert days_sales_outstanding(Decimal("10"), Decimal("0"), 30) is None
    assert days_sales_outstanding(Decimal("50"), Decimal("100"), 90) == Decimal("45.0")
