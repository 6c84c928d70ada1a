"""CreditAlertsWorkflow on the time-skipping server, mailing through a real SMTP catcher: a
customer crossing 80 % or 100 % utilisation, or dropping a grade, is mailed to the credit
managers once per crossing, in their language; many crossings come as one digest."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import count

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models.credit.reviews import CreditReview, ReviewTrigger
from models.credit.scorecard import Grade
from models.security.users import Role, User
from o2c.mailcatcher import MailCatcher
from tests import factories
from tests.fixtures.histories import record_histories
from tests.support.mail import body, inbox, received
from tests.support.polling import eventually
from tests.support.workflows import Flow
from workflows.credit.credit_alerts import CreditAlertsWorkflow

CREDIT_DESK = {"cm": [Role.CREDIT_MANAGER], "tw": [Role.CREDIT_MANAGER], "rep": [Role.SALES]}
runs = count(1)


@pytest.fixture(autouse=True)
def credit_desk(sqlite_engine: Engine) -> None:
    factories.staff(sqlite_engine, CREDIT_DESK)
    with Session(sqlite_engine) as session, session.begin():
        taiwan = session.exec(select(User).where(User.username == "tw")).one()
        taiwan.language = "zh_Hant"
        session.add(taiwan)


async def alert_run(flow: Flow, digest_above: int = 5) -> str:
    """One day's run, as the Schedule starts it (its id); the next run is a day later."""
    workflow_id = f"credit-alerts-{next(runs)}"
    await flow.env.client.execute_workflow(
        CreditAlertsWorkflow.run,
        digest_above,
        id=workflow_id,
        task_queue=flow.worker.task_queue,
    )
    await flow.env.sleep(timedelta(days=1))
    return workflow_id


async def mails_become(catcher: MailCatcher, expected: list[tuple[str, str]]) -> None:
    await eventually(inbox(catcher), lambda mails: sorted(mails) == sorted(expected))


def graded(engine: Engine, customer_id: int, grade: Grade, as_of: date) -> None:
    with Session(engine) as session, session.begin():
        session.add(
            CreditReview(
                customer_id=customer_id,
                trigger=ReviewTrigger.SCHEDULE,
                as_of=as_of,
                score=50,
                grade=grade,
                limit_before=Decimal("1000.00"),
                class_before="standard",
            )
        )


async def test_each_crossing_of_80_and_100_percent_is_mailed_once(
    flow: Flow, mail_catcher: MailCatcher
) -> None:
    engine = flow.engine
    customer = factories.customer(engine, "NEAR", credit_limit="1000.00")
    factories.invoice(engine, customer.id, "800.00")  # 880.00 with tax: 88 %
    await alert_run(flow)
    at_80 = [
        ("cm@o2c.example", "Credit alert: NEAR"),
        ("tw@o2c.example", "信用警示：NEAR"),
    ]
    await mails_become(mail_catcher, at_80)
    english = next(m for m in received(mail_catcher) if m["To"] == "cm@o2c.example")
    assert "NEAR Ltd (NEAR): has reached 80 percent of its credit limit" in body(english)
    chinese = next(m for m in received(mail_catcher) if m["To"] == "tw@o2c.example")
    assert "已達信用額度的百分之八十" in body(chinese)

    await alert_run(flow)  # the next day, still at 88 %: nothing new
    await mails_become(mail_catcher, at_80)

    factories.invoice(engine, customer.id, "200.00")  # 1,100.00 of 1,000.00
    await alert_run(flow)
    over = [("cm@o2c.example", "Credit alert: NEAR"), ("tw@o2c.example", "信用警示：NEAR")]
    await mails_become(mail_catcher, at_80 + over)
    assert "NEAR Ltd (NEAR): is over its credit limit, 1,100.00 / 1,000.00 USD" in body(
        [m for m in received(mail_catcher) if m["To"] == "cm@o2c.example"][-1]
    )

    factories.payment(engine, customer.id, "1100.00")  # back to nothing owed
    await alert_run(flow)
    await mails_become(mail_catcher, at_80 + over)

    factories.invoice(engine, customer.id, "850.00")  # 935.00: crossing 80 % again
    await alert_run(flow)
    await mails_become(mail_catcher, at_80 + over + at_80)
    assert "has reached 80 percent" in body(
        [m for m in received(mail_catcher) if m["To"] == "cm@o2c.example"][-1]
    )


async def test_a_grade_drop_is_mailed(flow: Flow, mail_catcher: MailCatcher) -> None:
    customer = factories.customer(flow.engine, "SLIPPING", credit_limit="1000.00")
    graded(flow.engine, customer.id, Grade.B, date(2026, 9, 30))
    await alert_run(flow)  # the first grade seen is no drop
    graded(flow.engine, customer.id, Grade.A, date(2026, 10, 31))
    await alert_run(flow)  # a better grade is no drop either

    graded(flow.engine, customer.id, Grade.D, date(2026, 11, 30))
    await alert_run(flow)

    await mails_become(
        mail_catcher,
        [("cm@o2c.example", "Credit alert: SLIPPING"), ("tw@o2c.example", "信用警示：SLIPPING")],
    )
    english = next(m for m in received(mail_catcher) if m["To"] == "cm@o2c.example")
    assert "SLIPPING Ltd (SLIPPING): its grade dropped from A to D" in body(english)


async def test_many_crossings_come_as_one_digest(flow: Flow, mail_catcher: MailCatcher) -> None:
    for code in ("ONE", "TWO", "THREE"):
        customer = factories.customer(flow.engine, code, credit_limit="1000.00")
        factories.invoice(flow.engine, customer.id, "1000.00")  # 110 %: past 80 and 100

    run = await alert_run(flow, digest_above=5)

    digest = [
        ("cm@o2c.example", "Credit alerts: 6 crossings"),
        ("tw@o2c.example", "信用警示：6 項變動"),
    ]
    await mails_become(mail_catcher, digest)
    english = next(m for m in received(mail_catcher) if m["To"] == "cm@o2c.example")
    for code in ("ONE", "TWO", "THREE"):
        assert f"{code} Ltd ({code}): is over its credit limit" in body(english)
    await record_histories(flow.env.client, "test_many_crossings_come_as_one_digest", [(run, None)])
