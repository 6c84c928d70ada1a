"""Renders a printable document (invoice, statement) from a Jinja2 HTML template under
templates/documents, in the reader's language, to PDF with WeasyPrint. The font configuration is
built once per process: loading the CJK font is the slow part, and every document reuses it.
Invoices are rendered once per version and kept (activities/documents/stored_documents.py)."""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from notifications.fonts import FONT_FAMILY, font_face_css
from notifications.render import TEMPLATES, render

DOCUMENTS = TEMPLATES / "documents"
LATIN_FONT = '"DejaVu Sans"'
# WeasyPrint's font configuration is not documented as thread-safe; renders take turns.
_render_lock = threading.Lock()


@lru_cache
def _fonts() -> tuple[FontConfiguration, CSS]:
    config = FontConfiguration()
    css = CSS(
        # Latin text in a small system font, CJK text in the packaged font: subsetting the
        # large CJK font only when a document has CJK text makes a Latin PDF about 4x faster.
        string=font_face_css()
        + f' body {{ font-family: {LATIN_FONT}, "{FONT_FAMILY}", sans-serif; }}',
        font_config=config,
    )
    return config, css


def render_html(template: str, language: str | None, context: dict[str, Any]) -> str:
    """The document's HTML; `context` carries `currency`, the default of its amounts."""
    return render(f"documents/{template}", language, context)


def render_pdf(template: str, language: str | None, context: dict[str, Any]) -> bytes:
    return pdf_from_html(render_html(template, language, context))


def pdf_from_html(html: str) -> bytes:
    """The slow part (about a second a page on one core). A plain function of plain text, so a
    process pool can run it beside the worker (o2c/pdf_processes.py)."""
    with _render_lock:
        config, css = _fonts()
        pdf = HTML(string=html, base_url=str(DOCUMENTS)).write_pdf(
            stylesheets=[css], font_config=config
        )
    assert pdf is not None
    return pdf
