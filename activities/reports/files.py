"""Reports and statements as files (CSV, .xlsx, PDF): what the API hands out for download.
Rendering lives here, beside the use cases, so routes never call notifications/ themselves."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from activities.reports.statements import statement_tables
from models.master_data.customers import Customer
from models.reports.statements import CustomerStatement
from notifications.pdf import render_pdf
from notifications.tables import CSV, XLSX, to_csv, to_xlsx


class FileFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    PDF = "pdf"


class ReportFile(NamedTuple):
    content: bytes
    media_type: str
    filename: str


def table_file(
    name: str, fmt: FileFormat, header: list[str], rows: list[list[object]]
) -> ReportFile:
    """One table as CSV or a one-sheet workbook."""
    if fmt == FileFormat.CSV:
        return ReportFile(to_csv(header, rows), CSV, f"{name}.csv")
    return ReportFile(to_xlsx([(name, header, rows)]), XLSX, f"{name}.xlsx")


def statement_file(
    statement: CustomerStatement, customer: Customer, seller: str, fmt: FileFormat
) -> ReportFile:
    """The statement as a workbook (movements, ageing) or as a PDF in the customer's language.
    A PDF takes about a second: call it outside any transaction."""
    name = f"statement-{statement.code}-{statement.period_to}"
    if fmt == FileFormat.XLSX:
        return ReportFile(to_xlsx(statement_tables(statement)), XLSX, f"{name}.xlsx")
    context = {
        "currency": statement.currency,
        "seller": {"name": seller},
        "customer": customer.model_dump(),
        "statement": statement,
    }
    return ReportFile(
        render_pdf("statement.html.j2", customer.language, context),
        "application/pdf",
        f"{name}.pdf",
    )
