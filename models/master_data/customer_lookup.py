"""Exact-match lookups of a customer's encrypted e-mail and tax id: each is normalised, then
hashed with the keyring's index key (a blind index), and the hash is what the database compares.
A row keeps the id of the index key its hashes were made with (`customer.index_key`); a search
compares the hashes under every index key the keyring holds, so rotating that key (`o2c keys
rotate`) loses no customer meanwhile."""

from __future__ import annotations

import re

from models.security.field_cipher import blind_index, blind_index_candidates

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


def email_lookups(email: str | None) -> list[str]:
    """What a search for this e-mail compares `customer.email_index` with: its hash under every
    index key (none for an empty search)."""
    normalised = normal_email(email or "")
    return blind_index_candidates(normalised) if normalised else []


def tax_id_lookups(tax_id: str | None) -> list[str]:
    normalised = normal_tax_id(tax_id or "")
    return blind_index_candidates(normalised) if normalised else []
