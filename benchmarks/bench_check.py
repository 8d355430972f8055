"""Benchmark: `workbench check` at scale (issue #12, item 4: linear checks at scale).

Four intakes of one CSV each, built under ``benchmarks/.data/`` (not committed):

- ``near_identical_10000`` / ``near_identical_50000``: names "XX系统运维服务项目" over 60 subjects
  (``synthetic.near_identical_rows``), the hard case for the 第五条 similarity: each project
  resembles hundreds of others from other units;
- ``sample_10000`` / ``sample_50000``: the embedded sample's rows repeated with new ids.

Each case runs twice, each time in a fresh process: the library steps timed in the process
(read, check, the JSON report as `check --format json` writes it), and the command itself
(`python -m workbench check FILE --systems … --usage … --format json`, output to the null
device), whose wall time and peak RSS are the figures against the goals (10 000 rows under 5 s
and 1 GB, 50 000 under 30 s and 3 GB).

    python benchmarks/bench_check.py                 # all four cases
    python benchmarks/bench_check.py --case near_identical_10000
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / ".data"
CASES = ("near_identical_10000", "sample_10000", "near_identical_50000", "sample_50000")


def build_input(case: str) -> Path:
    sys.path.insert(0, str(HERE))
    from bench_intake import scaled_rows
    from synthetic import near_identical_rows

    kind, n = case.rsplit("_", 1)
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"check_{case}.csv"
    if not path.exists():
        if kind == "near_identical":
            header, rows = near_identical_rows(int(n))
        else:
            header, rows = scaled_rows(int(n), "SC")
        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows([header, *rows])
    return path


def cpu(who: int = resource.RUSAGE_SELF) -> float:
    """CPU seconds (user + system) so far: less sensitive than wall time to a busy machine."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def run_library(path: str) -> dict:
    """Read, check and write the JSON report in this process."""
    from workbench.data import SAMPLE_PLAN_YEAR, sample_systems, sample_usage
    from workbench.intake import read_table
    from workbench.intake.registry import read_systems, read_usage
    from workbench.policy import check
    from workbench.report.check import check_json
    from workbench.report.jsonsafe import dumps

    start = time.perf_counter()
    candidates = read_table([path])
    systems = read_systems([sample_systems()])
    usage = read_usage([sample_usage()], systems)
    read_done, read_cpu = time.perf_counter(), cpu()
    result = check(
        candidates.accepted,
        plan_year=SAMPLE_PLAN_YEAR,
        systems=systems.accepted,
        usage=usage.accepted,
    )
    check_done, check_cpu = time.perf_counter(), cpu()
    text = dumps(check_json(result, candidates, [systems, usage]))
    end = time.perf_counter()
    findings = result.findings
    duplicate = findings[findings["rule"] == "duplicate_investment"]
    return {
        "rows": int(candidates.totals()["read"]),
        "findings": len(findings),
        "duplicate_findings": len(duplicate),
        "more_similar": int(sum(e.get("more", 0) for e in duplicate["evidence"])),
        "read_s": read_done - start,
        "check_s": check_done - read_done,
        "check_cpu_s": check_cpu - read_cpu,
        "report_s": end - check_done,
        "json_mb": len(text.encode()) / 2**20,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_command(path: Path) -> dict:
    """`workbench check` as a user runs it, in a child process: wall time and peak RSS."""
    from workbench.data import sample_systems, sample_usage

    command = [sys.executable, "-m", "workbench", "check", str(path), "--year", "2027"]
    command += ["--systems", str(sample_systems()), "--usage", str(sample_usage())]
    command += ["--format", "json"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # As Python runs by default: with the compiled modules kept (this machine sets
    # PYTHONDONTWRITEBYTECODE, which recompiles the workbench's own ~0.4 s of modules each run).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    with open(os.devnull, "w") as devnull:
        done = subprocess.run(command, stdout=devnull, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "exit": done.returncode,
        "command_s": seconds,
        "command_cpu_s": cpu(resource.RUSAGE_CHILDREN),
        "command_rss_mb": peak,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--case", choices=CASES, action="append")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--command", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_library(args.child)))
        return
    if args.command:
        print(json.dumps(run_command(Path(args.command))))
        return
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    print(
        f"python {platform.python_version()}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f} at the start"
    )
    print(
        "| case | rows | findings | 第五条 findings | more similar (counted) | read (s) "
        "| check (s, CPU s) | JSON report (s) | library peak RSS (MB) "
        "| `workbench check` (s, CPU s) | command peak RSS (MB) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for case in args.case or CASES:
        path = build_input(case)
        results = {}
        for flag in ("--child", "--command"):
            done = subprocess.run(
                [sys.executable, __file__, flag, str(path)],
                capture_output=True,
                text=True,
                env=env,
                check=True,
            )
            results.update(json.loads(done.stdout.strip().splitlines()[-1]))
        r = results
        print(
            f"| {case} | {r['rows']:,} | {r['findings']:,} | {r['duplicate_findings']:,} "
            f"| {r['more_similar']:,} | {r['read_s']:.2f} "
            f"| {r['check_s']:.2f} ({r['check_cpu_s']:.2f}) | {r['report_s']:.2f} "
            f"| {r['peak_rss_mb']:.0f} | {r['command_s']:.2f} ({r['command_cpu_s']:.2f}; "
            f"exit {r['exit']}) | {r['command_rss_mb']:.0f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
