"""The daily digest on a time-skipped clock: one e-mail per customer listing every invoice that
reached a step that day, in the customer's language, and none on a day without news."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine

from o2c.mailcatcher import MailCatcher
from tests import factories
from tests.support.clock import moment
from tests.support.mail import body, received
from tests.support.workflows import Flow
from workflows.collection.dunning_digest import DunningDigestWorkflow


async def test_digest_sends_one_email_per_customer_listing_every_invoice_of_the_day(
    flow: Flow, sqlite_engine: Engine, mail_catcher: MailCatcher
) -> None:
    factories.dunning_policy(sqlite_engine)
    acme = factories.customer(sqlite_engine, "ACME")
    wang = factories.customer(sqlite_engine, "WANG", language="zh")
    due = await flow.today() + timedelta(days=5)
    first = factories.invoice(sqlite_engine, acme.id, "100.00", tax_rate="0", due=due)
    second = factories.invoice(sqlite_engine, acme.id, "250.00", tax_rate="0", due=due)
    third = factories.invoice(sqlite_engine, wang.id, "80.00", tax_rate="0", due=due)
    for invoice in (first, second, third):
        await flow.start_collection(invoice)
    await flow.sleep_until(moment(due, -3))

    async def digest() -> int:
        return await flow.env.client.execute_workflow(
            DunningDigestWorkflow.run, id=f"digest-{due}", task_queue=flow.worker.task_queue
        )

    assert await digest() == 2
    sent = received(mail_catcher)
    assert sorted(m["To"] for m in sent) == ["ap@acme.example", "ap@wang.example"]
    to_acme = next(m for m in sent if m["To"] == "ap@acme.example")
    text = body(to_acme)
    assert first.number in text and second.number in text and third.number not in text
    assert "Payment reminder" in str(to_acme["Subject"])
    to_wang = next(m for m in sent if m["To"] == "ap@wang.example")
    assert "付款提醒" in str(to_wang["Subject"]) and third.number in body(to_wang)

    # Nothing new today: no second e-mail. Level 1 ten days after due: one more per customer.
    assert await digest() == 0
    await flow.sleep_until(moment(due, 10))
    assert await digest() == 2
    level_one = [m for m in received(mail_catcher) if m["To"] == "ap@acme.example"][-1]
    assert "Payment overdue: 2 invoices" in str(level_one["Subject"])
    assert "Dunning fee: 5.00 USD" in body(level_one)
    assert len(mail_catcher.messages()) == 4
