"""CreditReviewWorkflow on the time-skipping server: monthly reviews propose a raise for a steady
payer near its limit and a lower limit with a hold for a late payer; a credit manager's answer
changes what the next order's credit gate reads; an unanswered proposal reminds and escalates."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from temporalio.client import WorkflowHandle

from activities.collection.cases import check_promise, record_promise
from activities.credit.profile import put_financials
from activities.sales.credit import check_credit
from models.collection.messages import PromiseCheckInput, PromiseInput
from models.credit.financials import FinancialsUpdate
from models.credit.messages import StartReviewInput
from models.credit.reviews import ReviewTrigger
from models.master_data.customers import Customer
from models.security.users import Role
from models.workflow_ids import credit_review_workflow_id
from o2c.mailcatcher import MailCatcher
from tests import factories
from tests.fixtures.histories import record_histories
from tests.support.api_client import ApiClient
from tests.support.mail import inbox
from tests.support.polling import eventually
from tests.support.workflows import Flow
from workflows.credit.credit_review import CreditReviewWorkflow

MONTH_ENDS = (date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31))
CREDIT_DESK = {"cm": [Role.CREDIT_MANAGER], "boss": [Role.ADMIN], "rep": [Role.SALES]}


@pytest.fixture(autouse=True)
def credit_desk(sqlite_engine: Engine) -> None:
    factories.staff(sqlite_engine, CREDIT_DESK)


@pytest.fixture(autouse=True)
async def recorded(flow: Flow, request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """With O2C_RECORD_HISTORIES set, the reviews' histories are written for tests/replay."""
    yield
    with Session(flow.engine) as session:
        customer_ids = session.exec(select(Customer.id)).all()
    runs = [(credit_review_workflow_id(i), None) for i in customer_ids]
    await record_histories(flow.env.client, request.node.name, runs)


async def review(flow: Flow, customer_id: int, as_of: date) -> WorkflowHandle[Any, str]:
    return await flow.env.client.start_workflow(
        CreditReviewWorkflow.run,
        StartReviewInput(customer_id=customer_id, trigger=ReviewTrigger.SCHEDULE, as_of=as_of),
        id=credit_review_workflow_id(customer_id),
        task_queue=flow.worker.task_queue,
    )


async def open_review(api: ApiClient, customer_id: int) -> dict[str, Any]:
    found = await eventually(
        lambda: api.get("/credit-reviews", "cm", params={"status": "open"}),
        lambda page: page["total"] == 1,
    )
    (item,) = found["items"]
    assert item["customer_id"] == customer_id
    return item  # type: ignore[no-any-return]


def gate_passes(engine: Engine, customer_id: int, amount: str) -> list[str]:
    with Session(engine) as session, session.begin():
        return check_credit(session, customer_id, Decimal(amount), date(2026, 4, 1)).reasons


def strong_financials(engine: Engine, customer_id: int) -> None:
    """Audited accounts: equity 100,000.00, 20 years trading, rated AAA."""
    with Session(engine) as session, session.begin():
        figures = {"as_of": date(2025, 12, 31), "source": "audited accounts"}
        put_financials(
            session,
            customer_id,
            FinancialsUpdate.model_validate(
                {
                    "currency": "USD",
                    "equity": {"value": "100000.00", **figures},
                    "years_trading": {"value": 20, **figures},
                    "external_rating": {"value": "AAA", **figures},
                }
            ),
            "cm",
        )


async def steady_payer_near_its_limit(flow: Flow) -> tuple[int, WorkflowHandle[Any, str]]:
    """Pays on time, owes 880.00 of its 1,000.00 at every month end, strong financials."""
    engine = flow.engine
    customer = factories.customer(engine, "STEADY", credit_limit="1000.00")
    strong_financials(engine, customer.id)
    paid = factories.invoice(engine, customer.id, "100.00", due=date(2025, 12, 1))
    factories.payment(engine, customer.id, "110.00", received_on=date(2025, 11, 30))
    assert paid.total == Decimal("110.00")
    handle = None
    for month_end in MONTH_ENDS:
        owed = factories.invoice(engine, customer.id, "800.00", due=month_end + timedelta(15))
        handle = await review(flow, customer.id, month_end)
        if month_end != MONTH_ENDS[-1]:
            assert await handle.result() == "no_change"
            factories.payment(
                engine,
                customer.id,
                "880.00",
                received_on=month_end + timedelta(14),
                allocations={owed.id: "880.00"},
            )
    assert handle is not None
    return customer.id, handle


async def late_payer(flow: Flow) -> tuple[int, WorkflowHandle[Any, str]]:
    """Pays each month's invoice 20 days after it fell due, three months running."""
    engine = flow.engine
    customer = factories.customer(engine, "LATE", credit_limit="10000.00")
    handle = None
    for month_end in MONTH_ENDS:
        due = month_end.replace(day=5)
        owed = factories.invoice(engine, customer.id, "1000.00", due=due)
        factories.payment(
            engine,
            customer.id,
            "1100.00",
            received_on=due + timedelta(20),
            allocations={owed.id: "1100.00"},
        )
        handle = await review(flow, customer.id, month_end)
        if month_end != MONTH_ENDS[-1]:
            assert await handle.result() == "no_change"
    assert handle is not None
    return customer.id, handle


async def test_a_steady_payer_near_its_limit_is_proposed_a_raise_that_the_gate_then_reads(
    flow: Flow, live_api: ApiClient
) -> None:
    customer_id, handle = await steady_payer_near_its_limit(flow)
    proposal = await open_review(live_api, customer_id)
    assert (proposal["grade"], proposal["rule"]) == ("A", "steady payer near its limit")
    assert proposal["rule_set_version"] == 1
    assert (proposal["limit_before"], proposal["proposed_limit"]) == ("1000.00", "1200.00")
    assert proposal["proposed_hold"] is False
    assert gate_passes(flow.engine, customer_id, "300.00") != []

    accepted = await live_api.post(
        f"/credit-reviews/{proposal['id']}/accept", "cm", {"comment": "pays like clockwork"}
    )

    assert accepted.status_code == 200, accepted.text
    assert (accepted.json()["status"], accepted.json()["decided_by"]) == ("accepted", "cm")
    assert await handle.result() == "accepted"
    assert (await live_api.get(f"/customers/{customer_id}", "cm"))["credit_limit"] == "1200.00"
    assert gate_passes(flow.engine, customer_id, "300.00") == []
    (change,) = (await live_api.get(f"/customers/{customer_id}/credit-history", "cm"))["items"]
    assert (change["source"], change["before"], change["after"]) == ("review", "1000.00", "1200.00")
    assert (change["reason"], change["review_id"]) == ("pays like clockwork", proposal["id"])


async def test_a_late_payer_three_months_running_is_proposed_a_lower_limit_and_a_hold(
    flow: Flow, live_api: ApiClient
) -> None:
    customer_id, handle = await late_payer(flow)
    proposal = await open_review(live_api, customer_id)
    assert proposal["rule"] == "pays late three months running"
    assert (proposal["proposed_limit"], proposal["proposed_hold"]) == ("7500.00", True)
    assert proposal["days_beyond_terms"] == "20.0"

    await live_api.post(f"/credit-reviews/{proposal['id']}/accept", "cm", expect=200)

    assert await handle.result() == "accepted"
    assert (await live_api.get(f"/customers/{customer_id}", "cm"))["credit_limit"] == "7500.00"
    assert gate_passes(flow.engine, customer_id, "1.00") == [
        "a credit review put the customer on credit hold"
    ]
    history = (await live_api.get(f"/customers/{customer_id}/credit-history", "cm"))["items"]
    assert [(c["term"], c["after"]) for c in history] == [
        ("credit_limit", "7500.00"),
        ("credit_hold", "on"),
    ]


async def test_accepting_a_proposal_whose_limit_changed_since_is_409_but_it_may_be_rejected(
    flow: Flow, live_api: ApiClient
) -> None:
    customer_id, handle = await late_payer(flow)
    proposal = await open_review(live_api, customer_id)
    await live_api.call(
        "PATCH", f"/customers/{customer_id}", "cm", expect=200, json={"credit_limit": "9000.00"}
    )

    stale = await live_api.post(f"/credit-reviews/{proposal['id']}/accept", "cm")

    assert stale.status_code == 409, stale.text
    assert "changed since" in stale.json()["detail"]
    assert (await live_api.get(f"/credit-reviews/{proposal['id']}", "cm"))["status"] == "open"
    await live_api.post(f"/credit-reviews/{proposal['id']}/accept", "rep", expect=403)
    rejected = await live_api.post(
        f"/credit-reviews/{proposal['id']}/reject", "cm", {"comment": "limit already cut"}
    )
    assert rejected.status_code == 200, rejected.text
    assert await handle.result() == "rejected"
    assert (await live_api.get(f"/customers/{customer_id}", "cm"))["credit_limit"] == "9000.00"


async def test_an_adjusted_proposal_applies_the_credit_managers_limit(
    flow: Flow, live_api: ApiClient
) -> None:
    customer_id, handle = await late_payer(flow)
    proposal = await open_review(live_api, customer_id)
    path = f"/credit-reviews/{proposal['id']}/adjust"
    refused = await live_api.post(path, "cm", {"comment": "no figure"})
    assert refused.status_code == 422, refused.text

    adjusted = await live_api.post(path, "cm", {"credit_limit": "8000.00", "comment": "met them"})

    assert adjusted.status_code == 200, adjusted.text
    assert adjusted.json()["status"] == "adjusted"
    assert await handle.result() == "adjusted"
    assert (await live_api.get(f"/customers/{customer_id}", "cm"))["credit_limit"] == "8000.00"


async def test_an_unanswered_proposal_reminds_the_credit_managers_then_escalates_to_admins(
    flow: Flow, mail_catcher: MailCatcher
) -> None:
    _, handle = await late_payer(flow)
    mailbox = inbox(mail_catcher)
    waiting = ("cm@o2c.example", "A credit review of LATE waits for your decision")
    await eventually(mailbox, lambda mails: mails == [waiting])

    await flow.env.sleep(timedelta(hours=49))
    reminded = ("cm@o2c.example", "Reminder: a credit review of LATE waits for your decision")
    await eventually(mailbox, lambda mails: mails == [waiting, reminded])
    await flow.env.sleep(timedelta(hours=72))

    escalated = ("boss@o2c.example", "Escalated: a credit review of LATE waits for a decision")
    await eventually(mailbox, lambda mails: mails == [waiting, reminded, escalated])
    assert (await handle.query(CreditReviewWorkflow.current_review))["escalated"] is True
    await handle.terminate("test over")


async def test_a_broken_promise_starts_a_review_at_once(flow: Flow, live_api: ApiClient) -> None:
    customer = factories.customer(flow.engine, "PROMISED", credit_limit="5000.00")
    owed = factories.invoice(flow.engine, customer.id, "1000.00", due=date(2026, 10, 1))
    at = datetime(2026, 11, 1, tzinfo=UTC)
    with Session(flow.engine) as session, session.begin():
        promise_id = record_promise(
            session,
            PromiseInput(
                user="cm",
                promised_date=date(2026, 11, 10),
                amount=Decimal(500),
                invoice_id=owed.id,
                at=at,
            ),
        )
        assert check_promise(session, PromiseCheckInput(promise_id=promise_id, at=at)) is False

    await flow.relay()

    reviews = await eventually(
        lambda: live_api.get("/credit-reviews", "cm", params={"customer_id": customer.id}),
        lambda page: page["total"] == 1,
    )
    (made,) = reviews["items"]
    assert (made["trigger"], made["status"]) == ("broken_promise", "no_change")
    assert made["grade"] in {"C", "D", "E"}
