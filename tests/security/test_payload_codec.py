"""The payload codec and its endpoint for the Temporal UI: ops and admins see what encrypted
payloads say, nobody else does, and only the Temporal UI's origin may ask from a browser."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from temporalio.api.common.v1 import Payload

from api.pages.session import COOKIE
from api.security import issue_token
from models.security.audit import AuditEvent
from models.security.users import Role
from o2c.payload_codec import EncryptionCodec, PayloadKeyError, new_key, parse_keys, payload_keys
from tests.support.api_client import ApiClient
from tests.support.settings import PAYLOAD_KEYS, make_settings

UI = "http://127.0.0.1:8233"
ORDER_INPUT = b'{"customer_id": 1, "total": "146.93"}'


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def plain_payloads() -> dict[str, list[dict[str, object]]]:
    return {"payloads": [{"metadata": {"encoding": b64(b"json/plain")}, "data": b64(ORDER_INPUT)}]}


async def test_ops_encode_then_decode_gives_the_payload_back(api: ApiClient) -> None:
    encoded = await api.post("/codec/encode", Role.OPS, plain_payloads(), expect=200)
    sealed = encoded.json()["payloads"][0]
    assert base64.b64decode(sealed["metadata"]["encoding"]) == b"binary/encrypted"
    assert base64.b64decode(sealed["metadata"]["encryption-key-id"]) == b"test-1"
    assert b"146.93" not in base64.b64decode(sealed["data"])

    decoded = await api.post("/codec/decode", Role.ADMIN, encoded.json(), expect=200)
    assert decoded.json() == plain_payloads()


async def test_payloads_written_without_the_codec_decode_as_they_are(api: ApiClient) -> None:
    decoded = await api.post("/codec/decode", Role.OPS, plain_payloads(), expect=200)
    assert decoded.json() == plain_payloads()


@pytest.mark.parametrize("role", [Role.SALES, Role.FINANCE, Role.AUDITOR])
async def test_other_roles_are_refused_and_the_refusal_recorded(
    api: ApiClient, engine: Engine, role: Role
) -> None:
    refused = await api.post("/codec/decode", role, plain_payloads())
    assert refused.status_code == 403
    with Session(engine) as session:
        denials = session.exec(select(AuditEvent).where(AuditEvent.action == "role_denied")).all()
    assert [(d.actor, d.entity_id) for d in denials] == [(role.value, "/api/v1/codec/decode")]


async def test_without_a_token_or_session_the_codec_answers_401(api: ApiClient) -> None:
    answer = await api.http.post("/codec/decode", json=plain_payloads())
    assert answer.status_code == 401


async def test_the_web_session_of_ops_opens_payloads(api: ApiClient) -> None:
    """The Temporal UI sends the workspace's session cookie ("include cross-origin
    credentials"), not a bearer token."""
    cookie = {COOKIE: issue_token(api.settings, "ops", ["ops"])}
    answer = await api.http.post(
        "/codec/decode",
        json=plain_payloads(),
        cookies=cookie,
        headers={"Origin": UI, "X-Namespace": "default"},
    )
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == UI
    assert answer.headers["access-control-allow-credentials"] == "true"


async def test_the_temporal_ui_origin_alone_passes_the_preflight(api: ApiClient) -> None:
    asked = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "x-namespace",
    }
    allowed = await api.http.options("/codec/decode", headers={"Origin": UI, **asked})
    assert allowed.status_code == 204
    assert allowed.headers["access-control-allow-origin"] == UI
    assert "X-Namespace" in allowed.headers["access-control-allow-headers"]

    foreign = await api.http.options("/codec/decode", headers={"Origin": "https://evil.example"})
    assert foreign.status_code == 403
    assert "access-control-allow-origin" not in foreign.headers
    answered = await api.post(
        "/codec/decode", Role.OPS, plain_payloads(), headers={"Origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in answered.headers


async def test_another_namespace_or_broken_base64_is_refused(api: ApiClient) -> None:
    other = await api.post(
        "/codec/decode", Role.OPS, plain_payloads(), headers={"X-Namespace": "payroll"}
    )
    assert other.status_code == 422
    broken = {"payloads": [{"metadata": {}, "data": "not base64!"}]}
    assert (await api.post("/codec/decode", Role.OPS, broken)).status_code == 422


async def test_a_payload_of_an_unknown_key_is_refused(api: ApiClient) -> None:
    stranger = EncryptionCodec(parse_keys({"elsewhere": new_key()}))
    sealed = stranger.encrypt(Payload(metadata={"encoding": b"json/plain"}, data=ORDER_INPUT))
    body = {
        "payloads": [
            {"metadata": {k: b64(v) for k, v in sealed.metadata.items()}, "data": b64(sealed.data)}
        ]
    }
    answer = await api.post("/codec/decode", Role.OPS, body)
    assert answer.status_code == 422
    assert "elsewhere" in answer.text


async def test_a_cut_short_or_altered_payload_is_refused_not_a_server_error(
    api: ApiClient,
) -> None:
    sealed = EncryptionCodec(parse_keys({"test-1": PAYLOAD_KEYS["test-1"]})).encrypt(
        Payload(data=ORDER_INPUT)
    )
    metadata = {k: b64(v) for k, v in sealed.metadata.items()}
    for data in (sealed.data[:5], sealed.data[:-1] + b"x"):
        body = {"payloads": [{"metadata": metadata, "data": b64(data)}]}
        answer = await api.post("/codec/decode", Role.OPS, body)
        assert answer.status_code == 422, answer.text


async def test_rotated_keys_still_open_what_the_old_key_sealed() -> None:
    old, new = new_key(), new_key()
    before = EncryptionCodec(parse_keys({"k1": old}))
    sealed = await before.encode([Payload(metadata={"encoding": b"json/plain"}, data=ORDER_INPUT)])
    after = EncryptionCodec(parse_keys({"k2": new, "k1": old}))
    assert (await after.decode(sealed))[0].data == ORDER_INPUT
    assert (await after.encode(sealed))[0].metadata["encryption-key-id"] == b"k2"


async def test_a_sealed_payload_relabelled_with_another_key_does_not_open() -> None:
    keys = parse_keys({"k1": new_key(), "k2": new_key()})
    sealed = EncryptionCodec(keys).encrypt(Payload(data=ORDER_INPUT))
    sealed.metadata["encryption-key-id"] = b"k2"
    with pytest.raises(PayloadKeyError):
        await EncryptionCodec(keys).decode([sealed])


def test_without_configured_keys_one_is_generated_once_under_the_data_dir(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, payload_keys={})
    first = payload_keys(settings)
    assert payload_keys(settings) == first
    assert len(next(iter(first.values()))) == 32
    assert json.loads((tmp_path / "payload_keys.json").read_text()).keys() == first.keys()
    assert (tmp_path / "payload_keys.json").stat().st_mode & 0o077 == 0


def test_a_malformed_key_is_refused_by_name() -> None:
    with pytest.raises(PayloadKeyError, match="'short'"):
        parse_keys({"short": b64(b"too short")})
