"""Price lists: created and extended with validity checks, and the price an order line gets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from activities.master_data.customers import get_customer
from activities.paging import page
from models.errors import Conflict, InvalidInput, NotFound
from models.master_data.customers import Customer
from models.sales.price_lists import (
    Audience,
    PriceItemCreate,
    PriceItemPublic,
    PriceList,
    PriceListCreate,
    PriceListItem,
    PriceListPublic,
)
from models.sales.pricing import PriceOffer, periods_overlap, select_price


def get_price_list(session: Session, list_id: int) -> PriceList:
    found = session.get(PriceList, list_id)
    if found is None:
        raise NotFound(f"price list {list_id} does not exist", field="price_list_id")
    return found


def price_list_public(session: Session, list_id: int) -> PriceListPublic:
    return to_public(session, get_price_list(session, list_id))


def to_public(session: Session, price_list: PriceList) -> PriceListPublic:
    items = session.exec(
        select(PriceListItem)
        .where(PriceListItem.price_list_id == price_list.id)
        .order_by(col(PriceListItem.sku), col(PriceListItem.min_quantity))
    ).all()
    return PriceListPublic.model_validate(
        price_list, update={"items": [PriceItemPublic.model_validate(i) for i in items]}
    )


def _offer(price_list: PriceList, item: PriceListItem | PriceItemCreate) -> PriceOffer:
    return PriceOffer(
        list_id=price_list.id or 0,
        audience=price_list.audience,
        min_quantity=item.min_quantity,
        unit_price=item.unit_price,
        valid_from=item.valid_from,
        valid_to=item.valid_to,
    )


def _same_audience(session: Session, price_list: PriceList) -> list[int]:
    """The lists of this list's audience, locked: two requests adding prices for one audience
    check for overlaps one after the other."""
    query = (
        select(PriceList.id)
        .with_for_update()
        .where(
            PriceList.audience == price_list.audience,
            PriceList.credit_class == price_list.credit_class,
            PriceList.customer_id == price_list.customer_id,
        )
    )
    if price_list.credit_class is None:
        query = query.where(col(PriceList.credit_class).is_(None))
    if price_list.customer_id is None:
        query = query.where(col(PriceList.customer_id).is_(None))
    return [i for i in session.exec(query).all() if i is not None]


def _check_no_overlap(
    session: Session, price_list: PriceList, items: list[PriceItemCreate]
) -> None:
    """Two prices for one SKU, quantity break and audience may not be valid on the same day."""
    list_ids = _same_audience(session, price_list)
    existing = session.exec(
        select(PriceListItem).where(col(PriceListItem.price_list_id).in_(list_ids))
    ).all()
    seen: list[tuple[str, PriceOffer]] = [(i.sku, _offer(price_list, i)) for i in existing]
    for index, item in enumerate(items):
        offer = _offer(price_list, item)
        for sku, other in seen:
            if (
                sku == item.sku
                and other.min_quantity == offer.min_quantity
                and periods_overlap(offer, other)
            ):
                raise InvalidInput(
                    f"items[{index}]: {item.sku} from {item.min_quantity} already has a price "
                    f"valid from {other.valid_from} to {other.valid_to or 'open end'} "
                    "for this audience",
                    field="items",
                )
        seen.append((item.sku, offer))


def create_price_list(session: Session, data: PriceListCreate) -> PriceListPublic:
    if data.customer_id is not None:
        try:
            get_customer(session, data.customer_id)
        except NotFound as exc:
            raise InvalidInput(exc.message, field="customer_id") from exc
    if session.exec(select(PriceList).where(PriceList.name == data.name)).first():
        raise Conflict(f"price list {data.name!r} already exists", field="name")
    price_list = PriceList.model_validate(data.model_dump(exclude={"items"}))
    session.add(price_list)
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict(f"price list {data.name!r} already exists", field="name") from exc
    _add(session, price_list, data.items)
    return to_public(session, price_list)


def add_items(session: Session, list_id: int, items: list[PriceItemCreate]) -> PriceListPublic:
    price_list = get_price_list(session, list_id)
    _add(session, price_list, items)
    return to_public(session, price_list)


def _add(session: Session, price_list: PriceList, items: list[PriceItemCreate]) -> None:
    _check_no_overlap(session, price_list, items)
    for item in items:
        session.add(PriceListItem(price_list_id=price_list.id or 0, **item.model_dump()))
    session.flush()


def list_price_lists(
    session: Session, limit: int, offset: int
) -> tuple[list[PriceListPublic], int]:
    rows, total = page(session, select(PriceList).order_by(col(PriceList.id)), limit, offset)
    return [to_public(session, p) for p in rows], total


def list_price(
    session: Session, customer: Customer, sku: str, quantity: Decimal, on: date
) -> PriceOffer | None:
    """The price lists' price for this customer, SKU and quantity on the order date, if any."""
    rows = session.exec(
        select(PriceList, PriceListItem)
        .join(PriceListItem, col(PriceListItem.price_list_id) == col(PriceList.id))
        .where(PriceListItem.sku == sku)
    ).all()
    offers = [
        _offer(price_list, item)
        for price_list, item in rows
        if price_list.audience == Audience.DEFAULT
        or (
            price_list.audience == Audience.CREDIT_CLASS
            and price_list.credit_class == customer.credit_class
        )
        or (price_list.audience == Audience.CUSTOMER and price_list.customer_id == customer.id)
    ]
    return select_price(offers, quantity, on)
