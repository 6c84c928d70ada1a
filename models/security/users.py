"""Users and their roles."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import EmailStr
from sqlmodel import Field, SQLModel

from models.base import timestamp_field
from models.security.passwords import MAX_LENGTH, NewPassword


class Role(StrEnum):
    ADMIN = "admin"
    SALES = "sales"
    APPROVER = "approver"
    CREDIT_MANAGER = "credit_manager"
    WAREHOUSE = "warehouse"
    FINANCE = "finance"
    COLLECTOR = "collector"
    AUDITOR = "auditor"
    OPS = "ops"  # runs the system: health, the outbox's dead and unconfirmed messages


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(index=True, unique=True, max_length=64)
    password_hash: str
    roles: str = Field(default="", description="comma-separated Role values")
    email: str | None = Field(default=None, max_length=254)
    active: bool = True
    # The web pages' language, a catalog under api/translations (en, zh_Hant, zh_Hans).
    language: str = Field(default="en", max_length=16)
    created_at: datetime = timestamp_field()
    # In every token issued to the user; raising it (deactivation, new roles, new password)
    # revokes every live token and web session at once.
    token_version: int = 0

    @property
    def role_set(self) -> frozenset[Role]:
        return frozenset(Role(r) for r in self.roles.split(",") if r)


class UserCreate(SQLModel):
    username: str = Field(
        min_length=2, max_length=64, schema_extra={"pattern": r"^[A-Za-z0-9_.@-]+$"}
    )
    password: NewPassword
    roles: list[Role] = Field(min_length=1)
    email: EmailStr | None = None


class UserUpdate(SQLModel):
    """What an admin changes on a user; what is left out stays."""

    roles: list[Role] | None = Field(default=None, min_length=1)
    active: bool | None = None
    email: EmailStr | None = None


class PasswordReset(SQLModel):
    """An admin sets a user's password (the user forgot theirs)."""

    new_password: NewPassword


class PasswordChange(SQLModel):
    """A user changes their own password, proving they know the current one."""

    current_password: str = Field(max_length=MAX_LENGTH)
    new_password: NewPassword


class UserPublic(SQLModel):
    id: int
    username: str
    roles: list[Role]
    email: str | None = None
    active: bool
