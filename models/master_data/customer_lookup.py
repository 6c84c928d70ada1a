"""Exact-match lookups of a customer's encrypted e-mail and tax id: each is normalised, then
hashed with the keyring's index key (a blind index), and the hash is what the database compares."""

from __future__ import annotations

import re

from models.security.field_cipher import blind_index

_TAX_ID_NOISE = re.compile(r"[\s.\-/]")


def normal_email(email: str) -> str:
    return email.strip().lower()


def normal_tax_id(tax_id: str) -> str:
    """`de 123.456-789` and `DE123456789` are one tax id."""
    return _TAX_ID_NOISE.sub("", tax_id).upper()


def email_index(email: str | None) -> str | None:
    return _indexed(normal_email(email or ""))


def tax_id_index(tax_id: str | None) -> str | None:
    return _indexed(normal_tax_id(tax_id or ""))


def _indexed(normalised: str) -> str | None:
    """Nothing to find by, no hash: an empty one would match every customer without a value."""
    return blind_index(normalised) if normalised else None
