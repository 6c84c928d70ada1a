"""The pages' languages: gettext catalogs under api/translations, compiled from their .po files
when first asked for, so the .po is the only file a translator edits."""

from __future__ import annotations

import gettext
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

CATALOGS = Path(__file__).parent.parent / "translations"
DEFAULT_LANGUAGE = "en"
# Each language's name as its readers write it, in the order the header lists them.
LANGUAGES: dict[str, str] = {"en": "English", "zh_Hant": "繁體中文", "zh_Hans": "简体中文"}
HTML_LANG = {"en": "en", "zh_Hant": "zh-Hant", "zh_Hans": "zh-Hans"}


def N_(text: str) -> str:
    """Marks a message for the catalog where it is written; it is translated where shown."""
    return text


def known(language: str | None) -> str:
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


@lru_cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalog of `language`; English is the source text itself."""
    po = CATALOGS / known(language) / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as source:
        catalog = read_po(source, locale=known(language))
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)
