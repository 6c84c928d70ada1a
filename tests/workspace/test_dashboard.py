"""The dashboard: open and overdue receivables and the ageing chart with its numbers, for those
who read receivables; the orders waiting for my decision for those who approve."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy.engine import Engine

from tests import factories
from tests.workspace.pages import Person


async def test_finance_sees_open_and_overdue_receivables_and_the_ageing_chart(
    person: Callable[[], Person], sqlite_engine: Engine
) -> None:
    acme = factories.customer(sqlite_engine)
    today = date.today()
    factories.invoice(sqlite_engine, acme.id, "1000.00", due=today - timedelta(days=45))
    factories.invoice(sqlite_engine, acme.id, "100.00", due=today + timedelta(days=10))
    finance = person()
    await finance.log_in("finance")
    home = (await finance.open("/app")).text
    assert 'data-kpi="open-USD">1,210.00<' in home  # 1,100.00 overdue + 110.00 not due yet
    assert 'data-kpi="overdue-USD">1,100.00<' in home and "90.9%" in home
    assert 'id="ageing-chart"' in home and "/static/vendor/echarts.min.js" in home
    row = home.split("ACME Ltd", 1)[1].split("</tr>", 1)[0]  # the chart's numbers as a table
    assert [cell.split("<", 1)[0] for cell in row.split('class="num">')[1:]] == [
        "110.00",
        "0.00",
        "1,100.00",
        "0.00",
        "0.00",
        "0.00",
        "1,210.00",
    ]


async def test_a_sales_rep_sees_no_receivables_and_an_approver_their_waiting_orders(
    person: Callable[[], Person],
) -> None:
    rep, approver = person(), person()
    await rep.log_in("sales")
    await approver.log_in("approver")
    assert "Open receivables" not in (await rep.open("/app")).text
    assert 'data-kpi="waiting">0<' in (await approver.open("/app")).text


async def test_the_vendored_scripts_are_served_by_the_app(person: Callable[[], Person]) -> None:
    visitor = person()
    for script in ("htmx.min.js", "echarts.min.js"):
        answer = await visitor.open(f"/static/vendor/{script}")
        assert answer.status_code == 200 and "javascript" in answer.headers["content-type"]
