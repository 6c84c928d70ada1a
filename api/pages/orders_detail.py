"""An order's page's rows: the columns the page shows of the order, its customer, lines,
approvals, shipments, invoices and timeline, read as plain Core queries (one a table, each by
the order's id through an index). The API's `order_detail` read the whole rows through the ORM
with the shipments' and invoices' lines, instalments and the credit holds, which the page does
not show, and built its models: about half of the page's time. Amounts come out as the API's
`Amount` gives them (rounded half-up to two places), the other values as the columns hold them."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from sqlalchemy import BindParameter, Connection, Row, Select, Table, bindparam, select

from models.columns import MoneyColumn
from models.errors import NotFound
from models.fulfilment.shipments import Shipment
from models.master_data.customers import Customer
from models.money import quantize
from models.receivables.invoices import Invoice
from models.sales.orders import Approval, OrderEvent, OrderLine, SalesOrder
from models.workflow_ids import order_workflow_id

ORDER: Table = SalesOrder.__table__  # type: ignore[attr-defined]
CUSTOMER: Table = Customer.__table__  # type: ignore[attr-defined]
LINE: Table = OrderLine.__table__  # type: ignore[attr-defined]
APPROVAL: Table = Approval.__table__  # type: ignore[attr-defined]
SHIPMENT: Table = Shipment.__table__  # type: ignore[attr-defined]
INVOICE: Table = Invoice.__table__  # type: ignore[attr-defined]
EVENT: Table = OrderEvent.__table__  # type: ignore[attr-defined]
ORDER_ID: BindParameter[int] = bindparam("order_id")


def _of(table: Table, names: str, *order_by: str) -> Select[Any]:
    """`names` of `table`'s rows of the order, in the order the API lists them."""
    columns = [table.c[name] for name in names.split()]
    ordered = [table.c[name] for name in order_by]
    return select(*columns).where(table.c.order_id == ORDER_ID).order_by(*ordered)


HEAD_COLUMNS = (
    "id number status currency subtotal tax total requested_date order_date created_by revision"
)
# Built once (building a statement costs more than running it).
HEAD: Select[Any] = (
    select(
        *(ORDER.c[name] for name in HEAD_COLUMNS.split()),
        CUSTOMER.c.name.label("customer_name"),
        CUSTOMER.c.code.label("customer_code"),
    )
    .join_from(ORDER, CUSTOMER, CUSTOMER.c.id == ORDER.c.customer_id)
    .where(ORDER.c.id == ORDER_ID)
)
LINES = _of(
    LINE,
    "line_no sku description quantity unit_price discount_pct net tax total shipped_quantity",
    "line_no",
)
APPROVALS = _of(APPROVAL, "revision level role decision decided_by comment decided_at", "id")
SHIPMENTS = _of(SHIPMENT, "id status warehouse carrier tracking_number eta delivered_at", "id")
INVOICES = _of(
    INVOICE,
    "number status currency issue_date due_date total paid credited outstanding",
    "id",
)
EVENTS = _of(EVENT, "kind actor detail at", "at", "id")


def _money(statement: Select[Any]) -> tuple[str, ...]:
    return tuple(c.name for c in statement.selected_columns if isinstance(c.type, MoneyColumn))


MONEY = {statement: _money(statement) for statement in (HEAD, LINES, INVOICES)}


def _shown(row: Row[Any], money: tuple[str, ...]) -> SimpleNamespace:
    """A row as the page reads it, its amounts as `Amount` gives them."""
    values = row._asdict()
    for name in money:
        values[name] = quantize(values[name])
    return SimpleNamespace(**values)


def order_page_rows(
    connection: Connection, order_id: int
) -> tuple[SimpleNamespace, SimpleNamespace]:
    """The order as its page shows it (its lines, approvals, shipments and invoices as lists of
    rows), and its customer's name and code; NotFound for no such order."""
    read = connection.execute
    values = {"order_id": order_id}
    head = read(HEAD, values).one_or_none()
    if head is None:
        raise NotFound(f"order {order_id} does not exist")
    order = _shown(head, MONEY[HEAD])
    order.workflow_id = order_workflow_id(order_id)
    order.lines = [_shown(row, MONEY[LINES]) for row in read(LINES, values)]
    order.approvals = list(read(APPROVALS, values))
    order.shipments = list(read(SHIPMENTS, values))
    order.invoices = [_shown(row, MONEY[INVOICES]) for row in read(INVOICES, values)]
    customer = SimpleNamespace(name=head.customer_name, code=head.customer_code)
    order.events = list(read(EVENTS, values))
    return order, customer
