"""Every page checks its session's token on every request, on a path of o2c's own for the tokens
it issues: it must refuse exactly what PyJWT refuses (a signature that does not match, another
key, an expired token, one issued in the future, claims o2c does not issue), not only accept
what o2c signed."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from api.security import ALGORITHM, issue_token, read_token
from o2c.settings import Settings

KEY = "pages-token-check-secret-key-long-enough-for-hs256"


def _settings(tmp_path: Any, minutes: int = 30) -> Settings:
    return Settings(data_dir=tmp_path, secret_key=KEY, token_minutes=minutes)


def _signed(claims: dict[str, Any], key: str = KEY) -> str:
    return jwt.encode(claims, key, algorithm=ALGORITHM)


def _claims(**changed: Any) -> dict[str, Any]:
    now = int(datetime.now(UTC).timestamp())
    return {"sub": "sales", "roles": ["sales"], "ver": 3, "iat": now, "exp": now + 600, **changed}


def _agrees_with_pyjwt(settings: Settings, token: str) -> bool:
    try:
        jwt.decode(token, KEY, algorithms=[ALGORITHM])
    except jwt.PyJWTError:
        return read_token(settings, token) is None
    return read_token(settings, token) is not None


def test_a_token_o2c_issued_names_its_user_and_version(tmp_path: Any) -> None:
    settings = _settings(tmp_path)
    found = read_token(settings, issue_token(settings, "sales", ["sales"], version=3))
    assert found is not None and (found.username, found.version) == ("sales", 3)


def test_what_pyjwt_refuses_is_refused(tmp_path: Any) -> None:
    settings = _settings(tmp_path)
    good = issue_token(settings, "sales", ["sales"])
    head, body, signature = good.split(".")
    admin = base64.urlsafe_b64encode(json.dumps(_claims(sub="admin")).encode()).rstrip(b"=")
    refused = [
        f"{head}.{admin.decode()}.{signature}",  # claims changed under the signature
        f"{head}.{body}.{signature[:-2]}",  # signature cut
        f"{head}.{body}.{'A' * len(signature)}",  # signature forged
        _signed(_claims(), "another-secret-key-that-is-long-enough-too"),
        issue_token(_settings(tmp_path, minutes=-1), "sales", ["sales"]),  # expired
        _signed(_claims(exp=int(datetime.now(UTC).timestamp()))),  # expires this second
        _signed(_claims(iat=int((datetime.now(UTC) + timedelta(hours=1)).timestamp()))),
        _signed(_claims(aud="elsewhere")),  # a claim o2c does not issue: PyJWT's rules
        _signed(_claims(nbf=int((datetime.now(UTC) + timedelta(hours=1)).timestamp()))),
        jwt.encode(_claims(), KEY, algorithm="HS384"),  # another algorithm
        jwt.encode(_claims(), "", algorithm="none"),  # unsigned
        "garbage",
        "a.b.c",
        f"{head}..{signature}",
    ]
    for token in refused:
        assert read_token(settings, token) is None, token
        assert _agrees_with_pyjwt(settings, token), token


def test_a_valid_token_in_another_form_is_still_read(tmp_path: Any) -> None:
    """Times given as decimals, a token without `ver`: left to PyJWT, read as before."""
    settings = _settings(tmp_path)
    now = datetime.now(UTC).timestamp()
    for claims in (_claims(iat=now, exp=now + 600), {"sub": "sales", "exp": int(now) + 600}):
        token = _signed(claims)
        assert _agrees_with_pyjwt(settings, token)
        assert read_token(settings, token) is not None
