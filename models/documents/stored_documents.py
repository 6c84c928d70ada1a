"""Rendered documents kept for reuse: one file per document and version, where the version is the
hash of what the document shows, so a change the reader would see makes a new version. The file
is kept encrypted with the data keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import timestamp_field
from models.security.field_cipher import EncryptedBytes


class StoredDocument(SQLModel, table=True):
    __tablename__ = "stored_document"
    __table_args__ = (UniqueConstraint("document", "document_id", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    document: str = Field(max_length=40, description="what it is, e.g. invoice")
    document_id: int = Field(description="the id of that invoice (or other document)")
    version: str = Field(max_length=64, description="SHA-256 of the HTML the file was made from")
    filename: str = Field(max_length=200)
    content_type: str = Field(max_length=100)
    # The PDF names the customer and prints their address: encrypted at rest like their record
    # (docs/security.md).
    content: bytes = Field(
        sa_column=Column(EncryptedBytes("stored_document.content"), nullable=False)
    )
    created_at: datetime = timestamp_field()
