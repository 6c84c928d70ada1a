"""Renders customer e-mails from Jinja2 templates: a subject, a text part and an HTML part."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES = Path(__file__).parent / "templates"
LANGUAGES = ("en", "zh")


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


@lru_cache
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_email(template: str, language: str, context: dict[str, Any]) -> RenderedEmail:
    lang = language if language in LANGUAGES else "en"
    env = environment()

    def part(suffix: str) -> str:
        return env.get_template(f"{template}.{lang}.{suffix}").render(**context)

    return RenderedEmail(
        subject=part("subject.j2").strip(), text=part("txt.j2"), html=part("html.j2")
    )
