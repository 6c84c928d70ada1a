"""The README's promises: the two commands first, and every setting documented."""

from pathlib import Path

from o2c.settings import FulfilmentSettings, Settings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_readme_starts_with_the_two_commands() -> None:
    opening = "\n".join(README.splitlines()[:8])
    assert "make run" in opening and "make test" in opening


def test_every_setting_is_in_the_readme_table() -> None:
    documented = {line.split("`")[1] for line in README.splitlines() if line.startswith("| `O2C_")}
    # Fulfilment's settings nest in Settings.fulfilment but keep their flat names.
    fields = {*Settings.model_fields.keys() - {"fulfilment"}, *FulfilmentSettings.model_fields}
    assert documented == {f"O2C_{name.upper()}" for name in fields}
