"""The Temporal payload codec endpoint: the Temporal UI (and `temporal workflow show
--codec-endpoint`) sends the encrypted payloads of a history here and shows ops what they say.

The protocol is Temporal's remote codec: `POST .../encode` and `.../decode` with a `Payloads`
message as JSON (`{"payloads": [{"metadata": {...}, "data": "..."}]}`, bytes in base64) and the
`X-Namespace` header. The browser UI is another origin: it may call only from the configured
Temporal UI origin, with the web session cookie ("include cross-origin credentials") or a bearer
token."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Header, HTTPException, Request, Response, status
from pydantic import BaseModel, Field
from temporalio.api.common.v1 import Payload

from activities.security.audit_context import act_as
from activities.security.audit_trail import record_role_denial
from api.deps import DatabaseDep, SettingsDep
from api.pages.session import session_token
from api.security import token_holder
from models.errors import InvalidInput
from models.security.users import Role, User
from o2c.payload_codec import EncryptionCodec, PayloadKeyError, payload_keys
from o2c.settings import Settings

router = APIRouter(prefix="/codec", tags=["operations"])
ALLOWED = frozenset({Role.OPS, Role.ADMIN})
ALLOWED_HEADERS = "Authorization, Content-Type, X-Namespace"


class CodecPayload(BaseModel):
    metadata: dict[str, str] = Field(default_factory=dict, description="Values in base64.")
    data: str = Field("", description="The payload's bytes in base64.")


class CodecPayloads(BaseModel):
    payloads: list[CodecPayload] = Field(default_factory=list)


def ui_origin(settings: Settings) -> str:
    parts = urlsplit(settings.temporal_ui_base)
    return f"{parts.scheme}://{parts.netloc}"


def cors_headers(request: Request, settings: Settings) -> dict[str, str]:
    """Access for the Temporal UI's origin only; any other origin's page cannot read answers."""
    origin = request.headers.get("origin")
    if origin != ui_origin(settings):
        return {}
    return {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Credentials": "true",
        "Vary": "Origin",
    }


def _bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token if scheme.lower() == "bearer" and token else None


async def codec_user(
    request: Request, response: Response, db: DatabaseDep, settings: SettingsDep
) -> User:
    """Ops or admin, by bearer token or web session cookie; 401 or 403 (recorded) otherwise."""
    cors = cors_headers(request, settings)
    response.headers.update(cors)
    token = _bearer(request) or session_token(request)
    user = await db.run(token_holder, settings, token) if token else None
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="not authenticated: log in at /app or send Authorization: Bearer <token>",
            headers={"WWW-Authenticate": "Bearer", **cors},
        )
    act_as(user.username)
    if not user.role_set & ALLOWED:
        await db.run(record_role_denial, user.username, request.method, request.url.path)
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, detail="this needs one of: admin, ops", headers=cors
        )
    return user


CodecUser = Annotated[User, Depends(codec_user)]
NamespaceHeader = Annotated[str | None, Header(alias="X-Namespace")]


def codec_for(settings: Settings, namespace: str | None) -> EncryptionCodec:
    if namespace is not None and namespace != settings.temporal_namespace:
        raise InvalidInput(
            f"this codec serves namespace {settings.temporal_namespace!r}", field="X-Namespace"
        )
    return EncryptionCodec(payload_keys(settings))


def to_payloads(body: CodecPayloads) -> list[Payload]:
    try:
        return [
            Payload(
                metadata={k: base64.b64decode(v, validate=True) for k, v in p.metadata.items()},
                data=base64.b64decode(p.data, validate=True),
            )
            for p in body.payloads
        ]
    except (binascii.Error, ValueError) as exc:
        raise InvalidInput("metadata values and data must be base64", field="payloads") from exc


def from_payloads(payloads: list[Payload]) -> CodecPayloads:
    def text(raw: bytes) -> str:
        return base64.b64encode(raw).decode()

    return CodecPayloads(
        payloads=[
            CodecPayload(metadata={k: text(v) for k, v in p.metadata.items()}, data=text(p.data))
            for p in payloads
        ]
    )


@router.options("/{action}", include_in_schema=False)
async def preflight(action: str, request: Request, settings: SettingsDep) -> Response:
    """The browser's CORS preflight: allowed for the Temporal UI's origin only."""
    cors = cors_headers(request, settings)
    if not cors or action not in {"encode", "decode"}:
        return Response(status_code=status.HTTP_403_FORBIDDEN)
    cors |= {
        "Access-Control-Allow-Methods": "POST",
        "Access-Control-Allow-Headers": ALLOWED_HEADERS,
        "Access-Control-Max-Age": "600",
    }
    return Response(status_code=status.HTTP_204_NO_CONTENT, headers=cors)


@router.post("/encode")
async def encode(
    body: CodecPayloads, _user: CodecUser, settings: SettingsDep, namespace: NamespaceHeader = None
) -> CodecPayloads:
    """Encrypts payloads as the API and workers do (ops, admin)."""
    codec = codec_for(settings, namespace)
    return from_payloads(await codec.encode(to_payloads(body)))


@router.post("/decode")
async def decode(
    body: CodecPayloads, _user: CodecUser, settings: SettingsDep, namespace: NamespaceHeader = None
) -> CodecPayloads:
    """Decrypts payloads of this namespace's histories (ops, admin); unencrypted ones come back
    as they are."""
    codec = codec_for(settings, namespace)
    try:
        return from_payloads(await codec.decode(to_payloads(body)))
    except PayloadKeyError as exc:
        raise InvalidInput(str(exc), field="payloads") from exc
