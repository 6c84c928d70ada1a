"""Helpers for OrderWorkflow tests that go through the real entry path: orders are created by
the use case, their workflows started by the outbox relay (id `order-{id}`), staff have e-mail."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Coroutine
from email import message_from_bytes, policy
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from temporalio.client import Client, WorkflowHandle
from temporalio.service import RPCError

from activities.sales.approval_policy import save_policy
from activities.sales.orders import get_order, timeline
from activities.security.users import create_user
from models.sales.approval_policy import ApprovalLevelSpec, ApprovalPolicyCreate
from models.sales.messages import OrderResult
from models.sales.orders import SalesOrder
from models.security.users import Role, UserCreate
from o2c.mailcatcher import MailCatcher
from o2c.relay import relay_once
from tests.helpers import eventually
from workflows.sales.order import OrderWorkflow

STAFF: dict[str, list[Role]] = {
    "rep": [Role.SALES],
    "boss": [Role.SALES, Role.APPROVER],
    "ann": [Role.APPROVER],
    "fin": [Role.FINANCE],
    "multi": [Role.APPROVER, Role.FINANCE],
    "cm": [Role.CREDIT_MANAGER],
}


def add_staff(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        for name, roles in STAFF.items():
            create_user(
                session,
                UserCreate(
                    username=name,
                    password="correct-horse-battery",
                    roles=roles,
                    email=f"{name}@o2c.example",
                ),
            )


def roles_of(name: str) -> list[str]:
    return [str(r) for r in STAFF[name]]


def set_policy(engine: Engine, *levels: dict[str, Any]) -> None:
    with Session(engine) as session, session.begin():
        save_policy(
            session,
            ApprovalPolicyCreate(
                name="test", levels=[ApprovalLevelSpec.model_validate(x) for x in levels]
            ),
            "admin",
        )


async def start_orders(client: Client, engine: Engine, task_queue: str) -> None:
    """Deliver the outbox: starts the workflows order entry queued, sends queued signals."""
    await relay_once(client, engine, task_queue)


def handle(client: Client, order_id: int) -> WorkflowHandle[Any, OrderResult]:
    return client.get_workflow_handle_for(OrderWorkflow.run, f"order-{order_id}")


async def end_orders(client: Client, engine: Engine) -> None:
    with Session(engine) as session:
        ids = session.exec(select(SalesOrder.id)).all()
    for order_id in ids:
        with contextlib.suppress(RPCError):
            await handle(client, order_id or 0).terminate("test finished")


def status_of(engine: Engine, order_id: int) -> Callable[[], Coroutine[Any, Any, str]]:
    async def probe() -> str:
        with Session(engine) as session:
            return str(get_order(session, order_id).status)

    return probe


def events_of(engine: Engine, order_id: int) -> list[tuple[str, str, str | None]]:
    with Session(engine) as session:
        return [(e.kind, e.actor, e.detail) for e in timeline(session, order_id)]


def mails(catcher: MailCatcher) -> Callable[[], Coroutine[Any, Any, list[tuple[str, str]]]]:
    """(recipient, subject) of every mail the SMTP catcher received."""

    async def probe() -> list[tuple[str, str]]:
        parsed = [message_from_bytes(raw, policy=policy.default) for raw in catcher.messages()]
        return [(str(m["To"]), str(m["Subject"]).strip()) for m in parsed]

    return probe


async def level_waiting(engine: Engine, order_id: int, level: int) -> None:
    """Until the workflow has asked for the level's decision (inbox row, mails queued)."""

    async def probe() -> list[str]:
        return [d or "" for kind, _, d in events_of(engine, order_id) if kind == "approval_waiting"]

    await eventually(probe, lambda found: any(d.startswith(f"level {level} ") for d in found))
