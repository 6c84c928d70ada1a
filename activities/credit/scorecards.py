"""Scorecard versions: saved by a credit manager (the newest is in force), and read."""

from __future__ import annotations

from sqlmodel import Session, col, select

from activities.paging import page
from models.credit.scorecard import DEFAULT_SCORECARD, ScorecardSpec
from models.credit.scorecard_versions import CreditScorecard, ScorecardCreate, ScorecardPublic
from models.errors import NotFound


def _latest(session: Session) -> CreditScorecard | None:
    return session.exec(select(CreditScorecard).order_by(col(CreditScorecard.id).desc())).first()


def scorecard_in_force(session: Session) -> tuple[int | None, ScorecardSpec]:
    """The version's id (None: the built-in default) and its rules."""
    latest = _latest(session)
    if latest is None:
        return None, DEFAULT_SCORECARD
    return latest.id, ScorecardSpec.model_validate(latest.rules)


def _public(card: CreditScorecard, in_force: bool) -> ScorecardPublic:
    spec = ScorecardSpec.model_validate(card.rules)
    return ScorecardPublic(
        id=card.id,
        name=card.name,
        factors=spec.factors,
        grades=spec.grades,
        created_by=card.created_by,
        created_at=card.created_at,
        in_force=in_force,
    )


def current_scorecard(session: Session) -> ScorecardPublic:
    latest = _latest(session)
    if latest is None:
        return ScorecardPublic(
            id=None,
            name="default",
            factors=DEFAULT_SCORECARD.factors,
            grades=DEFAULT_SCORECARD.grades,
            created_by="system",
            created_at=None,
            in_force=True,
        )
    return _public(latest, True)


def save_scorecard(session: Session, data: ScorecardCreate, user: str) -> ScorecardPublic:
    """A new version, in force for every score computed from now on."""
    spec = ScorecardSpec(factors=data.factors, grades=data.grades)
    card = CreditScorecard(name=data.name, rules=spec.model_dump(mode="json"), created_by=user)
    session.add(card)
    session.flush()
    return _public(card, True)


def get_scorecard(session: Session, scorecard_id: int) -> ScorecardPublic:
    card = session.get(CreditScorecard, scorecard_id)
    if card is None:
        raise NotFound(f"credit scorecard {scorecard_id} does not exist")
    latest = _latest(session)
    return _public(card, latest is not None and latest.id == card.id)


def list_scorecards(session: Session, limit: int, offset: int) -> tuple[list[ScorecardPublic], int]:
    latest = _latest(session)
    query = select(CreditScorecard).order_by(col(CreditScorecard.id).desc())
    rows, total = page(session, query, limit, offset)
    return [_public(c, latest is not None and c.id == latest.id) for c in rows], total
