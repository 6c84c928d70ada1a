"""The daily digest Schedule on the real dev server: created at worker start, brought up to date
on the next start, and when it fires the customer gets one e-mail listing their invoices."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session
from temporalio.client import ScheduleActionStartWorkflow
from temporalio.testing import WorkflowEnvironment

from activities.collection.dunning import take_step
from models.collection.messages import TakeStepInput
from o2c.mailcatcher import MailCatcher
from o2c.schedules import DUNNING_DIGEST_ID, ensure_schedules
from o2c.settings import Settings
from o2c.worker import build_worker
from tests import factories
from tests.support.clock import clear_of_midnight
from tests.support.polling import eventually, reading


async def test_worker_start_keeps_the_daily_digest_schedule_and_it_mails_customers(
    sqlite_engine: Engine,
    dev_server_env: WorkflowEnvironment,
    mail_catcher: MailCatcher,
    worker_settings: Settings,
) -> None:
    client = dev_server_env.client
    settings = worker_settings
    await ensure_schedules(client, "somewhere-else")
    await ensure_schedules(client, settings.task_queue)  # the second start updates it
    handle = client.get_schedule_handle(DUNNING_DIGEST_ID)
    try:
        described = await handle.describe()
        action = described.schedule.action
        assert isinstance(action, ScheduleActionStartWorkflow)
        assert action.workflow == "DunningDigestWorkflow"
        assert action.task_queue == settings.task_queue
        assert [c.hour[0].start for c in described.schedule.spec.calendars] == [7]

        await clear_of_midnight()  # the step is taken today, the digest reads its own today
        factories.dunning_policy(sqlite_engine)
        customer = factories.customer(sqlite_engine)
        today = datetime.now(UTC).date()
        due = today + timedelta(days=3)
        invoice = factories.invoice(sqlite_engine, customer.id, "1000.00", tax_rate="0", due=due)
        with Session(sqlite_engine) as session, session.begin():
            take_step(
                session,
                TakeStepInput(
                    invoice_id=invoice.id,
                    level=0,
                    spec=None,
                    days_past_due=0,
                    interest_days=0,
                    on=today,
                    at=datetime.now(UTC),
                ),
            )
        async with build_worker(client, sqlite_engine, settings):
            await handle.trigger()
            sent = await eventually(reading(mail_catcher.messages), lambda m: len(m) == 1)
        assert invoice.number.encode() in sent[0]
    finally:
        await handle.delete()
