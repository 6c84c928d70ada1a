"""Every e-mail in English, Traditional and Simplified Chinese, as the SMTP catcher receives it:
the words from the reader's catalog, amounts and quantities as the reader writes them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.documents.mail_delivery import MailServer, deliver
from activities.receivables.invoices import get_invoice, invoice_lines
from models.master_data.customers import Customer
from models.outbox import OutboxState
from notifications.outbox import queue_email
from notifications.render import render_letter
from o2c.mailcatcher import MailCatcher
from tests import factories
from tests.documents.reading import LANGUAGES, WORDS, attached_pdf_text, html_part
from tests.support.mail import body, received

ORDER = {"id": 7, "number": "SO-2026-000007", "total": "2200.0000", "currency": "USD"}
CUSTOMER = {"name": "Acme Trading", "code": "ACME"}
INVOICE = {
    "id": 3,
    "number": "INV-2026-000003",
    "currency": "USD",
    "due_date": date(2026, 12, 2),
}
STEP = {"level": 2, "days_past_due": 21}
# Each mail with a context as its use case gives it, and the words of its subject per language.
MAILS: dict[str, tuple[dict[str, Any], dict[str, str]]] = {
    "approval_request": (
        {
            "order": {**ORDER, "created_by": "rep"},
            "customer": CUSTOMER,
            "kind": "request",
            "level": {"number": 1, "name": "sales manager"},
            "recipient": "ann",
            "order_url": "http://127.0.0.1:8000/app/orders/7",
        },
        {"en": "waits for your approval", "zh_Hant": "等待您審批", "zh_Hans": "等待您审批"},
    ),
    "order_stopped": (
        {"order": ORDER, "customer": CUSTOMER, "recipient": "rep", "reason": "expired"},
        {"en": "was stopped", "zh_Hant": "已被終止", "zh_Hans": "已被终止"},
    ),
    "reservation_expired": (
        {"order": ORDER, "skus": ["WIDGET"], "days": 7, "company": "o2c Demo"},
        {"en": "Reservation released", "zh_Hant": "預留已釋放", "zh_Hans": "预留已释放"},
    ),
    "shipment_late": (
        {
            "order": ORDER,
            "company": "o2c Demo",
            "shipment": {
                "id": 4,
                "eta": datetime(2026, 12, 2, 9),
                "carrier": "DHL",
                "tracking_number": "JD0001",
                "location": "Hong Kong",
            },
        },
        {"en": "Late shipment", "zh_Hant": "延誤", "zh_Hans": "延误"},
    ),
    "collection_notice": (
        {
            "task": {"id": 5},
            "invoice": INVOICE,
            "outstanding": Decimal("1130.00"),
            "reason": "assigned",
            "user": "carol",
        },
        {"en": "Collection task", "zh_Hant": "催收任務", "zh_Hans": "催收任务"},
    ),
    "bad_debt_proposal": (
        {"invoice": INVOICE, "customer": CUSTOMER, "amount": Decimal("1130.00")},
        {"en": "Write-off proposed", "zh_Hant": "建議沖銷", "zh_Hans": "建议核销"},
    ),
    "dunning_digest": (
        {
            "customer": CUSTOMER,
            "company": "o2c Demo",
            "on": date(2026, 12, 23),
            "entries": [
                {
                    "step": STEP,
                    "invoice": INVOICE,
                    "outstanding": Decimal("1130.00"),
                    "fee": Decimal("5.00"),
                    "interest": Decimal("0.80"),
                    "letter": "...",
                }
            ],
        },
        {
            "en": "Payment overdue: 1 invoice",
            "zh_Hant": "張發票逾期未付",
            "zh_Hans": "张发票逾期未付",
        },
    ),
}
HTML_LANG = {"en": "en", "zh_Hant": "zh-Hant", "zh_Hans": "zh-Hans"}


def server(catcher: MailCatcher) -> MailServer:
    return MailServer("billing@o2c.example", "127.0.0.1", catcher.port, "o2c Demo")


async def sent(
    engine: Engine, catcher: MailCatcher, template: str, language: str, context: Any
) -> None:
    with Session(engine, expire_on_commit=False) as session, session.begin():
        values = context(session) if callable(context) else context
        mail = queue_email(
            session,
            key=f"test/{template}/{language}",
            to="reader@o2c.example",
            template=template,
            language=language,
            context=values,
        )
    assert await deliver(engine, mail.id or 0, server(catcher)) == OutboxState.SENT


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("template", sorted(MAILS))
async def test_every_mail_reads_in_each_language(
    sqlite_engine: Engine, mail_catcher: MailCatcher, template: str, language: str
) -> None:
    context, subjects = MAILS[template]

    await sent(sqlite_engine, mail_catcher, template, language, context)

    [mail] = received(mail_catcher)
    assert subjects[language] in str(mail["Subject"])
    assert f'lang="{HTML_LANG[language]}"' in html_part(mail)
    if language != "en":  # no English sentence is left in a Chinese mail
        assert "Hello" not in body(mail) and "Dear" not in body(mail)


async def test_amounts_in_mails_carry_the_currencys_decimals(
    sqlite_engine: Engine, mail_catcher: MailCatcher
) -> None:
    context, _ = MAILS["dunning_digest"]

    await sent(sqlite_engine, mail_catcher, "dunning_digest", "en", context)

    text = body(received(mail_catcher)[0])
    assert "1,130.00 USD outstanding" in text
    assert "Dunning fee: 5.00 USD" in text and "Late-payment interest: 0.80 USD" in text
    assert "(due Dec 2, 2026)" in text


def invoice_mail_context(customer_id: int, invoice_id: int) -> Callable[[Session], Any]:
    def context(session: Session) -> dict[str, Any]:
        return {
            "company": "o2c Demo",
            "customer": session.get(Customer, customer_id),
            "invoice": get_invoice(session, invoice_id),
            "order_number": "SO-2026-000001",
            "lines": invoice_lines(session, invoice_id),
        }

    return context


@pytest.mark.parametrize("language", LANGUAGES)
async def test_invoice_mail_and_its_pdf_read_in_the_customers_language(
    sqlite_engine: Engine, mail_catcher: MailCatcher, language: str
) -> None:
    buyer = factories.customer(sqlite_engine, "SHMZ", language=language)
    billed = factories.invoice(
        sqlite_engine,
        buyer.id,
        "13.50",
        quantity="2",
        tax_rate="0",
        issued=date(2026, 11, 2),
        description="Steel widget",
    )
    context = invoice_mail_context(buyer.id, billed.id)

    await sent(sqlite_engine, mail_catcher, "invoice_issued", language, context)

    [mail] = received(mail_catcher)
    words = WORDS[language]
    assert words["invoice"] in str(mail["Subject"])
    text = body(mail)
    assert words["dear"] in text and words["regards"] in text and words["due"] in text
    assert "Steel widget x 2: 27.00" in text  # no trailing zeros, the currency's decimals
    pdf = attached_pdf_text(mail)
    assert words["pay"] in pdf and "13.50" in pdf and "13.5000" not in pdf


async def test_a_yen_invoice_mail_shows_no_decimals(
    sqlite_engine: Engine, mail_catcher: MailCatcher
) -> None:
    buyer = factories.customer(
        sqlite_engine, "TOKYO", currency="JPY", credit_limit="1000000", language="zh_Hant"
    )
    billed = factories.invoice(
        sqlite_engine, buyer.id, "1350", quantity="2", tax_rate="0", issued=date(2026, 11, 2)
    )

    await sent(
        sqlite_engine,
        mail_catcher,
        "invoice_issued",
        "zh_Hant",
        invoice_mail_context(buyer.id, billed.id),
    )

    text = body(received(mail_catcher)[0])
    assert "應付金額： 2,700 JPY" in text
    assert "2,700.00" not in text


@pytest.mark.parametrize(
    "letter", ["dunning_reminder", "dunning_friendly", "dunning_firm", "dunning_final"]
)
def test_every_dunning_letter_has_three_languages(letter: str) -> None:
    context = {"invoice": INVOICE}

    english = render_letter(letter, "en", context)
    traditional = render_letter(letter, "zh_Hant", context)
    simplified = render_letter(letter, "zh_Hans", context)

    assert len({english, traditional, simplified}) == 3
    assert "paid" in english or "payment" in english
    assert "付款" in traditional and "付款" in simplified
