"""A refusal by a separated-duty rule is kept in the audit trail as `duty_refused`, with who,
the route, the rule, the address and the request id, also when a workflow refuses it. (The
rules' other refusals are asserted beside their own tests in this folder.)"""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models.security.audit import AuditAction, AuditEvent
from models.security.users import Role
from tests import factories
from tests.support.api_client import ApiClient
from tests.support.audit import duty_refusals
from tests.support.workflows import Flow


async def test_a_write_off_decided_by_its_proposer_is_refused_and_recorded(
    flow: Flow, sqlite_engine: Engine, live_api: ApiClient
) -> None:
    factories.user(sqlite_engine, "fay", [Role.FINANCE, Role.APPROVER])
    customer = factories.customer(sqlite_engine)
    issued = factories.invoice(sqlite_engine, customer.id, "1000.00", issued=await flow.today())
    await flow.start_collection(issued)
    waiting = await live_api.post(
        f"/invoices/{issued.id}/write-off", "fay", {"reason": "insolvent"}, expect=202
    )
    decide = f"/invoices/{issued.id}/write-offs/{waiting.json()['id']}/decision"

    own = await live_api.post(decide, "fay", {"approve": True}, headers={"X-Request-ID": "req-77"})

    assert own.status_code == 403, own.text
    rule = "a write-off is decided by someone other than who asked for it"
    assert own.json()["detail"] == rule
    assert duty_refusals(sqlite_engine) == [("fay", f"/api/v1{decide}", rule)]
    with Session(sqlite_engine) as session:
        (event,) = session.exec(
            select(AuditEvent).where(AuditEvent.action == AuditAction.DUTY_REFUSED)
        ).all()
    assert (event.address, event.request_id) == ("127.0.0.1", "req-77")
    shown = await live_api.get(f"/invoices/{issued.id}", "fay")
    assert shown["written_off"] == "0.00"


async def test_a_refusal_by_role_is_no_duty_refusal(api: ApiClient, engine: Engine) -> None:
    customer = factories.customer(engine)
    denied = await api.call("PATCH", f"/customers/{customer.id}", Role.WAREHOUSE, json={})
    assert denied.status_code == 403
    assert duty_refusals(engine) == []
