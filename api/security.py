"""Access tokens: JWTs signed with the instance's secret, naming the user and their roles."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import jwt

from o2c.settings import Settings

ALGORITHM = "HS256"


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


def issue_token(settings: Settings, username: str, roles: list[str]) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": username,
        "roles": roles,
        "iat": now,
        "exp": now + timedelta(minutes=settings.token_minutes),
    }
    return jwt.encode(claims, signing_key(settings), algorithm=ALGORITHM)


def read_token(settings: Settings, token: str) -> str | None:
    """The username in a valid token, else None."""
    try:
        claims = jwt.decode(token, signing_key(settings), algorithms=[ALGORITHM])
    except jwt.PyJWTError:
        return None
    subject = claims.get("sub")
    return subject if isinstance(subject, str) else None
