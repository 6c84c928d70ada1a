"""docs/fulfilment.md documents every fulfilment setting (they are not in README's table)."""

from __future__ import annotations

from pathlib import Path

from o2c.settings import FulfilmentSettings

DOC = (Path(__file__).resolve().parents[2] / "docs" / "fulfilment.md").read_text()


def test_every_fulfilment_setting_is_in_the_docs_table() -> None:
    documented = {line.split("`")[1] for line in DOC.splitlines() if line.startswith("| `O2C_")}
    assert documented == {f"O2C_{name.upper()}" for name in FulfilmentSettings.model_fields}
