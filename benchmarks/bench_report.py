"""Benchmark: the draft-plan document (issue #5, #14): building the document, writing the
formatted workbook, rendering the HTML report with its charts, the 请示 draft, printing the PDF
with headless Chromium (and counting its pages), and converting the workbook with LibreOffice,
on the embedded sample and on a scaled intake.

    python benchmarks/bench_report.py [--candidates 2000]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import tempfile
import time
import tracemalloc
from pathlib import Path


def sample_plan():
    from workbench.cli import build_parser, run_check
    from workbench.compare import plan_scenario
    from workbench.scenario import load_scenario

    scenario = load_scenario("base")
    args = build_parser().parse_args(["plan"])
    check, _, registries, _ = run_check(args, plan_year=2027, policy=scenario.policy)
    plan, _ = plan_scenario(check, scenario, systems=registries[0].accepted)
    return check, plan


def scaled_plan(n: int):
    from bench_simulate import build_plan

    plan, _ = build_plan(n, horizon=3)
    # build_plan checks the scaled intake itself; the report needs that check back.
    from bench_simulate import DATA

    from workbench.data import sample_systems, sample_usage
    from workbench.intake import read_table
    from workbench.intake.registry import read_systems, read_usage
    from workbench.policy import check

    intake = read_table([DATA / f"simulate_candidates_{n}.csv"])
    systems = read_systems([sample_systems()])
    usage = read_usage([sample_usage()], systems)
    result = check(intake.accepted, plan_year=2027, systems=systems.accepted, usage=usage.accepted)
    return result, plan


def timed(label: str, fn, rows: list):
    start = time.perf_counter()
    out = fn()
    rows.append((label, time.perf_counter() - start))
    return out


def run(name: str, check, plan, out: Path) -> None:
    from workbench.report.document import plan_document
    from workbench.report.html import write_html
    from workbench.report.outputs import report_frontier
    from workbench.report.pdf import find_chromium, html_to_pdf
    from workbench.report.qingshi import write_qingshi
    from workbench.report.workbook import write_workbook

    rows: list[tuple[str, float]] = []
    frontier = timed("frontier (20 points)", lambda: report_frontier(plan), rows)
    tracemalloc.start()
    doc = timed("document", lambda: plan_document(plan, check, frontier=frontier), rows)
    xlsx = timed("workbook", lambda: write_workbook(doc, out / f"{name}.xlsx"), rows)
    html = timed("html + charts", lambda: write_html(doc, out / f"{name}.html"), rows)
    docx = timed(
        "请示 (docx)",
        lambda: write_qingshi(doc.summary, out / f"{name}.docx", attachments=[doc.title]),
        rows,
    )
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    pages = None
    if find_chromium():
        pdf = timed("pdf (chromium)", lambda: html_to_pdf(html, out / f"{name}.pdf"), rows)
        if shutil.which("pdfinfo"):
            info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True)
            pages = next(
                (line.split()[-1] for line in info.stdout.splitlines() if line.startswith("Pages")),
                None,
            )
    if shutil.which("soffice"):
        timed(
            "workbook → pdf (libreoffice)",
            lambda: subprocess.run(
                [
                    "soffice",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(out / "lo"),
                    str(xlsx),
                ],
                capture_output=True,
                check=True,
            ),
            rows,
        )
    selected = len(plan.selected)
    print(
        f"\n{name}: {len(plan.projects)} candidates, {selected} selected, "
        f"findings {len(check.findings)}; python peak {peak / 2**20:.0f} MiB"
    )
    for label, seconds in rows:
        print(f"  {label:32s} {seconds:6.2f} s")
    print(
        f"  sizes: xlsx {xlsx.stat().st_size / 1024:.0f} KiB, html {html.stat().st_size / 1024:.0f}"
        f" KiB, docx {docx.stat().st_size / 1024:.0f} KiB; pdf pages {pages}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--candidates", type=int, default=2000)
    args = parser.parse_args()
    print(f"python {platform.python_version()}, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        check, plan = sample_plan()
        run("sample", check, plan, out)
        check, plan = scaled_plan(args.candidates)
        run(f"scaled-{args.candidates}", check, plan, out)


if __name__ == "__main__":
    main()
