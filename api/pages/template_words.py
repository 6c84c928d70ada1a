"""The pages' templates, one set per language, each `_("...")` of them written in that language
as the template is compiled: a template's own words are then part of its text, as if typed in,
not looked up, escaped and yielded one by one on every render (~2.5 µs each, dozens a page).

What a template translates at render time (`_(page.label)`, `{% trans %}`, `gettext(...)`)
is still translated then, with the reader's catalog from the context (api/pages/rendering.py)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream

from api.pages.i18n import LANGUAGES, translations

TEMPLATES = Path(__file__).parent.parent / "templates"
WORDS = "o2c_words"  # the environment's attribute: its language's gettext


class TemplateWords(Extension):
    """Replaces each `_("...")` (one string, nothing else) by its translation, a string the
    compiler then writes into the template as text, escaped as the output would have been."""

    def filter_stream(self, stream: TokenStream) -> Iterable[Token]:
        return _translated(list(stream), getattr(self.environment, WORDS))


def _translated(tokens: list[Token], gettext: object) -> Iterator[Token]:
    assert callable(gettext)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        call = tokens[index : index + 4]
        if (
            token.type == "name"
            and token.value == "_"
            and [t.type for t in call] == ["name", "lparen", "string", "rparen"]
            and (index == 0 or tokens[index - 1].type != "dot")
        ):
            yield Token(token.lineno, "string", gettext(call[2].value))
            index += 4
            continue
        yield token
        index += 1


def _templates(language: str) -> Jinja2Templates:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(),
        # The templates ship with the app: compiled once per process, never stat()ed again.
        auto_reload=False,
    )
    environment.extend(**{WORDS: translations(language).gettext})
    environment.add_extension("jinja2.ext.i18n")
    environment.add_extension(TemplateWords)
    return Jinja2Templates(env=environment)


LANGUAGE_TEMPLATES = {language: _templates(language) for language in LANGUAGES}
