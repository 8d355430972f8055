"""The draft plan as a document (年度计划（草案）): the sections the municipal government and
finance read (第九条), each a list of tables, built once and rendered three ways (the Excel
workbook, the HTML report, its PDF) so that they cannot disagree.

Distribution and internal editions: projects whose 是否涉密 answer is one of the policy pack's
``classified`` values (是 / 部分; 第十三条: a project that is partly classified is handled as
classified) keep their id, unit, category, pool and amounts in the distribution edition, so that
every total still adds up, but their name, content and the text of their findings are withheld.
The internal edition (``internal=True``) shows everything and says on every page that it must
not leave the office.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

import pandas as pd

from workbench.compare import Comparison
from workbench.labels import (
    CHART_LABELS,
    LEVEL_CITY,
    PLAN_COLUMNS,
    PLAN_STATUS_LABELS,
    REPORT_LABELS,
    SUMMARY_LABELS,
)
from workbench.money import format_wan
from workbench.planner import Plan
from workbench.policy import CheckResult
from workbench.report.appendix import findings_block, provenance_blocks, routine_findings
from workbench.report.blocks import (
    classified_ids,
    commitment_blocks,
    comparison_blocks,
    frontier_block,
    grouped,
    headline,
    pools_by_year,
    project_list,
    projects_shown,
    sum_wan,
)
from workbench.report.model import Block, Figures, PlanDocument, Risk, Section, footer
from workbench.report.summary import PlanSummary, plan_summary, pools_frame
from workbench.simulate import commitments
from workbench.units import unit_order

L = REPORT_LABELS
S = SUMMARY_LABELS


def _figures(plan: Plan, frontier: pd.DataFrame | None, risk: Risk | None) -> dict[str, list]:
    from workbench.report import charts

    year = plan.scenario.plan_year
    out: dict[str, list] = {"summary": [], "commitments": []}
    if not plan.selected.empty:
        out["summary"].append(
            Figures(
                CHART_LABELS["by_category_title"].format(year=year),
                lambda: charts.budget_by_category_and_pool(plan),
            )
        )
        out["summary"].append(
            Figures(
                CHART_LABELS["top_units_title"].format(year=year, n=10),
                lambda: charts.top_units(plan),
            )
        )
    if frontier is not None and not frontier.empty:
        pool = LEVEL_CITY
        out["summary"].append(
            Figures(
                CHART_LABELS["frontier_title"].format(pool=pool, year=year),
                lambda: charts.frontier_chart(frontier, plan, pool),
            )
        )
    table = commitments(plan)
    for pool in unit_order().pools_sorted(table["pool"])[:1]:
        out["commitments"].append(
            Figures(
                CHART_LABELS["commitments_title"].format(pool=pool),
                lambda pool=pool: charts.commitments_chart(
                    table, pool, source=charts.source_line(plan)
                ),
            )
        )
    if risk is not None and (risk.table["pool"] == LEVEL_CITY).any():
        out["commitments"].append(
            Figures(
                CHART_LABELS["fan_title"].format(pool=LEVEL_CITY),
                lambda: charts.risk_fan(risk.table, LEVEL_CITY, source=charts.source_line(plan)),
            )
        )
    return out


def _key_figures(summary: PlanSummary) -> Block:
    """The headline figures of the summary page, as 项目 / 内容 pairs."""
    rows = [
        (L["candidates"], str(summary.candidates)),
        (S["fig_requested"], format_wan(summary.requested)),
        (L["selected"], str(summary.selected)),
        (L["forced_in"], str(summary.forced)),
        (L["amount"], format_wan(summary.amount)),
        (L["out_years"], format_wan(summary.out_years)),
        (L["excluded"], str(summary.excluded)),
        (L["not_selected"], str(summary.not_selected)),
    ]
    if summary.deferred:
        rows.append((L["deferred"], str(summary.deferred)))
    frame = pd.DataFrame(rows, columns=[L["key"], L["value"]])
    return Block(frame, S["block_figures"], side="left")


def _summary_section(
    summary: PlanSummary, plan: Plan, projects: pd.DataFrame, edition: str
) -> Section:
    """摘要, the first page: the plan in sentences, its headline figures, every pool against its
    ceiling in the plan year, what was left out and why, what is forced in and why."""
    blocks = [_key_figures(summary)]
    pools = pools_frame(summary)
    if not (pools[S["col_carried"]] != 0).any():
        pools = pools.drop(columns=S["col_carried"])
    money = tuple(
        c
        for c in (S["col_ceiling"], S["col_carried"], S["col_planned"], S["col_headroom"])
        if c in pools.columns
    )
    total = {S["col_pool"]: L["total"], **{c: sum_wan(pools[c]) for c in money}}
    blocks.append(
        Block(
            pools,
            S["block_pools"].format(year=summary.plan_year),
            money=money,
            percent=(S["col_share"],),
            total=total,
            side="right",
        )
    )
    status = {k: PLAN_STATUS_LABELS[k] for k in ("excluded", "not_selected")}
    left = pd.DataFrame(
        [
            (status.get(g.status, ""), g.label, g.article, g.count, g.amount)
            for g in summary.left_out
        ],
        columns=[
            PLAN_COLUMNS["status"],
            S["col_reason"],
            S["col_article"],
            S["col_count"],
            S["col_amount"],
        ],
    )
    if not left.empty:
        total = {
            PLAN_COLUMNS["status"]: L["total"],
            S["col_count"]: int(left[S["col_count"]].sum()),
            S["col_amount"]: sum_wan(left[S["col_amount"]]),
        }
        blocks.append(
            Block(left, S["block_left_out"], money=(S["col_amount"],), total=total, side="left")
        )
    forced = pd.DataFrame(
        [(g.label, g.article, g.count, g.amount) for g in summary.forced_groups],
        columns=[S["col_reason"], S["col_article"], S["col_count"], S["col_forced_amount"]],
    )
    if not forced.empty:
        blocks.append(
            Block(forced, S["block_forced"], money=(S["col_forced_amount"],), side="right")
        )
    return Section("summary", S["section"], tuple(blocks), notes=tuple(summary.paragraphs()))


def plan_document(
    plan: Plan,
    check: CheckResult,
    *,
    comparison: Comparison | None = None,
    risk: Risk | None = None,
    frontier: pd.DataFrame | None = None,
    internal: bool = False,
    supervision: Sequence[tuple[str, pd.DataFrame]] = (),
) -> PlanDocument:
    """The draft plan as a document: the distribution edition unless ``internal``.
    ``supervision``: the register's 监管事项 (captioned tables with Chinese headers, from
    ``--db``), a section of their own after the findings.

    The order: 摘要 (one page); the plan (计划汇总 with its charts and the frontier, the
    project list, units, categories, the multi-year money); what is left out (未安排项目及原因)
    and the findings that keep out or warn (审核发现); the comparison and the register's
    matters where there are any; then the appendix (routine 说明 findings counted by rule)
    and 参数与来源. Units and pools in the government's order (``workbench.units``)."""
    secret = classified_ids(check)
    hidden = set() if internal else secret
    projects = projects_shown(plan, check, hidden)
    units = unit_order(check.candidates["unit"])
    year = plan.scenario.plan_year
    title = L["title"].format(year=year)
    if (projects["level"] != LEVEL_CITY).any():
        title += L["title_with_districts"]
    if internal:
        edition = L["edition_internal"]
    elif hidden:
        edition = L["edition_distribution"].format(count=len(hidden))
    else:
        edition = L["edition_distribution_none"]
    generated = str(
        plan.provenance.get("drafted_at") or dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    )
    subtitle = L["subtitle"].format(scenario=plan.scenario.name, drafted=generated[:10])
    figures = _figures(plan, frontier, risk)
    om_risk = set(plan.om_interruption["project_id"])
    summary = plan_summary(plan, check, risk=None if risk is None else risk.table)
    overview = [
        headline(plan, projects, edition),
        pools_by_year(plan, units),
        grouped(
            projects, "level", PLAN_COLUMNS["level"], units, L["block_levels"].format(year=year)
        ),
    ]
    if frontier is not None and not frontier.empty:
        overview.append(frontier_block(frontier, plan, LEVEL_CITY))
    sections = [
        _summary_section(summary, plan, projects, edition),
        Section("overview", L["sheet_summary"], tuple(overview), tuple(figures["summary"])),
        Section("selected", L["sheet_selected"], (project_list(projects, False, om_risk, units),)),
        Section(
            "units", L["sheet_units"], (grouped(projects, "unit", PLAN_COLUMNS["unit"], units),)
        ),
        Section(
            "categories",
            L["sheet_categories"],
            (grouped(projects, "category_effective", PLAN_COLUMNS["category_effective"], units),),
        ),
        Section(
            "commitments",
            L["sheet_commitments"],
            tuple(commitment_blocks(plan, risk, units)),
            tuple(figures["commitments"]),
        ),
        Section(
            "unselected", L["sheet_unselected"], (project_list(projects, True, om_risk, units),)
        ),
        Section("findings", L["sheet_findings"], (findings_block(check, projects, hidden),)),
    ]
    if comparison is not None:
        sections.append(
            Section(
                "comparison", L["sheet_comparison"], tuple(comparison_blocks(comparison, hidden))
            )
        )
    if supervision:
        blocks = tuple(
            Block(frame, caption, wide=tuple(c for c in frame.columns if frame[c].dtype == object))
            for caption, frame in supervision
        )
        sections.append(Section("supervision", L["sheet_supervision"], blocks))
    sections += [
        Section("appendix", L["sheet_appendix"], (routine_findings(check),), appendix=True),
        Section(
            "provenance",
            L["sheet_provenance"],
            tuple(provenance_blocks(plan, check, title, edition, generated, risk)),
            appendix=True,
        ),
    ]
    if hidden:
        names = set(check.candidates.loc[check.candidates["project_id"].isin(hidden), "name"])
        sections = [scrub_section(section, names) for section in sections]
        summary = scrub_summary(summary, names)
    return PlanDocument(
        title=title,
        subtitle=subtitle,
        edition=edition,
        internal=internal,
        plan_year=year,
        sections=tuple(sections),
        redacted=tuple(sorted(hidden)),
        generated_at=generated,
        provenance=dict(plan.provenance),
        summary=summary,
    )


def scrub_section(section: Section, names: set[str]) -> Section:
    """Withhold classified projects' names wherever other text quotes them (a similarity
    finding names the project it resembles; a dependency reason names what it waits for)."""
    names = {n for n in names if n}

    def clean(value: object) -> object:
        if isinstance(value, str):
            for name in names:
                value = value.replace(name, L["redacted_name"])
        return value

    blocks = []
    for block in section.blocks:
        frame = block.frame.copy()
        for column in frame.columns:
            if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column].dtype):
                frame[column] = frame[column].map(clean)
        blocks.append(replace(block, frame=frame))
    notes = tuple(str(clean(n)) for n in section.notes)
    return replace(section, blocks=tuple(blocks), notes=notes)


def scrub_summary(summary: PlanSummary, names: set[str]) -> PlanSummary:
    """The summary's sentences (a risk sentence may name the projects behind it) with
    classified projects' names withheld, as the tables are: the 请示 is written from it."""
    names = {n for n in names if n}

    def clean(text: str) -> str:
        for name in names:
            text = text.replace(name, L["redacted_name"])
        return text

    return replace(
        summary,
        commitment_sentence=clean(summary.commitment_sentence),
        risk_sentences=tuple(clean(t) for t in summary.risk_sentences),
        diagnosis=clean(summary.diagnosis),
    )


__all__ = [
    "Block",
    "Figures",
    "PlanDocument",
    "Risk",
    "Section",
    "classified_ids",
    "footer",
    "plan_document",
    "scrub_section",
    "scrub_summary",
]
