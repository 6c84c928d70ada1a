"""A credit manager's answer to a credit review proposal, from the review queue: accept, adjust
(another limit or class) or reject with a comment, each checked by the API's own request model
and sent through the API's own path to the review workflow's `decide` Update (409 when the
customer's credit changed since). Done: the row leaves. Refused: the form says why and keeps
what was typed."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from api.deps import DatabaseDep, SettingsDep, TemporalLinkDep
from api.pages.access import CREDIT_REVIEWS, form_user
from api.pages.actions import attempt
from api.pages.credit_releases import row_leaves
from api.pages.form_errors import FORM, read_form
from api.pages.rendering import render
from api.routes.credit.reviews import send_decision
from models.credit.messages import Verdict
from models.credit.reviews import AcceptRequest, AdjustRequest, RejectRequest
from models.fields import IdParam
from models.security.users import User

router = APIRouter()
Manager = Annotated[User, Depends(form_user(CREDIT_REVIEWS))]
REQUESTS: dict[Verdict, type[BaseModel]] = {
    Verdict.ACCEPT: AcceptRequest,
    Verdict.ADJUST: AdjustRequest,
    Verdict.REJECT: RejectRequest,
}


def _given(verdict: Verdict, typed: dict[str, str]) -> dict[str, str | None]:
    """What the verdict's request takes: a limit or class left blank is not given, nor a blank
    comment to an acceptance (the others require one)."""
    given: dict[str, str | None] = {"comment": typed["comment"]}
    if verdict == Verdict.ACCEPT:
        given["comment"] = typed["comment"].strip() or None
    if verdict == Verdict.ADJUST:
        for name in ("credit_limit", "credit_class"):
            given[name] = typed[name].strip() or None
    return given


@router.post("/credit/reviews/{review_id}", response_class=HTMLResponse)
async def answer_review(
    review_id: IdParam,
    request: Request,
    db: DatabaseDep,
    link: TemporalLinkDep,
    settings: SettingsDep,
    user: Manager,
    verdict: Annotated[Literal["accept", "adjust", "reject"], Form()],
    comment: Annotated[str, Form(max_length=2000)] = "",
    credit_limit: Annotated[str, Form(max_length=40)] = "",
    credit_class: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    typed = {"comment": comment, "credit_limit": credit_limit, "credit_class": credit_class}
    chosen = Verdict(verdict)
    body, errors = read_form(REQUESTS[chosen], _given(chosen, typed))
    if FORM in errors:  # adjusting neither the limit nor the class
        errors["credit_limit"] = errors.pop(FORM)
    problem = None
    if body is not None:
        answer: dict[str, Any] = body.model_dump()

        async def answered() -> None:
            await send_decision(db, await link.get(), user, review_id, chosen, **answer)

        problem = await attempt(request, answered())
        if problem is None:
            return row_leaves(f"review-{review_id}")
    context = {
        "action": f"/app/credit/reviews/{review_id}",
        **typed,
        "errors": errors,
        "problem": problem,
    }
    return render(request, "app/credit_review_form.html", settings, user, context)
