"""Dunning policies as data, kept by an admin: one per credit class, overrides per customer."""

from __future__ import annotations

from sqlmodel import Session, col, select

from activities.collection.dunning import terms_for_customer
from activities.master_data.customers import get_customer
from models.collection.dunning import DunningPolicy, DunningPolicyIn, DunningPolicyPublic
from models.collection.dunning_terms import DunningTerms
from models.errors import InvalidInput, NotFound
from notifications.render import letter_exists


def _check_templates(terms: DunningTerms) -> None:
    for index, level in enumerate(terms.levels):
        if not letter_exists(level.template):
            raise InvalidInput(
                f"levels[{index}].template: no letter {level.template!r}", field="levels"
            )


def to_public(policy: DunningPolicy) -> DunningPolicyPublic:
    return DunningPolicyPublic(
        **policy.terms().model_dump(),
        id=policy.id,
        credit_class=policy.credit_class,
        customer_id=policy.customer_id,
    )


def _save(session: Session, policy: DunningPolicy, data: DunningPolicyIn) -> DunningPolicyPublic:
    _check_templates(data)
    values = data.model_dump(mode="json", exclude={"levels", "run_at", "min_outstanding"})
    policy.sqlmodel_update(values)
    policy.levels = [level.model_dump(mode="json") for level in data.levels]
    policy.run_at = data.run_at
    policy.min_outstanding = data.min_outstanding
    session.add(policy)
    session.flush()
    return to_public(policy)


def put_class_policy(
    session: Session, credit_class: str, data: DunningPolicyIn
) -> DunningPolicyPublic:
    policy = session.exec(
        select(DunningPolicy).where(DunningPolicy.credit_class == credit_class)
    ).first() or DunningPolicy(credit_class=credit_class, run_at=data.run_at)
    return _save(session, policy, data)


def put_customer_policy(
    session: Session, customer_id: int, data: DunningPolicyIn
) -> DunningPolicyPublic:
    get_customer(session, customer_id)
    policy = session.exec(
        select(DunningPolicy).where(DunningPolicy.customer_id == customer_id)
    ).first() or DunningPolicy(customer_id=customer_id, run_at=data.run_at)
    return _save(session, policy, data)


def delete_customer_policy(session: Session, customer_id: int) -> None:
    policy = session.exec(
        select(DunningPolicy).where(DunningPolicy.customer_id == customer_id)
    ).first()
    if policy is None:
        raise NotFound(f"customer {customer_id} has no dunning policy of its own")
    session.delete(policy)


def list_policies(session: Session) -> list[DunningPolicyPublic]:
    query = select(DunningPolicy).order_by(col(DunningPolicy.customer_id), col(DunningPolicy.id))
    return [to_public(p) for p in session.exec(query).all()]


def effective_policy(session: Session, customer_id: int) -> DunningPolicyPublic:
    customer = get_customer(session, customer_id)
    terms = terms_for_customer(session, customer_id)
    return DunningPolicyPublic(
        **terms.model_dump(), id=None, credit_class=customer.credit_class, customer_id=customer_id
    )
