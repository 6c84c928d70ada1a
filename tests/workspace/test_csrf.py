"""Every form and htmx request carries the page's CSRF token; without it nothing changes and a
403 page says why."""

from __future__ import annotations

from collections.abc import Callable

from tests.workspace.pages import Person

STALE = "The form was stale or not sent by o2c"


async def test_a_request_without_the_token_is_refused_with_a_page_that_says_so(
    person: Callable[[], Person],
) -> None:
    approver = person()
    await approver.log_in("approver")
    for action, data in (
        ("/app/language", {"language": "zh_Hans"}),
        ("/app/inbox/1/decision", {"verdict": "approve"}),
        ("/app/logout", {}),
    ):
        answer = await approver.http.post(action, data=data)
        assert answer.status_code == 403, action
        assert STALE in answer.text and "Traceback" not in answer.text
    assert "English" in (await approver.open("/app")).text  # the language did not change


async def test_a_token_from_another_session_is_refused(person: Callable[[], Person]) -> None:
    sales, approver = person(), person()
    await sales.log_in("sales")
    await approver.log_in("approver")
    foreign = await sales.open("/app")
    answer = await approver.submit(foreign, "/app/language", language="zh_Hans")
    assert answer.status_code == 403 and STALE in answer.text


async def test_with_the_token_the_language_switch_is_saved_on_the_person(
    person: Callable[[], Person],
) -> None:
    approver = person()
    await approver.log_in("approver")
    answer = await approver.submit(await approver.open("/app"), "/app/language", language="zh_Hant")
    assert answer.status_code == 303
    assert "儀表板" in (await approver.open("/app")).text
    again = person()  # another visit, another browser: the choice was saved on the user
    await again.log_in("approver")
    assert "儀表板" in (await again.open("/app")).text


async def test_the_login_form_needs_its_own_token(person: Callable[[], Person]) -> None:
    answer = await person().http.post(
        "/app/login", data={"username": "sales", "password": "x", "csrf_token": "guess"}
    )
    assert answer.status_code == 403 and "o2c_session" not in answer.headers.get("set-cookie", "")
