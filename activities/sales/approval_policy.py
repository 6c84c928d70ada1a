"""The approval policy: saved by an admin as a new version (the newest is in force), and read."""

from __future__ import annotations

from sqlmodel import Session, col, select

from activities.paging import page
from activities.security.users import find_user
from models.errors import InvalidInput, NotFound
from models.sales.approval_policy import (
    DEFAULT_LEVELS,
    ApprovalLevelSpec,
    ApprovalPolicy,
    ApprovalPolicyCreate,
    ApprovalPolicyPublic,
)


def _latest(session: Session) -> ApprovalPolicy | None:
    return session.exec(select(ApprovalPolicy).order_by(col(ApprovalPolicy.id).desc())).first()


def levels_in_force(session: Session) -> list[ApprovalLevelSpec]:
    latest = _latest(session)
    if latest is None:
        return list(DEFAULT_LEVELS)
    return [ApprovalLevelSpec.model_validate(level) for level in latest.levels]


def _public(policy: ApprovalPolicy, in_force: bool) -> ApprovalPolicyPublic:
    return ApprovalPolicyPublic(
        id=policy.id,
        name=policy.name,
        levels=[ApprovalLevelSpec.model_validate(level) for level in policy.levels],
        created_by=policy.created_by,
        created_at=policy.created_at,
        in_force=in_force,
    )


def policy_in_force(session: Session) -> ApprovalPolicyPublic:
    latest = _latest(session)
    if latest is None:
        return ApprovalPolicyPublic(
            id=None,
            name="default",
            levels=DEFAULT_LEVELS,
            created_by="system",
            created_at=None,
            in_force=True,
        )
    return _public(latest, True)


def save_policy(session: Session, data: ApprovalPolicyCreate, user: str) -> ApprovalPolicyPublic:
    """A new version, in force for every order that asks for approval from now on."""
    for index, level in enumerate(data.levels):
        if level.user is not None and find_user(session, level.user) is None:
            raise InvalidInput(f"levels[{index}].user: no user {level.user!r}", field="levels")
    policy = ApprovalPolicy(
        name=data.name,
        levels=[level.model_dump(mode="json") for level in data.levels],
        created_by=user,
    )
    session.add(policy)
    session.flush()
    return _public(policy, True)


def get_policy(session: Session, policy_id: int) -> ApprovalPolicyPublic:
    policy = session.get(ApprovalPolicy, policy_id)
    if policy is None:
        raise NotFound(f"approval policy {policy_id} does not exist")
    latest = _latest(session)
    return _public(policy, latest is not None and latest.id == policy.id)


def list_policies(
    session: Session, limit: int, offset: int
) -> tuple[list[ApprovalPolicyPublic], int]:
    latest = _latest(session)
    query = select(ApprovalPolicy).order_by(col(ApprovalPolicy.id).desc())
    rows, total = page(session, query, limit, offset)
    return [_public(p, latest is not None and p.id == latest.id) for p in rows], total
