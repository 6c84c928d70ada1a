"""The credit reports: every customer's credit, the customer distribution by region, segment,
class or grade, the bad-debt ratio and the risk list, as JSON, CSV and .xlsx."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.master_data.customers import get_customer
from activities.receivables.invoices import BillLine, issue_invoice
from models.security.users import Role
from tests import factories
from tests.support.api_client import ApiClient

AS_OF = {"as_of": "2026-06-30"}


def two_customers(engine: Engine) -> tuple[int, int]:
    """ACME (APAC, retail) owes 220.00 not yet due; BETA (EMEA, gold) owes 1,100.00 since March
    and had 4.00 of a paid invoice written off."""
    acme = factories.customer(engine, "ACME", "1000.00", region="APAC", segment="Retail")
    beta = factories.customer(
        engine, "BETA", "1000.00", region="EMEA", segment="Wholesale", credit_class="gold"
    )
    factories.invoice(engine, acme.id, "200.00", due=date(2026, 7, 15))
    factories.invoice(engine, beta.id, "1000.00", due=date(2026, 3, 1))
    paid = factories.invoice(engine, beta.id, "100.00", due=date(2026, 2, 1))
    factories.payment(
        engine,
        beta.id,
        "106.00",
        received_on=date(2026, 2, 1),
        allocations={paid.id: "106.00"},
        write_off_difference=True,
    )
    return acme.id, beta.id


async def test_the_credit_report_lists_every_customer_with_exposure_score_and_grade(
    api: ApiClient, engine: Engine
) -> None:
    two_customers(engine)

    report = await api.get("/reports/credit", Role.CREDIT_MANAGER, params=AS_OF)

    acme, beta = report["rows"]
    assert (acme["code"], acme["exposure"], acme["utilisation"], acme["overdue"]) == (
        "ACME",
        "220.00",
        "22.0",
        "0.00",
    )
    assert (beta["code"], beta["exposure"], beta["utilisation"], beta["overdue"]) == (
        "BETA",
        "1100.00",
        "110.0",
        "1100.00",
    )
    assert beta["score"] < acme["score"]
    assert (acme["last_review"], acme["open_proposals"], acme["on_hold"]) == (None, 0, False)
    risky = await api.get("/reports/credit-risk", Role.FINANCE, params=AS_OF)
    assert [row["code"] for row in risky["rows"]] == [
        row["code"] for row in report["rows"] if row["grade"] in ("D", "E")
    ]


async def test_the_credit_report_downloads_as_csv_and_xlsx(api: ApiClient, engine: Engine) -> None:
    two_customers(engine)

    as_csv = await api.call(
        "GET", "/reports/credit", Role.AUDITOR, params={**AS_OF, "format": "csv"}, expect=200
    )
    as_xlsx = await api.call(
        "GET", "/reports/credit", Role.AUDITOR, params={**AS_OF, "format": "xlsx"}, expect=200
    )

    lines = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert lines[0][:6] == ["code", "name", "currency", "credit_class", "credit_limit", "exposure"]
    assert [line[0] for line in lines[1:]] == ["ACME", "BETA"]
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    assert sheet is not None
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert cells[2][0] == "BETA" and str(cells[2][5]) in {"1100", "1100.00"}


async def test_the_distribution_by_region_counts_customers_sales_and_open_receivables(
    api: ApiClient, engine: Engine
) -> None:
    two_customers(engine)

    by_region = await api.get(
        "/reports/customer-distribution", Role.FINANCE, params={**AS_OF, "by": "region"}
    )
    by_grade = await api.get(
        "/reports/customer-distribution", Role.FINANCE, params={**AS_OF, "by": "grade"}
    )

    assert [
        (r["key"], r["customers"], r["sales"], r["open_receivables"]) for r in by_region["rows"]
    ] == [
        ("APAC", 1, "220.00", "220.00"),
        ("EMEA", 1, "1210.00", "1100.00"),
    ]
    assert [(r["key"], r["customers"]) for r in by_grade["rows"]] == [("unreviewed", 2)]


async def test_the_bad_debt_ratio_by_month_and_class(api: ApiClient, engine: Engine) -> None:
    two_customers(engine)

    report = await api.get(
        "/reports/bad-debt", Role.CREDIT_MANAGER, params={"from": "2026-01-01", "to": "2026-06-30"}
    )

    assert [
        (r["period"], r["credit_class"], r["invoiced"], r["written_off"], r["ratio_pct"])
        for r in report["rows"]
    ] == [
        ("2026-01", "gold", "1210.00", "4.00", "0.3"),
        ("2026-06", "standard", "220.00", "0.00", "0.0"),
    ]
    backwards = await api.call(
        "GET", "/reports/bad-debt", Role.FINANCE, params={"from": "2026-06-30", "to": "2026-01-01"}
    )
    assert backwards.status_code == 422
    await api.call("GET", "/reports/credit", Role.SALES, expect=403)


def invoiced_order(engine: Engine, customer_id: int, rep: str, price: str) -> None:
    placed = factories.order(engine, customer_id, user=rep)
    with Session(engine) as session, session.begin():
        buyer = get_customer(session, customer_id)
        issue_invoice(
            session,
            customer=buyer,
            currency=buyer.currency,
            lines=[
                BillLine(
                    sku="WIDGET",
                    description="Widget",
                    quantity=Decimal(1),
                    unit_price=Decimal(price),
                )
            ],
            issue_date=date(2026, 3, 1),
            key=f"order-{placed.id}/invoice",
            order_id=placed.id,
        )


async def test_a_sales_rep_reads_the_sales_of_their_own_orders_only(
    api: ApiClient, engine: Engine
) -> None:
    factories.product(engine)
    factories.user(engine, "ann", [Role.SALES])
    customer = factories.customer(engine)
    invoiced_order(engine, customer.id, "ann", "100.00")
    invoiced_order(engine, customer.id, "bob", "300.00")
    period = {"from": "2026-03-01", "to": "2026-03-31"}

    own = await api.get("/reports/sales", "ann", params=period)
    everyone = await api.get("/reports/sales", Role.FINANCE, params=period)

    assert [(r["key"], r["invoices"], r["net"]) for r in own["rows"]] == [("2026-03", 1, "100.00")]
    assert [(r["key"], r["invoices"], r["net"]) for r in everyone["rows"]] == [
        ("2026-03", 2, "400.00")
    ]
