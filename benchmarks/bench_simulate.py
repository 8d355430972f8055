"""Benchmark: Monte Carlo risk and selection robustness (issue #4).

- 10 000 Monte Carlo draws over a plan of ~500 projects and a 5-year horizon (goal: under 2 s);
- 200 robustness re-plans at 500 candidates on 2 cores (goal: under 60 s): one process, joblib
  over 2 processes, and a local Dask cluster of 2 workers through joblib's Dask backend.

The plan is drafted from the embedded sample scaled to the size asked for (new ids, no
dependencies), checked with the sample registry, scored with the default model, under a
5-year scenario whose ceilings are generous enough that most eligible projects are selected.

    python benchmarks/bench_simulate.py [--candidates 500] [--runs 200]
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"


def build_plan(n: int, horizon: int):
    from bench_intake import scaled_rows

    from workbench.compare import plan_scenario
    from workbench.data import sample_systems, sample_usage
    from workbench.intake import read_table
    from workbench.intake.registry import read_systems, read_usage
    from workbench.planner.spend import spend_profile
    from workbench.policy import check
    from workbench.scenario import Scenario

    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"simulate_candidates_{n}.csv"
    header, rows = scaled_rows(n, "SM")
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header, *rows])
    intake = read_table([path])
    systems = read_systems([sample_systems()])
    usage = read_usage([sample_usage()], systems)
    result = check(intake.accepted, plan_year=2027, systems=systems.accepted, usage=usage.accepted)
    open_scenario = Scenario(name="基准测试", plan_year=2027, horizon=horizon)
    profile = spend_profile(result.candidates, open_scenario)
    cands = result.candidates.set_index("project_id")
    forced = set(cands.index[cands["mandated"].fillna(False).astype(bool)])
    forced |= set(cands.index[cands["existing_om"].fillna(False).astype(bool)])
    total = profile.groupby(["pool", "year"])["amount"].sum()
    must = profile[profile["project_id"].isin(forced)].groupby(["pool", "year"])["amount"].sum()
    ceilings: dict[str, dict[int, float]] = {}
    for (pool, year), amount in total.items():
        # 80 % of what is asked, never below what the forced projects need there.
        floor = float(must.get((pool, year), 0)) * 1.05
        ceilings.setdefault(pool, {})[int(year)] = round(max(float(amount) * 0.8, floor), 2)
    scenario = Scenario.model_validate(
        {
            "name": "基准测试",
            "plan_year": 2027,
            "horizon": horizon,
            "ceilings": ceilings,
            "toggles": {"system_count": False},
        }
    )
    return plan_scenario(result, scenario, systems=systems.accepted)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--candidates", type=int, default=500)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--draws", type=int, default=10_000)
    args = parser.parse_args()

    from workbench.robustness import robustness
    from workbench.simulate import assumptions_from, simulate

    print(f"python {platform.python_version()}, {os.cpu_count()} cores")
    plan, scores = build_plan(args.candidates, horizon=5)
    selected = plan.spend["project_id"].nunique()
    print(
        f"plan: {args.candidates} candidates, {selected} projects with spend, status {plan.status}"
    )

    assumptions = assumptions_from(plan)
    simulate(plan, assumptions, draws=200, seed=0)  # warm the imports and caches
    times = []
    for seed in range(3):
        start = time.perf_counter()
        simulate(plan, assumptions, draws=args.draws, seed=seed)
        times.append(time.perf_counter() - start)
    print(
        f"| Monte Carlo | {args.draws} draws × {selected} projects × 5 years | "
        f"best {min(times):.2f} s, median {sorted(times)[1]:.2f} s | goal 2 s |"
    )

    for label, kwargs in (("1 process", {}), ("joblib, 2 processes", {"n_jobs": 2})):
        start = time.perf_counter()
        robustness(plan, scores, runs=args.runs, seed=0, **kwargs)
        print(
            f"| robustness | {args.runs} re-plans, {label} | {time.perf_counter() - start:.1f} s | goal 60 s |"
        )

    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster),
    ):
        start = time.perf_counter()
        robustness(plan, scores, runs=args.runs, seed=0, backend="dask")
        print(
            f"| robustness | {args.runs} re-plans, Dask LocalCluster (2 workers) | "
            f"{time.perf_counter() - start:.1f} s | goal 60 s |"
        )


if __name__ == "__main__":
    main()
