"""Renders customer and staff e-mails and the HTML of documents from Jinja2 templates, in the
reader's language: one template per mail (`<name>.subject.j2`, `.txt.j2`, `.html.j2`) whose words
are gettext messages of the catalogs in api/translations (models/languages.py). Every HTML
template is autoescaped: a name such as `<img onerror=...>` reaches the reader as text."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context

from models.languages import HTML_LANG, known, translations
from notifications import formatting

TEMPLATES = Path(__file__).parent / "templates"
HTML_SUFFIXES = (".html.j2", ".html")


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def escaped(name: str | None) -> bool:
    """Every HTML template, whatever else its name ends with."""
    return name is not None and name.endswith(HTML_SUFFIXES)


@pass_context
def _money(context: Context, value: Any, currency: str | None = None) -> str:
    return formatting.money(value, currency or context["currency"], context["language"])


@pass_context
def _price(context: Context, value: Any, currency: str | None = None) -> str:
    return formatting.price(value, currency or context["currency"], context["language"])


@pass_context
def _quantity(context: Context, value: Any) -> str:
    return formatting.quantity(value, context["language"])


@pass_context
def _percent(context: Context, value: Any) -> str:
    return formatting.percent(value, context["language"])


@pass_context
def _day(context: Context, value: Any) -> str:
    return formatting.day(value, context["language"])


@lru_cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=escaped,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.filters.update(money=_money, price=_price, quantity=_quantity, percent=_percent, day=_day)
    return env


def in_language(language: str | None, context: dict[str, Any]) -> dict[str, Any]:
    """The context with the reader's catalog: the i18n extension's {% trans %} and _() look
    gettext up in the context first, so one shared environment serves every language."""
    lang = known(language)
    catalog = translations(lang)
    return {
        **context,
        "gettext": catalog.gettext,
        "ngettext": catalog.ngettext,
        "language": lang,
        "html_lang": HTML_LANG[lang],
    }


def render(template: str, language: str | None, context: dict[str, Any]) -> str:
    return environment().get_template(template).render(**in_language(language, context))


def one_line(text: str) -> str:
    """A Subject is one line: a CR or LF that slipped into a name would make it unsendable."""
    return " ".join(text.split())


def render_email(template: str, language: str | None, context: dict[str, Any]) -> RenderedEmail:
    def part(suffix: str) -> str:
        return render(f"{template}.{suffix}", language, context)

    return RenderedEmail(
        subject=one_line(part("subject.j2")), text=part("txt.j2"), html=part("html.j2")
    )


def letter_exists(template: str) -> bool:
    """Whether a dunning letter of that name exists (it has every language through gettext)."""
    return (TEMPLATES / f"{template}.txt.j2").is_file()


def render_letter(template: str, language: str | None, context: dict[str, Any]) -> str:
    """A dunning level's letter text, which the digest mail quotes."""
    return render(f"{template}.txt.j2", language, context).strip()
