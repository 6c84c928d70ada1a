"""An import's upload has a limit of its own (O2C_IMPORT_MAX_BYTES), above the limit of every
other request body: a customer list is bigger than any order."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.security.users import Role
from o2c.settings import Settings
from tests.fixtures.api import UNREACHABLE_TEMPORAL
from tests.imports.files import csv_file
from tests.support.api_client import ApiClient
from tests.support.settings import make_settings

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
HEADER = ["code", "name", "email", "currency", "credit_limit"]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(
        tmp_path, temporal_address=UNREACHABLE_TEMPORAL, max_body_bytes=600, import_max_bytes=6000
    )


async def post_file(api: ApiClient, path: Path) -> int:
    with path.open("rb") as handle:
        answer = await api.call(
            "POST",
            "/imports",
            Role.FINANCE,
            data={"kind": "customers", "dry_run": "true"},
            files={"file": (path.name, handle, "text/csv")},
        )
    return answer.status_code


async def test_upload_above_the_body_limit_is_taken_up_to_the_import_limit(
    api: ApiClient, tmp_path: Path
) -> None:
    rows = [[f"C{n}", f"Customer {n}", f"c{n}@x.example", "USD", "1"] for n in range(40)]
    fits = csv_file(tmp_path / "fits.csv", [HEADER, *rows])
    too_big = csv_file(tmp_path / "big.csv", [HEADER, *rows * 8])
    assert 600 < fits.stat().st_size < 6000 < too_big.stat().st_size

    assert await post_file(api, fits) == 202
    assert await post_file(api, too_big) == 413
    big_order = await api.post("/customers", Role.SALES, {"name": "x" * 700})
    assert big_order.status_code == 413
