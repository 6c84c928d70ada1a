"""Prices an order's lines: the price lists' price on the order date (or the product's list
price), the rep's override when given and recorded as one, discount, tax and per-line rounding."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import Session

from activities.master_data.products import product_by_sku
from activities.sales.price_lists import list_price
from models.errors import InvalidInput
from models.master_data.customers import Customer
from models.money import MAX_AMOUNT
from models.sales.order_requests import OrderLineCreate
from models.sales.orders import OrderLine
from models.sales.pricing import LineAmounts, line_amounts, order_totals

OVERRIDE = "override"


def price_lines(
    session: Session, customer: Customer, items: list[OrderLineCreate], on: date
) -> tuple[list[OrderLine], LineAmounts]:
    """New (unsaved) order lines and the order's totals; unknown SKUs are a 422."""
    lines: list[OrderLine] = []
    amounts: list[LineAmounts] = []
    for index, item in enumerate(items):
        product = product_by_sku(session, item.sku)
        if product is None:
            raise InvalidInput(f"lines[{index}].sku: unknown SKU {item.sku!r}", field="sku")
        if product.whole_units and item.quantity != item.quantity.to_integral_value():
            raise InvalidInput(f"lines[{index}].quantity: {item.sku} is sold in whole units")
        offer = list_price(session, customer, product.sku, item.quantity, on)
        listed: Decimal = offer.unit_price if offer else product.unit_price
        source = f"price_list:{offer.list_id}" if offer else "product"
        unit_price = listed
        if item.unit_price is not None and item.unit_price != listed:
            unit_price, source = item.unit_price, OVERRIDE
        line_total = line_amounts(
            item.quantity, unit_price, item.discount_pct, product.tax_rate, customer.currency
        )
        amounts.append(line_total)
        lines.append(
            OrderLine(
                order_id=0,
                line_no=index + 1,
                product_id=product.id or 0,
                sku=product.sku,
                description=product.name,
                quantity=item.quantity,
                unit_price=unit_price,
                list_price=listed,
                price_source=source,
                discount_pct=item.discount_pct,
                tax_rate=product.tax_rate,
                net=line_total.net,
                tax=line_total.tax,
                total=line_total.total,
            )
        )
    totals = order_totals(amounts)
    if totals.total >= MAX_AMOUNT:
        # Each quantity and price is in range; their product need not be, and must be stored.
        message = f"lines: the order's total is too large; amounts stay below {MAX_AMOUNT:,}"
        raise InvalidInput(message, field="quantity")
    return lines, totals
