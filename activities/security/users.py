"""Users: creation with hashed passwords, and checking a login."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from activities.paging import page
from models.errors import Conflict
from models.security.users import Role, User, UserCreate, UserPublic

_hasher = PasswordHasher()


def to_public(user: User) -> UserPublic:
    assert user.id is not None
    return UserPublic(
        id=user.id,
        username=user.username,
        roles=sorted(user.role_set),
        email=user.email,
        active=user.active,
    )


def create_user(session: Session, data: UserCreate) -> UserPublic:
    taken = Conflict(f"user {data.username!r} already exists", field="username")
    if session.exec(select(User).where(User.username == data.username)).first():
        raise taken
    user = User(
        username=data.username,
        password_hash=hash_password(data.password),
        roles=",".join(sorted({Role(r) for r in data.roles})),
        email=str(data.email) if data.email else None,
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent request took the name after the check
        raise taken from exc
    return to_public(user)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(user: User, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, InvalidHashError):
        return False


def authenticate(session: Session, username: str, password: str) -> User | None:
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None or not user.active:
        _hasher.hash(password)  # same work either way: no user enumeration by timing
        return None
    return user if password_matches(user, password) else None


def find_user(session: Session, username: str) -> User | None:
    return session.exec(select(User).where(User.username == username)).first()


def list_users(session: Session, limit: int, offset: int) -> tuple[list[UserPublic], int]:
    users, total = page(session, select(User).order_by(col(User.id)), limit, offset)
    return [to_public(u) for u in users], total


def admin_exists(session: Session) -> bool:
    admins = select(User).where(col(User.roles).contains(Role.ADMIN.value), col(User.active))
    return session.exec(admins).first() is not None


def set_language(session: Session, username: str, language: str) -> None:
    """The language the web pages speak to this user from now on."""
    user = find_user(session, username)
    if user is not None:
        user.language = language
        session.add(user)
