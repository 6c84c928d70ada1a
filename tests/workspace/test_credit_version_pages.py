"""The scorecard and review-rule pages over HTTP: the version in force and older ones; a credit
manager's form, sent as the browser sends it (starting from the version in force the page
fills in), saves a new version through the API's use case, which the API's GET then shows; a
refused one names its field, keeps what was typed and saves nothing; a double click saves once."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import httpx

from models.security.users import Role
from tests.support.api_client import ApiClient
from tests.workspace.pages import Person

SCORECARDS = "/app/credit/scorecards"
RULES = "/app/credit/review-rules"
# The built-in days-beyond-terms bands with 5 points less at the top: the weights sum to 95.
FIVE_SHORT = "0:15, 5:14, 15:10, 30:5, 60:2, 0"


def form_fields(page: str, form_id: str) -> dict[str, Any]:
    """What the form `form_id` sends as it stands: its inputs' values, ticked boxes only."""
    found = re.search(rf'<form id="{form_id}".*?</form>', page, re.S)
    assert found is not None, form_id
    fields: dict[str, Any] = {}
    for tag in re.findall(r"<input[^>]*>", found.group(0)):
        name = re.search(r'name="([^"]*)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name is None or name.group(1) == "csrf_token":
            continue
        typed = html.unescape(value.group(1)) if value else ""
        if 'type="checkbox"' in tag:
            if " checked" in tag:
                fields.setdefault(name.group(1), []).append(typed)
            continue
        fields[name.group(1)] = typed
    return fields


def error_beside(answer: httpx.Response, field: str) -> str:
    found = re.search(rf'<span class="field-error"[^>]*data-field="{field}">([^<]*)<', answer.text)
    assert found is not None, (field, answer.text)
    return html.unescape(found.group(1))


async def test_a_scorecard_whose_weights_miss_100_is_named_beside_the_factors_and_not_saved(
    manager: Person, page_api: ApiClient
) -> None:
    page = await manager.open(SCORECARDS)
    assert page.status_code == 200
    assert "The built-in scorecard: no version has been saved yet." in page.text
    fields = form_fields(page.text, "scorecard-form")
    assert fields["bands-days_beyond_terms"] == "0:20, 5:16, 15:10, 30:5, 60:2, 0"

    short = {**fields, "name": "too lenient", "bands-days_beyond_terms": FIVE_SHORT}
    refused = await manager.submit(page, SCORECARDS, key="card-1", **short)

    assert refused.status_code == 200 and "HX-Redirect" not in refused.headers
    assert "the weights sum to 95, not 100" in error_beside(refused, "factors")
    assert refused.text.count('class="field-error"') == 1
    assert f'value="{FIVE_SHORT}"' in refused.text and 'value="too lenient"' in refused.text
    badly_typed = {**fields, "name": "typo", "bands-late_share": "5:15, 15:eleven, 0"}
    typo = await manager.submit(page, SCORECARDS, key="card-2", **badly_typed)
    assert error_beside(typo, "bands-late_share")
    assert 'value="5:15, 15:eleven, 0"' in typo.text
    grades = {**fields, "name": "grades", "grade-E": "10"}
    floor = await manager.submit(page, SCORECARDS, key="card-3", **grades)
    assert "grades: A to E, falling floors, E from 0" in error_beside(floor, "grades")
    assert (await page_api.get("/credit-scorecards", Role.CREDIT_MANAGER))["total"] == 0
    current = await page_api.get("/credit-scorecards/current", Role.CREDIT_MANAGER)
    assert current["id"] is None and current["name"] == "default"


async def test_a_good_scorecard_becomes_the_version_in_force_once_on_a_double_click(
    manager: Person, page_api: ApiClient
) -> None:
    page = await manager.open(SCORECARDS)
    fields = form_fields(page.text, "scorecard-form")
    stricter = {
        **fields,
        "name": "stricter on lateness",
        "bands-days_beyond_terms": "0:25, 5:16, 15:10, 30:5, 60:2, 0",
        "bands-late_share": "5:10, 15:8, 30:5, 50:3, 0",
        "missing-late_share": "6",
    }

    saved = await manager.submit(page, SCORECARDS, key="card-9", **stricter)
    again = await manager.submit(page, SCORECARDS, key="card-9", **stricter)

    assert saved.headers["HX-Redirect"] == SCORECARDS
    assert again.status_code == 200 and again.headers["Idempotent-Replay"] == "true"
    listed = await page_api.get("/credit-scorecards", Role.FINANCE)
    assert listed["total"] == 1  # the second click replayed the first answer
    current = await page_api.get("/credit-scorecards/current", Role.FINANCE)
    assert (current["name"], current["in_force"], current["created_by"]) == (
        "stricter on lateness",
        True,
        "credit_manager",
    )
    late = next(f for f in current["factors"] if f["factor"] == "late_share")
    assert [b["points"] for b in late["bands"]] == [10, 8, 5, 3, 0] and late["missing"] == 6
    shown = await manager.open(SCORECARDS)
    assert f"stricter on lateness ({'version'} {current['id']})" in shown.text
    assert form_fields(shown.text, "scorecard-form")["bands-late_share"] == (
        "5:10, 15:8, 30:5, 50:3, 0"
    )


async def test_readers_see_the_scorecards_and_rules_without_the_form_and_may_not_save(
    person: Callable[[], Person], manager: Person
) -> None:
    page = await manager.open(SCORECARDS)
    fields = form_fields(page.text, "scorecard-form")
    for role in (Role.FINANCE, Role.APPROVER, Role.AUDITOR):
        reader = person()
        await reader.log_in(role.value)
        for path, form in ((SCORECARDS, "scorecard-form"), (RULES, "rules-form")):
            shown = await reader.open(path)
            assert shown.status_code == 200, (role, path)
            assert f'<form id="{form}"' not in shown.text
        refused = await reader.submit(shown, SCORECARDS, key=f"k-{role}", **fields)
        assert refused.status_code == 403, role


async def test_review_rules_refused_beside_their_row_then_a_new_version_is_in_force(
    manager: Person, page_api: ApiClient
) -> None:
    page = await manager.open(RULES)
    assert page.status_code == 200 and 'data-version="1"' in page.text
    assert "steady payer near its limit" in page.text and "No older version." in page.text
    fields = form_fields(page.text, "rules-form")
    assert fields["rows"] == "4"  # the two rules in force and two blank rows
    assert fields["rules-0-when_grades"] == ["A"] and fields["rules-1-hold"] == ["1"]

    nothing = await manager.submit(page, RULES, key="r-1", **{**fields, "rules-2-name": "idle"})
    assert "proposes no change" in error_beside(nothing, "rules-2-change_limit_pct")
    assert 'value="idle"' in nothing.text
    twice = {**fields, "rules-2-name": "pays late three months running", "rules-2-hold": ["1"]}
    named = await manager.submit(page, RULES, key="r-2", **twice)
    assert "more than one rule" in error_beside(named, "rules-2-name")
    wrong = {**fields, "rules-3-name": "x", "rules-3-utilisation_above": "lots"}
    wrong["rules-3-hold"] = ["1"]
    typo = await manager.submit(page, RULES, key="r-3", **wrong)
    assert error_beside(typo, "rules-3-utilisation_above")
    assert 'value="lots"' in typo.text
    assert (await page_api.get("/credit-review-rules", Role.FINANCE))["version"] == 1

    watch = {
        **fields,
        "rules-2-name": "watch slow payers",
        "rules-2-when_grades": ["C", "D"],
        "rules-2-days_beyond_terms_above": "30",
        "rules-2-change_limit_pct": "-10",
        "rules-2-credit_class": "watch",
    }
    saved = await manager.submit(page, RULES, key="r-4", **watch)

    assert saved.headers["HX-Redirect"] == RULES
    in_force = await page_api.get("/credit-review-rules", Role.FINANCE)
    assert in_force["version"] == 2 and in_force["created_by"] == "credit_manager"
    assert [rule["name"] for rule in in_force["rules"]] == [
        "steady payer near its limit",
        "pays late three months running",
        "watch slow payers",
    ]
    added = in_force["rules"][2]
    assert (added["when_grades"], added["days_beyond_terms_above"]) == (["C", "D"], "30")
    assert (added["change_limit_pct"], added["credit_class"], added["hold"]) == (
        "-10",
        "watch",
        False,
    )
    shown = await manager.open(RULES)
    assert 'id="in-force" data-version="2"' in shown.text
    assert '<details class="version" data-version="1">' in shown.text
