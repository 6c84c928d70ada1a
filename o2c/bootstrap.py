"""Start-up duties: the schema at the latest migration, and the first admin from settings."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

from activities.security.users import admin_exists, create_user
from activities.transaction import transaction
from models.security.users import Role, UserCreate
from o2c.db import engine_for
from o2c.settings import Settings

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_database(url: str) -> None:
    engine_for(url)  # creates the SQLite folder on a fresh data dir
    command.upgrade(alembic_config(url), "head")


def ensure_admin(engine: Engine, settings: Settings) -> str:
    """Creates the bootstrap admin when none exists; says what to do when it cannot."""
    with transaction(engine) as session:
        if admin_exists(session):
            return "admin present"
        if settings.admin_username and settings.admin_password:
            create_user(
                session,
                UserCreate(
                    username=settings.admin_username,
                    password=settings.admin_password,
                    roles=[Role.ADMIN],
                ),
            )
            return f"created admin {settings.admin_username!r}"
    return (
        "no admin user exists: set O2C_ADMIN_USERNAME and O2C_ADMIN_PASSWORD, "
        "or run `o2c users create <name> --role admin`"
    )
