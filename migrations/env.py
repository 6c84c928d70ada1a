"""Alembic environment: the schema is SQLModel's metadata; the URL comes from o2c settings."""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

from models.tables import metadata
from o2c.settings import get_settings

config = context.config
url = config.get_main_option("sqlalchemy.url") or get_settings().sqlalchemy_url


def render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    if type_ == "type" and obj.__class__.__name__ == "MoneyColumn":
        autogen_context.imports.add("import models.columns")  # type: ignore[attr-defined]
        return "models.columns.MoneyColumn()"
    return False


def run_migrations_offline() -> None:
    context.configure(
        url=url, target_metadata=metadata, literal_binds=True, render_item=render_item
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = engine_from_config(
        {"sqlalchemy.url": url}, prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_item=render_item,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
