"""The ids of the long-lived workflows, built from the record they follow, in one place: the
API, the outbox and the workflows themselves must agree on them (table-free: every layer imports
it)."""

from __future__ import annotations


def order_workflow_id(order_id: int | None) -> str:
    """OrderWorkflow of one sales order."""
    return f"order-{order_id}"


def shipment_workflow_id(shipment_id: int | None) -> str:
    """ShipmentWorkflow of one shipment, child of its order's workflow."""
    return f"shipment-{shipment_id}"


def invoice_workflow_id(invoice_id: int | None) -> str:
    """InvoiceCollectionWorkflow of one invoice."""
    return f"invoice-{invoice_id}"


def mail_workflow_id(outbox_id: int | None) -> str:
    """MailDeliveryWorkflow of one queued mail (the invoice mail, sent beside its order)."""
    return f"mail-{outbox_id}"


def documents_task_queue(task_queue: str) -> str:
    """The queue of the worker's documents worker: mails that wait for a PDF take its slots, not
    those of the order steps on `task_queue`."""
    return f"{task_queue}-documents"


def shipment_event_id(shipment_id: int | None, what: str) -> str:
    """A shipment's event (dispatched, delivered, a tracking scan ...): workflows drop repeats
    of the same id, so it names the shipment and the event."""
    return f"{shipment_workflow_id(shipment_id)}/{what}"


def credit_review_workflow_id(customer_id: int | None) -> str:
    """CreditReviewWorkflow of one customer: one review (and its proposal) at a time."""
    return f"credit-review-{customer_id}"
