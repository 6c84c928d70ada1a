"""The worker: every workflow and activity of o2c on one task queue, plus the outbox relay; PDFs
are rendered in a process pool beside it (o2c/pdf_processes.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy.engine import Engine
from temporalio.client import Client
from temporalio.worker import Worker

from activities.collection.registry import CollectionActivities
from activities.documents.mail_delivery import MailServer
from activities.documents.registry import MailActivities
from activities.fulfilment.planning import FulfilmentConfig
from activities.fulfilment.registry import FulfilmentActivities
from activities.receivables.registry import ReceivablesActivities
from activities.sales.registry import SalesActivities
from o2c.audit_actor import AuditActorInterceptor
from o2c.pdf_processes import pdf_renderer
from o2c.relay import relay_forever
from o2c.schedules import ensure_schedules
from o2c.settings import Settings
from workflows.collection.dunning_digest import DunningDigestWorkflow
from workflows.collection.invoice_collection import InvoiceCollectionWorkflow
from workflows.documents.mail_delivery import MailDeliveryWorkflow
from workflows.fulfilment.shipment import ShipmentWorkflow
from workflows.sales.order import OrderWorkflow

WORKFLOWS = [
    OrderWorkflow,
    ShipmentWorkflow,
    InvoiceCollectionWorkflow,
    DunningDigestWorkflow,
    MailDeliveryWorkflow,
]


def build_worker(
    client: Client, engine: Engine, settings: Settings, task_queue: str | None = None
) -> Worker:
    return Worker(
        client,
        task_queue=task_queue or settings.task_queue,
        workflows=WORKFLOWS,
        activities=activities(engine, settings),
        activity_executor=ThreadPoolExecutor(max_workers=16),
        max_concurrent_activities=16,
        interceptors=[AuditActorInterceptor()],
    )


def activities(engine: Engine, settings: Settings) -> list[Callable[..., Any]]:
    """Every area's registry, each given the settings it needs."""
    seller = settings.company_name
    mail = MailServer(settings.mail_from, settings.smtp_host, settings.smtp_port, seller)
    return [
        *SalesActivities(engine, settings.public_url).all(),
        *FulfilmentActivities(engine, fulfilment_config(settings)).all(),
        *ReceivablesActivities(engine, seller=seller).all(),
        *CollectionActivities(engine, seller=seller).all(),
        *MailActivities(engine, mail, pdf_renderer(settings.pdf_processes)).all(),
    ]


def fulfilment_config(settings: Settings) -> FulfilmentConfig:
    fulfilment = settings.fulfilment
    return FulfilmentConfig(
        hold_days=fulfilment.reservation_days,
        recheck_credit_classes=tuple(fulfilment.recheck_credit_classes),
        ops_email=fulfilment.ops_email,
        staff_language=fulfilment.staff_language,
        company=settings.company_name,
    )


async def run_worker(client: Client, engine: Engine, settings: Settings) -> None:
    worker = build_worker(client, engine, settings)
    await ensure_schedules(client, settings.task_queue)
    relay = asyncio.create_task(relay_forever(client, engine, settings.task_queue))
    try:
        await worker.run()
    finally:
        relay.cancel()
