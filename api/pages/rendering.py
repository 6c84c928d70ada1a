"""Renders a page in its reader's language, with the navigation their roles allow and the CSRF
token its forms and htmx requests send back."""

from __future__ import annotations

import uuid
from functools import lru_cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from api.pages import formats
from api.pages.access import navigation_of
from api.pages.i18n import HTML_LANG, LANGUAGES, known, translations
from api.pages.session import CSRF_FIELD, CSRF_HEADER, csrf_token, session_token
from api.pages.template_words import LANGUAGE_TEMPLATES
from models.security.users import Role, User
from o2c.settings import Settings


@lru_cache(maxsize=512)
def _navigation_html(language: str, held: frozenset[Role], current: str) -> Markup:
    """The header's links: the same for everyone who reads `language` with these roles on this
    page, so drawn once, not on every render (each link's word looked up and escaped, the
    current one marked: ~0.05 ms a page)."""
    links = LANGUAGE_TEMPLATES[language].get_template("app/chrome_nav.html")
    pages = navigation_of(held)
    return Markup(links.render(_=translations(language).gettext, pages=pages, current=current))


@lru_cache(maxsize=8)
def _language_choice(language: str) -> Markup:
    """The header's choice of language, the reader's chosen: drawn once per language."""
    choice = LANGUAGE_TEMPLATES[language].get_template("app/chrome_language.html")
    gettext = translations(language).gettext
    return Markup(choice.render(_=gettext, languages=LANGUAGES, language=language))


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
    held = user.role_set if user else frozenset()
    values: dict[str, Any] = {
        # The i18n extension's {% trans %} and _() look gettext up in the context first: each
        # request carries its own reader's catalog, the shared environment none.
        "gettext": catalog.gettext,
        "ngettext": catalog.ngettext,
        # What the extension's own _() does, without it: its _() takes the context, so each call
        # in a loop copied the whole context (a third of a long list's render).
        "_": catalog.gettext,
        "language": language,
        "html_lang": HTML_LANG[language],
        "languages": LANGUAGES,
        "user": user,
        "navigation": lambda current: _navigation_html(language, held, current),
        "language_choice": _language_choice(language),
        "csrf_field": CSRF_FIELD,
        "csrf_header": CSRF_HEADER,
        "csrf": csrf_token(settings, token) if token and user else "",
        "number": lambda value: formats.number(value, language),
        "money": lambda amount, currency: formats.money(amount, currency, language),
        "day": lambda value: formats.day(value, language),
        "moment": lambda value: formats.moment(value, language),
        # A form sends it as its Idempotency-Key: a double click does the action once.
        "form_key": lambda: uuid.uuid4().hex,
        **(context or {}),
    }
    page = LANGUAGE_TEMPLATES[language]
    return page.TemplateResponse(request, template, values, status_code=status_code)
