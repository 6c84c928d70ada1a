"""Web pages: the dev mail catcher's inbox at /ui/outbox."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from api.deps import SettingsDep

router = APIRouter(prefix="/ui", tags=["pages"], include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent.parent / "templates")


def _mails(folder: Path) -> list[dict[str, str]]:
    mails = []
    for path in sorted(folder.glob("*.eml"), reverse=True)[:200]:
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        mails.append(
            {
                "id": path.stem,
                "to": str(message["To"]),
                "subject": str(message["Subject"]),
                "date": str(message["Date"] or path.stem[:15]),
            }
        )
    return mails


@router.get("/outbox", response_class=HTMLResponse)
async def outbox(request: Request, settings: SettingsDep) -> HTMLResponse:
    folder = settings.mailbox_dir
    return templates.TemplateResponse(
        request, "outbox.html", {"mails": _mails(folder), "folder": folder}
    )


@router.get("/outbox/{mail_id}", response_class=HTMLResponse)
async def outbox_mail(mail_id: str, request: Request, settings: SettingsDep) -> HTMLResponse:
    folder = settings.mailbox_dir
    path = folder / f"{mail_id}.eml"
    if not mail_id.replace("-", "").replace("_", "").isalnum() or not path.exists():
        raise HTTPException(404, detail="no such mail")
    message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    body = message.get_body(preferencelist=("plain", "html"))
    return templates.TemplateResponse(
        request,
        "mail.html",
        {"message": message, "body": body.get_content() if body else ""},
    )
