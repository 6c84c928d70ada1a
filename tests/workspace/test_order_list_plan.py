"""The order list reads on the event loop on SQLite only while its reads are bounded by an index:
with no filter or only the customer's, up to a page not too deep; a status, date or amount filter
keeps the worker thread."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.engine import Engine

from api.pages.orders import (
    BOUNDED_OFFSET,
    COUNTED,
    ORDER,
    SHOWN,
    ListedOrder,
    OrderFilter,
    bounded_list,
    table_rows,
)
from models.sales.order_status import OrderStatus


def plan(engine: Engine, statement: object, offset: int = 0) -> list[str]:
    compiled = statement.compile(engine)  # type: ignore[attr-defined]
    values = compiled.construct_params({"offset": offset})
    given = tuple(values[name] for name in compiled.positiontup)
    with engine.connect() as connection:
        steps = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + str(compiled), given).all()
    return [step[-1] for step in steps]


def test_the_bounded_lists_read_through_indexes_newest_first(sqlite_engine: Engine) -> None:
    """No temporary sort (the page comes newest first from the primary key or the customer's
    index, so the walk stops at the page); the customer's rows are searched, not scanned; the
    whole list's count walks an index, as the plain count does."""
    by_customer = ORDER.c.customer_id == 1
    assert bounded_list(OrderFilter(), 0) and bounded_list(OrderFilter(customer_id=1), 0)
    assert plan(sqlite_engine, SHOWN) == [
        "SCAN sales_order",
        "SEARCH customer USING INTEGER PRIMARY KEY (rowid=?)",
    ]
    assert plan(sqlite_engine, COUNTED)[0].startswith("SCAN sales_order USING COVERING INDEX")
    for statement in (SHOWN.where(by_customer), COUNTED.where(by_customer)):
        steps = plan(sqlite_engine, statement)
        assert all(step.startswith("SEARCH") for step in steps), steps


def test_a_status_date_or_amount_filter_or_a_deep_page_keeps_the_worker_thread() -> None:
    assert not bounded_list(OrderFilter(status=OrderStatus.CLOSED), 0)
    assert not bounded_list(OrderFilter(customer_id=1, placed_from=date(2026, 1, 1)), 0)
    assert not bounded_list(OrderFilter(placed_to=date(2026, 1, 1)), 0)
    assert not bounded_list(OrderFilter(total_min=Decimal("1.00")), 0)
    assert not bounded_list(OrderFilter(total_max=Decimal("1.00")), 0)
    assert bounded_list(OrderFilter(), BOUNDED_OFFSET)
    assert not bounded_list(OrderFilter(), BOUNDED_OFFSET + 1)


def test_the_rows_written_in_python_escape_what_people_typed() -> None:
    typed = ListedOrder(
        7,
        "SO-<7>",
        OrderStatus.APPROVED,
        date(2026, 11, 2),
        None,
        Decimal("1234.5"),
        "USD",
        'A & "B" <i>',
    )
    html = str(table_rows([typed], "en"))
    assert '<tr data-order="SO-&lt;7&gt;">' in html
    assert '<a href="/app/orders/7">SO-&lt;7&gt;</a>' in html
    assert "<td>A &amp; &#34;B&#34; &lt;i&gt;</td>" in html
    assert '<span class="status status-approved">Approved</span>' in html
    assert "<td>Nov 2, 2026</td>" in html
    assert '<td class="num">1,234.50 USD</td>' in html
    assert "<i>" not in html
