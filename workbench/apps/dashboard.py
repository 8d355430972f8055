"""计划汇报 (plan dashboard): the draft plan presented, read-only, in the meeting of the
municipal government (第九条). What a finance official looks at first comes first: headline
figure tiles, then the plan, its out-year money and its risk in plain sentences, the charts,
and the tables last. Percentages are written as percentages; no statistical term and no seed appears.

A button turns on the presentation mode (the browser's Fullscreen API where it is allowed, and a
class on the page that hides the controls and enlarges the tiles either way; the browser's own
Esc leaves it); the page prints on A4 landscape (tiles and charts first, the tables from a new
page, no buttons). Both are inline: nothing is fetched, and the Voilà template stays as it is.

The distribution edition (classified projects' names and contents withheld) unless served
``--internal``."""

from __future__ import annotations

import html
from dataclasses import dataclass
from decimal import Decimal

import ipywidgets as widgets
import pandas as pd

from workbench.apps import internal_from_env, session_from_env
from workbench.apps.common import STYLE, Redaction, frame_html, image
from workbench.labels import APP_LABELS, LEVEL_CITY, PLAN_COLUMNS, REPORT_LABELS, SUMMARY_LABELS
from workbench.labels import NARRATIVE_LABELS as N
from workbench.money import format_wan, to_decimal
from workbench.planner import Plan
from workbench.planner.plan import SELECTED_STATUSES
from workbench.report import charts
from workbench.report.document import Block, PlanDocument, Section, plan_document
from workbench.report.narrative import (
    ADVERSE_SHARE,
    commitment_sentence,
    highest_risk,
    out_years,
    percent,
    risk_sentences,
)
from workbench.session import Session
from workbench.simulate import RiskAssumptions, assumptions_from, commitments

L = APP_LABELS
RISK_DRAWS = 2_000

DASHBOARD_STYLE = """
<style>
.wb-toolbar { display: flex; gap: 8px; justify-content: flex-end; margin: 4px 0 8px; }
.wb-toolbar button { font-size: 14px; padding: 4px 14px; cursor: pointer; border: 1px solid #8a9bbd;
  background: #f4f6fb; border-radius: 3px; }
.wb-tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(210px, 1fr)); gap: 10px;
  margin: 6px 0 14px; }
.wb-tile { background: #f4f6fb; border-left: 5px solid #1f4e79; padding: 10px 14px; }
.wb-tile.wb-alert { border-left-color: #a00; }
.wb-tile-label { font-size: 14px; color: #333; }
.wb-tile-value { font-size: 28px; font-weight: bold; color: #1f4e79; line-height: 1.3;
  white-space: nowrap; }
.wb-tile.wb-alert .wb-tile-value { color: #a00; }
.wb-tile-note { font-size: 12px; color: #555; }
.wb-dashboard h3 { font-size: 18px; margin: 14px 0 6px; color: #1f4e79; }
.wb-narrative p { font-size: 15px; line-height: 1.7; margin: 4px 0 8px; }
.wb-risk-sentence b { color: #1f4e79; }
.wb-narrative .wb-note { font-size: 12px; }
.wb-charts { display: flex; flex-wrap: wrap; gap: 8px; }
html.wb-presenting .wb-toolbar .wb-print { display: none; }
html.wb-presenting .wb-toolbar { position: fixed; top: 8px; right: 16px; z-index: 10; opacity: 0.6; }
html.wb-presenting body, html.wb-presenting #rendered_cells { background: #fff; }
html.wb-presenting .wb-dashboard h2 { font-size: 30px; }
html.wb-presenting .wb-tiles { grid-template-columns: repeat(3, 1fr); gap: 16px; }
html.wb-presenting .wb-tile { padding: 18px 24px; }
html.wb-presenting .wb-tile-label { font-size: 22px; }
html.wb-presenting .wb-tile-value { font-size: 52px; }
html.wb-presenting .wb-tile-note { font-size: 17px; }
html.wb-presenting .wb-narrative p { font-size: 21px; }
html.wb-presenting .wb-dashboard h3 { font-size: 24px; }
html.wb-presenting .wb-footer { display: none; }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  html, body { background: #fff !important; }
  /* Voila's page is a fixed-height panel scrolling inside the window: printed as such, only the
     first screen would reach the paper. Let it flow as a document instead. */
  html, body, #main, #jp-main-content-panel, #rendered_cells, .jp-OutputArea-child {
    position: static !important; overflow: visible !important; height: auto !important;
    width: auto !important; contain: none !important; }
  .wb-dashboard { overflow: visible !important; height: auto !important; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .wb-toolbar, .wb-dashboard button { display: none !important; }
  .wb-tiles { grid-template-columns: repeat(3, 1fr); }
  .wb-tile, .wb-narrative p, .wb-charts img, .wb-table tr, .wb-dashboard h3, .wb-dashboard h4 {
    break-inside: avoid; }
  .wb-dashboard h3, .wb-dashboard h4 { break-after: avoid; }
  .wb-charts { display: flex !important; flex-wrap: wrap !important; }
  .wb-charts img { max-width: 49% !important; height: auto !important; }
  .wb-tables { break-before: page; }
  .wb-scroll { max-height: none !important; overflow: visible !important; }
  .wb-table th { position: static !important; }
  .wb-table thead { display: table-header-group; }
}
</style>
"""

# The presentation button's handler: inline (an HTML widget's <script> never runs) and written
# without double quotes, since it sits in an attribute. The class is toggled whatever the
# Fullscreen API answers (it may refuse, e.g. inside a frame); leaving full screen with Esc
# also leaves the presentation mode.
PRESENT_SCRIPT = (
    "(function(b){var d=document,r=d.documentElement,"
    "on=!r.classList.contains('wb-presenting');"
    "r.classList.toggle('wb-presenting',on);"
    "b.textContent=on?b.dataset.exit:b.dataset.enter;"
    "if(!r.dataset.wbFullscreen){r.dataset.wbFullscreen='1';"
    "d.addEventListener('fullscreenchange',function(){"
    "if(!d.fullscreenElement&&r.classList.contains('wb-presenting')){"
    "r.classList.remove('wb-presenting');"
    "var x=d.querySelector('.wb-present');if(x){x.textContent=x.dataset.enter;}}});}"
    "function quiet(p){if(p&&p.catch){p.catch(function(){});}}"
    "try{if(on&&r.requestFullscreen&&!d.fullscreenElement){quiet(r.requestFullscreen());}"
    "else if(!on&&d.fullscreenElement&&d.exitFullscreen){quiet(d.exitFullscreen());}}"
    "catch(e){}})(this)"
)


@dataclass(frozen=True)
class Tile:
    """A headline figure: what it is, the figure, and a line under it; ``alert`` marks a figure
    the meeting should look at (a pool over its ceiling, a risk above the 较不利情形's share)."""

    key: str
    label: str
    value: str
    note: str
    alert: bool = False


def headline_tiles(
    plan: Plan, risk_table: pd.DataFrame, assumptions: RiskAssumptions | None = None
) -> list[Tile]:
    """Plan year, projects planned of those submitted, money planned this year, 市本级 against
    its ceiling, the out-year money, and the highest chance of exceeding a ceiling."""
    year = plan.scenario.plan_year
    projects = plan.projects
    chosen = projects[projects["status"].isin(SELECTED_STATUSES)]
    amount = sum((to_decimal(a) for a in chosen["amount"]), Decimal(0))
    forced = int((projects["status"] == "forced_in").sum())
    tiles = [
        Tile(
            "year",
            REPORT_LABELS["plan_year"],
            L["dashboard_tile_year_value"].format(year=year),
            L["dashboard_tile_year_note"].format(scenario=plan.scenario.name),
        ),
        Tile(
            "projects",
            L["dashboard_tile_projects"],
            L["dashboard_tile_projects_value"].format(
                selected=len(chosen), candidates=len(projects)
            ),
            L["dashboard_tile_projects_note"].format(forced=forced),
        ),
        Tile(
            "amount",
            L["dashboard_tile_amount"],
            format_wan(amount),
            L["dashboard_tile_amount_note"].format(pools=chosen["funding_pool"].nunique()),
        ),
    ]
    pools = plan.totals_by_pool_year()
    city = pools[(pools["pool"] == LEVEL_CITY) & (pools["year"] == year)]
    if not city.empty:
        row = city.iloc[0]
        planned, carried = to_decimal(row["amount"]), to_decimal(row["carried"])
        ceiling = row["ceiling"]
        if ceiling is None or ceiling != ceiling:
            note, over = L["dashboard_tile_city_unlimited"], False
        else:
            ceiling = to_decimal(ceiling)
            share = percent(float((planned + carried) / ceiling)) if ceiling else "—"
            key = "dashboard_tile_city_note_carried" if carried else "dashboard_tile_city_note"
            note = L[key].format(
                carried=format_wan(carried), ceiling=format_wan(ceiling), share=share
            )
            over = planned + carried > ceiling
        tiles.append(
            Tile(
                "city",
                L["dashboard_tile_city"].format(pool=LEVEL_CITY, year=year),
                format_wan(planned + carried),
                note,
                over,
            )
        )
    later = out_years(plan)
    if later.years and later.total:
        first, last = later.years[0], later.years[-1]
        years = (
            N["commitments_one_year"].format(year=first)
            if first == last
            else N["commitments_years"].format(first=first, last=last)
        )
        note = L["dashboard_tile_out_years_note"].format(years=years, om=format_wan(later.om))
    else:
        note = L["dashboard_tile_out_years_none"]
    tiles.append(Tile("out_years", L["dashboard_tile_out_years"], format_wan(later.total), note))
    top = highest_risk(risk_table)
    if top is None:
        tiles.append(Tile("risk", L["dashboard_tile_risk"], "—", L["dashboard_tile_risk_none"]))
    else:
        p = float(top["p_exceed"])
        tiles.append(
            Tile(
                "risk",
                L["dashboard_tile_risk"],
                percent(p),
                L["dashboard_tile_risk_note"].format(pool=top["pool"], year=int(top["year"])),
                p > 1.0 - ADVERSE_SHARE,
            )
        )
    return tiles


def tiles_html(tiles: list[Tile]) -> str:
    cells = []
    for t in tiles:
        alert = " wb-alert" if t.alert else ""
        cells.append(
            f'<div class="wb-tile wb-tile-{t.key}{alert}">'
            f'<div class="wb-tile-label">{html.escape(t.label)}</div>'
            f'<div class="wb-tile-value">{html.escape(t.value)}</div>'
            f'<div class="wb-tile-note">{html.escape(t.note)}</div></div>'
        )
    return f'<div class="wb-tiles">{"".join(cells)}</div>'


def toolbar_html() -> str:
    enter, leave = html.escape(L["dashboard_present"]), html.escape(L["dashboard_present_exit"])
    return (
        '<div class="wb-toolbar">'
        f'<button type="button" class="wb-present" data-enter="{enter}" data-exit="{leave}" '
        f'onclick="{html.escape(PRESENT_SCRIPT)}">{enter}</button>'
        '<button type="button" class="wb-print" onclick="window.print()">'
        f"{html.escape(L['dashboard_print'])}</button></div>"
    )


def risk_frame(risk_table: pd.DataFrame) -> pd.DataFrame:
    """The simulation by pool and year in plain words: the years with a ceiling and money (or a
    chance of money) in them, the probability as a percentage."""
    from workbench.units import unit_order

    shown = risk_table[
        risk_table["ceiling"].notna()
        & ((risk_table["planned"] > 0) | (risk_table["p_exceed"].fillna(0) > 0))
    ]
    order = unit_order(shown["pool"])
    shown = shown.assign(_o=shown["pool"].map(order.pool_key)).sort_values(["_o", "year"])

    def wan(values: pd.Series) -> pd.Series:
        return values.map(lambda v: to_decimal(round(float(v), 2)))

    return pd.DataFrame(
        {
            PLAN_COLUMNS["pool"]: shown["pool"],
            PLAN_COLUMNS["year"]: shown["year"],
            L["dashboard_col_planned"]: wan(shown["planned"]),
            L["dashboard_col_median"]: wan(shown["p50"]),
            L["dashboard_col_adverse"]: wan(shown["p90"]),
            L["dashboard_col_room"]: wan(shown["ceiling"]),
            REPORT_LABELS["p_exceed"]: shown["p_exceed"].map(lambda p: percent(float(p))),
        }
    ).reset_index(drop=True)


def risk_note(plan: Plan, a: RiskAssumptions) -> str:
    """How the chance was assessed, in words (the assumptions of ``workbench.simulate``)."""
    from workbench.policy import load_pack

    return L["dashboard_risk_note"].format(
        slip=percent(a.slip_probability),
        article=load_pack(plan.scenario.policy).adjustments.article,
        bound=percent(a.overrun_bound),
        tail=percent(a.tail_probability),
        next=plan.scenario.plan_year + 1,
    )


# The document's sections the dashboard shows as tables, after the charts, and the blocks it
# leaves out there because the tiles say the same (the headline figures, and the 主要指标 table
# with the solver's status).
TABLE_SECTIONS = ("summary", "overview", "commitments")
TILE_BLOCKS = frozenset({REPORT_LABELS["block_headline"], SUMMARY_LABELS["block_figures"]})


def _led(sentence: str) -> str:
    """A risk sentence with its opening clause (the pool, the year, the chance) in bold, so that
    a reader skimming the page sees the chances first."""
    head, comma, rest = sentence.partition("，")
    if not rest:
        return html.escape(sentence)
    return f"<b>{html.escape(head)}</b>{html.escape(comma + rest)}"


def _section(doc: PlanDocument, key: str) -> Section | None:
    return next((s for s in doc.sections if s.key == key), None)


def _block_html(block: Block) -> str:
    """A document block as the dashboard shows it: its shares written as percentages."""
    frame = block.frame.copy()
    for column in block.percent:
        frame[column] = frame[column].map(
            lambda v: "" if v is None or v != v else percent(float(v))
        )
    caption = f"<h4>{html.escape(block.caption)}</h4>" if block.caption else ""
    return caption + frame_html(frame, money=block.money, total=block.total)


class DashboardApp:
    def __init__(
        self, session: Session | None = None, seed: int = 0, *, internal: bool | None = None
    ) -> None:
        self.session = session or session_from_env()
        internal = internal_from_env() if internal is None else internal
        plan = self.session.plan
        check = self.session.check
        risk = self.session.risk(draws=RISK_DRAWS, seed=seed).table
        assumptions = assumptions_from(plan)
        redaction = Redaction.of(check, internal)
        # The document without its risk block: that block's caption names the draws and the
        # seed, which the meeting does not need; the dashboard writes its own, in words.
        doc = plan_document(plan, check, risk=None, internal=internal)
        year = self.session.plan_year
        esc = html.escape
        self.tiles = headline_tiles(plan, risk, assumptions)
        self.sentences = [
            redaction.text(s)
            for s in risk_sentences(
                plan, risk, hidden=redaction.hidden, assumptions=assumptions, grouped=True
            )
        ]
        self.commitment = commitment_sentence(plan)
        summary = _section(doc, "summary")
        # The document's summary paragraphs (the report's first page) say the plan in words;
        # the risk follows them, and the commitments where the summary does not say them.
        self.paragraphs = [redaction.text(s) for s in (summary.notes if summary else ())]
        if self.commitment not in self.paragraphs:
            self.paragraphs.append(self.commitment)
        narrative = (
            "".join(f"<p>{esc(s)}</p>" for s in self.paragraphs)
            + "".join(f'<p class="wb-risk-sentence">{_led(s)}</p>' for s in self.sentences)
            + f'<p class="wb-note">{esc(risk_note(plan, assumptions))}</p>'
        )
        parts: list[widgets.Widget] = [
            widgets.HTML(
                STYLE
                + DASHBOARD_STYLE
                + toolbar_html()
                + f"<h2>{esc(L['dashboard_title'].format(year=year))}</h2>"
            ),
            widgets.HTML(tiles_html(self.tiles)).add_class("wb-headline-tiles"),
            widgets.HTML(f"<h3>{esc(L['dashboard_narrative'])}</h3>{narrative}").add_class(
                "wb-narrative"
            ),
            widgets.HTML(f"<h3>{esc(L['tab_charts'])}</h3>"),
        ]
        figures = []
        if not plan.selected.empty:
            figures += [charts.budget_by_category_and_pool(plan), charts.top_units(plan)]
        figures.append(charts.commitments_chart(commitments(plan)))
        if (risk["pool"] == LEVEL_CITY).any():
            figures.append(charts.risk_fan(risk))
        parts.append(widgets.Box([image(f) for f in figures]).add_class("wb-charts"))
        tables = [f"<h3>{esc(L['dashboard_tables'])}</h3>"]
        for key in TABLE_SECTIONS:
            section = _section(doc, key)
            if section is None:
                continue
            tables.append(f"<h3>{esc(section.title)}</h3>")
            tables += [_block_html(b) for b in section.blocks if b.caption not in TILE_BLOCKS]
        frame = risk_frame(risk)
        if not frame.empty:
            tables.append(f"<h4>{esc(L['dashboard_risk_table'])}</h4>")
            tables.append(frame_html(frame, money=tuple(frame.columns[2:6])))
        parts.append(widgets.HTML("".join(tables)).add_class("wb-tables"))
        parts.append(
            widgets.HTML(
                f'<p class="wb-note">{esc(doc.edition)}　{esc(REPORT_LABELS["unit_note"])}</p>'
            ).add_class("wb-footer")
        )
        self.root = widgets.VBox(parts).add_class("wb-dashboard")

    def widget(self) -> widgets.Widget:
        return self.root


def show() -> widgets.Widget:
    return DashboardApp().widget()
