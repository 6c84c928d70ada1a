"""The worker: every workflow and activity of o2c on one task queue, plus the outbox relay and
the retention purge; PDFs are rendered in a process pool beside it (o2c/pdf_processes.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from sqlalchemy.engine import Engine
from temporalio.client import Client
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from activities.collection.registry import CollectionActivities
from activities.credit.registry import CreditActivities
from activities.credit.reviews import ReviewConfig
from activities.documents.mail_delivery import MailServer
from activities.documents.registry import MailActivities
from activities.fulfilment.planning import FulfilmentConfig
from activities.fulfilment.registry import FulfilmentActivities
from activities.imports.interrupted import fail_interrupted_imports
from activities.receivables.registry import ReceivablesActivities
from activities.sales.registry import SalesActivities
from models.workflow_ids import documents_task_queue
from o2c.audit_actor import AuditActorInterceptor
from o2c.heap import settle_heap
from o2c.pdf_processes import pdf_renderer
from o2c.relay import relay_forever
from o2c.retention import purge_forever
from o2c.schedules import ensure_schedules
from o2c.settings import Settings
from workflows.collection.dunning_digest import DunningDigestWorkflow
from workflows.collection.invoice_collection import InvoiceCollectionWorkflow
from workflows.credit.credit_alerts import CreditAlertsWorkflow
from workflows.credit.credit_review import CreditReviewWorkflow
from workflows.credit.credit_reviews_monthly import MonthlyCreditReviewWorkflow
from workflows.documents.mail_delivery import MailDeliveryWorkflow
from workflows.fulfilment.shipment import ShipmentWorkflow
from workflows.sales.order import OrderWorkflow

# Each workflow run still gets the sandbox's restrictions (no clock, no I/O, no randomness), but
# imports pass through to the modules the worker loaded once: o2c's workflows already import
# their models, activities and stages that way; re-executing the rest (each workflow's own
# module) for every run cost CPU for nothing (Temporal's docs: pass through deterministic modules).
WORKFLOW_RUNNER = SandboxedWorkflowRunner(
    restrictions=SandboxRestrictions.default.with_passthrough_all_modules()
)
# Mails in flight on the documents queue: they cost no thread while their PDFs render.
DOCUMENT_MAILS_AT_ONCE = 100
WORKFLOWS = [
    OrderWorkflow,
    ShipmentWorkflow,
    InvoiceCollectionWorkflow,
    DunningDigestWorkflow,
    CreditReviewWorkflow,
    MonthlyCreditReviewWorkflow,
    CreditAlertsWorkflow,
    MailDeliveryWorkflow,
]


class WorkerWithDocuments(Worker):
    """The worker of every workflow and activity, running its documents worker beside it (on
    `{task_queue}-documents`): mails that wait for a PDF take that worker's slots, never those
    of the order steps."""

    def __init__(self, *args: Any, documents: Worker, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.documents = documents

    async def run(self) -> None:
        async with self.documents:
            await super().run()


def build_worker(
    client: Client, engine: Engine, settings: Settings, task_queue: str | None = None
) -> Worker:
    queue = task_queue or settings.task_queue
    mail = mail_activities(engine, settings)
    return WorkerWithDocuments(
        client,
        task_queue=queue,
        workflows=WORKFLOWS,
        workflow_runner=WORKFLOW_RUNNER,
        activities=[*activities(engine, settings), *mail],
        activity_executor=ThreadPoolExecutor(max_workers=16, thread_name_prefix="o2c-activity"),
        max_concurrent_activities=16,
        interceptors=[AuditActorInterceptor()],
        documents=Worker(
            client,
            task_queue=documents_task_queue(queue),
            activities=mail,  # async: they wait for the PDF processes and SMTP, in no thread
            max_concurrent_activities=DOCUMENT_MAILS_AT_ONCE,
            interceptors=[AuditActorInterceptor()],
        ),
    )


def activities(engine: Engine, settings: Settings) -> list[Callable[..., Any]]:
    """Every area's registry, each given the settings it needs (mail: `mail_activities`)."""
    seller = settings.company_name
    return [
        *SalesActivities(engine, settings.public_url).all(),
        *FulfilmentActivities(engine, fulfilment_config(settings)).all(),
        *ReceivablesActivities(engine, seller=seller).all(),
        *CollectionActivities(engine, seller=seller).all(),
        *CreditActivities(engine, review_config(settings), settings.public_url).all(),
    ]


def review_config(settings: Settings) -> ReviewConfig:
    return ReviewConfig(
        remind_after=timedelta(hours=settings.credit_review_remind_hours),
        escalate_after=timedelta(hours=settings.credit_review_escalate_hours),
        approval=settings.raise_approval(),
    )


def mail_activities(engine: Engine, settings: Settings) -> list[Callable[..., Any]]:
    seller = settings.company_name
    mail = MailServer(settings.mail_from, settings.smtp_host, settings.smtp_port, seller)
    return MailActivities(engine, mail, pdf_renderer(settings.pdf_processes)).all()


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
    # Imports a dead process of this host left running (an `o2c import` killed mid-write).
    await asyncio.to_thread(fail_interrupted_imports, engine)
    worker = build_worker(client, engine, settings)
    await ensure_schedules(
        client,
        settings.task_queue,
        settings.credit_review_day,
        settings.credit_alert_digest_above,
    )
    relay = asyncio.create_task(relay_forever(client, engine, settings.task_queue))
    purge = asyncio.create_task(purge_forever(engine, settings))
    settle_heap()  # all loaded and built: kept out of the collector's full passes
    try:
        await worker.run()
    finally:
        relay.cancel()
        purge.cancel()
