"""Credit review rule versions: saved by a credit manager (the newest is in force), and read.
Until one is saved, version 1 is the built-in `DEFAULT_RULES` (the migration stores it)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from activities.policy_versions import PolicyVersions
from models.credit.review_rule_versions import (
    FIRST_VERSION,
    CreditReviewRules,
    ReviewRulesCreate,
    ReviewRulesPublic,
)
from models.credit.review_rules import DEFAULT_RULES, ProposalRule, RuleSet


def _built_in() -> CreditReviewRules:
    """Version 1 as the migration stores it."""
    rules = RuleSet(rules=DEFAULT_RULES).model_dump(mode="json")["rules"]
    return CreditReviewRules(version=FIRST_VERSION, rules=rules, created_by="system")


def _holds(saved: CreditReviewRules) -> dict[str, Any]:
    return {"version": saved.version, "rules": RuleSet.model_validate({"rules": saved.rules}).rules}


VERSIONS = PolicyVersions(
    table=CreditReviewRules,
    key="version",
    not_found="credit review rules version {} do not exist",
    public=ReviewRulesPublic,
    holds=_holds,
    built_in=_built_in,
    built_in_key=FIRST_VERSION,
    numbered_here=True,
)


def rules_in_force(session: Session) -> tuple[int, list[ProposalRule]]:
    """The version in force and its rules, in the order they are tried."""
    latest = VERSIONS.latest(session)
    if latest is None:
        return FIRST_VERSION, DEFAULT_RULES
    return latest.version, RuleSet.model_validate({"rules": latest.rules}).rules


def current_review_rules(session: Session) -> ReviewRulesPublic:
    return VERSIONS.current(session)


def save_review_rules(session: Session, data: ReviewRulesCreate, user: str) -> ReviewRulesPublic:
    """A new version, in force for every review from now on; version 1 is stored first when
    the database was made without the migration."""
    rules = RuleSet(rules=data.rules).model_dump(mode="json")["rules"]
    version = VERSIONS.next_number(session)
    return VERSIONS.save(session, CreditReviewRules(version=version, rules=rules, created_by=user))


def get_review_rules(session: Session, version: int) -> ReviewRulesPublic:
    return VERSIONS.get(session, version)
