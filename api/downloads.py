"""Files the API hands out (PDFs, CSV, .xlsx): the body, its media type and the file name."""

from __future__ import annotations

from fastapi import Response


def download(content: bytes, media_type: str, filename: str, inline: bool = False) -> Response:
    """`inline` lets the browser show the file (an invoice PDF) instead of saving it."""
    disposition = "inline" if inline else "attachment"
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'{disposition}; filename="{filename}"'},
    )
