"""The languages o2c speaks, and their catalogs: one table both the pages and the documents and
e-mails read. A reader's language is one of LANGUAGES; `zh`, stored by earlier versions and sent
by API clients, reads as Simplified Chinese."""

from __future__ import annotations

import gettext
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

CATALOGS = Path(__file__).parent.parent / "api" / "translations"
DEFAULT_LANGUAGE = "en"
# Each language's name as its readers write it, in the order the header lists them.
LANGUAGES: dict[str, str] = {"en": "English", "zh_Hant": "繁體中文", "zh_Hans": "简体中文"}
ALIASES: dict[str, str] = {"zh": "zh_Hans"}
# What a stored `language` field accepts: a language or an alias of one.
LANGUAGE_PATTERN = r"^(en|zh|zh_Hant|zh_Hans)$"
HTML_LANG = {"en": "en", "zh_Hant": "zh-Hant", "zh_Hans": "zh-Hans"}
# The locale whose numbers and dates a language's readers expect (Babel's CLDR data).
BABEL_LOCALE = {"en": "en", "zh_Hant": "zh_Hant_TW", "zh_Hans": "zh_Hans_CN"}


def known(language: str | None) -> str:
    """The language to show: an alias resolved, anything unknown read as the default."""
    language = ALIASES.get(language or "", language)
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


@lru_cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalog of `language`, compiled from its .po when first asked for (the .po is the only
    file a translator edits); English is the source text itself."""
    po = CATALOGS / known(language) / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as source:
        catalog = read_po(source, locale=known(language))
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)
