"""Access tokens: JWTs signed with the instance's secret, naming the user, their roles and the
user's token version; a token whose version is no longer the user's is revoked."""

from __future__ import annotations

import base64
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import jwt
from sqlmodel import Session

from activities.security.users import find_user
from models.security.users import User
from o2c.settings import Settings

ALGORITHM = "HS256"
# The header of every token o2c issues, as PyJWT writes it (compact JSON, keys sorted).
OUR_HEADER = b"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
# The claims o2c puts in a token (`issue_token`); a token with any other goes through PyJWT.
OUR_CLAIMS = frozenset({"sub", "roles", "ver", "iat", "exp"})


def signing_key(settings: Settings) -> str:
    """The configured secret, or one generated once and kept under the data directory."""
    return settings.secret_key or _generated_key(settings.data_dir)


@lru_cache
def _generated_key(data_dir: Path) -> str:
    path = data_dir / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


@dataclass(frozen=True)
class TokenClaims:
    username: str
    version: int


def issue_token(settings: Settings, username: str, roles: list[str], version: int = 0) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": username,
        "roles": roles,
        "ver": version,
        "iat": now,
        "exp": now + timedelta(minutes=settings.token_minutes),
    }
    return jwt.encode(claims, signing_key(settings), algorithm=ALGORITHM)


def user_token(settings: Settings, user: User) -> str:
    """A token for `user` as they are now: revoked when their token version moves on."""
    return issue_token(settings, user.username, sorted(user.role_set), user.token_version)


def _our_claims(token: str, key: str) -> dict[str, object] | None:
    """The claims of a token in the form o2c issues it (its header, its claims, whole-second
    times), read and checked as PyJWT checks them, at a fraction of its cost (~0.09 ms of every
    page): the signature over header and claims, the expiry (`exp` past: expired), the issue
    time (`iat` ahead: not yet valid). None for a bad signature or an expired one; `{}` for a
    token in any other form, which `read_token` leaves to PyJWT."""
    data = token.encode("ascii", "replace")
    if not data.startswith(OUR_HEADER + b".") or data.count(b".") != 2:
        return {}
    signed, _, signature = data.rpartition(b".")
    digest = hmac.digest(key.encode(), signed, "sha256")
    if not hmac.compare_digest(base64.urlsafe_b64encode(digest).rstrip(b"="), signature):
        return None
    payload = signed[len(OUR_HEADER) + 1 :]
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload + b"=" * (-len(payload) % 4)))
    except ValueError:
        return {}
    if not isinstance(claims, dict) or not claims.keys() <= OUR_CLAIMS:
        return {}
    expires, issued = claims.get("exp"), claims.get("iat")
    if type(expires) is not int or type(issued) is not int:
        return {}
    now = time.time()
    return claims if issued <= now < expires else None


def read_token(settings: Settings, token: str) -> TokenClaims | None:
    """Who a valid token names, and at which token version; else None."""
    key = signing_key(settings)
    claims = _our_claims(token, key)
    if claims == {}:
        try:
            claims = jwt.decode(token, key, algorithms=[ALGORITHM])
        except jwt.PyJWTError:
            return None
    if claims is None:
        return None
    # A token from before versions existed is at version 0, as every user was: the user's
    # next revocation ends it like any other.
    subject, version = claims.get("sub"), claims.get("ver", 0)
    if not isinstance(subject, str) or type(version) is not int:
        return None
    return TokenClaims(subject, version)


def holds(user: User | None, claims: TokenClaims) -> bool:
    """Whether `user`, read by the name `claims` give, is their token's holder: active, and the
    token not revoked since (its version is the user's)."""
    return user is not None and user.active and user.token_version == claims.version


def token_holder(session: Session, settings: Settings, token: str) -> User | None:
    """The active user a valid, unrevoked token names; else None."""
    claims = read_token(settings, token)
    if claims is None:
        return None
    user = find_user(session, claims.username)
    return user if holds(user, claims) else None
