"""An order being typed, priced without saving: the customer's credit position and each line
priced by the same rules as `POST /orders` (price lists, override, discount, tax, rounding)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pydantic import ValidationError
from sqlmodel import Session

from activities.master_data.customers import get_customer
from activities.sales.credit import customer_credit
from activities.sales.order_pricing import price_lines
from api.pages.form_errors import field_errors
from api.pages.orders_form import TypedLine, refusal_errors
from models.errors import O2CError
from models.master_data.customers import CustomerCredit, CustomerPublic
from models.sales.order_requests import OrderLineCreate
from models.sales.orders import OrderLine
from models.sales.pricing import LineAmounts


@dataclass
class Draft:
    customer: CustomerPublic | None = None
    credit: CustomerCredit | None = None
    priced: list[OrderLine] = field(default_factory=list)
    totals: LineAmounts | None = None
    errors: dict[str, str] = field(default_factory=dict)


def draft(session: Session, customer_id: int | None, typed: list[TypedLine], on: date) -> Draft:
    """What the order would be if entered now; what cannot be priced says why, per field."""
    found = Draft()
    if customer_id is not None:
        try:
            customer = get_customer(session, customer_id)
        except O2CError as missing:
            found.errors["customer_id"] = missing.message
            return found
        found.customer = CustomerPublic.model_validate(customer)
        found.credit = customer_credit(session, customer_id, on)
    items: list[OrderLineCreate] = []
    for index, line in enumerate(typed):
        try:
            items.append(OrderLineCreate.model_validate(line.payload()))
        except ValidationError as wrong:
            errors = field_errors(wrong)
            found.errors.update({f"lines.{index}.{k}": v for k, v in errors.items()})
    if found.errors or not items or found.customer is None:
        return found
    try:
        found.priced, found.totals = price_lines(session, customer, items, on)
    except O2CError as refused:
        found.errors.update(refusal_errors(refused.message, refused.field))
    return found
