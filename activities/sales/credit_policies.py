"""Credit class policies: how overdue a class may be before orders are blocked, how long a hold
waits for release. Written by a credit manager; a class without one gets DEFAULT_POLICY."""

from __future__ import annotations

from sqlmodel import Session, col, select

from models.sales.credit_policy import (
    CreditClassPolicy,
    CreditClassPolicyBase,
    CreditClassPolicyPublic,
)


def put_policy(
    session: Session, credit_class: str, data: CreditClassPolicyBase
) -> CreditClassPolicyPublic:
    policy = session.exec(
        select(CreditClassPolicy).where(CreditClassPolicy.credit_class == credit_class)
    ).first() or CreditClassPolicy(credit_class=credit_class)
    policy.overdue_days_allowed = data.overdue_days_allowed
    policy.hold_days = data.hold_days
    session.add(policy)
    session.flush()
    return CreditClassPolicyPublic.model_validate(policy)


def list_policies(session: Session) -> list[CreditClassPolicyPublic]:
    query = select(CreditClassPolicy).order_by(col(CreditClassPolicy.credit_class))
    return [CreditClassPolicyPublic.model_validate(p) for p in session.exec(query).all()]
