"""Reading receivables as finance sees them: an invoice now, account balances, credit."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.receivables.invoice_balance import unapplied_credit
from activities.receivables.invoices import invoice_public
from activities.receivables.ledger import account_balance
from models.receivables.invoices import InvoicePublic
from models.receivables.ledger import Account


def current(engine: Engine, invoice_id: int) -> InvoicePublic:
    """The invoice as it stands now."""
    with Session(engine) as session:
        return invoice_public(session, invoice_id)


def balance(engine: Engine, account: Account) -> Decimal:
    with Session(engine) as session:
        return account_balance(session, account)


def credit_of(engine: Engine, customer_id: int) -> Decimal:
    """The customer's money received and not yet applied to an invoice."""
    with Session(engine) as session:
        return unapplied_credit(session, customer_id)
