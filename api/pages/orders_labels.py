"""The words a person reads for an order's states and the kinds of its timeline's entries (the
database keeps codes); translated where shown."""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup, escape

from api.pages.i18n import N_, translations
from models.sales.order_status import OrderStatus

S = OrderStatus
STATUS_WORDS: dict[str, str] = {
    S.CREDIT_HOLD: N_("Credit hold"),
    S.PENDING_APPROVAL: N_("Pending approval"),
    S.APPROVED: N_("Approved"),
    S.REJECTED: N_("Rejected"),
    S.BACKORDERED: N_("Backordered"),
    S.AWAITING_SHIPMENT: N_("Awaiting shipment"),
    S.PARTIALLY_SHIPPED: N_("Partially shipped"),
    S.SHIPPED: N_("Shipped"),
    S.DELIVERED: N_("Delivered"),
    S.INVOICED: N_("Invoiced"),
    S.PAID: N_("Paid"),
    S.CLOSED: N_("Closed"),
    S.CANCELLED: N_("Cancelled"),
}
EVENT_WORDS: dict[str, str] = {
    **STATUS_WORDS,
    "created": N_("Entered"),
    "submitted": N_("Submitted for approval"),
    "credit_hold": N_("Put on credit hold"),
    "credit_blocked": N_("Blocked by credit"),
    "credit_released": N_("Credit hold released"),
    "credit_hold_expired": N_("Credit hold expired"),
    "amended": N_("Amended"),
    "approval_waiting": N_("Waiting for approval"),
    "approval_expired": N_("Approval expired"),
    "reservation_expired": N_("Reservation expired"),
    "shipment_planned": N_("Shipment planned"),
    "shipment_released": N_("Shipment released"),
    "shipment_late": N_("Shipment late"),
    "dispatched": N_("Dispatched"),
    "delivered": N_("Delivered"),
    "tracking": N_("Tracking update"),
    "returned": N_("Returned"),
}


@lru_cache(maxsize=8)
def status_labels(language: str) -> dict[str, str]:
    """Each state's word in `language`: a list draws one per row and one per filter choice, each
    looked up and translated once per language, not once per use."""
    gettext = translations(language).gettext
    return {status: gettext(word) for status, word in STATUS_WORDS.items()}


@lru_cache(maxsize=8)
def escaped_labels(language: str) -> dict[str, str]:
    """`status_labels` made safe to write into HTML as they are."""
    return {status: str(escape(word)) for status, word in status_labels(language).items()}


@lru_cache(maxsize=64)
def status_options(language: str, chosen: str) -> Markup:
    """The status filter's choices, `chosen` (a state's code, else none) selected: the same for
    every list in `language` with that filter, so written once (each choice's word looked up and
    escaped, and the one chosen marked, on every render: ~0.05 ms a list)."""
    labels = escaped_labels(language)
    return Markup(
        "".join(
            f'<option value="{status.value}"{" selected" if status == chosen else ""}>'
            f"{labels[status]}</option>"
            for status in OrderStatus
        )
    )


def order_words() -> dict[str, dict[str, str]]:
    """For a template: `_(status_words[order.status])`, `_(event_words.get(kind, kind))`."""
    return {"status_words": STATUS_WORDS, "event_words": EVENT_WORDS}
