"""Documents rendered once per version and kept: the mail that attaches an invoice and the
download of its PDF take the stored file; only a version not seen before is rendered. The version
is the SHA-256 of the document's HTML, so a change the reader would see (a payment, a credit
note, a new address) makes a new one, and a repeat (a retried mail, a second download) does not.
The stored file is encrypted with the data keys by its column type (`EncryptedBytes`): what is
read here is the PDF, what the database holds is not (docs/security.md)."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from activities.documents.invoice_pdf import PDF, Document, attachment_source, html_of
from activities.transaction import reading, transaction
from models.documents.stored_documents import StoredDocument
from notifications.pdf import pdf_from_html

# HTML in, PDF out, awaited: in a thread (render_in_thread) or the worker's PDF processes
# (o2c/pdf_processes.py), so a mail waiting for its PDF holds no thread.
PdfRenderer = Callable[[str], Awaitable[bytes]]


async def render_in_thread(html: str) -> bytes:
    return await asyncio.to_thread(pdf_from_html, html)


@dataclass(frozen=True)
class Printable:
    """One version of one document, ready to render."""

    document: str
    document_id: int
    version: str
    filename: str
    html: str


def printable(session: Session, spec: dict[str, Any], seller: str) -> Printable:
    """The document `spec` names (`{"document": "invoice", "id": N}`), as it reads now."""
    source = attachment_source(session, spec, seller)
    html = html_of(source)
    version = hashlib.sha256(html.encode()).hexdigest()
    return Printable(str(spec["document"]), int(spec["id"]), version, source.filename, html)


def _stored(session: Session, wanted: Printable) -> StoredDocument | None:
    return session.exec(
        select(StoredDocument).where(
            StoredDocument.document == wanted.document,
            StoredDocument.document_id == wanted.document_id,
            StoredDocument.version == wanted.version,
        )
    ).first()


def _keep(engine: Engine, wanted: Printable, content: bytes) -> None:
    row = StoredDocument(
        document=wanted.document,
        document_id=wanted.document_id,
        version=wanted.version,
        filename=wanted.filename,
        content_type=PDF,
        content=content,
    )
    try:
        with transaction(engine) as session:
            session.add(row)
    except IntegrityError:  # rendered at the same moment elsewhere: that copy is as good
        pass


def _find(engine: Engine, spec: dict[str, Any], seller: str) -> tuple[Printable, Document | None]:
    """The document as it reads now, and its stored copy if this version has one."""
    with reading(engine) as session:
        wanted = printable(session, spec, seller)
        found = _stored(session, wanted)
        if found is None:
            return wanted, None
        return wanted, Document(found.filename, found.content_type, found.content)


async def stored_document(
    engine: Engine, spec: dict[str, Any], seller: str, render: PdfRenderer = render_in_thread
) -> Document:
    """The document's PDF as it reads now: the stored copy of this version, else rendered (no
    transaction open meanwhile) and stored."""
    wanted, found = await asyncio.to_thread(_find, engine, spec, seller)
    if found is not None:
        return found
    # Shielded: a caller that gives up (an activity timed out behind a queue of PDFs) still
    # leaves the PDF stored for its retry.
    return await asyncio.shield(_render_and_keep(engine, wanted, render))


async def _render_and_keep(engine: Engine, wanted: Printable, render: PdfRenderer) -> Document:
    content = await render(wanted.html)
    await asyncio.to_thread(_keep, engine, wanted, content)
    return Document(wanted.filename, PDF, content)


async def invoice_document(
    engine: Engine, invoice_id: int, seller: str, render: PdfRenderer = render_in_thread
) -> Document:
    return await stored_document(engine, {"document": "invoice", "id": invoice_id}, seller, render)
