"""Policies as the admins, credit managers and finance set them: approval levels, a credit
class's overdue allowance and hold days, a credit class's dunning ladder."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.collection.policies import put_class_policy
from activities.sales.approval_policy import save_policy
from activities.sales.credit_policies import put_policy
from models.collection.dunning import DunningPolicyIn
from models.collection.dunning_terms import DunningLevelSpec
from models.sales.approval_policy import ApprovalLevelSpec, ApprovalPolicyCreate
from models.sales.credit_policy import CreditClassPolicyBase

RUN_AT = time(6, 0)
# Reminder 3 days before due; levels at 10, 30 and 60 days past due; escalation at the top.
DUNNING_LADDER = DunningPolicyIn(
    reminder_days_before_due=3,
    levels=[
        DunningLevelSpec(
            level=1,
            days_past_due=10,
            fee_fixed=Decimal("5.00"),
            annual_interest_rate=Decimal("0.10"),
            template="dunning_friendly",
        ),
        DunningLevelSpec(
            level=2,
            days_past_due=30,
            fee_pct=Decimal("2"),
            annual_interest_rate=Decimal("0.10"),
            template="dunning_firm",
            credit_hold=True,
        ),
        DunningLevelSpec(
            level=3,
            days_past_due=60,
            fee_fixed=Decimal("25.00"),
            annual_interest_rate=Decimal("0.12"),
            template="dunning_final",
            credit_hold=True,
            escalate=True,
        ),
    ],
    min_outstanding=Decimal("5.00"),
    run_at=RUN_AT,
    promise_grace_days=2,
    task_remind_after_hours=24,
    task_escalate_after_hours=72,
    write_off_after_days=30,
)


def approval_policy(engine: Engine, *levels: dict[str, Any]) -> None:
    """The approval policy in force from now: these levels, in order."""
    with Session(engine) as session, session.begin():
        save_policy(
            session,
            ApprovalPolicyCreate(
                name="test", levels=[ApprovalLevelSpec.model_validate(x) for x in levels]
            ),
            "admin",
        )


def credit_policy(engine: Engine, credit_class: str = "standard", **rules: int) -> None:
    """The class's credit rules (overdue days allowed, hold days); the rest as by default."""
    with Session(engine) as session, session.begin():
        put_policy(session, credit_class, CreditClassPolicyBase(**rules))


def dunning_policy(engine: Engine, credit_class: str = "standard") -> None:
    """DUNNING_LADDER for the class's customers."""
    with Session(engine) as session, session.begin():
        put_class_policy(session, credit_class, DUNNING_LADDER)
