"""The lock files pin what pyproject.toml asks for: every dependency (and theirs) at one version
with its hashes, so `make install` and the image install exactly what was tested. A dependency
added to pyproject.toml without `make lock` fails here."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+) \\$")


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def wanted(requirements: list[str]) -> set[str]:
    return {normalized(re.split(r"[\s<>=!~;\[]", line, maxsplit=1)[0]) for line in requirements}


def pins(lock: str) -> dict[str, str]:
    """Package -> version, each checked to carry at least one sha256 hash."""
    lines = (ROOT / lock).read_text().splitlines()
    found: dict[str, str] = {}
    for number, line in enumerate(lines):
        if match := PIN.match(line):
            assert lines[number + 1].strip().startswith("--hash=sha256:"), line
            found[normalized(match[1])] = match[2]
    return found


RUNTIME = wanted(PYPROJECT["project"]["dependencies"])
DEV = wanted(PYPROJECT["project"]["optional-dependencies"]["dev"])


@pytest.mark.parametrize(
    ("lock", "names"),
    [("requirements.lock", RUNTIME), ("requirements-dev.lock", RUNTIME | DEV)],
)
def test_the_lock_pins_every_dependency_of_pyproject(lock: str, names: set[str]) -> None:
    assert sorted(names - pins(lock).keys()) == []


def test_every_locked_line_is_a_hashed_pin() -> None:
    for lock in ("requirements.lock", "requirements-dev.lock"):
        text = (ROOT / lock).read_text()
        requirements = [
            line
            for line in text.splitlines()
            if line and not line.startswith((" ", "#", "--hash")) and not line.startswith("    ")
        ]
        assert requirements and all(PIN.match(line) for line in requirements), lock
        assert "file:///" not in text, f"{lock} names this machine's package index"


def test_production_and_development_install_the_same_versions() -> None:
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    assert {name: dev.get(name) for name in runtime} == runtime
