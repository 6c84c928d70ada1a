"""A customer's credit profile and score, and the financials a credit manager records."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from activities.credit.behaviour import behaviours
from activities.credit.scorecards import scorecard_in_force
from activities.master_data.customers import get_customer
from models.credit.financials import (
    FIGURES,
    CustomerFinancials,
    FinancialsPublic,
    FinancialsUpdate,
)
from models.credit.profile import CreditProfile, score_inputs
from models.credit.scorecard import score


def financials_of(session: Session, customer_id: int) -> FinancialsPublic | None:
    row = session.get(CustomerFinancials, customer_id)
    return None if row is None else FinancialsPublic.of(row)


def put_financials(
    session: Session, customer_id: int, data: FinancialsUpdate, user: str
) -> FinancialsPublic:
    """Replaces what was recorded: a figure left out is no longer known."""
    get_customer(session, customer_id)
    row = session.get(CustomerFinancials, customer_id) or CustomerFinancials(
        customer_id=customer_id, currency=data.currency, recorded_by=user
    )
    row.currency = data.currency
    for name in FIGURES:
        figure = getattr(data, name)
        setattr(row, name, None if figure is None else figure.value)
        setattr(row, f"{name}_as_of", None if figure is None else figure.as_of)
        setattr(row, f"{name}_source", None if figure is None else figure.source)
    row.recorded_by = user
    session.add(row)
    session.flush()
    session.refresh(row)
    return FinancialsPublic.of(row)


def credit_profile(session: Session, customer_id: int, as_of: date) -> CreditProfile:
    """The behaviour, the financials and the score by the scorecard in force, factor by factor."""
    customer = get_customer(session, customer_id)
    behaviour = behaviours(session, as_of, [customer_id])[customer_id]
    financials = financials_of(session, customer_id)
    scorecard_id, spec = scorecard_in_force(session)
    return CreditProfile(
        customer_id=customer_id,
        credit_class=customer.credit_class,
        currency=customer.currency,
        behaviour=behaviour,
        financials=financials,
        scorecard_id=scorecard_id,
        score=score(spec, score_inputs(behaviour, financials, customer.currency)),
    )
