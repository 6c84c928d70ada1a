"""The approval request mail, sent by the order workflow: it links to the order's page in the
workspace, and each approver reads it in the language they chose for the pages."""

from __future__ import annotations

from sqlmodel import Session, select

from models.security.users import Role, User
from o2c.mailcatcher import MailCatcher
from o2c.settings import Settings
from tests import factories
from tests.documents.reading import html_part
from tests.support.mail import body, inbox, received
from tests.support.polling import eventually
from tests.support.workflows import Flow


def speaks(flow: Flow, username: str, language: str) -> None:
    with Session(flow.engine) as session, session.begin():
        user = session.exec(select(User).where(User.username == username)).one()
        user.language = language
        session.add(user)


async def test_approval_request_links_to_the_orders_page_in_the_approvers_language(
    flow: Flow, mail_catcher: MailCatcher, worker_settings: Settings
) -> None:
    factories.staff(flow.engine, {"rep": factories.SALES_DESK["rep"], "ann": [Role.APPROVER]})
    speaks(flow, "ann", "zh_Hant")
    factories.approval_policy(flow.engine, {"name": "sales manager", "role": "approver"})
    customer = factories.customer(flow.engine, credit_limit="100000.00")
    factories.product(flow.engine, price="100.00")
    order = factories.order(flow.engine, customer.id, quantity=3, user="rep")

    await flow.relay()
    await eventually(inbox(mail_catcher), lambda mails: len(mails) >= 1)

    [mail] = received(mail_catcher)
    page = f"{worker_settings.public_url}/app/orders/{order.id}"
    assert page == f"http://127.0.0.1:{worker_settings.api_port}/app/orders/{order.id}"
    assert page in body(mail)
    assert f'href="{page}"' in html_part(mail)
    assert "/api/v1/approvals" not in body(mail)
    assert f"訂單 {order.number} 等待您審批" in str(mail["Subject"])
    assert "330.00 USD" in body(mail)
