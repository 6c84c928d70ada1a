"""A return of invoiced goods is credited at once against the invoice lines that billed them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from activities.receivables.invoices import invoice_public, issue_for_shipment
from models.receivables.credit_notes import CreditNote
from models.sales.messages import IssueInvoiceInput
from models.security.users import Role
from tests import factories
from tests.support.api_client import ApiClient

W = Role.WAREHOUSE
DISPATCH = {"carrier": "DHL", "tracking_number": "JD0001", "eta": "2099-01-01"}


async def test_return_of_invoiced_goods_credits_the_returned_lines(
    api: ApiClient, engine: Engine
) -> None:
    shipment_id = factories.planned_order(engine, quantity=3, stock=3).shipments[0]
    dispatched = await api.post(f"/shipments/{shipment_id}/dispatch", W, DISPATCH, expect=200)
    order_id = dispatched.json()["order_id"]
    with Session(engine) as session, session.begin():
        issued = issue_for_shipment(
            session,
            IssueInvoiceInput(
                order_id=order_id, shipment_id=shipment_id, issue_date=date(2026, 11, 27)
            ),
            "Seller",
        )
    await api.post(f"/shipments/{shipment_id}/deliver", W, {}, expect=200)

    body = {"lines": [{"sku": "WIDGET", "quantity": "1"}], "reason": "damaged"}
    returned = (await api.post(f"/shipments/{shipment_id}/returns", W, body, expect=201)).json()

    assert returned["status"] == "credited"
    with Session(engine) as session:
        invoice = invoice_public(session, issued.invoice_id)
        notes = session.exec(select(CreditNote)).all()
    one_unit = issued.total / 3
    assert len(notes) == 1 and notes[0].invoice_id == issued.invoice_id
    assert invoice.credited == one_unit.quantize(Decimal("0.01"))
    assert invoice.outstanding == issued.total - invoice.credited
