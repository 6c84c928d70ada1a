"""The dashboard: KPI tiles and charts, each shown to the roles that may read the API report
behind it, every chart with its numbers as a table and as an .xlsx with the same numbers."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from openpyxl import load_workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.security.users import set_language
from api.pages.dashboard_cache import FiguresCache
from models.security.users import Role
from tests import factories
from tests.workspace.pages import Person

TODAY = date.today()


def kpi(page: str, key: str) -> str:
    found = re.search(rf'data-kpi="{key}">([^<]*)<', page)
    assert found, key
    return found.group(1)


def numbers(page: str, chart: str) -> list[list[str]]:
    """The rows of a chart's numbers table, as the reader sees the cells."""
    table = page.split(f'data-chart="{chart}"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [re.findall(r"<td[^>]*>([^<]*)</td>", row) for row in rows]


def two_invoices_one_overdue(engine: Engine) -> None:
    """ACME owes 1,100.00 overdue 45 days and 110.00 not yet due."""
    acme = factories.customer(engine)
    factories.invoice(engine, acme.id, "1000.00", due=TODAY - timedelta(days=45))
    factories.invoice(engine, acme.id, "100.00", due=TODAY + timedelta(days=10))


async def test_finance_sees_each_receivables_figure_from_the_invoices(
    person: Callable[[], Person], sqlite_engine: Engine
) -> None:
    two_invoices_one_overdue(sqlite_engine)
    finance = person()
    await finance.log_in("finance")
    home = (await finance.open("/app")).text
    assert kpi(home, "open-USD") == "1,210.00"
    assert kpi(home, "overdue-USD") == "1,100.00" and "90.9%" in home  # 1100 / 1210
    # Both issued within the last 90 days: 1,210.00 owed on 1,210.00 sold is 90 days' sales.
    assert kpi(home, "dso-USD") == "90.0"
    # Nothing collected in the last 30 days while 1,100.00 was overdue: 0 of what was due.
    assert kpi(home, "cei-USD") == "0.0%"
    assert 'id="ageing-chart"' in home and "/static/dashboard.js" in home
    assert "<script>" not in home  # drawing code lives in a static file (CSP forbids inline)
    assert numbers(home, "ageing") == [
        ["ACME ACME Ltd", "USD", "110.00", "0.00", "1,100.00", "0.00", "0.00", "0.00", "1,210.00"],
        ["Total", "USD", "110.00", "0.00", "1,100.00", "0.00", "0.00", "0.00", "1,210.00"],
    ]
    assert numbers(home, "overdue") == [["ACME ACME Ltd", "USD", "1,100.00", "1,210.00", "90.9"]]


async def test_collection_effectiveness_counts_what_the_period_collected(
    person: Callable[[], Person], sqlite_engine: Engine
) -> None:
    two_invoices_one_overdue(sqlite_engine)
    acme_id = 1
    factories.payment(sqlite_engine, acme_id, "550.00", received_on=TODAY - timedelta(days=3))
    finance = person()
    await finance.log_in("finance")
    home = (await finance.open("/app")).text
    # 550.00 collected against 550.00 still overdue: half of what was due.
    assert kpi(home, "overdue-USD") == "550.00"
    assert kpi(home, "cei-USD") == "50.0%"


async def test_the_page_shows_its_figures_as_of_when_they_were_read_and_keeps_them_a_while(
    person: Callable[[], Person], sqlite_engine: Engine
) -> None:
    two_invoices_one_overdue(sqlite_engine)
    finance = person()
    await finance.log_in("finance")
    home = (await finance.open("/app")).text
    read_at = re.search(r"Figures as of (\d\d:\d\d:\d\d UTC)\.", home)
    assert read_at and kpi(home, "open-USD") == "1,210.00"
    factories.payment(sqlite_engine, 1, "550.00", received_on=TODAY)
    again = (await finance.open("/app")).text
    # Read a moment ago: the same figures, saying when they were read.
    assert kpi(again, "open-USD") == "1,210.00" and read_at.group(0) in again


async def test_once_the_figures_are_old_the_page_shows_them_while_new_ones_are_read(
    person: Callable[[], Person], sqlite_engine: Engine
) -> None:
    two_invoices_one_overdue(sqlite_engine)
    finance = person()
    now = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
    cache = FiguresCache(60, clock=lambda: now)
    finance.app.state.dashboard_figures = cache
    await finance.log_in("finance")
    home = (await finance.open("/app")).text
    assert kpi(home, "open-USD") == "1,210.00" and "Figures as of 06:00:00 UTC." in home
    factories.payment(sqlite_engine, 1, "550.00", received_on=TODAY)
    now += timedelta(minutes=1)
    # Older than the refresh time: answered at once with the kept figures, as of their time,
    # while one reading of the new ones runs behind it.
    stale = (await finance.open("/app")).text
    assert kpi(stale, "open-USD") == "1,210.00" and "Figures as of 06:00:00 UTC." in stale
    for refresh in list(cache.refreshes.values()):
        await refresh
    fresh = (await finance.open("/app")).text
    assert kpi(fresh, "open-USD") == "660.00" and "Figures as of 06:01:00 UTC." in fresh


async def test_each_chart_downloads_as_a_workbook_with_the_numbers_of_its_table(
    person: Callable[[], Person], sqlite_engine: Engine
) -> None:
    two_invoices_one_overdue(sqlite_engine)
    finance = person()
    await finance.log_in("finance")
    answer = await finance.open("/app/dashboard/ageing.xlsx")
    assert answer.status_code == 200
    assert 'filename="ageing-' in answer.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == [
        *("Customer", "Currency", "Not due", "1-30", "31-60", "61-90", "91-120", "120+", "Total")
    ]
    assert rows[1][:3] == ["ACME ACME Ltd", "USD", 110] and rows[1][4] == 1100
    assert rows[1][-1] == 1210 and rows[2][0] == "Total"
    overdue = load_workbook(io.BytesIO((await finance.open("/app/dashboard/overdue.xlsx")).content))
    assert overdue.active is not None
    assert list(overdue.active.iter_rows(values_only=True))[1] == (
        "ACME ACME Ltd",
        "USD",
        1100,
        1210,
        90.9,
    )


def booked_this_month_and_last(engine: Engine) -> None:
    """ACME (limit 110.00) ordered 3 widgets this month and 2 last month, at 11.00 with tax."""
    acme = factories.customer(engine, credit_limit="110.00")
    factories.product(engine)
    factories.order(engine, acme.id, quantity=3, on=TODAY)
    factories.order(engine, acme.id, quantity=2, on=TODAY.replace(day=1) - timedelta(days=1))


async def test_a_sales_rep_sees_sales_orders_and_credit_but_no_receivables(
    person: Callable[[], Person], sqlite_engine: Engine
) -> None:
    booked_this_month_and_last(sqlite_engine)
    rep = person()
    await rep.log_in("sales")
    home = (await rep.open("/app")).text
    assert kpi(home, "sales-USD") == "33.00" and kpi(home, "sales-last-USD") == "22.00"
    assert "+50.0% on last month" in home
    months = numbers(home, "sales")
    assert len(months) == 12 and months[-2:] == [
        [months[-2][0], "USD", "1", "22.00"],
        [TODAY.strftime("%Y-%m"), "USD", "1", "33.00"],
    ]
    assert numbers(home, "statuses") == [["Pending approval", "2"]]
    assert numbers(home, "credit") == [["ACME ACME Ltd", "USD", "110.00", "55.00", "50.0"]]
    for receivables in ("Open receivables", "Overdue", "DSO", 'id="ageing"', 'id="overdue"'):
        assert receivables not in home
    assert (await rep.open("/app/dashboard/ageing.xlsx")).status_code == 403
    workbook = load_workbook(io.BytesIO((await rep.open("/app/dashboard/sales.xlsx")).content))
    assert workbook.active is not None
    assert list(workbook.active.iter_rows(values_only=True))[-1] == (
        TODAY.strftime("%Y-%m"),
        "USD",
        1,
        33,
    )


async def test_each_chart_is_shown_to_the_roles_the_api_lets_read_its_report(
    person: Callable[[], Person], sqlite_engine: Engine
) -> None:
    booked_this_month_and_last(sqlite_engine)
    behind = {
        "ageing": "/api/v1/reports/ar-aging",
        "overdue": "/api/v1/reports/ar-aging",
        "sales": "/api/v1/orders",
        "statuses": "/api/v1/orders",
        "credit": "/api/v1/customers/1/credit",
    }
    for role in Role:
        someone = person()
        await someone.log_in(role.value)
        home = (await someone.open("/app")).text
        token = await someone.http.post(
            "/api/v1/auth/token", data={"username": role.value, "password": factories.PASSWORD}
        )
        bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
        for chart, report in behind.items():
            api_reads = (await someone.http.get(report, headers=bearer)).status_code != 403
            assert (f'id="{chart}"' in home) == api_reads, (role, chart)
            export = await someone.open(f"/app/dashboard/{chart}.xlsx")
            assert export.status_code == (200 if api_reads else 403), (role, chart)


async def test_an_approver_sees_the_orders_waiting_for_their_decision(
    person: Callable[[], Person],
) -> None:
    approver = person()
    await approver.log_in("approver")
    assert kpi((await approver.open("/app")).text, "waiting") == "0"


async def test_the_dashboard_speaks_simplified_chinese(
    person: Callable[[], Person], sqlite_engine: Engine
) -> None:
    two_invoices_one_overdue(sqlite_engine)
    with Session(sqlite_engine) as session, session.begin():
        set_language(session, "finance", "zh_Hans")
    finance = person()
    await finance.log_in("finance")
    home = (await finance.open("/app")).text
    words_of_zh_hans = ("未收应收账款", "逾期", "账龄", "逾期客户前 10 名", "收款有效性指数")
    for words in (*words_of_zh_hans, "下载 .xlsx"):
        assert words in home, words
    workbook = load_workbook(io.BytesIO((await finance.open("/app/dashboard/ageing.xlsx")).content))
    assert workbook.active is not None
    assert next(workbook.active.iter_rows(values_only=True))[:3] == ("客户", "币种", "未到期")


async def test_the_vendored_scripts_are_served_by_the_app(person: Callable[[], Person]) -> None:
    visitor = person()
    for script in ("vendor/htmx.min.js", "vendor/echarts.min.js", "dashboard.js"):
        answer = await visitor.open(f"/static/{script}")
        assert answer.status_code == 200 and "javascript" in answer.headers["content-type"]
