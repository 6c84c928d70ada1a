"""Files that cannot be imported as they are: each refused with a message naming the row and
column, and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models.imports.kinds import ImportKind
from models.master_data.customers import Customer
from tests.imports.files import csv_file, imported, xlsx_file

HEADER = ["code", "name", "email", "currency", "credit_limit"]
GOOD = ["C1", "Acme", "ap@acme.example", "USD", "100.00"]


def customers(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(Customer)).one()


def refusal(engine: Engine, path: Path, **options: object) -> list[tuple[int, str | None, str]]:
    job = imported(engine, ImportKind.CUSTOMERS, path, **options)  # type: ignore[arg-type]
    assert job.status == "invalid"
    assert customers(engine) == 0
    return [(e.row, e.column, e.message) for e in job.errors]


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_empty_file_is_refused(engine: Engine, tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_bytes(b"")
    assert refusal(engine, tmp_path / "empty.csv") == [(0, None, "the file is empty")]


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_header_without_rows_is_refused(engine: Engine, tmp_path: Path) -> None:
    path = csv_file(tmp_path / "c.csv", [HEADER])
    assert refusal(engine, path) == [(0, None, "the file has a header but no rows")]


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_missing_header_names_the_required_columns(engine: Engine, tmp_path: Path) -> None:
    path = csv_file(tmp_path / "c.csv", [GOOD, GOOD])
    errors = refusal(engine, path)
    assert errors[0][:2] == (1, "c1") and "unknown column 'c1'" in errors[0][2]
    assert (1, "code", "required column missing from the header row") in errors


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_unknown_column_is_refused(engine: Engine, tmp_path: Path) -> None:
    path = csv_file(tmp_path / "c.csv", [[*HEADER, "fax"], [*GOOD, "123"]])
    [(row, column, message)] = refusal(engine, path)
    assert (row, column) == (1, "fax")
    assert message.startswith("unknown column 'fax' (position 6)")


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_wrong_encoding_names_the_row(engine: Engine, tmp_path: Path) -> None:
    rows = [HEADER, GOOD, ["C2", "深圳华强", "b@x.example", "CNY", "1.00"]]
    path = csv_file(tmp_path / "c.csv", rows, encoding="gb18030")
    [(row, column, message)] = refusal(engine, path, encoding="utf-8")
    assert (row, column) == (3, None)
    assert "is not utf-8-sig text" in message and "--encoding gb18030" in message


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_file_above_the_size_limit_is_refused(engine: Engine, tmp_path: Path) -> None:
    path = csv_file(tmp_path / "c.csv", [HEADER] + [GOOD] * 100)
    [(row, column, message)] = refusal(engine, path, max_bytes=1024 * 1024 // 1024)
    assert (row, column) == (0, None)
    assert "bytes, more than the 0 MB allowed" in message


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_formula_in_a_cell_is_refused_with_the_other_bad_rows(
    engine: Engine, tmp_path: Path
) -> None:
    rows = [
        HEADER,
        ["C1", '=HYPERLINK("x")', *GOOD[2:]],
        ["C2", "B", "b@x.example", "USD", "1.234"],
    ]
    path = xlsx_file(tmp_path / "c.xlsx", rows)
    errors = refusal(engine, path)
    assert errors == [
        (2, "name", 'a formula (=HYPERLINK("x")): paste the values instead'),
        (3, "credit_limit", "1.234 has more than 2 decimals (USD)"),
    ]


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_merged_cells_are_refused(engine: Engine, tmp_path: Path) -> None:
    path = xlsx_file(tmp_path / "c.xlsx", [HEADER, GOOD, ["C2", "B", "b@x.example"]], "D2:D3")
    [(row, column, message)] = refusal(engine, path)
    assert (row, column) == (2, None)
    assert message == "merged cells (D2:D3): unmerge them and fill every cell"


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_not_a_spreadsheet_is_refused(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "c.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    [(row, column, message)] = refusal(engine, path)
    assert (row, column) == (0, None) and message.startswith("not a readable .xlsx file")


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_every_bad_row_is_listed_with_its_column(engine: Engine, tmp_path: Path) -> None:
    rows = [
        HEADER,
        GOOD,
        ["C2", "Beta", "not-an-email", "USD", "1.005"],
        ["C1", "Again", "c@x.example", "USD", "1"],
        ["C3", "Yen", "y@x.example", "JPY", "1,000.5"],
    ]
    errors = refusal(engine, csv_file(tmp_path / "c.csv", rows))
    assert [(row, column) for row, column, _ in errors] == [
        (3, "credit_limit"),
        (3, "email"),
        (4, "code"),
        (5, "credit_limit"),
    ]
    assert errors[0][2] == "1.005 has more than 2 decimals (USD)"
    assert errors[2][2] == "C1 appears again (first at row 2)"
    assert errors[3][2] == "1000.5 has more than 0 decimals (JPY)"
