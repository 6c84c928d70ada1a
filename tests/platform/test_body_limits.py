"""Bodies above the API's limit are refused with 413, also when they come in chunks without a
length, and nothing is written."""

from __future__ import annotations

from typing import Any

from models.security.users import Role
from tests.support.api_client import ApiClient
from tests.support.refusals import send_raw, ten_megabytes


async def test_10_mb_order_is_413(api: ApiClient) -> None:
    response = await send_raw(api, "/orders", Role.SALES, ten_megabytes({"customer_id": 1}))

    assert response.status_code == 413


async def test_10_mb_body_sent_in_chunks_without_length_is_413(api: ApiClient) -> None:
    async def chunks() -> Any:
        for _ in range(10):
            yield b"x" * (1024 * 1024)

    response = await api.call(
        "POST", "/customers", Role.SALES, content=chunks(), headers={"content-type": "text/json"}
    )

    assert response.status_code == 413
    assert await api.total("/customers") == 0
