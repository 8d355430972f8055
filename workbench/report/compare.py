"""``workbench compare`` output: a Chinese text, JSON, and the comparison as a workbook."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from workbench.compare import Comparison, status_labels
from workbench.labels import (
    COMPARE_TEXT,
    OUTPUT_LABELS,
    REPORT_LABELS,
    SOLVE_STATUS_LABELS,
)
from workbench.money import format_wan
from workbench.outputset import OutputSet
from workbench.policy.findings import plain
from workbench.report.jsonsafe import strict
from workbench.report.safe import safe_frame


def _row(values: list[object]) -> str:
    return " | ".join(str(v) for v in values)


def compare_text(comparison: Comparison, plan_year: int) -> str:
    c = comparison
    lines = [
        COMPARE_TEXT["title"].format(count=len(c.names), year=plan_year),
        COMPARE_TEXT["summary_header"].format(next_year=plan_year + 1),
    ]
    for r in c.summary.itertuples():
        objective = "—" if r.objective is None else f"{r.objective:.2f}"
        lines.append(
            _row(
                [
                    r.scenario,
                    SOLVE_STATUS_LABELS[r.status],
                    objective,
                    r.selected,
                    r.forced_in,
                    r.not_selected,
                    r.deferred,
                    r.excluded,
                    format_wan(r.amount),
                ]
            )
        )
    for r in c.summary.itertuples():
        if r.diagnosis:
            lines.append(
                COMPARE_TEXT["diagnosis"].format(scenario=r.scenario, diagnosis=r.diagnosis)
            )
    lines.append("")
    if c.differences.empty:
        lines.append(COMPARE_TEXT["no_differences"])
    else:
        lines.append(COMPARE_TEXT["differences"].format(count=len(c.differences)))
        labels = _labels(c, plan_year)
        for i, r in enumerate(c.differences.to_dict("records")):
            cells = [
                COMPARE_TEXT["difference_cell"].format(scenario=name, status=labels[name].iloc[i])
                for name in c.names
            ]
            lines.append(
                COMPARE_TEXT["difference_row"].format(
                    pid=r["project_id"], unit=r["unit"], name=r["name"], cells="，".join(cells)
                )
            )
    lines += ["", COMPARE_TEXT["by_category"], "  " + _row([COMPARE_TEXT["category"], *c.names])]
    for r in c.by_category.to_dict("records"):
        lines.append("  " + _row([r["category_effective"], *(format_wan(r[n]) for n in c.names)]))
    lines += [
        "",
        COMPARE_TEXT["commitments"],
        "  " + _row([COMPARE_TEXT["year"], COMPARE_TEXT["kind"], *c.names]),
    ]
    kinds = {"construction": COMPARE_TEXT["kind_construction"], "om": COMPARE_TEXT["kind_om"]}
    for r in c.commitments.to_dict("records"):
        lines.append(
            "  " + _row([r["year"], kinds[r["kind"]], *(format_wan(r[n]) for n in c.names)])
        )
    return "\n".join(lines)


def _labels(c: Comparison, plan_year: int | None = None) -> dict[str, pd.Series]:
    """Each scenario's outcome for the differences, in words (推迟至Y+1年度启动 for a deferred
    start), by scenario name."""
    year = c.plan_year if plan_year is None else plan_year
    return {name: status_labels(c.differences, name, year) for name in c.names}


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    return [{str(k): plain(strict(v)) for k, v in row.items()} for row in frame.to_dict("records")]


def compare_json(comparison: Comparison) -> dict[str, object]:
    c = comparison
    return {
        "scenarios": list(c.names),
        "plan_year": c.plan_year,
        "summary": _records(c.summary),
        "differences": _records(c.differences),
        "by_unit": _records(c.by_unit),
        "by_category": _records(c.by_category),
        "commitments": _records(c.commitments),
    }


def comparison_sheets(comparison: Comparison) -> dict[str, pd.DataFrame]:
    """The comparison as sheets for a workbook (the report's 情景对比)."""
    c = comparison
    differences = c.differences.copy()
    # The status in words carries the deferred start; the start year columns are for JSON.
    for name, labels in _labels(c).items():
        differences[f"status:{name}"] = labels
    differences = differences.drop(columns=[f"start_year:{name}" for name in c.names])
    return {
        COMPARE_TEXT["sheet_summary"]: c.summary,
        COMPARE_TEXT["sheet_differences"]: differences,
        COMPARE_TEXT["sheet_units"]: c.by_unit,
        COMPARE_TEXT["sheet_categories"]: c.by_category,
        COMPARE_TEXT["sheet_commitments"]: c.commitments,
    }


def write_comparison(
    comparison: Comparison,
    out_dir: str | Path,
    plan_year: int,
    hidden: set[str] | frozenset[str] = frozenset(),
    *,
    inputs: Iterable[str | Path | Mapping[str, object]] = (),
    scenarios: list[dict[str, object]] | None = None,
) -> Path:
    """The comparison as a workbook; ``hidden`` (classified) projects' names are withheld, as in
    the plan document's distribution edition. One output set (workbench.outputset): the workbook
    and ``清单.json`` (with ``inputs``, ``scenarios`` and each scenario's solve status)."""
    status = {r.scenario: r.status for r in comparison.summary.itertuples()}
    with OutputSet(
        out_dir, kind="compare", inputs=inputs, scenario=scenarios, status=status
    ) as out:
        path = out.path(OUTPUT_LABELS["comparison_file"].format(year=plan_year))
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            for sheet, frame in comparison_sheets(comparison).items():
                if "name" in frame and "project_id" in frame:
                    frame = frame.assign(
                        name=frame["name"].where(
                            ~frame["project_id"].isin(hidden), REPORT_LABELS["redacted_name"]
                        )
                    )
                safe_frame(frame).to_excel(writer, sheet_name=sheet, index=False)
    return out.final(path)
