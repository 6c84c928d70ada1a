"""Stock through the HTTP API and its use cases: receipts per warehouse, receipts serving
waiting orders in approval order, returns of delivered goods, and the refusals that save
nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from activities.fulfilment.stock_ledger import ledger_totals, lock_levels, record_move
from models.fulfilment.returns import GoodsReturn
from models.fulfilment.stock import MoveKind, StockMove
from models.outbox import OutboxMessage
from models.security.users import Role
from tests import factories
from tests.support.api_client import ApiClient
from tests.support.database import rows
from tests.support.stock import level

W = Role.WAREHOUSE
DISPATCH = {"carrier": "DHL", "tracking_number": "JD0001", "eta": "2099-01-01"}


async def test_receipts_must_be_positive_whole_units_of_a_known_sku_and_warehouse(
    api: ApiClient, engine: Engine
) -> None:
    factories.product(engine)
    for body, status in [
        ({"sku": "WIDGET", "quantity": "-1"}, 422),
        ({"sku": "WIDGET", "quantity": "0"}, 422),
        ({"sku": "WIDGET", "quantity": "1.5"}, 422),
        ({"sku": "WIDGET", "quantity": 2.0}, 422),  # floats are refused
        ({"sku": "NOPE", "quantity": "1"}, 404),
        ({"sku": "WIDGET", "quantity": "1", "warehouse": "MOON"}, 404),
    ]:
        response = await api.post("/stock/receipts", W, body)
        assert response.status_code == status, (body, response.text)
    assert rows(engine, StockMove) == 0
    assert (await api.get("/stock"))["items"] == []


async def test_stock_is_kept_per_warehouse(api: ApiClient, engine: Engine) -> None:
    factories.product(engine)
    await api.post("/warehouses", W, {"code": "EAST", "name": "East hub"}, expect=201)
    assert (await api.post("/warehouses", W, {"code": "EAST", "name": "x"})).status_code == 409
    await api.post("/stock/receipts", W, {"sku": "WIDGET", "quantity": "4"}, expect=201)
    await api.post(
        "/stock/receipts", W, {"sku": "WIDGET", "quantity": "6", "warehouse": "EAST"}, expect=201
    )
    levels = (await api.get("/stock", params={"sku": "WIDGET"}))["items"]
    assert [(x["warehouse"], x["on_hand"]) for x in levels] == [
        ("EAST", "6.000"),
        ("MAIN", "4.000"),
    ]
    codes = [w["code"] for w in (await api.get("/warehouses"))["items"]]
    assert codes == ["EAST", "MAIN"]
    moves = await api.get("/stock/moves", params={"sku": "WIDGET"})
    assert [m["kind"] for m in moves["items"]] == ["receipt", "receipt"]


async def test_an_order_draws_from_several_warehouses_in_one_shipment_each(
    api: ApiClient, engine: Engine
) -> None:
    customer = factories.customer(engine)
    factories.product(engine)
    await api.post("/warehouses", W, {"code": "EAST", "name": "East hub"}, expect=201)
    await api.post("/stock/receipts", W, {"sku": "WIDGET", "quantity": "2"}, expect=201)
    body = {"sku": "WIDGET", "quantity": "3", "warehouse": "EAST"}
    await api.post("/stock/receipts", W, body, expect=201)
    order = factories.order(engine, customer.id, quantity=4)
    factories.approve(engine, order.id)
    planned = factories.plan(engine, order.id).shipments
    shipments = [await api.get(f"/shipments/{i}") for i in planned]
    assert [(s["warehouse"], s["lines"][0]["quantity"]) for s in shipments] == [
        ("EAST", "3.000"),  # warehouses are drawn from in code order
        ("MAIN", "1.000"),
    ]


def test_a_receipt_serves_waiting_orders_in_approval_order(engine: Engine) -> None:
    customer = factories.customer(engine)
    factories.product(engine)
    early, late = (factories.order(engine, customer.id, quantity=3) for _ in range(2))
    approved = datetime(2026, 11, 20, tzinfo=UTC)
    factories.approve(engine, late.id, approved + timedelta(hours=1))
    factories.approve(engine, early.id, approved)  # approved first, though recorded second
    factories.plan(engine, late.id)
    factories.plan(engine, early.id)  # nothing on hand: both wait

    factories.receive(engine, 4)
    with Session(engine) as session:
        reserved = {
            order_id: sum(
                m.quantity
                for m in session.exec(select(StockMove)).all()
                if m.order_id == order_id and m.kind == MoveKind.RESERVATION
            )
            for order_id in (early.id, late.id)
        }
        told = [
            m.target
            for m in session.exec(select(OutboxMessage)).all()
            if m.name == "stock_available"
        ]
    assert reserved == {early.id: 3, late.id: 1}
    assert sorted(told) == sorted([f"order-{early.id}", f"order-{late.id}"])


def test_the_stock_level_can_never_go_negative_or_oversold(engine: Engine) -> None:
    factories.product(engine, stock=2)
    for kind, quantity in [(MoveKind.ISSUE, 3), (MoveKind.RESERVATION, 3)]:
        with pytest.raises(IntegrityError), Session(engine) as session, session.begin():
            record_move(
                session,
                lock_levels(session, ["WIDGET"])[("WIDGET", "MAIN")],
                kind,
                Decimal(quantity),
            )
    assert (level(engine).on_hand, level(engine).reserved) == (2, 0)


async def test_a_return_of_delivered_goods_goes_back_into_stock_awaiting_a_credit_note(
    api: ApiClient, engine: Engine
) -> None:
    shipment_id = factories.planned_order(engine, quantity=3, stock=3).shipments[0]
    await api.post(f"/shipments/{shipment_id}/dispatch", W, DISPATCH, expect=200)
    await api.post(f"/shipments/{shipment_id}/deliver", W, {}, expect=200)
    assert level(engine).on_hand == 0

    body = {"lines": [{"sku": "WIDGET", "quantity": "2"}], "reason": "damaged in transit"}
    returned = (await api.post(f"/shipments/{shipment_id}/returns", W, body, expect=201)).json()
    assert returned["status"] == "awaiting_credit_note"
    assert returned["lines"][0]["sku"] == "WIDGET" and returned["lines"][0]["quantity"] == "2.000"
    assert (level(engine).on_hand, level(engine).reserved) == (2, 0)
    with Session(engine) as session:
        assert ledger_totals(session, "WIDGET", "MAIN") == (2, 0)
    assert len(await api.get(f"/shipments/{shipment_id}/returns")) == 1

    too_many = {"lines": [{"sku": "WIDGET", "quantity": "2"}]}  # only 1 left to return
    assert (await api.post(f"/shipments/{shipment_id}/returns", W, too_many)).status_code == 409
    assert level(engine).on_hand == 2


async def test_bad_returns_are_refused_and_nothing_is_saved(api: ApiClient, engine: Engine) -> None:
    shipment_id = factories.planned_order(engine, quantity=3, stock=3).shipments[0]
    path = f"/shipments/{shipment_id}/returns"
    one = {"lines": [{"sku": "WIDGET", "quantity": "1"}]}
    assert (await api.post(path, W, one)).status_code == 409  # not even dispatched
    await api.post(f"/shipments/{shipment_id}/dispatch", W, DISPATCH, expect=200)
    assert (await api.post(path, W, one)).status_code == 409  # on the way, not delivered
    await api.post(f"/shipments/{shipment_id}/deliver", W, {}, expect=200)
    for lines, status in [
        ([{"sku": "WIDGET", "quantity": "0.5"}], 422),
        ([{"sku": "WIDGET", "quantity": "-1"}], 422),
        ([{"sku": "GADGET", "quantity": "1"}], 422),
        ([], 422),
    ]:
        response = await api.post(path, W, {"lines": lines})
        assert response.status_code == status, (lines, response.text)
    assert (await api.post("/shipments/999/returns", W, one)).status_code == 404
    with Session(engine) as session:
        assert session.exec(select(GoodsReturn)).all() == []
    assert level(engine).on_hand == 0
