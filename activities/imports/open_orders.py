"""Importing open orders: each order still to ship in the old system becomes an approved order
under a new number that keeps the old one, priced as the file says (or by the price lists when a
price is empty), and its OrderWorkflow queued in the outbox at the import's start rate, told
the order is approved already: no credit gate or approval, straight to reserving stock."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from itertools import groupby

from sqlmodel import Session, col, select

from activities.imports.earlier import Earlier
from activities.imports.kind import WriteContext, Written
from activities.imports.row_checks import build, filled, read_cells, referenced, refuse
from activities.imports.starts import OUTBOX, ThrottledStarts
from activities.numbering import next_number
from activities.sales.order_pricing import price_lines
from models.imports.cells import amount, day, decimal, plain
from models.imports.jobs import RowError
from models.imports.kinds import OPEN_ORDER_COLUMNS
from models.imports.open_orders import OpenOrderLine
from models.master_data.customers import Customer, CustomerStatus
from models.master_data.products import Product
from models.money import quantize
from models.outbox import OutboxMessage
from models.sales.messages import ORDER_WORKFLOW, OrderInput
from models.sales.order_requests import OrderLineCreate
from models.sales.order_status import OrderStatus
from models.sales.orders import OrderEvent, OrderLine, SalesOrder
from models.workflow_ids import order_workflow_id

IMPORTER = "import"


class OpenOrderImport:
    columns = OPEN_ORDER_COLUMNS

    def __init__(self) -> None:
        self.customers: dict[str, tuple[int, str]] = {}
        self.whole_units: dict[str, bool] = {}
        self.orders: dict[str, tuple[int, object]] = {}  # order number: (first row, header)
        self.written: dict[str, int] = {}  # order number: id, for orders written by this run
        self.starts = ThrottledStarts()

    def prepare(self, session: Session) -> None:
        query = select(Customer.code, Customer.id, Customer.currency).where(
            Customer.status == CustomerStatus.ACTIVE
        )
        self.customers = {code: (id_ or 0, currency) for code, id_, currency in session.exec(query)}
        self.whole_units = dict(session.exec(select(Product.sku, Product.whole_units)).all())
        self.orders = {}

    def include(self, earlier: Earlier) -> None:
        """The upload's products, and its customers that are (or stay) active."""
        self.whole_units.update(earlier.products)
        for code, customer in earlier.customers.items():
            stored = self.customers.get(code)
            if customer.active is False:
                self.customers.pop(code, None)
            elif customer.active or stored is None:
                self.customers[code] = (stored[0] if stored else 0, customer.currency)

    def check(self, number: int, row: dict[str, object]) -> OpenOrderLine:
        cells = filled(row)
        errors: list[RowError] = []
        missing = "customer {code} does not exist or is not active (import customers first)"
        customer = referenced(number, cells, "customer_code", self.customers, missing, errors)
        currency = customer[1] if customer else "USD"
        parsers = {
            "order_date": day,
            "requested_date": day,
            "quantity": decimal,
            "unit_price": lambda value: amount(value, currency),
        }
        line = build(OpenOrderLine, number, read_cells(number, cells, parsers, errors), errors)
        whole = self.whole_units.get(line.sku)
        if whole is None:
            message = f"product {line.sku} does not exist (import products first)"
            raise refuse(number, "sku", message)
        if whole and line.quantity != line.quantity.to_integral_value():
            raise refuse(number, "quantity", f"{line.sku} is sold in whole units")
        first, header = self.orders.setdefault(line.order_number, (number, line.order))
        if header != line.order:
            message = (
                f"order {line.order_number} says another customer, status or date "
                f"at row {first}; every line of an order says the same"
            )
            raise refuse(number, "customer_code", message)
        return line.model_copy(update={"quantity": plain(line.quantity)})

    def key(self, checked: OpenOrderLine) -> str:
        return f"{checked.order_number}/{checked.sku}"

    def write(self, session: Session, batch: list[OpenOrderLine], context: WriteContext) -> Written:
        """Orders not imported before, each with its lines; an order whose lines run on into
        the next batch gets them added there."""
        numbers = {line.order_number for line in batch} - set(self.written)
        query = select(SalesOrder.legacy_number).where(col(SalesOrder.legacy_number).in_(numbers))
        before = set(session.exec(query).all())
        written = Written()
        now = datetime.now(UTC)
        for number, group in groupby(batch, key=lambda line: line.order_number):
            lines = list(group)
            if number in before:
                written.unchanged += 1
            elif number in self.written:
                self._add_lines(session, self.written[number], lines)
            else:
                self._create(session, lines, context, now)
                written.created += 1
                written.starts += 1
        return written

    def _create(
        self, session: Session, lines: list[OpenOrderLine], context: WriteContext, now: datetime
    ) -> None:
        first = lines[0]
        order = SalesOrder(
            number=next_number(session, "SO", first.order_date.year),
            legacy_number=first.order_number,
            customer_id=self.customers[first.customer_code][0],
            status=OrderStatus.APPROVED,
            currency=self.customers[first.customer_code][1],
            subtotal=Decimal(0),
            tax=Decimal(0),
            total=Decimal(0),
            requested_date=first.requested_date,
            order_date=first.order_date,
            created_by=f"{IMPORTER}-{context.job_id}",
        )
        session.add(order)
        session.flush()
        order_id = order.id or 0
        self.written[first.order_number] = order_id
        detail = f"{first.order_number}, {first.status} in the old system"
        session.add(
            OrderEvent(order_id=order_id, kind="imported", status=order.status, detail=detail)
        )
        self._add_lines(session, order_id, lines)
        start = self.starts.start(
            context,
            workflow_id=order.workflow_id,
            workflow=ORDER_WORKFLOW,
            payload=_start(order),
            now=now,
        )
        session.connection().execute(OUTBOX.insert(), [start])

    def _add_lines(self, session: Session, order_id: int, lines: list[OpenOrderLine]) -> None:
        """The lines priced as `POST /orders` prices them: the file's price is an override."""
        order = session.get(SalesOrder, order_id)
        customer = session.get(Customer, self.customers[lines[0].customer_code][0])
        assert order is not None and customer is not None
        items = [
            OrderLineCreate(sku=line.sku, quantity=line.quantity, unit_price=line.unit_price)
            for line in lines
        ]
        priced, totals = price_lines(session, customer, items, order.order_date)
        count = len(session.exec(select(OrderLine.id).where(OrderLine.order_id == order_id)).all())
        for line in priced:
            line.order_id, line.line_no = order_id, line.line_no + count
            session.add(line)
        order.subtotal += totals.net
        order.tax += totals.tax
        order.total += totals.total
        session.add(order)
        if count:  # the start queued with the order's first lines carries its total
            key = f"start:{order_workflow_id(order_id)}/"
            message = session.exec(
                select(OutboxMessage).where(col(OutboxMessage.key).startswith(key))
            ).one()
            message.payload = _start(order)
            session.add(message)
        session.flush()


def _start(order: SalesOrder) -> dict[str, object]:
    return OrderInput(
        order_id=order.id or 0,
        customer_id=order.customer_id,
        total=quantize(order.total, order.currency),
        status=OrderStatus.APPROVED,
        imported=True,
    ).model_dump(mode="json")
