"""The session cookie of the web pages is no key to the JSON API: a keyed write (whose caller the
Idempotency-Key middleware reads from the cookie, for the pages' forms) still needs a bearer
token on /api/v1, so a page's session cannot be ridden to the API."""

from __future__ import annotations

from collections.abc import Callable

from tests.workspace.pages import Person


async def test_a_keyed_api_write_with_only_the_session_cookie_is_401(
    person: Callable[[], Person],
) -> None:
    finance = person()
    await finance.log_in("finance")
    body = {"customer_id": 1, "amount": "10.00", "received_on": "2026-11-27", "reference": "C-1"}

    answer = await finance.http.post(
        "/api/v1/payments", json=body, headers={"Idempotency-Key": "cookie-only"}
    )

    assert answer.status_code == 401
