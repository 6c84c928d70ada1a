"""The approval policy: saved by an admin as a new version (the newest is in force), and read."""

from __future__ import annotations

from sqlmodel import Session

from activities.policy_versions import PolicyVersions
from activities.security.users import find_user
from models.errors import InvalidInput
from models.sales.approval_policy import (
    DEFAULT_LEVELS,
    ApprovalLevelSpec,
    ApprovalPolicy,
    ApprovalPolicyCreate,
    ApprovalPolicyPublic,
)


def _public(policy: ApprovalPolicy, in_force: bool) -> ApprovalPolicyPublic:
    return ApprovalPolicyPublic(
        id=policy.id,
        name=policy.name,
        levels=[ApprovalLevelSpec.model_validate(level) for level in policy.levels],
        created_by=policy.created_by,
        created_at=policy.created_at,
        in_force=in_force,
    )


def _default(in_force: bool) -> ApprovalPolicyPublic:
    return ApprovalPolicyPublic(
        id=None,
        name="default",
        levels=DEFAULT_LEVELS,
        created_by="system",
        created_at=None,
        in_force=in_force,
    )


VERSIONS = PolicyVersions(
    table=ApprovalPolicy,
    key="id",
    not_found="approval policy {} does not exist",
    public=_public,
    built_in=_default,
)


def levels_in_force(session: Session) -> list[ApprovalLevelSpec]:
    latest = VERSIONS.latest(session)
    if latest is None:
        return list(DEFAULT_LEVELS)
    return [ApprovalLevelSpec.model_validate(level) for level in latest.levels]


def policy_in_force(session: Session) -> ApprovalPolicyPublic:
    return VERSIONS.current(session)


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
    return VERSIONS.save(session, policy)


def get_policy(session: Session, policy_id: int) -> ApprovalPolicyPublic:
    return VERSIONS.get(session, policy_id)


def list_policies(
    session: Session, limit: int, offset: int
) -> tuple[list[ApprovalPolicyPublic], int]:
    return VERSIONS.listed(session, limit, offset)
