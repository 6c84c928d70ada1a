"""The approval policy: saved by an admin as a new version (the newest is in force), and read."""

from __future__ import annotations

from typing import Any

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


def _built_in() -> ApprovalPolicy:
    levels = [level.model_dump(mode="json") for level in DEFAULT_LEVELS]
    return ApprovalPolicy(name="default", levels=levels, created_by="system")


def _levels(policy: ApprovalPolicy) -> list[ApprovalLevelSpec]:
    return [ApprovalLevelSpec.model_validate(level) for level in policy.levels]


def _holds(policy: ApprovalPolicy) -> dict[str, Any]:
    return {"id": policy.id, "name": policy.name, "levels": _levels(policy)}


VERSIONS = PolicyVersions(
    table=ApprovalPolicy,
    key="id",
    not_found="approval policy {} does not exist",
    public=ApprovalPolicyPublic,
    holds=_holds,
    built_in=_built_in,
)


def levels_in_force(session: Session) -> list[ApprovalLevelSpec]:
    latest = VERSIONS.latest(session)
    if latest is None:
        return list(DEFAULT_LEVELS)
    return _levels(latest)


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
