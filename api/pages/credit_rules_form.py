"""The review rules form: one row per rule, in the order they are tried (a row left without a
name or anything else is not a rule), read through the API's `ReviewRulesCreate`; each refusal
is put beside the field of the row it names, in the words the API answers 422 with."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from api.pages.form_errors import FORM, whole_number
from models.credit.review_rule_versions import ReviewRulesCreate
from models.credit.review_rules import ProposalRule
from models.credit.scorecard import Grade

TEXT_FIELDS = (
    "name",
    "utilisation_above",
    "days_beyond_terms_above",
    "for_months",
    "change_limit_pct",
    "credit_class",
)
BLANK_ROWS = 2  # rows offered for new rules
MAX_ROWS = 50  # as many rules as a version may hold
MAX_TYPED = 200  # characters a field may hold
RULES = "rules"  # the list as a whole


def field(row: int, name: str) -> str:
    return f"rules-{row}-{name}"


def typed_from(rules: list[ProposalRule]) -> list[dict[str, Any]]:
    """A version's rules as the form shows them, with blank rows for new ones."""
    rows: list[dict[str, Any]] = []
    for rule in rules:
        row: dict[str, Any] = {
            name: "" if getattr(rule, name) is None else str(getattr(rule, name))
            for name in TEXT_FIELDS
        }
        row["when_grades"] = [str(grade) for grade in rule.when_grades]
        row["hold"] = rule.hold
        rows.append(row)
    return rows + [blank() for _ in range(BLANK_ROWS)]


def blank() -> dict[str, Any]:
    return {**{name: "" for name in TEXT_FIELDS}, "when_grades": [], "hold": False}


def typed_in(form: Any) -> list[dict[str, Any]]:
    """The rows of a sent form, as many as its `rows` says (`form` a multi-valued form: the
    grades are ticked boxes)."""
    sent = whole_number(str(form.get("rows") or ""))
    count = sent if isinstance(sent, int) else 0
    rows = []
    for index in range(min(max(count, 0), MAX_ROWS + BLANK_ROWS)):
        row: dict[str, Any] = {
            name: str(form.get(field(index, name)) or "")[:MAX_TYPED] for name in TEXT_FIELDS
        }
        ticked = {str(value) for value in form.getlist(field(index, "when_grades"))}
        row["when_grades"] = [grade.value for grade in Grade if grade.value in ticked]
        row["hold"] = bool(form.get(field(index, "hold")))
        rows.append(row)
    return rows


def _is_blank(row: Mapping[str, Any]) -> bool:
    return not any(str(row[name]).strip() for name in TEXT_FIELDS) and not (
        row["when_grades"] or row["hold"]
    )


def _rule(row: Mapping[str, Any]) -> dict[str, Any]:
    """A rule as the API's request body has it: blank fields left out."""
    rule: dict[str, Any] = {"when_grades": row["when_grades"], "hold": row["hold"]}
    for name in TEXT_FIELDS:
        value = str(row[name]).strip()
        if value:
            rule[name] = whole_number(value) if name == "for_months" else value
    if "name" not in rule:
        rule["name"] = ""
    return rule


def _field(loc: tuple[int | str, ...], rows: list[int]) -> str:
    match loc:
        case ("rules", int(index), str(name), *_):
            return field(rows[index], name)
        case ("rules", int(index)):  # the rule's own check: it proposes no change
            return field(rows[index], "change_limit_pct")
    return RULES if loc[:1] == ("rules",) else FORM


def _twice_named(rules: list[dict[str, Any]], rows: list[int]) -> str | None:
    """The name field of the first rule whose name an earlier rule has."""
    seen = set()
    for rule, row in zip(rules, rows, strict=True):
        if rule["name"] in seen:
            return field(row, "name")
        seen.add(rule["name"])
    return None


def read_rules(typed: list[dict[str, Any]]) -> tuple[ReviewRulesCreate | None, dict[str, str]]:
    """The new version as the API's POST takes it, or the messages to show beside the fields."""
    kept = [(index, row) for index, row in enumerate(typed) if not _is_blank(row)]
    rows = [index for index, _ in kept]
    rules = [_rule(row) for _, row in kept]
    try:
        return ReviewRulesCreate.model_validate({"rules": rules}), {}
    except ValidationError as refused:
        errors: dict[str, str] = {}
        for item in refused.errors():
            loc = tuple(item["loc"])
            name = _field(loc, rows)
            if not loc:  # the rule set's own check: a name given twice
                name = _twice_named(rules, rows) or RULES
            errors.setdefault(name, str(item["msg"]))
        return None, errors
