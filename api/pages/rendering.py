"""Renders a page in its reader's language, with the navigation their roles allow and the CSRF
token its forms and htmx requests send back."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import NumberPattern, parse_pattern
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from api.pages.access import navigation
from api.pages.i18n import HTML_LANG, LANGUAGES, known, translations
from api.pages.session import CSRF_FIELD, CSRF_HEADER, csrf_token, session_token
from models.security.users import User
from notifications import formatting
from o2c.settings import Settings

templates = Jinja2Templates(directory=Path(__file__).parent.parent / "templates")
templates.env.add_extension("jinja2.ext.i18n")


def render(
    request: Request,
    template: str,
    settings: Settings,
    user: User | None,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
    language: str | None = None,
) -> HTMLResponse:
    language = known(language or (user.language if user else None))
    catalog = translations(language)
    token = session_token(request)
    values: dict[str, Any] = {
        # The i18n extension's {% trans %} and _() look gettext up in the context first: each
        # request carries its own reader's catalog, the shared environment none.
        "gettext": catalog.gettext,
        "ngettext": catalog.ngettext,
        "language": language,
        "html_lang": HTML_LANG[language],
        "languages": LANGUAGES,
        "user": user,
        "pages": navigation(user) if user else [],
        "csrf_field": CSRF_FIELD,
        "csrf_header": CSRF_HEADER,
        "csrf": csrf_token(settings, token) if token and user else "",
        "number": lambda value: _number(value, language),
        "money": lambda amount, currency: _money(amount, currency, language),
        "day": lambda value: _day(value, language),
        "moment": lambda value: _moment(value, language),
        # A form sends it as its Idempotency-Key: a double click does the action once.
        "form_key": lambda: uuid.uuid4().hex,
        **(context or {}),
    }
    return templates.TemplateResponse(request, template, values, status_code=status_code)


@lru_cache(maxsize=32)
def _number_pattern(places: int) -> NumberPattern:
    return parse_pattern("#,##0" + ("." + "0" * places if places else ""))


@lru_cache(maxsize=8)
def _locale(language: str) -> Locale:
    return Locale.parse(formatting.locale_of(language))


def _number(value: Decimal | int, language: str) -> str:
    """Grouped per the reader's locale; amounts keep the decimals they carry. The pattern and
    locale are parsed once (parsing them per call took most of a long table's render)."""
    places = max(0, -Decimal(value).as_tuple().exponent)  # type: ignore[operator]
    return _number_pattern(places).apply(value, _locale(language))


def _money(amount: Decimal, currency: str, language: str) -> str:
    """In the currency's own decimals (27.00 USD, 2,700 JPY), grouped per the reader's locale;
    the ISO code, not a symbol, since "$" and "¥" name several currencies."""
    return f"{formatting.money(amount, currency, language)} {currency}"


def _day(value: date | None, language: str) -> str:
    """As `formatting.day` writes it, with the locale parsed once."""
    return format_date(value, format="medium", locale=_locale(language)) if value else ""


def _moment(value: datetime | None, language: str) -> str:
    return format_datetime(value, format="short", locale=_locale(language)) if value else ""
