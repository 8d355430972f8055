"""What the apps share: tables as HTML, charts as PNG widgets, downloads as ``data:`` links (the
file travels inside the page, nothing is fetched from elsewhere), a debounce, and what they
withhold of classified (涉密) projects unless served ``--internal``."""

from __future__ import annotations

import asyncio
import base64
import html
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import ipywidgets as widgets
import pandas as pd
from matplotlib.figure import Figure

from workbench.labels import APP_LABELS, REPORT_LABELS
from workbench.money import format_wan
from workbench.policy import CheckResult
from workbench.report.html import figure_bytes

STYLE = """
<style>
.wb-table { border-collapse: collapse; font-size: 12px; width: 100%; }
.wb-table th { background: #d9e1f2; position: sticky; top: 0; padding: 3px 5px; border: 1px solid #aaa; }
.wb-table td { border: 1px solid #ccc; padding: 2px 5px; vertical-align: top; line-height: 1.4; }
.wb-table th { line-height: 1.3; }
.wb-table td.num { text-align: right; white-space: nowrap; }
.wb-table td.nw { white-space: nowrap; }
.wb-table tr.wb-total td { font-weight: bold; background: #f2f2f2; }
.wb-scroll { max-height: 560px; overflow: auto; }
.wb-headline { font-size: 15px; padding: 6px 10px; background: #f4f6fb; border-left: 4px solid #a00; }
.wb-status, .wb-note { color: #555; font-size: 12px; }
.wb-error { color: #a00; }
</style>
"""

SHORT_TEXT = 6  # characters: statuses, years, pools stay on one line
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def frame_html(
    frame: pd.DataFrame,
    money: tuple[str, ...] = (),
    css: str = "",
    total: dict[str, object] | None = None,
) -> str:
    """A table as escaped HTML; ``money`` columns as 1,234.50 aligned right; ``total`` is a
    totals row (column → value) set in bold."""
    if total is not None:
        frame = pd.concat([frame, pd.DataFrame([total], columns=frame.columns)], ignore_index=True)
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False, name=None):
        cells = []
        for column, value in zip(frame.columns, values, strict=True):
            if value is None or (isinstance(value, float) and value != value):
                cells.append("<td></td>")
            elif column in money and isinstance(value, Decimal | int | float):
                cells.append(f'<td class="num">{format_wan(value)}</td>')
            else:
                text = str(value)
                short = ' class="nw"' if len(text) <= SHORT_TEXT else ""
                cells.append(f"<td{short}>{html.escape(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    if total is not None:
        rows[-1] = rows[-1].replace("<tr>", '<tr class="wb-total">', 1)
    return (
        f'<div class="wb-scroll {css}"><table class="wb-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def image(fig: Figure) -> widgets.Image:
    return widgets.Image(value=figure_bytes(fig), format="png", layout={"max_width": "760px"})


def download_link(data: bytes, name: str, mime: str = XLSX_MIME) -> str:
    """An ``<a download>`` whose address is the file itself (``data:``)."""
    encoded = base64.b64encode(data).decode("ascii")
    label = html.escape(APP_LABELS["download_link"].format(name=name))
    return (
        f'<a class="wb-download" download="{html.escape(name)}" '
        f'href="data:{mime};base64,{encoded}">{label}</a>'
    )


class Debounce:
    """Call ``fn`` once, ``delay`` seconds after the last of a burst of calls (widget changes
    while a planner is typing); without a running event loop (tests, scripts) call at once."""

    def __init__(self, fn: Callable[[], None], delay: float = 0.2) -> None:
        self.fn, self.delay = fn, delay
        self._handle: asyncio.TimerHandle | None = None

    def __call__(self, *_: object) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is None:
            self.fn()
            return
        if self._handle is not None:
            self._handle.cancel()
        self._handle = loop.call_later(self.delay, self.fn)


@dataclass(frozen=True)
class Redaction:
    """The distribution edition's rule (``workbench.report.document``) in the apps: classified
    projects keep their id, unit, pool and amounts, so that every total still adds up, but
    their names, and the text of their findings, are withheld wherever they appear; with
    ``--internal`` nothing is."""

    hidden: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()
    internal: bool = False

    @classmethod
    def of(cls, check: CheckResult, internal: bool) -> Redaction:
        if internal:
            return cls(internal=True)
        from workbench.report.document import classified_ids

        hidden = classified_ids(check)
        cands = check.candidates
        names = cands.loc[cands["project_id"].isin(hidden), "name"].dropna()
        return cls(frozenset(hidden), frozenset(n for n in names if n))

    @property
    def edition(self) -> str:
        """The edition's words, as the documents put them."""
        if self.internal:
            return REPORT_LABELS["edition_internal"]
        if self.hidden:
            return REPORT_LABELS["edition_distribution"].format(count=len(self.hidden))
        return REPORT_LABELS["edition_distribution_none"]

    def name(self, project_id: str, name: str) -> str:
        return REPORT_LABELS["redacted_name"] if project_id in self.hidden else name

    def frame(self, frame: pd.DataFrame, text: tuple[str, ...] = ()) -> pd.DataFrame:
        """``frame`` (with ``project_id`` and ``name`` columns) as it may be shown: classified
        rows' names and ``text`` columns withheld, and their names withheld wherever another
        row's text quotes them (the document's own scrubbing)."""
        if not self.hidden:
            return frame
        frame = frame.copy()
        secret = frame["project_id"].isin(self.hidden)
        if "name" in frame:
            frame.loc[secret, "name"] = REPORT_LABELS["redacted_name"]
        for column in text:
            frame.loc[secret, column] = REPORT_LABELS["redacted_text"]
        return self._scrubbed(frame)

    def text(self, value: str) -> str:
        """``value`` with the names of classified projects it quotes withheld."""
        if not self.hidden:
            return value
        return str(self._scrubbed(pd.DataFrame({"text": [value]}))["text"].iloc[0])

    def _scrubbed(self, frame: pd.DataFrame) -> pd.DataFrame:
        from workbench.report.document import Block, Section, scrub_section

        return scrub_section(Section("app", "", (Block(frame),)), set(self.names)).blocks[0].frame


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}MB"  # the page's script writes sizes the same way


@contextmanager
def uploaded(
    files: list[tuple[str, bytes]], no_files: str
) -> Iterator[tuple[list[Path], list[str]]]:
    """Uploaded files (name, content) written into a temporary folder for the readers: the
    paths of those under the upload limit, and why the others were refused. None left is an
    :class:`~workbench.intake.IntakeFileError` (``no_files``, or the refusals); a reader's
    error names the file as uploaded, never its temporary place."""
    from workbench.apps import UPLOAD_LIMIT_BYTES
    from workbench.intake import IntakeFileError

    refused: list[str] = []
    with tempfile.TemporaryDirectory(prefix="workbench-upload-") as tmp:
        paths = []
        for name, content in files:
            safe_name = Path(name).name or "upload"
            if len(content) > UPLOAD_LIMIT_BYTES:
                refused.append(
                    APP_LABELS["too_large"].format(
                        name=safe_name,
                        size=megabytes(len(content)),
                        limit=megabytes(UPLOAD_LIMIT_BYTES),
                    )
                )
                continue
            path = Path(tmp) / safe_name
            path.write_bytes(content)
            paths.append(path)
        if not paths:
            raise IntakeFileError("", no_files if not refused else "；".join(refused))
        try:
            yield paths, refused
        except IntakeFileError as exc:
            raise IntakeFileError(Path(exc.file).name, exc.reason, exc.sheet) from None
