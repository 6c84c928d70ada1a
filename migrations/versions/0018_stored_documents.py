"""stored documents: rendered PDFs kept per document and version (the hash of what they show), so
an invoice is rendered once per version and mailed and downloaded from storage

Revision ID: 0018_stored_documents
Revises: 0017_imports
Create Date: 2026-11-30 06:00:00
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import sqlmodel

import models.columns

revision = '0018_stored_documents'
down_revision = '0017_imports'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'stored_document',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('document', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('version', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('content_type', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', models.columns.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('document', 'document_id', 'version'),
    )


def downgrade() -> None:
    op.drop_table('stored_document')
