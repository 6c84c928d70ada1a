"""Every word the pages, documents and e-mails show has its Traditional and Simplified Chinese
translation: no message of the catalog template left untranslated or marked fuzzy."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from models.languages import CATALOGS, LANGUAGES


def messages(path: str) -> dict[str, str]:
    with (CATALOGS / path).open("rb") as source:
        catalog = read_po(source)
    return {str(m.id): str(m.string) for m in catalog if m.id and not m.fuzzy}


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_every_message_is_translated(language: str) -> None:
    wanted = messages("messages.pot")
    translated = messages(f"{language}/LC_MESSAGES/messages.po")
    missing = sorted(m for m in wanted if not translated.get(m))
    assert not missing, f"{len(missing)} untranslated in {language}: {missing[:10]}"
