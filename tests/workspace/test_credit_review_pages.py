"""The credit review queue and the customer's credit page over HTTP, on running workflows: a
proposal shows its customer, the limit it was made for and the one proposed, the rule and its
age; accepting it changes the limit and the row leaves; a refusal is named next to its field; a
proposal gone stale says so; the credit page shows the score with each factor's points, as the
API's credit profile, and the credit history to those the API lets read it."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.credit.profile import credit_profile
from activities.credit.review_rule_versions import save_review_rules
from models.credit.messages import StartReviewInput
from models.credit.review_rule_versions import ReviewRulesCreate
from models.master_data.customers import Customer
from models.workflow_ids import credit_review_workflow_id
from o2c.settings import Settings
from tests import factories
from tests.support.polling import eventually
from tests.support.workflows import Flow
from tests.workspace.pages import Person
from workflows.credit.credit_review import CreditReviewWorkflow

RAISE_EVERYONE = {"rules": [{"name": "raise everyone a tenth", "change_limit_pct": "10"}]}
REVIEW_ROW = re.compile(r'id="review-(\d+)"')


@pytest.fixture
async def proposal(flow: Flow, sqlite_engine: Engine) -> int:
    """ACME (limit 1,000.00) reviewed under rules that raise every customer by 10 %."""
    customer = factories.customer(sqlite_engine, credit_limit="1000.00")
    with Session(sqlite_engine) as session, session.begin():
        save_review_rules(session, ReviewRulesCreate.model_validate(RAISE_EVERYONE), "cm")
    await flow.env.client.start_workflow(
        CreditReviewWorkflow.run,
        StartReviewInput(customer_id=customer.id, as_of=date.today()),
        id=credit_review_workflow_id(customer.id),
        task_queue=flow.worker.task_queue,
    )
    return customer.id


async def queue_with_proposal(cm: Person) -> tuple[httpx.Response, int]:
    queue = await eventually(
        lambda: cm.open("/app/credit/reviews"), lambda page: "ACME Ltd" in page.text
    )
    found = REVIEW_ROW.search(queue.text)
    assert found is not None
    return queue, int(found.group(1))


async def test_the_queue_shows_a_proposal_and_accepting_it_raises_the_limit(
    proposal: int, cm: Person, sqlite_engine: Engine
) -> None:
    queue, review_id = await queue_with_proposal(cm)
    assert queue.status_code == 200
    assert "1,000.00 USD" in queue.text and "1,100.00 USD" in queue.text  # now, proposed
    assert "raise everyone a tenth" in queue.text and "rules version 2" in queue.text
    assert "Waiting for 0 days" in queue.text

    answer = await cm.submit(
        queue, f"/app/credit/reviews/{review_id}", key="k-1", verdict="accept", comment="sound"
    )

    assert answer.status_code == 200 and answer.text == ""  # htmx takes the row out
    assert answer.headers["HX-Retarget"] == f"#review-{review_id}"
    assert "ACME Ltd" not in (await cm.open("/app/credit/reviews")).text
    page = await cm.open(f"/app/customers/{proposal}/credit")
    assert "1,100.00 USD" in page.text  # the new limit
    assert "Credit history" in page.text and "credit review" in page.text
    assert "1000.00" in page.text and "1100.00" in page.text and "sound" in page.text


async def test_a_refused_answer_is_named_next_to_its_field_and_the_row_stays(
    proposal: int, cm: Person
) -> None:
    queue, review_id = await queue_with_proposal(cm)
    action = f"/app/credit/reviews/{review_id}"

    blank = await cm.submit(queue, action, verdict="reject", comment="  ")
    assert blank.text.count('class="field-error"') == 1 and 'name="comment"' in blank.text
    neither = await cm.submit(queue, action, verdict="adjust", comment="why not")
    assert "give a credit_limit or a credit_class" in neither.text
    assert 'value="why not"' in neither.text  # what was typed is kept
    wrong = await cm.submit(queue, action, verdict="adjust", comment="x", credit_limit="-5")
    assert 'class="field-error"' in wrong.text and 'value="-5"' in wrong.text
    assert "ACME Ltd" in (await cm.open("/app/credit/reviews")).text


async def test_a_proposal_whose_limit_changed_since_says_so_but_may_be_rejected(
    proposal: int, cm: Person, sqlite_engine: Engine
) -> None:
    queue, review_id = await queue_with_proposal(cm)
    with Session(sqlite_engine) as session, session.begin():
        customer = session.get(Customer, proposal)
        assert customer is not None
        customer.credit_limit = Decimal("2000.00")
    action = f"/app/credit/reviews/{review_id}"

    stale = await cm.submit(queue, action, verdict="accept", comment="")

    assert "Not done:" in stale.text and "review again" in stale.text
    rejected = await cm.submit(queue, action, verdict="reject", comment="limit already raised")
    assert rejected.text == ""
    assert "ACME Ltd" not in (await cm.open("/app/credit/reviews")).text


async def test_the_credit_page_shows_the_score_of_the_credit_profile_and_history_to_its_readers(
    cm: Person, flow: Flow, sqlite_engine: Engine, live_settings: Settings
) -> None:
    customer = factories.customer(sqlite_engine, credit_limit="1000.00")
    with Session(sqlite_engine) as session:
        scored = credit_profile(session, customer.id, date.today()).score

    page = await cm.open(f"/app/customers/{customer.id}/credit")

    assert f"<strong>{scored.score}</strong> / 100" in page.text
    assert f'class="grade-{scored.grade}">{scored.grade}</strong>' in page.text
    for factor in scored.factors:
        row = re.search(rf'data-factor="{factor.factor}">(.*?)</tr>', page.text)
        assert row is not None, factor.factor
        assert f'<td class="num">{factor.points}</td>' in row.group(1)
    assert "Days paid beyond terms" in page.text
    assert "have not changed" in page.text  # no change of limit, class or hold yet
    rep = Person(sqlite_engine, live_settings, flow.env.client)
    await rep.log_in("rep")
    seen_by_rep = await rep.open(f"/app/customers/{customer.id}/credit")
    assert seen_by_rep.status_code == 200 and "/ 100" in seen_by_rep.text
    assert "Credit history" not in seen_by_rep.text  # the API keeps it from sales
    refused = await rep.open("/app/credit/reviews")
    assert refused.status_code == 403 and "This page is not open to your roles." in refused.text
    await rep.aclose()
