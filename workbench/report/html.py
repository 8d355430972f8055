"""The draft plan as one self-contained HTML file: the workbook's sections in the same order,
the charts inline as PNG, the style inline, no script and no address outside the file, so that
it opens on an intranet machine, prints on A4 landscape (headers repeat on every page), and
turns into a PDF with headless Chromium (``workbench.report.pdf``)."""

from __future__ import annotations

import base64
import io
from decimal import Decimal
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from matplotlib.figure import Figure

from workbench.labels import REPORT_LABELS
from workbench.money import format_wan, format_wan_exact
from workbench.report.document import Block, PlanDocument, Section, footer
from workbench.report.workbook import display_width, split_unit

NUMERALS = "一二三四五六七八九十"
L_APPENDIX = REPORT_LABELS["appendix_number"]
SHORT = 12  # display columns: values no wider than this do not wrap
NARROW_EM, WIDE_EM, WIDEST_EM = 6.5, 10, 24  # least widths of wrapping columns
DPI = 150


def _env() -> Environment:
    return Environment(
        loader=PackageLoader("workbench.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=False,
        keep_trailing_newline=True,
    )


def _cell(value: object, column: str, block: Block) -> dict[str, object]:
    if value is None or (isinstance(value, float) and value != value):
        return {"text": "", "num": False}
    if column in block.exact and isinstance(value, Decimal | int | float):
        return {"text": format_wan_exact(value), "num": True}
    if column in block.money and isinstance(value, Decimal | int | float):
        return {"text": format_wan(value), "num": True}
    if column in block.percent and isinstance(value, int | float):
        return {"text": f"{value:.2%}", "num": True}
    number = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
    return {"text": str(value), "num": number}


def _header(name: str) -> Markup:
    """A column header whose unit in brackets (``split_unit``) never breaks: the bracket and
    what it holds stay on one line, after the words, which may wrap."""
    parts = split_unit(name)
    if parts is None:
        return Markup("{}").format(name)
    return Markup('{}<span class="nw">{}</span>').format(*parts)


def _wide_em(texts: list[str]) -> float:
    """The least width of a long-text column: about two lines for most of its texts (the
    80th percentile), within [WIDE_EM, WIDEST_EM], so that rows stay two lines high where the
    page allows."""
    if not texts:
        return WIDE_EM
    lengths = sorted(display_width(t) / 2 for t in texts)  # in em: a CJK character is 1em
    typical = lengths[int(0.8 * (len(lengths) - 1))]
    return max(WIDE_EM, min(typical / 2, WIDEST_EM))


def _block(block: Block) -> dict[str, object]:
    columns = [str(c) for c in block.frame.columns]
    rows = [
        [_cell(v, c, block) for c, v in zip(columns, values, strict=True)]
        for values in block.frame.itertuples(index=False, name=None)
    ]
    total = None
    if block.total is not None:
        total = [_cell(block.total.get(c), c, block) for c in columns]
    # Long text wraps in a column with room; short values (ids, years, route names) stay on
    # one line.
    kinds, widths = [], []
    for j, column in enumerate(columns):
        longest = max((display_width(str(r[j]["text"])) for r in rows), default=0)
        if column in block.wide:
            kinds.append("wide")
            widths.append(_wide_em([str(r[j]["text"]) for r in rows]))
        elif longest <= SHORT:
            kinds.append("short")
            widths.append(0)
        else:
            kinds.append("")
            widths.append(min(longest / 2, NARROW_EM))
    for row in [*rows, *([total] if total else [])]:
        for cell, kind in zip(row, kinds, strict=True):
            cell["kind"] = kind
    return {
        "side": block.side,
        "caption": block.caption,
        "columns": [
            {"name": _header(c), "kind": k, "em": w}
            for c, k, w in zip(columns, kinds, widths, strict=True)
        ],
        "rows": rows,
        "total": total,
    }


def figure_bytes(fig: Figure) -> bytes:
    """A figure as PNG, without the software note matplotlib writes into the file."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def figure_png(fig: Figure) -> str:
    """A figure as base64 PNG, for a ``data:`` address."""
    return base64.b64encode(figure_bytes(fig)).decode("ascii")


def _css_string(text: str) -> Markup:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return Markup(escaped)


def _number(section: Section, body: int, appendix: int) -> str:
    """一、二、… for the body; 附录一 … for the appendix; the summary is not numbered."""
    if section.key == "summary":
        return ""
    if section.appendix:
        return L_APPENDIX.format(n=_numeral(appendix))
    return f"{_numeral(body)}、"


def _numeral(n: int) -> str:
    return NUMERALS[n - 1] if 0 < n <= len(NUMERALS) else str(n)


def render_html(doc: PlanDocument) -> str:
    n = 0
    body = appendix = 0
    sections = []
    for section in doc.sections:
        if section.appendix:
            appendix += 1
        elif section.key != "summary":
            body += 1
        figures = []
        for fig in section.figures:
            n += 1
            figures.append(
                {
                    "title": fig.title,
                    "caption": REPORT_LABELS["figure"].format(n=n, title=fig.title),
                    "data": figure_png(fig.draw()),
                }
            )
        sections.append(
            {
                "key": section.key,
                "title": section.title,
                "number": _number(section, body, appendix),
                "notes": list(section.notes),
                "appendix": section.appendix,
                "blocks": [_block(b) for b in section.blocks],
                "figures": figures,
            }
        )
    template = _env().get_template("report.html.j2")
    return template.render(
        doc=doc,
        edition_css=_css_string(doc.edition),
        sections=sections,
        labels=REPORT_LABELS,
        footer=footer(),
    )


def write_html(doc: PlanDocument, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(doc), encoding="utf-8")
    return path
