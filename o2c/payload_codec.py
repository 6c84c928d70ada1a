"""Temporal payloads encrypted with AES-256-GCM before they leave the process, so the histories
on the Temporal server hold no readable customer data or amounts.

Each encrypted payload names its key (`encryption-key-id` in its metadata): keys rotate by
putting a new one first in O2C_PAYLOAD_KEYS and keeping the old ones after it while histories
written with them live. Payloads that are not encrypted (histories recorded before the codec)
pass through decoding unchanged."""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import os
import secrets
from collections.abc import Mapping, Sequence
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from temporalio.api.common.v1 import Payload
from temporalio.converter import PayloadCodec

from o2c.settings import Settings

ENCODING = b"binary/encrypted"
KEY_ID = "encryption-key-id"
NONCE_BYTES = 12
KEY_BYTES = 32
GENERATED_KEY_ID = "local-1"
KEYS_FILE = "payload_keys.json"


class PayloadKeyError(ValueError):
    """A payload key is missing, malformed or does not open the payload."""


def new_key() -> str:
    """A fresh AES-256 key as O2C_PAYLOAD_KEYS holds it (URL-safe base64)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def parse_keys(configured: Mapping[str, str]) -> dict[str, bytes]:
    """Key id -> 32 raw bytes, in the configured order (the first encrypts)."""
    keys: dict[str, bytes] = {}
    for key_id, text in configured.items():
        try:
            raw = base64.urlsafe_b64decode(text.encode())
        except (binascii.Error, ValueError) as exc:
            raise PayloadKeyError(f"payload key {key_id!r} is not base64") from exc
        if len(raw) != KEY_BYTES:
            raise PayloadKeyError(f"payload key {key_id!r} must be {KEY_BYTES} bytes")
        keys[key_id] = raw
    return keys


def payload_keys(settings: Settings) -> dict[str, bytes]:
    """The configured keys, or one generated once and kept under the data directory."""
    return parse_keys(settings.payload_keys or _generated_keys(settings.data_dir))


def _generated_keys(data_dir: Path) -> dict[str, str]:
    path = data_dir / KEYS_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        draft = data_dir / f".{KEYS_FILE}.{os.getpid()}"
        draft.write_text(json.dumps({GENERATED_KEY_ID: new_key()}))
        draft.chmod(0o600)
        # Linking fails when another process (the worker beside the API) got there first:
        # then both use that one.
        with contextlib.suppress(FileExistsError):
            os.link(draft, path)
        draft.unlink()
    loaded: dict[str, str] = json.loads(path.read_text())
    return loaded


class EncryptionCodec(PayloadCodec):
    """Encrypts with the first key; decrypts with whichever key the payload names."""

    def __init__(self, keys: Mapping[str, bytes]) -> None:
        if not keys:
            raise PayloadKeyError("no payload key: set O2C_PAYLOAD_KEYS")
        self.ciphers = {key_id: AESGCM(key) for key_id, key in keys.items()}
        self.current = next(iter(keys))

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self.encrypt(payload) for payload in payloads]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self.decrypt(payload) for payload in payloads]

    def encrypt(self, payload: Payload) -> Payload:
        nonce = secrets.token_bytes(NONCE_BYTES)
        # The key id is bound to the ciphertext: moving it to another key's label fails.
        sealed = self.ciphers[self.current].encrypt(
            nonce, payload.SerializeToString(), self.current.encode()
        )
        return Payload(
            metadata={"encoding": ENCODING, KEY_ID: self.current.encode()}, data=nonce + sealed
        )

    def decrypt(self, payload: Payload) -> Payload:
        if payload.metadata.get("encoding") != ENCODING:
            return payload  # written without the codec
        key_id = payload.metadata.get(KEY_ID, b"").decode(errors="replace")
        cipher = self.ciphers.get(key_id)
        if cipher is None:
            raise PayloadKeyError(f"payload encrypted with unknown key {key_id!r}")
        nonce, sealed = payload.data[:NONCE_BYTES], payload.data[NONCE_BYTES:]
        try:
            return Payload.FromString(cipher.decrypt(nonce, sealed, key_id.encode()))
        except (InvalidTag, ValueError) as exc:  # altered, cut short, or another key's
            raise PayloadKeyError(f"payload does not open with key {key_id!r}") from exc
