"""The sales pages as a rep uses them: the order list filtered and paged, an order's page, order
entry priced live with the customer's credit beside it, and amending and cancelling on running
order workflows; a refusal says why and shows the order as it now is."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.security.users import set_language
from models.sales.orders import OrderPublic
from o2c.settings import Settings
from tests import factories
from tests.support.orders import events_of, level_waiting, status, status_of
from tests.support.polling import eventually
from tests.support.workflows import Flow
from tests.workspace.pages import Person


def rows_of(page: httpx.Response) -> list[str]:
    """The order numbers in the list, top to bottom."""
    return rows_of_text(page.text)


def rows_of_text(page: str) -> list[str]:
    return re.findall(r'<tr data-order="([^"]+)">', page)


def field_error(page: httpx.Response, field_id: str) -> str:
    """The message shown next to the input with this id."""
    found = re.search(rf'id="{field_id}-error" role="alert">([^<]*)<', page.text)
    assert found, page.text
    return html.unescape(found.group(1))


def input_value(page: httpx.Response, field_id: str) -> str:
    found = re.search(rf'<input id="{field_id}"[^>]*? value="([^"]*)"', page.text)
    assert found, page.text
    return found.group(1)


@pytest.fixture
async def rep(person: Callable[[], Person]) -> Person:
    """The user `sales`, a sales rep, logged in (no workflow runs behind these pages)."""
    someone = person()
    await someone.log_in("sales")
    return someone


async def test_the_order_list_filters_by_status_customer_dates_and_total(
    rep: Person, sqlite_engine: Engine
) -> None:
    factories.product(sqlite_engine, price="10.00")
    acme = factories.customer(sqlite_engine)
    beta = factories.customer(sqlite_engine, "BETA", credit_limit="50.00")
    early = factories.order(sqlite_engine, acme.id, quantity=1, on=date(2026, 10, 1))
    big = factories.order(sqlite_engine, acme.id, quantity=20, on=date(2026, 11, 2))
    held = factories.order(sqlite_engine, beta.id, quantity=9, on=date(2026, 11, 3))  # > limit

    everything = await rep.open("/app/orders")
    assert everything.status_code == 200
    assert rows_of(everything) == [held.number, big.number, early.number]  # newest first
    assert "BETA Ltd" in everything.text and "220.00 USD" in everything.text

    on_hold = await rep.open("/app/orders?status=credit_hold")
    assert rows_of(on_hold) == [held.number] and "Credit hold" in on_hold.text
    of_acme = await rep.open(f"/app/orders?customer_id={acme.id}")
    assert rows_of(of_acme) == [big.number, early.number]
    november = await rep.open("/app/orders?placed_from=2026-11-01&placed_to=2026-11-02")
    assert rows_of(november) == [big.number]
    mid_sized = await rep.open("/app/orders?total_min=50&total_max=100.00")
    assert rows_of(mid_sized) == [held.number]  # 9 widgets: 99.00 USD

    wrong = await rep.open("/app/orders?total_min=lots")
    assert rows_of(wrong) == []
    assert "not a number" in field_error(wrong, "total_min")
    assert 'value="lots"' in wrong.text  # what was typed stays in the filter


async def test_the_order_list_names_the_states_in_each_readers_language(
    person: Callable[[], Person], sqlite_engine: Engine
) -> None:
    """The list's state words are translated once per language and kept: each reader still
    reads their own, in the rows and in the status filter."""
    factories.product(sqlite_engine, price="10.00")
    beta = factories.customer(sqlite_engine, "BETA", credit_limit="50.00")
    held = factories.order(sqlite_engine, beta.id, quantity=9)  # over the limit: on hold
    on_hold = {"zh_Hant": "信用凍結", "zh_Hans": "信用冻结", "en": "Credit hold"}
    for language, words in on_hold.items():
        with Session(sqlite_engine) as session, session.begin():
            set_language(session, "sales", language)
        reader = person()
        await reader.log_in("sales")
        listed = (await reader.open("/app/orders")).text
        assert rows_of_text(listed) == [held.number]
        assert f'status-credit_hold">{words}</span>' in listed, language
        assert f'<option value="credit_hold">{words}</option>' in listed, language
        await reader.aclose()


async def test_the_customer_filter_offers_the_customers_matching_what_is_typed(
    rep: Person, sqlite_engine: Engine
) -> None:
    acme = factories.customer(sqlite_engine)
    beta = factories.customer(sqlite_engine, "BETA")
    for n in range(30):  # a customer list too long to offer whole
        factories.customer(sqlite_engine, f"X{n:02d}")

    listed = await rep.open(f"/app/orders?customer_id={beta.id}")
    assert f'<option value="{beta.id}" selected>BETA Ltd (BETA)</option>' in listed.text
    assert "ACME Ltd" not in listed.text and "X00" not in listed.text  # no whole list
    offered = (await rep.open("/app/orders/filter/customers?q=acm")).text
    assert f'<option value="{acme.id}">ACME Ltd (ACME)</option>' in offered
    assert "BETA" not in offered and '<option value="">Any</option>' in offered
    nothing = (await rep.open("/app/orders/filter/customers?q=zzz")).text
    assert "No customer matches “zzz”." in nothing


async def test_the_order_list_pages_on_the_server_keeping_the_filter(
    rep: Person, sqlite_engine: Engine
) -> None:
    factories.product(sqlite_engine, price="10.00")
    acme = factories.customer(sqlite_engine)
    entered = [factories.order(sqlite_engine, acme.id) for _ in range(27)]

    first = await rep.open(f"/app/orders?customer_id={acme.id}")
    assert rows_of(first) == [o.number for o in reversed(entered)][:25]
    assert "1–25 of 27" in first.text
    following = re.search(r'<a rel="next" href="([^"]+)"', first.text)
    assert following, first.text
    second = await rep.open(following.group(1).replace("&amp;", "&"))
    assert rows_of(second) == [entered[1].number, entered[0].number]
    assert "26–27 of 27" in second.text and 'rel="next"' not in second.text


async def test_an_order_page_shows_its_lines_timeline_and_workflow_in_temporal(
    rep: Person, sqlite_engine: Engine, page_settings: Settings
) -> None:
    factories.product(sqlite_engine, price="10.00")
    order = factories.order(sqlite_engine, factories.customer(sqlite_engine).id, quantity=3)

    page = await rep.open(f"/app/orders/{order.id}")
    assert page.status_code == 200
    assert order.number in page.text and "ACME Ltd" in page.text
    assert "Widget" in page.text and "30.00 USD" in page.text and "33.00 USD" in page.text
    assert "Entered" in page.text and "Submitted for approval" in page.text  # the timeline
    workflow = f"{page_settings.temporal_ui_base}/namespaces/default/workflows/order-{order.id}"
    assert f'href="{workflow}"' in page.text and "Open in Temporal UI" in page.text

    missing = await rep.open("/app/orders/9999")
    assert missing.status_code == 404 and "There is no order 9999." in missing.text


async def test_an_auditor_reads_an_order_but_is_offered_no_change(
    person: Callable[[], Person], sqlite_engine: Engine
) -> None:
    factories.product(sqlite_engine, price="10.00")
    order = factories.order(sqlite_engine, factories.customer(sqlite_engine).id)
    auditor = person()
    await auditor.log_in("auditor")
    page = await auditor.open(f"/app/orders/{order.id}")
    assert order.number in page.text
    assert "Cancel the order" not in page.text and "Amend the order" not in page.text


async def test_entry_finds_the_customer_prices_the_lines_and_shows_the_credit_position(
    rep: Person, sqlite_engine: Engine
) -> None:
    factories.product(sqlite_engine, price="10.00")
    acme = factories.customer(sqlite_engine, credit_limit="1000.00")
    factories.customer(sqlite_engine, "BETA")
    factories.order(sqlite_engine, acme.id, quantity=10)  # open: 110.00 of ACME's exposure

    form = await rep.open("/app/orders/new")
    assert form.status_code == 200
    by_name = await rep.open("/app/orders/new/customers?customer_query=acm")
    assert "ACME Ltd (ACME)" in by_name.text and "BETA" not in by_name.text
    by_code = await rep.open("/app/orders/new/customers?customer_query=bet")
    assert "BETA Ltd (BETA)" in by_code.text and "ACME" not in by_code.text

    priced = await rep.submit(
        form,
        "/app/orders/new/preview",
        pick_customer=str(acme.id),
        customer_query="acm",
        sku="WIDGET",
        quantity="3",
        discount_pct="10",
    )
    assert priced.status_code == 200
    # 3 x 10.00 less 10 % = 27.00, tax 10 % = 2.70
    assert "27.00 USD" in priced.text and "2.70 USD" in priced.text
    assert "29.70 USD" in priced.text
    assert "1,000.00 USD" in priced.text  # the credit limit
    assert "110.00 USD" in priced.text and "890.00 USD" in priced.text  # exposure, available
    assert input_value(priced, "line-0-quantity") == "3"
    assert len(rows_of(await rep.open("/app/orders"))) == 1  # a preview enters nothing


async def test_entry_with_a_bad_quantity_says_so_next_to_it_and_keeps_what_was_typed(
    rep: Person, sqlite_engine: Engine
) -> None:
    factories.product(sqlite_engine, price="10.00")
    acme = factories.customer(sqlite_engine)
    form = await rep.open("/app/orders/new")

    refused = await rep.submit(
        form,
        "/app/orders/new",
        customer_id=str(acme.id),
        customer_query="ACME",
        sku=["WIDGET", "WIDGET"],
        quantity=["2", "0"],
        discount_pct=["", "5"],
    )
    assert refused.status_code == 200
    assert "greater than 0" in field_error(refused, "line-1-quantity")
    assert input_value(refused, "line-1-quantity") == "0"
    assert input_value(refused, "line-1-discount_pct") == "5"
    assert input_value(refused, "line-0-quantity") == "2"
    assert "ACME Ltd" in refused.text and input_value(refused, "customer-query") == "ACME"
    assert rows_of(await rep.open("/app/orders")) == []  # nothing entered

    nobody = await rep.submit(form, "/app/orders/new", sku="WIDGET", quantity="1")
    assert field_error(nobody, "customer") == "Find the customer and choose it first."
    assert input_value(nobody, "line-0-sku") == "WIDGET"

    unknown = await rep.submit(
        form, "/app/orders/new/preview", customer_id=str(acme.id), sku="GADGET", quantity="1"
    )
    assert "unknown SKU 'GADGET'" in field_error(unknown, "line-0-sku")


@pytest.fixture
async def desk(
    flow: Flow, sqlite_engine: Engine, live_settings: Settings
) -> AsyncIterator[Callable[[str], Awaitable[Person]]]:
    """Logs people of the sales desk in at a browser on the API wired to the order workflows;
    an approval policy of one level (approvers) and widgets at 10.00."""
    factories.staff(sqlite_engine, factories.SALES_DESK)
    factories.approval_policy(sqlite_engine, {"name": "manager", "role": "approver"})
    factories.product(sqlite_engine, price="10.00")
    made: list[Person] = []

    async def logged_in(username: str) -> Person:
        made.append(Person(sqlite_engine, live_settings, flow.env.client))
        await made[-1].log_in(username)
        return made[-1]

    yield logged_in
    for each in made:
        await each.aclose()


async def _waiting(flow: Flow, quantity: int = 3) -> OrderPublic:
    """ACME's order of `quantity` widgets entered by rep, waiting for its approval."""
    order = factories.order(
        flow.engine, factories.customer(flow.engine).id, quantity=quantity, user="rep"
    )
    await flow.pending_order(order.id)
    await level_waiting(flow.engine, order.id, 1)
    return order


async def test_a_rep_enters_an_order_and_lands_on_its_page(
    desk: Callable[[str], Awaitable[Person]], flow: Flow, sqlite_engine: Engine
) -> None:
    acme = factories.customer(sqlite_engine)
    rep = await desk("rep")
    form = await rep.open("/app/orders/new")
    typed = {
        "customer_id": str(acme.id),
        "sku": "WIDGET",
        "quantity": "4",
        "requested_date": "2026-12-15",
    }
    entered = await rep.submit(
        form,
        "/app/orders/new",
        key="entry-1",
        **typed,
    )
    assert entered.status_code == 200, entered.text
    landing = entered.headers["HX-Redirect"]
    assert re.fullmatch(r"/app/orders/\d+", landing)
    order_id = int(landing.rsplit("/", 1)[1])
    await eventually(status_of(sqlite_engine, order_id), lambda s: s == "pending_approval")

    page = await rep.open(landing)
    assert "ACME Ltd" in page.text and "44.00 USD" in page.text
    assert "Pending approval" in page.text and "Dec 15, 2026" in page.text
    again = await rep.submit(form, "/app/orders/new", key="entry-1", **typed)
    assert again.headers["Idempotent-Replay"] == "true"  # a double click enters it once
    assert f'href="{landing}"' in again.text and "was entered" in again.text
    assert len(rows_of(await rep.open("/app/orders"))) == 1


async def test_a_rep_amends_a_pending_order_from_its_page(
    desk: Callable[[str], Awaitable[Person]], flow: Flow, sqlite_engine: Engine
) -> None:
    order = await _waiting(flow)
    rep = await desk("rep")
    page = await rep.open(f"/app/orders/{order.id}")
    assert "Amend the order" in page.text

    amended = await rep.submit(
        page,
        f"/app/orders/{order.id}/amend",
        key="amend-1",
        sku=["WIDGET", ""],
        quantity=["5", ""],
        discount_pct=["10", ""],
    )
    assert amended.status_code == 200
    assert "The order was amended" in amended.text
    # 5 x 10.00 less 10 % = 45.00, tax 4.50
    assert "49.50 USD" in amended.text and "revision 2" in amended.text
    assert "Amended" in amended.text  # on the timeline


async def test_an_amendment_with_a_bad_quantity_says_so_next_to_it(
    desk: Callable[[str], Awaitable[Person]], flow: Flow, sqlite_engine: Engine
) -> None:
    order = await _waiting(flow)
    rep = await desk("rep")
    page = await rep.open(f"/app/orders/{order.id}")
    refused = await rep.submit(page, f"/app/orders/{order.id}/amend", sku="WIDGET", quantity="-2")
    assert "greater than 0" in field_error(refused, "amend-0-quantity")
    assert input_value(refused, "amend-0-quantity") == "-2"
    assert "33.00 USD" in refused.text  # the order as it still is


async def test_a_rep_cancels_an_order_with_a_reason(
    desk: Callable[[str], Awaitable[Person]], flow: Flow, sqlite_engine: Engine
) -> None:
    order = await _waiting(flow)
    rep = await desk("rep")
    page = await rep.open(f"/app/orders/{order.id}")
    cancelled = await rep.submit(
        page, f"/app/orders/{order.id}/cancel", key="cancel-1", reason="customer changed mind"
    )
    assert cancelled.status_code == 200
    assert "The order was cancelled." in cancelled.text
    assert "customer changed mind" in cancelled.text  # the timeline says why
    assert status(sqlite_engine, order.id) == "cancelled"
    assert "Cancel the order" not in cancelled.text  # nothing more to cancel


async def test_a_cancel_needs_a_reason(
    desk: Callable[[str], Awaitable[Person]], flow: Flow, sqlite_engine: Engine
) -> None:
    order = await _waiting(flow)
    rep = await desk("rep")
    page = await rep.open(f"/app/orders/{order.id}")
    refused = await rep.submit(page, f"/app/orders/{order.id}/cancel", reason="  ")
    assert "Not cancelled:" in refused.text
    assert status(sqlite_engine, order.id) == "pending_approval"


async def test_a_refused_cancel_says_why_and_shows_the_order_as_it_now_is(
    desk: Callable[[str], Awaitable[Person]], flow: Flow, sqlite_engine: Engine
) -> None:
    order = await _waiting(flow)
    rep, boss = await desk("rep"), await desk("boss")
    seen_by_boss = await boss.open(f"/app/orders/{order.id}")
    await rep.submit(
        await rep.open(f"/app/orders/{order.id}"), f"/app/orders/{order.id}/cancel", reason="dup"
    )
    assert (await flow.order_workflow(order.id).result()).status == "cancelled"  # it has ended
    late = await boss.submit(seen_by_boss, f"/app/orders/{order.id}/cancel", reason="too late")
    assert late.status_code == 200 and "Traceback" not in late.text
    assert "Not cancelled: Nothing is waiting for this action any more." in late.text
    assert 'value="too late"' in late.text  # what boss typed stays
    assert "Cancelled" in late.text  # the order's status now
    assert [e for e in events_of(sqlite_engine, order.id) if e[0] == "cancelled"] == [
        ("cancelled", "rep", "dup")
    ]


async def test_the_order_list_reads_its_page_from_the_query_as_an_integer(
    rep: Person, sqlite_engine: Engine
) -> None:
    """The list's page is read off the query by the page itself: a negative one is the first, a
    page that is not a whole number is refused (422) as a query parameter always was."""
    factories.product(sqlite_engine, price="10.00")
    acme = factories.customer(sqlite_engine)
    entered = [factories.order(sqlite_engine, acme.id) for _ in range(2)]

    from_start = await rep.open("/app/orders?offset=-5")
    assert from_start.status_code == 200
    assert rows_of(from_start) == [o.number for o in reversed(entered)]
    second = await rep.open("/app/orders?offset=1")
    assert rows_of(second) == [entered[0].number]
    refused = await rep.open("/app/orders?offset=two")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["query", "offset"]
