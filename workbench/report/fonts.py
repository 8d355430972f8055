"""A CJK font for matplotlib, configured once, so that Chinese labels render as text, not boxes.

The first installed family of :data:`CJK_FAMILIES` is used (Debian's fonts-noto-cjk, Source Han
Sans, WenQuanYi, Microsoft YaHei …). Fonts installed after matplotlib built its font cache are
not in that cache, so the system font folders are scanned for CJK files and those are added.
When no CJK font is installed at all (a plain ``pip install``), Noto Sans SC from the ``zhplot``
package is registered: it is OFL-licensed and the package ships its licence text. No font
without a redistribution licence (SimHei …) is bundled or expected.
"""

from __future__ import annotations

from importlib import resources

import matplotlib
from matplotlib import font_manager

CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
)
_CJK_FILE_HINTS = ("notosanscjk", "notosanssc", "sourcehansans", "wqy", "msyh")
_configured: str | None = None


def _installed() -> set[str]:
    return {f.name for f in font_manager.fontManager.ttflist}


def _add_system_cjk_files() -> None:
    for path in font_manager.findSystemFonts():
        name = path.lower().replace("-", "").replace("_", "")
        if any(hint in name for hint in _CJK_FILE_HINTS):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):  # an unreadable font file is skipped
                continue


def _add_bundled() -> None:
    font = resources.files("zhplot").joinpath("fonts/NotoSansSC-Regular.ttf")
    with resources.as_file(font) as path:
        font_manager.fontManager.addfont(str(path))


def configure() -> str:
    """Make matplotlib draw Chinese; returns the family used. Safe to call many times."""
    global _configured
    if _configured is not None:
        return _configured
    family = next((f for f in CJK_FAMILIES if f in _installed()), None)
    if family is None:
        _add_system_cjk_files()
        family = next((f for f in CJK_FAMILIES if f in _installed()), None)
    if family is None:
        _add_bundled()
        family = "Noto Sans SC"
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [family, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False  # the CJK fonts lack U+2212
    _configured = family
    return family
