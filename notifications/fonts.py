"""The CJK font the PDF documents embed: WenQuanYi Micro Hei, shipped by a PyPI package that the
project installs (no system font is assumed), so Chinese names render on any machine."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

FONT_FAMILY = "o2c-cjk"
FONT_PACKAGE = "paperang_p2_fonts_cjk"
FONT_FILE = "fonts/wqy-microhei.ttc"


@lru_cache
def cjk_font_path() -> Path:
    path = Path(str(resources.files(FONT_PACKAGE).joinpath(FONT_FILE)))
    if not path.is_file():
        raise FileNotFoundError(f"the CJK font {path} is missing: reinstall o2c's dependencies")
    return path


def font_face_css() -> str:
    """An @font-face rule naming the packaged file; it covers Latin and CJK alike."""
    return f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{cjk_font_path().as_uri()}"); }}'
