"""The scorecard form: one row per factor (its bands typed as `upto:points, ..., points` and the
points when its input is unknown) and the five grades' lowest scores, read through the API's
`ScorecardCreate`; each refusal is put beside the field it names (a factor's bands, the weights'
total, a grade), in the words the API answers 422 with."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from api.pages.form_errors import FORM, whole_number
from models.credit.scorecard import Band, Factor, Grade
from models.credit.scorecard_versions import ScorecardCreate, ScorecardPublic

FACTORS = "factors"  # the weights' total and the list as a whole
GRADES = "grades"
MAX_TYPED = 400  # characters a field may hold


def bands_field(factor: str) -> str:
    return f"bands-{factor}"


def missing_field(factor: str) -> str:
    return f"missing-{factor}"


def grade_field(grade: str) -> str:
    return f"grade-{grade}"


def bands_text(bands: list[Band]) -> str:
    """`0:20, 5:16, 0`: up to each limit its points, the last band its points alone."""
    return ", ".join(
        str(band.points) if band.upto is None else f"{band.upto}:{band.points}" for band in bands
    )


def typed_from(card: ScorecardPublic) -> dict[str, str]:
    """A version's rules as the form shows them, to start a new version from."""
    values = {"name": ""}
    for spec in card.factors:
        values[bands_field(spec.factor)] = bands_text(spec.bands)
        values[missing_field(spec.factor)] = str(spec.missing)
    for floor in card.grades:
        values[grade_field(floor.grade)] = str(floor.min_score)
    return values


def _bands(text: str) -> list[dict[str, Any]]:
    bands = []
    for piece in (part.strip() for part in text.split(",")):
        if not piece:
            continue
        upto, _, points = piece.rpartition(":")
        bands.append({"upto": upto.strip() or None, "points": whole_number(points)})
    return bands


def _body(typed: Mapping[str, str]) -> tuple[dict[str, Any], list[str]]:
    """The API's request body from the form, and the factor of each entry of its `factors`."""
    factors, used = [], []
    for factor in Factor:
        bands = _bands(typed.get(bands_field(factor), ""))
        if not bands:
            continue  # a factor left blank is not in this version
        missing = typed.get(missing_field(factor), "").strip()
        spec: dict[str, Any] = {"factor": factor.value, "bands": bands}
        if missing:
            spec["missing"] = whole_number(missing)
        factors.append(spec)
        used.append(factor.value)
    grades = [
        {"grade": grade.value, "min_score": whole_number(typed.get(grade_field(grade), ""))}
        for grade in Grade
    ]
    return {"name": typed.get("name", ""), "factors": factors, "grades": grades}, used


def _field(loc: tuple[int | str, ...], message: str, used: list[str]) -> str:
    """The form field a refusal at `loc` of the request body is about."""
    match loc:
        case ("name", *_):
            return "name"
        case ("factors", int(index), "missing", *_):
            return missing_field(used[index])
        case ("factors", int(index), *_):
            about_missing = "missing gives" in message
            return (missing_field if about_missing else bands_field)(used[index])
        case ("grades", int(index), *_):
            return grade_field(list(Grade)[index])
        case (("factors" | "grades") as whole, *_):
            return str(whole)
    # The scorecard's own rules name the part they are about: "factors: the weights sum to 93".
    said = message.removeprefix("Value error, ")
    for part in (FACTORS, GRADES):
        if said.startswith(f"{part}:"):
            return part
    return FORM


def read_scorecard(typed: Mapping[str, str]) -> tuple[ScorecardCreate | None, dict[str, str]]:
    """The new version as the API's POST takes it, or the messages to show beside the fields."""
    body, used = _body(typed)
    try:
        return ScorecardCreate.model_validate(body), {}
    except ValidationError as refused:
        errors: dict[str, str] = {}
        for item in refused.errors():
            message = str(item["msg"])
            errors.setdefault(_field(tuple(item["loc"]), message, used), message)
        return None, errors


def typed_in(form: Mapping[str, Any]) -> dict[str, str]:
    """The scorecard form's fields as typed (each cut to `MAX_TYPED` characters)."""
    names = ["name"]
    names += [name for f in Factor for name in (bands_field(f), missing_field(f))]
    names += [grade_field(g) for g in Grade]
    return {name: str(form.get(name) or "")[:MAX_TYPED] for name in names}
