"""The dev mail catcher's inbox at /ui/outbox: the mail the embedded SMTP catcher wrote to disk.
It exists only in the dev stack (`mail_catcher`), for ops and admins logged in to the workspace."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser
from pathlib import Path

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from api.deps import SettingsDep
from api.pages.access import Page, page_user
from api.pages.i18n import N_
from models.security.users import Role
from o2c.settings import Settings

# Not in the navigation: production has no such page, so no link may lead to it.
OUTBOX = Page("outbox", "/ui/outbox", N_("Mail caught"), frozenset({Role.OPS}))
router = APIRouter(
    prefix="/ui", tags=["pages"], include_in_schema=False, dependencies=[Depends(page_user(OUTBOX))]
)
templates = Jinja2Templates(directory=Path(__file__).parent.parent / "templates")


def install(app: FastAPI, settings: Settings) -> None:
    """Mounts the page only where mail is caught; anywhere else /ui/outbox answers 404."""
    if settings.mail_catcher:
        app.include_router(router)


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
