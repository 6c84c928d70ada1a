"""The daily dunning digest: one e-mail per customer listing every invoice that reached a
reminder or dunning level and has not been mailed yet, each with its level's letter text."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlmodel import Session, col, select

from activities.master_data.customers import get_customer
from models.collection.dunning import DunningStep
from models.money import quantize
from models.outbox import OutboxMessage, OutboxState
from models.receivables.invoices import Invoice
from notifications.outbox import queue_email
from notifications.render import render_letter


def send_digests(session: Session, on: date, seller: str) -> list[int]:
    """Queue the digests of `on` (and of any day that was missed); returns the ids of every
    digest still to be sent. Each step is mailed once: its row keeps the id of its mail."""
    rows = session.exec(
        select(DunningStep, Invoice)
        .join(Invoice, col(Invoice.id) == col(DunningStep.invoice_id))
        .where(col(DunningStep.digest_outbox_id).is_(None), col(DunningStep.reached_on) <= on)
        .order_by(col(DunningStep.customer_id), col(DunningStep.invoice_id), col(DunningStep.level))
    ).all()
    by_customer: dict[int, list[tuple[DunningStep, Invoice]]] = defaultdict(list)
    for step, invoice in rows:
        by_customer[step.customer_id].append((step, invoice))
    for customer_id, items in by_customer.items():
        customer = get_customer(session, customer_id)
        entries = [
            {
                "step": step,
                "invoice": invoice,
                "outstanding": quantize(step.outstanding, invoice.currency),
                "fee": quantize(step.fee, invoice.currency),
                "interest": quantize(step.interest, invoice.currency),
                "letter": render_letter(
                    step.template,
                    customer.language,
                    {"customer": customer, "invoice": invoice, "step": step, "company": seller},
                ),
            }
            for step, invoice in items
        ]
        mail = queue_email(
            session,
            key=f"dunning-digest/customer-{customer_id}/{on.isoformat()}/step-{items[0][0].id}",
            to=customer.email,
            template="dunning_digest",
            language=customer.language,
            context={"customer": customer, "entries": entries, "on": on, "company": seller},
        )
        for step, _ in items:
            step.digest_outbox_id = mail.id
            session.add(step)
    session.flush()
    # Every digest not sent yet, also those queued by an earlier attempt whose answer was lost.
    unsent = select(OutboxMessage.id).where(
        col(OutboxMessage.key).startswith("dunning-digest/"),
        OutboxMessage.state == OutboxState.PENDING,
    )
    return [i for i in session.exec(unsent.order_by(col(OutboxMessage.id))).all() if i]
