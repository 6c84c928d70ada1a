"""Refuses JSON bodies that are not UTF-8 (RFC 8259), which the JSON parser would otherwise
guess to be UTF-16 or UTF-32 and accept."""

from __future__ import annotations

from fastapi import Request

from models.errors import InvalidInput


async def utf8_json(request: Request) -> None:
    if "json" not in request.headers.get("content-type", ""):
        return
    try:
        (await request.body()).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput("the JSON body is not UTF-8", field="body") from exc
