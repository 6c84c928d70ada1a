"""What a reader of a document or a mail sees: a PDF's text, a mail's parts, and the words each
language prints."""

from __future__ import annotations

import io
from email.message import EmailMessage

from pypdf import PdfReader

# Words each language prints on documents and mails (its catalog's msgstr).
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "invoice": "Invoice",
        "pay": "Please pay",
        "statement": "Statement of account",
        "dear": "Dear",
        "regards": "Kind regards",
        "due": "Dec 2, 2026",
    },
    "zh_Hant": {
        "invoice": "發票",
        "pay": "請於",
        "statement": "對帳單",
        "dear": "尊敬的",
        "regards": "此致",
        "due": "2026年12月2日",
    },
    "zh_Hans": {
        "invoice": "发票",
        "pay": "请于",
        "statement": "对账单",
        "dear": "尊敬的",
        "regards": "此致",
        "due": "2026年12月2日",
    },
}
LANGUAGES = tuple(WORDS)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def html_part(message: EmailMessage) -> str:
    html = message.get_body(preferencelist=("html",))
    return str(html.get_content()) if html is not None else ""


def attached_pdf_text(message: EmailMessage) -> str:
    [attachment] = list(message.iter_attachments())
    return pdf_text(attachment.get_content())
