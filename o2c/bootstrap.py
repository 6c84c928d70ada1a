"""Start-up duties: the schema at the latest migration, and the first admin from settings."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.security.users import admin_exists, create_user, find_user
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


def broken_rules(exc: ValidationError) -> str:
    """Which rules a new user broke; the error's own text holds the password, so only these."""
    return "; ".join(f"{'.'.join(map(str, e['loc']))} {e['msg']}" for e in exc.errors())


def ensure_admin(engine: Engine, settings: Settings) -> str:
    """Creates the admin O2C_ADMIN_USERNAME names unless that user exists (also when another
    admin, such as the demo's, does); says what to do when no admin can be had."""
    with transaction(engine) as session:
        if settings.admin_username or settings.admin_password:
            return _configured_admin(session, settings)
        if admin_exists(session):
            return "admin present"
    return (
        "no admin user exists: set O2C_ADMIN_USERNAME and O2C_ADMIN_PASSWORD, "
        "or run `o2c users create <name> --role admin`"
    )


def _configured_admin(session: Session, settings: Settings) -> str:
    name, password = settings.admin_username, settings.admin_password
    existing = find_user(session, name) if name else None
    if existing is not None:
        if Role.ADMIN in existing.role_set and existing.active:
            return "admin present"
        return f"user {name!r} exists but is no active admin: O2C_ADMIN_USERNAME changed nothing"
    if not name or not password:
        if admin_exists(session):  # e.g. compose's default name, the password left out later
            return "admin present"
        return "O2C_ADMIN_USERNAME and O2C_ADMIN_PASSWORD go together: no admin created"
    try:
        data = UserCreate(username=name, password=password, roles=[Role.ADMIN])
    except ValidationError as exc:
        return f"admin {name!r} not created: {broken_rules(exc)}"
    create_user(session, data)
    return f"created admin {name!r}"
