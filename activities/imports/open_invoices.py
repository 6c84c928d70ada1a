"""Importing open invoices (opening balances): each becomes an invoice under its old number,
with its instalments, what was already paid, a ledger entry receivables / opening balance (so
the trial balance still balances), and its collection workflow queued in the outbox, at the
dunning level its days past due call for and spread out to the configured start rate."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from activities.collection.dunning import (
    customers_with_own_policy,
    terms_for_class,
    terms_for_customer,
)
from activities.imports.earlier import Earlier
from activities.imports.kind import WriteContext, Written
from activities.imports.row_checks import build, filled, read_cells, referenced, refuse
from activities.imports.starts import OUTBOX, ThrottledStarts
from activities.receivables.ledger import Posting, post_many
from models.collection.dunning_terms import DunningTerms
from models.imports.cells import CellError, amount, day, text
from models.imports.jobs import RowError
from models.imports.kinds import OPEN_INVOICE_COLUMNS
from models.imports.opening import Instalment, OpeningInvoice, start_level
from models.master_data.customers import Customer
from models.money import ZERO
from models.receivables.instalments import open_per_instalment
from models.receivables.invoices import Invoice, InvoiceInstalment, InvoiceKind, InvoiceStatus
from models.receivables.ledger import Account, credit, debit
from models.sales.messages import INVOICE_COLLECTION_WORKFLOW, InvoiceCollectionInput
from models.workflow_ids import invoice_workflow_id

# Core tables: the ORM's bulk insert of a list of rows still runs one statement a row here.
INVOICES = Invoice.__table__  # type: ignore[attr-defined]
INSTALMENTS = InvoiceInstalment.__table__  # type: ignore[attr-defined]
INSTALMENT = re.compile(r"\s*([^=]+?)\s*=\s*(.+?)\s*")


class OpenInvoiceImport:
    columns = OPEN_INVOICE_COLUMNS

    def __init__(self) -> None:
        self.customers: dict[str, tuple[int, str]] = {}
        self.imported: dict[str, tuple[str, Decimal, Decimal]] = {}
        self.classes: dict[int, str] = {}
        self.own_policy: set[int] = set()
        self.terms: dict[int | str, DunningTerms] = {}
        self.starts = ThrottledStarts()

    def prepare(self, session: Session) -> None:
        query = select(Customer.code, Customer.id, Customer.currency, Customer.credit_class)
        rows = session.exec(query).all()
        self.customers = {code: (id_ or 0, currency) for code, id_, currency, _ in rows}
        self.classes = {id_ or 0: credit_class for _, id_, _, credit_class in rows}
        self.own_policy = customers_with_own_policy(session)
        invoices = session.exec(
            select(col(Invoice.number), col(Customer.code), col(Invoice.total), col(Invoice.paid))
            .join(Customer, col(Customer.id) == col(Invoice.customer_id))
            .where(col(Invoice.key).startswith("import/"))
        ).all()
        self.imported = {n: (c, Decimal(t), Decimal(p)) for n, c, t, p in invoices}

    def include(self, earlier: Earlier) -> None:
        """The upload's customers, as the rows may name them (their ids come at the write)."""
        for code, customer in earlier.customers.items():
            self.customers.setdefault(code, (0, customer.currency))

    def check(self, number: int, row: dict[str, object]) -> OpeningInvoice:
        cells = filled(row)
        errors: list[RowError] = []
        missing = "customer {code} does not exist (import customers first)"
        customer = referenced(number, cells, "customer_code", self.customers, missing, errors)
        currency = text(cells.get("currency")).upper() or "USD"
        parsers = {
            "issue_date": day,
            "due_date": day,
            "amount": lambda value: amount(value, currency),
            "paid": lambda value: amount(value, currency),
            "instalments": lambda value: _instalments(value, currency),
        }
        values = read_cells(number, cells, parsers, errors)
        invoice = build(OpeningInvoice, number, values, errors)
        code = invoice.customer_code
        if customer is not None and customer[1] != invoice.currency:
            message = f"customer {code} is billed in {customer[1]}, not {invoice.currency}"
            raise refuse(number, "currency", message)
        before = self.imported.get(invoice.number)
        if before is not None and before != (code, invoice.amount, invoice.paid):
            message = (
                f"invoice {invoice.number} was imported before with other values; "
                "change it in o2c (payments, credit notes), not by importing again"
            )
            raise refuse(number, "number", message)
        return invoice

    def key(self, checked: OpeningInvoice) -> str:
        return checked.number

    def write(
        self, session: Session, batch: list[OpeningInvoice], context: WriteContext
    ) -> Written:
        """The batch's new invoices in a few INSERTs (invoices, instalments, ledger, outbox):
        a million opening balances write at the pace of the database, not of the ORM."""
        numbers = [opening.number for opening in batch]
        query = select(Invoice.number).where(col(Invoice.number).in_(numbers))
        taken = set(session.exec(query).all())
        fresh = [opening for opening in batch if opening.number not in taken]
        written = Written(unchanged=len(batch) - len(fresh))
        if not fresh:
            return written
        now = datetime.now(UTC)
        # A plain executemany, then the ids by number: RETURNING with the rows' order kept
        # makes SQLite insert one row at a time.
        rows = [self._invoice_row(opening, now) for opening in fresh]
        session.connection().execute(INVOICES.insert(), rows)
        numbered = select(Invoice.number, Invoice.id).where(
            col(Invoice.number).in_([opening.number for opening in fresh])
        )
        by_number = dict(session.exec(numbered).all())
        ids = [by_number[opening.number] or 0 for opening in fresh]
        pairs = list(zip(ids, fresh, strict=True))
        parts = [row for i, o in pairs for row in _parts(i, o)]
        session.connection().execute(INSTALMENTS.insert(), parts)
        post_many(session, [self._posting(i, o) for i, o in pairs])
        starts = [self._collection_start(session, i, o, context, now) for i, o in pairs]
        session.connection().execute(OUTBOX.insert(), starts)
        written.created = written.starts = len(fresh)
        return written

    def _invoice_row(self, opening: OpeningInvoice, now: datetime) -> dict[str, Any]:
        return {
            "number": opening.number,
            "customer_id": self.customers[opening.customer_code][0],
            "currency": opening.currency,
            "issue_date": opening.issue_date,
            "due_date": opening.due_date,
            "subtotal": opening.amount,
            "tax": ZERO,
            "total": opening.amount,
            "paid": opening.paid,
            "credited": ZERO,
            "written_off": ZERO,
            "outstanding": opening.outstanding,
            "status": InvoiceStatus.PARTIALLY_PAID if opening.paid else InvoiceStatus.OPEN,
            "dunning_level": 0,
            "kind": InvoiceKind.INVOICE,
            "key": f"import/{opening.number}",
            "created_at": now,
        }

    def _posting(self, invoice_id: int, opening: OpeningInvoice) -> Posting:
        """Dr receivables (the invoice) / Cr opening balance: what is still owed."""
        return Posting(
            key=f"invoice-{invoice_id}/opening-balance",
            posted_on=opening.issue_date,
            document="invoice",
            document_id=invoice_id,
            customer_id=self.customers[opening.customer_code][0],
            lines=[
                debit(Account.RECEIVABLES, opening.outstanding, invoice_id),
                credit(Account.OPENING_BALANCE, opening.outstanding),
            ],
            memo=f"opening balance {opening.number}",
        )

    def _terms(self, session: Session, customer_id: int) -> DunningTerms:
        """The customer's dunning terms, looked up once per customer with a policy of its own
        and once per credit class for everyone else."""
        key: int | str = (
            customer_id if customer_id in self.own_policy else self.classes[customer_id]
        )
        if key not in self.terms:
            self.terms[key] = (
                terms_for_customer(session, customer_id)
                if isinstance(key, int)
                else terms_for_class(session, key)
            )
        return self.terms[key]

    def _collection_start(
        self,
        session: Session,
        invoice_id: int,
        opening: OpeningInvoice,
        context: WriteContext,
        now: datetime,
    ) -> dict[str, Any]:
        """Its collection, queued at the import's start rate."""
        customer_id = self.customers[opening.customer_code][0]
        terms = self._terms(session, customer_id)
        return self.starts.start(
            context,
            workflow_id=invoice_workflow_id(invoice_id),
            workflow=INVOICE_COLLECTION_WORKFLOW,
            payload=InvoiceCollectionInput(
                invoice_id=invoice_id,
                customer_id=customer_id,
                due_date=opening.due_date,
                outstanding=opening.outstanding,
                start_at_level=start_level(terms, opening.due_date, context.as_of),
            ).model_dump(mode="json"),
            now=now,
        )


def _parts(invoice_id: int, opening: OpeningInvoice) -> list[dict[str, Any]]:
    """Its instalments; what was paid settles the earliest first."""
    plan = opening.plan
    opens = open_per_instalment([part.amount for part in plan], opening.paid)
    return [
        {
            "invoice_id": invoice_id,
            "seq": seq,
            "due_date": part.due_date,
            "amount": part.amount,
            "outstanding": still_open,
        }
        for seq, (part, still_open) in enumerate(zip(plan, opens, strict=True), start=1)
    ]


def _instalments(value: object, currency: str) -> list[Instalment]:
    """ "2025-10-01=600;2025-11-01=600": each due date and its amount."""
    parts = [part for part in text(value).split(";") if part.strip()]
    plan = []
    for part in parts:
        match = INSTALMENT.fullmatch(part)
        if match is None:
            raise CellError(f"{part!r} is not date=amount")
        plan.append(Instalment(due_date=day(match[1]), amount=amount(match[2], currency)))
    return plan
