"""What a refused request looks like to its sender: a 4xx naming the field it is about."""

from __future__ import annotations

import json
from typing import Any

import httpx

from models.security.users import Role
from tests.support.api_client import ApiClient

TEN_MB = 10 * 1024 * 1024


def ten_megabytes(body: dict[str, Any]) -> bytes:
    """The body, padded with a note to 10 MB, ten times what the API accepts."""
    return json.dumps({**body, "note": "x" * TEN_MB}).encode()


async def send_raw(
    api: ApiClient, path: str, role: Role, content: bytes, method: str = "POST"
) -> httpx.Response:
    """Sends bytes as a JSON body (for bodies that are not JSON, or too large)."""
    headers = {"content-type": "application/json"}
    return await api.call(method, path, role, content=content, headers=headers)


def assert_refused_naming(response: httpx.Response, field: str) -> None:
    """A 4xx whose body points at the field: FastAPI's `loc` or our `detail` text and `field`."""
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    body = response.json()
    detail = body["detail"]
    if isinstance(detail, list):
        locations = [[str(part) for part in error["loc"]] for error in detail]
        assert any(field in location for location in locations), detail
    else:
        assert field in detail or body.get("field") == field, body
