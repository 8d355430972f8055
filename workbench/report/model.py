"""The draft plan's document model: tables (:class:`Block`), charts drawn on demand
(:class:`Figures`), sections and the document, shared by the builders (workbench.report.blocks,
workbench.report.appendix, workbench.report.document) and the renderers (workbook, HTML, PDF,
the dashboard)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
from matplotlib.figure import Figure

import workbench
from workbench.labels import PRODUCT_TITLE, REPORT_LABELS
from workbench.report.summary import PlanSummary


@dataclass(frozen=True)
class Block:
    """One table. ``money`` columns hold Decimals in 万元 (shown with two decimals and thousands
    separators); ``exact`` money columns stand beside a decision taken on a threshold (审批方式,
    工程监理) and are shown with as many decimals as the amount has (``report.amounts``), so that
    29.9999 never reads 30.00 beside "低于30万元"; ``total`` is the totals row (column → value),
    shown apart from the data so that re-reading the data gives the plan back; ``wide`` columns
    are long text that wraps."""

    frame: pd.DataFrame
    caption: str = ""
    money: tuple[str, ...] = ()
    percent: tuple[str, ...] = ()
    total: dict[str, object] | None = None
    wide: tuple[str, ...] = ()
    exact: tuple[str, ...] = ()
    side: str = ""  # the summary page's column ("left" / "right"); elsewhere one column


@dataclass(frozen=True)
class Figures:
    """A chart of the HTML report: drawn only when a renderer asks for it."""

    title: str
    draw: Callable[[], Figure]


@dataclass(frozen=True)
class Section:
    key: str
    title: str  # the sheet name and the heading
    blocks: tuple[Block, ...]
    figures: tuple[Figures, ...] = ()
    notes: tuple[str, ...] = ()  # paragraphs above the tables (the summary's sentences)
    appendix: bool = False  # headed 附录 rather than numbered with the body


@dataclass(frozen=True)
class Risk:
    """A Monte Carlo run (``workbench.simulate.simulate``) and how it was drawn."""

    table: pd.DataFrame
    draws: int
    seed: int


@dataclass(frozen=True)
class PlanDocument:
    title: str
    subtitle: str
    edition: str
    internal: bool
    plan_year: int
    sections: tuple[Section, ...]
    redacted: tuple[str, ...] = ()
    generated_at: str = ""
    provenance: dict[str, object] = field(default_factory=dict)
    summary: PlanSummary | None = None

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


def footer() -> str:
    return REPORT_LABELS["generated_by"].format(
        product=PRODUCT_TITLE, version=workbench.__version__
    )
