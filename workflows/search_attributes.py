"""The search attributes of docs/architecture.md: registered by the dev stack and tests, kept
current by the workflows. They carry ids and states only, never personal data."""

from __future__ import annotations

from typing import Any

from temporalio.common import SearchAttributeKey

ORDER_STATUS = SearchAttributeKey.for_keyword("OrderStatus")
CUSTOMER_ID = SearchAttributeKey.for_keyword("CustomerId")
ORDER_TOTAL = SearchAttributeKey.for_float("OrderTotal")
DUNNING_LEVEL = SearchAttributeKey.for_int("DunningLevel")
INVOICE_DUE_DATE = SearchAttributeKey.for_datetime("InvoiceDueDate")
ASSIGNED_TO = SearchAttributeKey.for_keyword("AssignedTo")

ALL: list[SearchAttributeKey[Any]] = [
    ORDER_STATUS,
    CUSTOMER_ID,
    ORDER_TOTAL,
    DUNNING_LEVEL,
    INVOICE_DUE_DATE,
    ASSIGNED_TO,
]
