"""The password rule every new password meets: 12 characters or more, and none of the common
passwords shipped in common_passwords.txt (compared without case)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field

MIN_LENGTH = 12
MAX_LENGTH = 128
COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")


@lru_cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line and not line.startswith("#"))


def _not_common(password: str) -> str:
    if password.lower() in common_passwords():
        raise ValueError("is one of the most common passwords; choose another")
    return password


# For passwords being set; logging in takes any string, so an old password still opens the door.
NewPassword = Annotated[
    str, Field(min_length=MIN_LENGTH, max_length=MAX_LENGTH), AfterValidator(_not_common)
]
