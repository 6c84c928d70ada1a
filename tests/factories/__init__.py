"""Builders of the rows tests start from, one per thing, made through the same use cases the
API calls (`factories.customer(engine)`, `factories.invoice(engine, customer_id)`...)."""

from tests.factories.customers import ACME, NEW_ACME, customer, posted_customer
from tests.factories.invoices import invoice
from tests.factories.orders import ORDER_DAY, approve, order, widget_order
from tests.factories.payments import payment
from tests.factories.policies import (
    DUNNING_LADDER,
    RUN_AT,
    approval_policy,
    credit_policy,
    dunning_policy,
)
from tests.factories.products import WIDGET, posted_product, product
from tests.factories.shipments import deliver, dispatch, plan, plan_only, planned_order
from tests.factories.stock import posted_receipt, receive, warehouse
from tests.factories.users import (
    COLLECTIONS_TEAM,
    PASSWORD,
    SALES_DESK,
    one_user_per_role,
    staff,
    user,
)

__all__ = [
    "ACME",
    "NEW_ACME",
    "COLLECTIONS_TEAM",
    "DUNNING_LADDER",
    "ORDER_DAY",
    "PASSWORD",
    "RUN_AT",
    "SALES_DESK",
    "WIDGET",
    "approval_policy",
    "approve",
    "credit_policy",
    "customer",
    "deliver",
    "dispatch",
    "dunning_policy",
    "invoice",
    "one_user_per_role",
    "order",
    "payment",
    "plan",
    "plan_only",
    "planned_order",
    "posted_customer",
    "posted_product",
    "posted_receipt",
    "product",
    "receive",
    "staff",
    "user",
    "warehouse",
    "widget_order",
]
