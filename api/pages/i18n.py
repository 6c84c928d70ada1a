"""The pages' languages: the codes and catalogs of models/languages.py (the documents and e-mails
share them), and the marker for words written outside templates."""

from __future__ import annotations

from models.languages import (
    DEFAULT_LANGUAGE,
    HTML_LANG,
    LANGUAGES,
    known,
    translations,
)

__all__ = ["DEFAULT_LANGUAGE", "HTML_LANG", "LANGUAGES", "N_", "known", "translations"]


def N_(text: str) -> str:
    """Marks a message for the catalog where it is written; it is translated where shown."""
    return text
