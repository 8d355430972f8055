"""Benchmark: read and check a large July intake.

Two cases (issue #2): 10 000 candidates in one CSV, and 50 xlsx files of 40 rows (a folder of
departments' forms). Each case runs in a fresh process (so peak RSS is the case's own) and is
repeated; the figures go into ``benchmarks/README.md`` by hand. Inputs are built from the
embedded sample's rows with new ids, under ``benchmarks/.data/`` (not committed).

    python benchmarks/bench_intake.py            # both cases, 3 repeats
    python benchmarks/bench_intake.py --repeat 5
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"


def sample_rows() -> tuple[list[str], list[list[str]]]:
    from workbench.data import sample_candidates

    with sample_candidates().open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def scaled_rows(n: int, prefix: str) -> tuple[list[str], list[list[str]]]:
    header, rows = sample_rows()
    id_col = header.index("项目编号")
    dep_col = header.index("依赖项目编号")
    out = []
    for i in range(n):
        row = list(rows[i % len(rows)])
        row[id_col] = f"{prefix}{i:06d}"
        row[dep_col] = ""  # ids are renumbered, so the sample's dependencies would dangle
        out.append(row)
    return header, out


def build_inputs() -> dict[str, Path]:
    import openpyxl

    DATA.mkdir(parents=True, exist_ok=True)
    big = DATA / "candidates_10000.csv"
    if not big.exists():
        header, rows = scaled_rows(10_000, "BM")
        with big.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows([header, *rows])
    folder = DATA / "xlsx_50x40"
    if not folder.exists() or len(list(folder.glob("*.xlsx"))) != 50:
        folder.mkdir(exist_ok=True)
        header, rows = scaled_rows(50 * 40, "XL")
        for f in range(50):
            wb = openpyxl.Workbook()
            ws = wb.active
            ws.title = "申报表"
            ws.append([f"鄂尔多斯市政务信息化项目申报表（第{f + 1}号单位）"])
            ws.append(header)
            for row in rows[f * 40 : (f + 1) * 40]:
                ws.append(row)
            wb.save(folder / f"unit_{f + 1:02d}.xlsx")
    return {"csv_10000": big, "xlsx_50x40": folder}


def run_case(path: str) -> dict[str, float]:
    """Read and check one input (in this process); return timings and counts."""
    from workbench.data import SAMPLE_PLAN_YEAR, sample_systems, sample_usage
    from workbench.intake import read_table
    from workbench.intake.registry import read_systems, read_usage
    from workbench.policy import check

    start = time.perf_counter()
    candidates = read_table([path])
    read_done = time.perf_counter()
    systems = read_systems([sample_systems()])
    usage = read_usage([sample_usage()], systems)
    result = check(
        candidates.accepted,
        plan_year=SAMPLE_PLAN_YEAR,
        systems=systems.accepted,
        usage=usage.accepted,
    )
    end = time.perf_counter()
    totals = candidates.totals()
    return {
        "read_s": read_done - start,
        "check_s": end - read_done,
        "total_s": end - start,
        "rows": totals["read"],
        "accepted": totals["accepted"],
        "findings": len(result.findings),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--case", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case)))
        return
    inputs = build_inputs()
    print(
        f"python {platform.python_version()} on {platform.machine()}, {platform.processor() or 'cpu'}"
    )
    print(
        "| case | rows | findings | read (s) | check (s) | total median (s) | total min (s) | peak RSS (MB) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, path in inputs.items():
        runs = [
            json.loads(
                subprocess.run(
                    [sys.executable, __file__, "--case", str(path)],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
            )
            for _ in range(args.repeat)
        ]
        totals = [r["total_s"] for r in runs]
        best = min(runs, key=lambda r: r["total_s"])
        print(
            f"| {name} | {best['rows']} | {best['findings']} | {best['read_s']:.2f} | {best['check_s']:.2f} "
            f"| {statistics.median(totals):.2f} | {min(totals):.2f} | {max(r['peak_rss_mb'] for r in runs):.0f} |"
        )


if __name__ == "__main__":
    main()
