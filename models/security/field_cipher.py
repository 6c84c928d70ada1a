"""Personal data encrypted at rest: AES-256-GCM per value, under a key named in the value, so
keys can rotate (`o2c keys rotate`), and a keyed hash (blind index) for exact-match lookups.

A stored value reads `v1:<key id>:<base64 of nonce and ciphertext>`; the table and column are
its associated data, so a value copied into another column does not decrypt. The keyring is
installed once per process (`use_keyring`, by o2c's start-up) and read by the column type."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

FORMAT = "v1"
KEY_BYTES = 32
NONCE_BYTES = 12
# The keyring entries that key the blind index: `index`, and `index-<anything>` for the keys that
# replace it (`o2c keys rotate` re-indexes under the last one listed). No data key, never current.
INDEX_KEY_ID = "index"
INDEX_KEY_PREFIX = f"{INDEX_KEY_ID}-"
KEY_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
T = TypeVar("T", str, bytes)  # what an encrypted column holds in Python


class DataKeyError(Exception):
    """The data keys are missing, malformed, or do not open what the database holds."""


def is_index_key_id(key_id: str) -> bool:
    return key_id == INDEX_KEY_ID or key_id.startswith(INDEX_KEY_PREFIX)


@dataclass(frozen=True)
class Keyring:
    """The data keys by id, the one new values are encrypted with, and the blind-index keys by
    id with the one new lookup hashes are made with (`index_current`)."""

    keys: dict[str, bytes]
    current: str
    index_keys: dict[str, bytes]
    index_current: str
    _ciphers: dict[str, AESGCM] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.current not in self.keys:
            raise DataKeyError(f"the current data key {self.current!r} is not in the keyring")
        if self.index_current not in self.index_keys:
            raise DataKeyError(f"the index key {self.index_current!r} is not in the keyring")
        for key_id, key in self.keys.items():
            self._ciphers[key_id] = AESGCM(key)

    @property
    def index_key(self) -> bytes:
        return self.index_keys[self.index_current]

    def cipher(self, key_id: str) -> AESGCM:
        found = self._ciphers.get(key_id)
        if found is None:
            raise DataKeyError(
                f"data encrypted with key {key_id!r}, which the keyring does not hold: "
                "add it to O2C_DATA_KEYS (docs/security.md)"
            )
        return found


def parse_keyring(text: str, current: str | None = None) -> Keyring:
    """`id=base64key` pairs, one a line or comma-separated (`#` starts a comment); one pair named
    `index` (or `index-...`, its successors) keys the blind index. Without `current`, the last data
    key listed is current; the last index key listed is always the current index key."""
    keys: dict[str, bytes] = {}
    index_keys: dict[str, bytes] = {}
    for raw in re.split(r"[,\n]", text):
        entry = raw.split("#", 1)[0].strip()
        if not entry:
            continue
        key_id, equals, encoded = entry.partition("=")
        key_id = key_id.strip()
        if not equals or not KEY_ID_PATTERN.match(key_id):
            raise DataKeyError(f"data key entry {key_id[:32]!r} is not id=base64key")
        key = _decoded_key(key_id, encoded.strip())
        if is_index_key_id(key_id):
            index_keys[key_id] = key
        else:
            keys[key_id] = key
    if not keys:
        raise DataKeyError("the keyring holds no data key")
    if not index_keys:
        raise DataKeyError(f"the keyring holds no {INDEX_KEY_ID!r} key for the blind index")
    return Keyring(
        keys=keys,
        current=current or list(keys)[-1],
        index_keys=index_keys,
        index_current=list(index_keys)[-1],
    )


def _decoded_key(key_id: str, encoded: str) -> bytes:
    try:
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise DataKeyError(f"data key {key_id!r} is not base64") from exc
    if len(key) != KEY_BYTES:
        raise DataKeyError(f"data key {key_id!r} has {len(key)} bytes, not {KEY_BYTES}")
    return key


def new_key() -> str:
    """A fresh 256-bit key, base64: the right side of an `id=key` entry."""
    return base64.b64encode(os.urandom(KEY_BYTES)).decode()


_installed: Keyring | None = None


def use_keyring(keyring: Keyring | None) -> None:
    """Make this the keyring every encrypted column of this process uses."""
    global _installed
    _installed = keyring


def keyring() -> Keyring:
    if _installed is None:
        raise DataKeyError(
            "no data keys are loaded: set O2C_DATA_KEYS or O2C_DATA_KEYS_FILE (docs/security.md)"
        )
    return _installed


def seal(data: bytes, where: str, ring: Keyring | None = None) -> str:
    """Bytes (a stored PDF) encrypted under the current key, in the format of every field."""
    ring = ring or keyring()
    nonce = os.urandom(NONCE_BYTES)
    sealed = ring.cipher(ring.current).encrypt(nonce, data, where.encode())
    return f"{FORMAT}:{ring.current}:{base64.b64encode(nonce + sealed).decode()}"


def encrypt(plaintext: str, where: str, ring: Keyring | None = None) -> str:
    return seal(plaintext.encode(), where, ring)


def key_id_of(stored: str) -> str:
    version, _, rest = stored.partition(":")
    key_id, colon, _ = rest.partition(":")
    if version != FORMAT or not colon:
        raise DataKeyError("a value in an encrypted column is not encrypted: run `o2c db upgrade`")
    return key_id


def unseal(stored: str, where: str, ring: Keyring | None = None) -> bytes:
    ring = ring or keyring()
    key_id = key_id_of(stored)
    blob = base64.b64decode(stored.split(":", 2)[2])
    try:
        return ring.cipher(key_id).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], where.encode())
    except InvalidTag as exc:
        raise DataKeyError(
            f"data key {key_id!r} does not open {where}: the key is not the one it was "
            "encrypted with (O2C_DATA_KEYS)"
        ) from exc


def decrypt(stored: str, where: str, ring: Keyring | None = None) -> str:
    return unseal(stored, where, ring).decode()


def blind_index(normalised: str, ring: Keyring | None = None) -> str:
    """The keyed hash an exact-match lookup compares: equal inputs, equal hashes; under the
    current index key (the id a row keeps beside its hashes: `ring.index_current`)."""
    ring = ring or keyring()
    return hmac.new(ring.index_key, normalised.encode(), hashlib.sha256).hexdigest()


def blind_index_candidates(normalised: str, ring: Keyring | None = None) -> list[str]:
    """The hashes of `normalised` under every index key of the keyring: during a rotation of the
    index key, a row is found whether it is hashed under the old key or the new one."""
    ring = ring or keyring()
    return [
        hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()
        for key in ring.index_keys.values()
    ]


class _SealedColumn(TypeDecorator[T]):
    """A column of `kind` values stored as text sealed by `sealed` and opened by `opened`, with
    `where` ("table.column") bound into each value."""

    impl = Text
    cache_ok = True

    def __init__(
        self,
        where: str,
        kind: type[T],
        sealed: Callable[[T, str], str],
        opened: Callable[[str, str], T],
    ) -> None:
        super().__init__()
        self.where = where
        self.kind: type[T] = kind
        self.sealed: Callable[[T, str], str] = sealed
        self.opened: Callable[[str, str], T] = opened

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else self.sealed(self.kind(value), self.where)

    def process_result_value(self, value: Any, dialect: Dialect) -> T | None:
        return None if value is None else self.opened(value, self.where)

    @property
    def python_type(self) -> type[T]:
        return self.kind


class EncryptedText(_SealedColumn[str]):
    """A text column stored encrypted with the process's keyring; `where` ("table.column") is
    bound into each value. Equality in SQL cannot work on it: compare a blind index instead."""

    cache_ok = True

    def __init__(self, where: str) -> None:
        super().__init__(where, str, encrypt, decrypt)


class EncryptedBytes(_SealedColumn[bytes]):
    """Bytes (a rendered PDF) stored as text encrypted like `EncryptedText`'s values, so one
    keyring, one check at start-up and one rotation cover both."""

    cache_ok = True

    def __init__(self, where: str) -> None:
        super().__init__(where, bytes, seal, unseal)
