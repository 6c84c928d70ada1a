"""Open orders through the API: the template says how an empty price is priced, and the export
lists the imported orders in the columns the import reads."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy.engine import Engine

from models.imports.kinds import ImportKind
from models.security.users import Role
from tests import factories
from tests.imports.files import csv_file, imported
from tests.support.api_client import ApiClient

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)


async def test_open_orders_template_says_where_an_empty_price_comes_from(api: ApiClient) -> None:
    response = await api.call("GET", "/imports/templates/open-orders", Role.FINANCE, expect=200)

    book = load_workbook(io.BytesIO(response.content), read_only=True)
    header = next(book.worksheets[0].iter_rows(values_only=True))
    assert header[:3] == ("order_number", "customer_code", "status")
    rules = {row[0]: row[1:] for row in book["rules"].iter_rows(values_only=True)}
    assert rules["unit_price"] == (
        "optional",
        "the price as agreed; empty: the price list's price on the order date (or list price)",
    )
    assert rules["status"][0] == "required"


async def test_open_orders_export_lists_what_is_still_to_ship(
    api: ApiClient, engine: Engine, tmp_path: Path
) -> None:
    factories.customer(engine, "ACME")
    factories.product(engine, "WIDGET", "10.00")
    rows = [
        ["order_number", "customer_code", "status", "order_date", "sku", "quantity"],
        ["OLD-9", "ACME", "awaiting_shipment", "2026-11-20", "WIDGET", "4"],
    ]
    imported(engine, ImportKind.OPEN_ORDERS, csv_file(tmp_path / "o.csv", rows))

    answer = await api.call("GET", "/exports/open-orders", Role.AUDITOR, expect=200)

    lines = answer.content.decode("utf-8-sig").splitlines()
    assert lines == [
        "order_number,customer_code,status,order_date,requested_date,sku,quantity,unit_price",
        "OLD-9,ACME,approved,2026-11-20,,WIDGET,4,10.00",
    ]
