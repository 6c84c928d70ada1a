"""Changing an account: an admin's new roles, deactivation and password reset, and a user's own
password change. Each change that matters to access raises the user's token version, which
revokes every token and web session the user holds."""

from __future__ import annotations

from sqlmodel import Session, col, select

from activities.security.users import find_user, hash_password, password_matches, to_public
from models.errors import Conflict, Forbidden, InvalidInput, NotFound
from models.security.users import PasswordChange, Role, User, UserPublic, UserUpdate


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"user {user_id} not found")
    return user


def _revoke_sessions(user: User) -> None:
    user.token_version += 1


def _keeps_an_admin(session: Session, user: User, roles: set[Role], active: bool) -> bool:
    """Whether an active admin is left once `user` has these roles and this state."""
    if active and Role.ADMIN in roles:
        return True
    others = select(User).where(
        col(User.roles).contains(Role.ADMIN.value), col(User.active), User.id != user.id
    )
    return session.exec(others).first() is not None


def update_user(session: Session, user_id: int, data: UserUpdate) -> UserPublic:
    user = _user(session, user_id)
    roles = set(data.roles) if data.roles is not None else set(user.role_set)
    active = data.active if data.active is not None else user.active
    if not _keeps_an_admin(session, user, roles, active):
        raise Conflict("this would leave no active admin")
    if roles != user.role_set or active != user.active:
        _revoke_sessions(user)
    user.roles = ",".join(sorted(roles))
    user.active = active
    if "email" in data.model_fields_set:
        user.email = str(data.email) if data.email else None
    session.add(user)
    return to_public(user)


def reset_password(session: Session, user_id: int, new_password: str) -> UserPublic:
    user = _user(session, user_id)
    user.password_hash = hash_password(new_password)
    _revoke_sessions(user)
    session.add(user)
    return to_public(user)


def change_password(session: Session, username: str, change: PasswordChange) -> None:
    user = find_user(session, username)
    if user is None or not password_matches(user, change.current_password):
        raise Forbidden("the current password is wrong", field="current_password")
    if change.new_password == change.current_password:
        raise InvalidInput("the new password is the current one", field="new_password")
    user.password_hash = hash_password(change.new_password)
    _revoke_sessions(user)
    session.add(user)
