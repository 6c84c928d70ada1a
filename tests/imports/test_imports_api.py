"""The imports API: finance uploads a file and follows its job; bad rows come back by row and
column with nothing written; each kind's template downloads as .xlsx."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from models.security.users import Role
from tests.imports.files import csv_file, xlsx_file
from tests.support.api_client import ApiClient

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
HEADER = ["code", "name", "email", "currency", "credit_limit"]


async def upload(api: ApiClient, path: Path, role: Role = Role.FINANCE, **form: str):  # type: ignore[no-untyped-def]
    with path.open("rb") as handle:
        return await api.call(
            "POST",
            "/imports",
            role,
            data={"kind": "customers"} | form,
            files={"file": (path.name, handle, "text/csv")},
        )


async def test_finance_imports_customers_and_follows_the_job(
    api: ApiClient, tmp_path: Path
) -> None:
    path = csv_file(
        tmp_path / "customers.csv", [HEADER, ["C1", "华强", "a@hq.example", "CNY", "1,000"]]
    )

    accepted = await upload(api, path)

    assert accepted.status_code == 202, accepted.text
    assert set(accepted.json()) == {"id", "status"}
    job = await api.get(f"/imports/{accepted.json()['id']}", Role.FINANCE)
    assert job["status"] == "done"
    assert (job["counts"]["created"], job["user"], job["file_name"]) == (
        1,
        "finance",
        "customers.csv",
    )
    assert (await api.get("/customers", params={"search": "C1"}))["items"][0]["name"] == "华强"
    assert list((api.settings.data_dir / "imports").iterdir()) == []  # the upload is not kept


async def test_bad_rows_are_listed_and_nothing_is_written(api: ApiClient, tmp_path: Path) -> None:
    rows = [HEADER, ["C1", "A", "a@x.example", "USD", "1"], ["C2", "", "b@x.example", "USD", "1"]]

    accepted = await upload(api, csv_file(tmp_path / "c.csv", rows))

    job = await api.get(f"/imports/{accepted.json()['id']}", Role.AUDITOR)
    assert job["status"] == "invalid"
    assert job["errors"] == [
        {"row": 3, "column": "name", "message": "required: the cell is empty", "sheet": None}
    ]
    assert await api.total("/customers") == 0


async def test_dry_run_writes_nothing(api: ApiClient, tmp_path: Path) -> None:
    path = csv_file(tmp_path / "c.csv", [HEADER, ["C1", "A", "a@x.example", "USD", "1"]])

    accepted = await upload(api, path, dry_run="true")

    job = await api.get(f"/imports/{accepted.json()['id']}")
    assert (job["status"], job["dry_run"], job["counts"]["rows"]) == ("done", True, 1)
    assert await api.total("/customers") == 0


async def test_sales_may_not_import(api: ApiClient, tmp_path: Path) -> None:
    path = csv_file(tmp_path / "c.csv", [HEADER, ["C1", "A", "a@x.example", "USD", "1"]])

    assert (await upload(api, path, Role.SALES)).status_code == 403


async def test_template_has_header_example_and_rules(api: ApiClient) -> None:
    response = await api.call("GET", "/imports/templates/open-invoices", Role.FINANCE, expect=200)

    book = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][:3] == ("number", "customer_code", "issue_date") and len(rows) == 2
    rules = list(book["rules"].iter_rows(values_only=True))
    assert rules[1] == (
        "number",
        "required",
        "the invoice's number in the old system (the natural key)",
    )


async def test_export_downloads_what_the_import_reads(api: ApiClient, tmp_path: Path) -> None:
    path = csv_file(tmp_path / "c.csv", [HEADER, ["C1", "华强", "a@x.example", "CNY", "1,000"]])
    await upload(api, path)

    csv_answer = await api.call("GET", "/exports/customers", Role.AUDITOR, expect=200)
    xlsx_answer = await api.call(
        "GET", "/exports/customers", Role.FINANCE, expect=200, params={"format": "xlsx"}
    )

    text = csv_answer.content.decode("utf-8-sig").splitlines()
    assert text[0].startswith("code,name,email,phone")
    assert text[1].startswith("C1,华强,a@x.example,,") and text[1].endswith(",1000.00")
    rows = list(load_workbook(io.BytesIO(xlsx_answer.content)).worksheets[0].values)
    assert rows[1][:3] == ("C1", "华强", "a@x.example")
    assert (await api.call("GET", "/exports/customers", Role.SALES)).status_code == 403


async def test_refused_xlsx_comes_back_with_an_errors_column(
    api: ApiClient, tmp_path: Path
) -> None:
    rows = [HEADER, ["C1", "A", "a@x.example", "USD", "1"], ["C2", "B", "b@x.example", "USD", "x"]]
    path = xlsx_file(tmp_path / "customers.xlsx", rows)
    with path.open("rb") as handle:
        accepted = await api.call(
            "POST",
            "/imports",
            Role.FINANCE,
            data={"kind": "customers"},
            files={"file": (path.name, handle, "application/octet-stream")},
        )
    job_id = accepted.json()["id"]

    answer = await api.call("GET", f"/imports/{job_id}/errors.xlsx", Role.FINANCE, expect=200)

    rows_back = list(load_workbook(io.BytesIO(answer.content)).worksheets[0].values)
    assert rows_back[0][-1] == "errors"
    assert rows_back[1][-1] in (None, "")
    assert rows_back[2][-1] == "credit_limit: 'x' is not a number"


async def test_a_go_live_workbook_goes_in_as_kind_all_and_its_template_has_a_sheet_per_kind(
    api: ApiClient, tmp_path: Path
) -> None:
    template = await api.call("GET", "/imports/templates/all", Role.FINANCE)
    assert template.status_code == 200
    sheets = load_workbook(io.BytesIO(template.content), read_only=True).sheetnames
    assert sheets == [
        "customers",
        "products",
        "price-lists",
        "stock",
        "open-invoices",
        "open-orders",
        "rules",
    ]
    path = tmp_path / "go-live.xlsx"
    path.write_bytes(template.content)  # the template's example rows refer to each other

    accepted = await upload(api, path, kind="all")

    assert accepted.status_code == 202, accepted.text
    job = await api.get(f"/imports/{accepted.json()['id']}", Role.FINANCE)
    assert (job["kind"], job["status"], job["errors"]) == ("all", "done", [])
    assert [(step["kind"], step["created"]) for step in job["steps"]] == [
        ("customers", 1),
        ("products", 1),
        ("price-lists", 1),
        ("stock", 1),
        ("open-invoices", 1),
        ("open-orders", 1),
    ]
