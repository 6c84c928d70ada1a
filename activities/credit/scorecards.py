"""Scorecard versions: saved by a credit manager (the newest is in force), and read."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from activities.policy_versions import PolicyVersions
from models.credit.scorecard import DEFAULT_SCORECARD, ScorecardSpec
from models.credit.scorecard_versions import CreditScorecard, ScorecardCreate, ScorecardPublic


def _built_in() -> CreditScorecard:
    rules = DEFAULT_SCORECARD.model_dump(mode="json")
    return CreditScorecard(name="default", rules=rules, created_by="system")


def _holds(card: CreditScorecard) -> dict[str, Any]:
    spec = ScorecardSpec.model_validate(card.rules)
    return {"id": card.id, "name": card.name, "factors": spec.factors, "grades": spec.grades}


VERSIONS = PolicyVersions(
    table=CreditScorecard,
    key="id",
    not_found="credit scorecard {} does not exist",
    public=ScorecardPublic,
    holds=_holds,
    built_in=_built_in,
)


def scorecard_in_force(session: Session) -> tuple[int | None, ScorecardSpec]:
    """The version's id (None: the built-in default) and its rules."""
    latest = VERSIONS.latest(session)
    if latest is None:
        return None, DEFAULT_SCORECARD
    return latest.id, ScorecardSpec.model_validate(latest.rules)


def current_scorecard(session: Session) -> ScorecardPublic:
    return VERSIONS.current(session)


def save_scorecard(session: Session, data: ScorecardCreate, user: str) -> ScorecardPublic:
    """A new version, in force for every score computed from now on."""
    spec = ScorecardSpec(factors=data.factors, grades=data.grades)
    card = CreditScorecard(name=data.name, rules=spec.model_dump(mode="json"), created_by=user)
    return VERSIONS.save(session, card)


def list_scorecards(session: Session, limit: int, offset: int) -> tuple[list[ScorecardPublic], int]:
    return VERSIONS.listed(session, limit, offset)
