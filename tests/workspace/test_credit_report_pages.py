"""The credit report pages over HTTP, on customers and invoices made by the use cases: each shows
the figures of the API's report (`GET /api/v1/reports/credit`, `/credit-risk`,
`/customer-distribution`, `/bad-debt`) in the reader's locale, pages on the server and offers the
API's own CSV and .xlsx; the distribution draws a chart with its numbers one click away."""

from __future__ import annotations

import html
import io
import json
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy.engine import Engine

from models.security.users import Role
from tests import factories
from tests.credit.test_credit_reports import two_customers
from tests.support.api_client import ApiClient
from tests.workspace.pages import Person, csrf_of

AS_OF = "as_of=2026-06-30"
PERIOD = "from=2026-01-01&to=2026-06-30"


def row_of(page: str, attribute: str, value: str) -> list[str]:
    """The cells of the table row marked `attribute="value"`, as the reader sees them."""
    found = re.search(rf'<tr {attribute}="{re.escape(value)}"[^>]*>(.*?)</tr>', page, re.S)
    assert found is not None, value
    cells = re.findall(r"<td[^>]*>(.*?)</td>", found.group(1), re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in cells]


def cells(sheet_bytes: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(sheet_bytes)).active
    assert sheet is not None
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def amount(value: str, currency: str = "USD") -> str:
    """An API amount as an English page writes it: 1100.00 -> 1,100.00 USD."""
    return f"{Decimal(value):,.2f} {currency}"


async def test_the_credit_report_shows_the_api_figures_and_exports_its_files(
    sqlite_engine: Engine, manager: Person, page_api: ApiClient
) -> None:
    two_customers(sqlite_engine)
    report = await page_api.get(
        "/reports/credit", Role.CREDIT_MANAGER, params={"as_of": "2026-06-30"}
    )

    page = await manager.open(f"/app/credit/reports?{AS_OF}")

    assert page.status_code == 200
    for row in report["rows"]:
        assert row_of(page.text, "data-customer", row["code"]) == [
            f"{row['code']} · {row['name']}",
            row["credit_class"],
            amount(row["credit_limit"]),
            amount(row["exposure"]),
            f"{row['utilisation']} %",
            amount(row["overdue"]),
            str(row["score"]),
            row["grade"],
            "on hold" if row["on_hold"] else "—",
            "never",
            str(row["open_proposals"]),
        ]
    for fmt in ("csv", "xlsx"):
        link = f'href="/app/credit/reports/export?format={fmt}&amp;as_of=2026-06-30"'
        assert link in page.text
    as_csv = await manager.open(f"/app/credit/reports/export?format=csv&{AS_OF}")
    api_csv = await page_api.call(
        "GET",
        "/reports/credit",
        Role.CREDIT_MANAGER,
        params={"as_of": "2026-06-30", "format": "csv"},
    )
    assert as_csv.status_code == 200 and as_csv.content == api_csv.content
    as_xlsx = await manager.open(f"/app/credit/reports/export?format=xlsx&{AS_OF}")
    assert as_xlsx.headers["content-disposition"].endswith('credit-2026-06-30.xlsx"')
    assert [line[0] for line in cells(as_xlsx.content)] == ["code", "ACME", "BETA"]


async def test_the_risk_list_shows_the_api_risk_list(
    sqlite_engine: Engine, manager: Person, page_api: ApiClient
) -> None:
    two_customers(sqlite_engine)
    risky = await page_api.get("/reports/credit-risk", Role.FINANCE, params={"as_of": "2026-06-30"})

    page = await manager.open(f"/app/credit/reports/risk?{AS_OF}")

    assert [row["code"] for row in risky["rows"]] == ["BETA"]  # graded D, 1,100.00 exposed
    assert re.findall(r'<tr data-customer="([^"]+)"', page.text) == ["BETA"]
    beta = row_of(page.text, "data-customer", "BETA")
    assert beta[3:8] == [
        "1,100.00 USD",
        "110.0 %",
        "1,100.00 USD",
        str(risky["rows"][0]["score"]),
        "D",
    ]
    exported = await manager.open(f"/app/credit/reports/risk/export?format=csv&{AS_OF}&top=50")
    assert [line.split(",")[0] for line in exported.content.decode("utf-8-sig").splitlines()] == [
        "code",
        "BETA",
    ]
    assert 'href="/app/credit/reports/risk/export?format=xlsx&amp;as_of=2026-06-30&amp;top=50"' in (
        page.text
    )


async def test_the_distribution_draws_a_chart_and_its_numbers_are_the_api_report(
    sqlite_engine: Engine, manager: Person, page_api: ApiClient
) -> None:
    two_customers(sqlite_engine)
    report = await page_api.get(
        "/reports/customer-distribution",
        Role.FINANCE,
        params={"as_of": "2026-06-30", "by": "region"},
    )

    page = await manager.open(f"/app/credit/reports/distribution?{AS_OF}&by=region")

    assert page.status_code == 200 and "/static/vendor/echarts.min.js" in page.text
    options = re.search(
        r"id=\"distribution-chart\" class=\"chart\" data-options='([^']*)'", page.text
    )
    assert options is not None
    drawn = json.loads(html.unescape(options.group(1)))
    assert drawn["xAxis"]["data"] == ["APAC", "EMEA"]
    assert drawn["series"] == [{"name": "USD", "type": "bar", "stack": "customers", "data": [1, 1]}]
    assert "<details>" in page.text and "<summary>The numbers</summary>" in page.text
    for row in report["rows"]:
        shown = row_of(page.text, "data-group", row["key"])
        assert shown == [
            row["key"],
            row["currency"],
            str(row["customers"]),
            amount(row["sales"]),
            amount(row["open_receivables"]),
        ]
    exported = await manager.open(
        f"/app/credit/reports/distribution/export?format=xlsx&{AS_OF}&by=region"
    )
    assert cells(exported.content)[0] == [
        "region",
        "currency",
        "customers",
        "sales",
        "open_receivables",
    ]
    by_grade = await manager.open(f"/app/credit/reports/distribution?{AS_OF}&by=grade")
    assert "not reviewed yet" in by_grade.text


async def test_the_bad_debt_ratio_shows_the_api_rows_and_a_backwards_period_says_why(
    sqlite_engine: Engine, manager: Person, page_api: ApiClient
) -> None:
    two_customers(sqlite_engine)
    report = await page_api.get(
        "/reports/bad-debt", Role.CREDIT_MANAGER, params={"from": "2026-01-01", "to": "2026-06-30"}
    )

    page = await manager.open(f"/app/credit/reports/bad-debt?{PERIOD}")

    for row in report["rows"]:
        shown = row_of(page.text, "data-period", row["period"])
        assert shown == [
            row["period"],
            row["credit_class"],
            row["currency"],
            amount(row["invoiced"]),
            amount(row["written_off"]),
            f"{row['ratio_pct']} %",
        ]
    as_csv = await manager.open(f"/app/credit/reports/bad-debt/export?format=csv&{PERIOD}")
    api_csv = await page_api.call(
        "GET",
        "/reports/bad-debt",
        Role.CREDIT_MANAGER,
        params={"from": "2026-01-01", "to": "2026-06-30", "format": "csv"},
    )
    assert as_csv.content == api_csv.content
    backwards = await manager.open("/app/credit/reports/bad-debt?from=2026-06-30&to=2026-01-01")
    assert backwards.status_code == 200
    assert "the period starts after it ends" in backwards.text


async def test_the_credit_report_pages_on_the_server(
    sqlite_engine: Engine, manager: Person
) -> None:
    for number in range(51):
        factories.customer(sqlite_engine, f"C{number:03}")

    first = await manager.open(f"/app/credit/reports?{AS_OF}")
    second = await manager.open(f"/app/credit/reports?{AS_OF}&offset=50")

    assert first.text.count("<tr data-customer=") == 50
    assert "Rows 1 to 50 of 51" in first.text
    assert 'href="/app/credit/reports?as_of=2026-06-30&amp;offset=50"' in first.text
    assert re.findall(r'<tr data-customer="([^"]+)"', second.text) == ["C050"]
    assert 'rel="prev"' in second.text and 'rel="next"' not in second.text


async def test_the_credit_report_speaks_chinese_with_amounts_per_locale(
    sqlite_engine: Engine, manager: Person
) -> None:
    two_customers(sqlite_engine)
    page = await manager.open(f"/app/credit/reports?{AS_OF}")

    switched = await manager.http.post(
        "/app/language",
        data={"language": "zh_Hant", "csrf_token": csrf_of(page)},
        headers={"referer": f"http://o2c.test/app/credit/reports?{AS_OF}"},
        follow_redirects=True,
    )

    assert "信用報告：所有客戶" in switched.text and "風險名單" in switched.text
    assert "1,100.00 USD" in row_of(switched.text, "data-customer", "BETA")
    assert "從未" in row_of(switched.text, "data-customer", "BETA")
    simplified = await manager.http.post(
        "/app/language", data={"language": "zh_Hans", "csrf_token": csrf_of(page)}
    )
    assert simplified.status_code == 303
    shown = await manager.open("/app/credit/reports/bad-debt?" + PERIOD)
    assert "按月份和信用等级的坏账率" in shown.text


async def test_sales_and_collectors_get_the_403_page_as_the_api_refuses_them(
    person: Callable[[], Person],
) -> None:
    for role in (Role.SALES, Role.COLLECTOR, Role.WAREHOUSE):
        someone = person()
        await someone.log_in(role.value)
        for path in (
            "/app/credit/reports/export?format=csv",
            "/app/credit/reports/distribution/export?format=xlsx",
        ):
            refused = await someone.open(path)
            assert refused.status_code == 403, (role, path)
    today = date.today().isoformat()
    auditor = person()
    await auditor.log_in("auditor")
    read = await auditor.open("/app/credit/reports/risk")
    assert read.status_code == 200 and f'value="{today}"' in read.text
