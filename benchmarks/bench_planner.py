"""Benchmark: the annual-plan optimiser (issue #3, item 8).

Three groups of cases, each case in a fresh process (``--case``) under a time limit, so that one
slow solve neither warms nor starves the next and the whole run stays under ~15 minutes:

- **solver**: ``build`` + ``solve`` on ``synthetic_problem(n)`` (every constraint family) for
  n = 500, 5 000, 20 000, with a 3-year horizon (2027–2029) and a 1-year one (years after 2027
  dropped from spend and ceilings), for HiGHS and CBC, exact (gaps 0) under a time limit. A case
  stopped by the limit says ``time_limit`` with its proven gap. A CBC "optimal" whose objective
  differs from HiGHS's proven optimum (or lies below a better HiGHS plan) is flagged.
- **end to end**: ``draft_plan`` (prepare + build + solve + explain) on intakes of 500 and 5 000
  candidates scaled from the embedded sample, 3-year horizon, HiGHS; with the split.
- **frontier**: the 30-point frontier of 市本级 2027 at 500 synthetic projects, 1 and 2 workers.
- **infeasible** (``--infeasible``, issue #12): an infeasible plan of 10 000 candidates explained
  in words, at solver level (the diagnosis's deletion filter over ``synthetic_problem``'s 62
  constraint groups) and end to end (read, check, score, draft_plan on the scaled sample).

    python benchmarks/bench_planner.py               # everything (~13 minutes on 2 cores)
    python benchmarks/bench_planner.py --quick       # 500 and 5 000 only, 20 s limits (~3 minutes)
    python benchmarks/bench_planner.py --infeasible  # the two infeasible cases (~1 minute)

Figures go into ``benchmarks/README.md`` by hand; the raw results are also written to
``benchmarks/.data/bench_planner.json`` (not committed).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import replace
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
PLAN_YEAR = 2027
SHARE = Decimal("0.3")  # each pool-year's ceiling: 30 % of what its candidates ask for
TOLERANCE = 1e-6


# ---------------------------------------------------------------------------------------------
# Cases (run in the child process)


def one_year(problem):
    """The same problem over the plan year only: later years leave spend and ceilings."""
    year = problem.plan_year
    return replace(
        problem,
        spend={k: a for k, a in problem.spend.items() if k[2] <= year},
        ceilings={k: c for k, c in problem.ceilings.items() if k[1] <= year},
    )


def run_solver(case: dict) -> dict:
    from synthetic import synthetic_problem

    from workbench.planner.model import SolverChoice, build, solve

    start = time.perf_counter()
    problem = synthetic_problem(case["n"], seed=case["seed"])
    if case["horizon"] == 1:
        problem = one_year(problem)
    generated = time.perf_counter() - start
    built = build(problem)
    solution = solve(built, SolverChoice(name=case["solver"], time_limit=case["limit"]))
    return {
        "generate_s": generated,
        "build_s": solution.build_seconds,
        "solve_s": solution.solve_seconds,
        "status": solution.status,
        "objective": solution.objective,
        "gap": solution.gap,
        "bound": solution.bound,
        "selected": len(solution.selected),
        "variables": len(built.x),
        "constraints": len(built.lp.constraints),
        "solver_version": solution.solver_version,
    }


def intake_csv(n: int) -> Path:
    """A CSV of ``n`` candidates scaled from the embedded sample (as bench_intake.py does)."""
    from bench_intake import scaled_rows

    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"plan_candidates_{n}.csv"
    if not path.exists():
        header, rows = scaled_rows(n, "PL")
        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows([header, *rows])
    return path


def read_and_check(path: Path):
    """The CSV read and checked with the sample's systems registry and usage, for PLAN_YEAR:
    the check result and the systems intake."""
    from workbench.data import sample_systems, sample_usage
    from workbench.intake import read_table
    from workbench.intake.registry import read_systems, read_usage
    from workbench.policy import check

    candidates = read_table([str(path)])
    systems = read_systems([sample_systems()])
    usage = read_usage([sample_usage()], systems)
    result = check(
        candidates.accepted, plan_year=PLAN_YEAR, systems=systems.accepted, usage=usage.accepted
    )
    return result, systems


def scenario_for(check_result, values, base):
    """``base`` (scenarios/base.yaml: 3-year horizon, O&M tail, O&M envelope) with a ceiling for
    every pool and year that has candidates: 30 % of their spend, and never below 1.2 × what the
    projects forced in there need (otherwise the plan is infeasible by construction, as a scaled
    sample forces in ~10 % of the rows; the same rule as synthetic.py)."""
    from workbench.planner.prepare import prepare
    from workbench.planner.spend import spend_profile

    profile = spend_profile(check_result.candidates, base)
    total = profile.groupby(["pool", "year"])["amount"].sum()
    forced = prepare(check_result, values, base.model_copy(update={"ceilings": {}})).problem
    needed = (
        profile[profile["project_id"].isin(forced.forced_in)]
        .groupby(["pool", "year"])["amount"]
        .sum()
    )
    ceilings: dict[str, dict[int, Decimal]] = {}
    for (pool, year), amount in total.items():
        ceiling = max(amount * SHARE, needed.get((pool, year), Decimal(0)) * Decimal("1.2"))
        ceilings.setdefault(pool, {})[int(year)] = ceiling.quantize(Decimal("0.01"))
    return base.model_copy(update={"ceilings": ceilings})


def run_end_to_end(case: dict) -> dict:
    import workbench.planner.plan as plan_module
    from workbench.planner import draft_plan
    from workbench.scenario import Scenario, load_scenario
    from workbench.scoring import load_scoring, score

    path = intake_csv(case["n"])
    start = time.perf_counter()
    result, systems = read_and_check(path)
    checked = time.perf_counter()
    values = score(result.candidates, load_scoring(), systems=systems.accepted).value
    scored = time.perf_counter()
    base = load_scenario("base")
    scenario = Scenario.model_validate(scenario_for(result, values, base).model_dump())

    # Time the steps of draft_plan by wrapping the names plan.py calls (in this process only).
    spent: dict[str, float] = {}

    def timed(name, fn):
        def wrapper(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - t0

        return wrapper

    for name in ("prepare", "build", "solve"):
        setattr(plan_module, name, timed(name, getattr(plan_module, name)))

    runs = []
    for _ in range(3):
        spent.clear()
        t0 = time.perf_counter()
        plan = draft_plan(result, values, scenario)
        total = time.perf_counter() - t0
        runs.append({"total_s": total, **{f"{k}_s": v for k, v in spent.items()}})
    cold, warm = runs[0], min(runs[1:], key=lambda r: r["total_s"])
    counts = plan.projects["status"].value_counts().to_dict()
    return {
        "candidates": len(result.candidates),
        "check_s": checked - start,
        "score_s": scored - checked,
        "status": plan.status,
        "objective": plan.objective,
        "gap": plan.solver["gap"],
        "reasons": int(plan.projects["reason"].astype(bool).sum()),
        "counts": {str(k): int(v) for k, v in counts.items()},
        "cold": cold,
        "warm": warm,
    }


def run_frontier(case: dict) -> dict:
    import pandas as pd
    from synthetic import synthetic_problem

    from workbench.planner.frontier import frontier
    from workbench.planner.model import SolverChoice

    problem = synthetic_problem(case["n"], seed=case["seed"])
    start = time.perf_counter()
    table = frontier(
        problem,
        pool="市本级",
        points=30,
        choice=SolverChoice(name=case["solver"], time_limit=case["limit"]),
        workers=case["workers"],
    )
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "points": len(table),
        "statuses": table["status"].value_counts().to_dict(),
        "values": [None if pd.isna(v) else float(v) for v in table["value"]],
    }


def _cpu() -> float:
    """CPU seconds (user + system) of this process so far: less sensitive to a busy machine."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _count_builds():
    """Count the PuLP models built (``model.build``, the diagnosis's way to them) from now on."""
    import workbench.planner.model as model

    counter = {"builds": 0}
    build = model.build

    def counted(*args, **kwargs):
        counter["builds"] += 1
        return build(*args, **kwargs)

    model.build = counted
    return counter


def _starved(problem, share: float = 0.8):
    """``problem`` with the 市本级 2027 ceiling below what its forced projects need."""
    forced = sum(
        a
        for (i, q, y), a in problem.spend.items()
        if q == "市本级" and y == PLAN_YEAR and i in problem.forced_in
    )
    return replace(
        problem, ceilings={**problem.ceilings, ("市本级", PLAN_YEAR): round(forced * share, 2)}
    )


def run_diagnose(case: dict) -> dict:
    """Solver level: the deletion filter over the constraint groups of an infeasible
    ``synthetic_problem(n)`` (市本级 2027 at 80 % of what its forced projects need)."""
    import resource

    from synthetic import synthetic_problem

    from workbench.planner import diagnose
    from workbench.planner.model import SolverChoice, build, solve

    problem = _starved(synthetic_problem(case["n"], seed=case["seed"]))
    start = time.perf_counter()
    first = solve(build(problem), SolverChoice())
    solved, solved_cpu = time.perf_counter(), _cpu()
    counter = _count_builds()

    class Prepared:  # conflicting_groups reads only the problem
        pass

    prepared = Prepared()
    prepared.problem = problem
    groups = diagnose.conflicting_groups(prepared, SolverChoice())
    end = time.perf_counter()
    return {
        "status": first.status,
        "solve_s": solved - start,
        "diagnose_s": end - solved,
        "diagnose_cpu_s": _cpu() - solved_cpu,
        "builds": counter["builds"],
        "groups": len({g for g in _all_groups(problem)}),
        "conflict": [list(g) for g in groups],
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _all_groups(problem) -> list[tuple]:
    from workbench.planner.model import build

    return [g for g in build(problem, with_objective=False).groups if g != ("deferral",)]


def run_infeasible_end_to_end(case: dict) -> dict:
    """Read, check, score and draft an infeasible plan of the sample scaled to n candidates
    (base scenario, ceilings as ``scenario_for`` sets them, then 市本级 2027 at 80 % of what
    its forced projects need): the plan, its diagnosis in words, and the time it all took.

    A first, untimed pass makes the scenario (it needs the checked and scored intake); the
    timed pass is what a user's run does: read, check, score, draft_plan."""
    import resource

    from workbench.planner import draft_plan
    from workbench.planner.prepare import prepare
    from workbench.planner.spend import spend_profile
    from workbench.scenario import Scenario, load_scenario
    from workbench.scoring import load_scoring, score

    path = intake_csv(case["n"])

    def checked_and_scored():
        result, systems = read_and_check(path)
        return result, score(result.candidates, load_scoring(), systems=systems.accepted).value

    result, values = checked_and_scored()
    scenario = scenario_for(result, values, load_scenario("base"))
    forced = prepare(result, values, scenario).problem.forced_in
    profile = spend_profile(result.candidates, scenario)
    need = profile[
        profile["project_id"].isin(forced)
        & (profile["pool"] == "市本级")
        & (profile["year"] == PLAN_YEAR)
    ]["amount"].sum()
    ceilings = {pool: dict(years) for pool, years in scenario.ceilings.items()}
    ceilings["市本级"][PLAN_YEAR] = (need * Decimal("0.8")).quantize(Decimal("0.01"))
    scenario = Scenario.model_validate(
        scenario.model_copy(update={"ceilings": ceilings}).model_dump()
    )

    start, start_cpu = time.perf_counter(), _cpu()
    result, values = checked_and_scored()
    scored = time.perf_counter()
    counter = _count_builds()
    plan = draft_plan(result, values, scenario)
    end = time.perf_counter()
    command = _plan_command(path, scenario)
    return {
        **command,
        "candidates": len(result.candidates),
        "status": plan.status,
        "read_check_score_s": scored - start,
        "draft_plan_s": end - scored,
        "total_s": end - start,
        "total_cpu_s": _cpu() - start_cpu,
        "builds_in_diagnosis": counter["builds"],
        "groups": len(_all_groups(plan.prepared.problem)),
        "diagnosis": plan.diagnosis[:300],
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _plan_command(path: Path, scenario) -> dict:
    """``workbench plan FILE --scenario S.yaml --format json`` as a user runs it, in a child
    process (imports, read, check, score, plan, diagnosis, JSON to the null device)."""
    import resource

    import yaml

    from workbench.data import sample_systems, sample_usage

    data = scenario.model_dump(mode="json", exclude={"path"})
    data["sample"] = False  # written for this intake, not the sample's
    written = DATA / "infeasible_scenario.yaml"
    written.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    command = [sys.executable, "-m", "workbench", "plan", str(path), "--scenario", str(written)]
    command += ["--systems", str(sample_systems()), "--usage", str(sample_usage())]
    command += ["--format", "json", "--year", str(PLAN_YEAR)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with open(os.devnull, "w") as devnull:
        env = dict(os.environ)
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as bench_check.py: Python's default
        done = subprocess.run(command, stdout=devnull, stderr=subprocess.PIPE, text=True, env=env)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "command_exit": done.returncode,
        "command_stderr": done.stderr.strip()[-300:],
        "command_s": seconds,
        "command_cpu_s": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
        "command_rss_mb": after.ru_maxrss / 1024,
    }


RUNNERS = {
    "solver": run_solver,
    "e2e": run_end_to_end,
    "frontier": run_frontier,
    "diagnose": run_diagnose,
    "infeasible": run_infeasible_end_to_end,
}


# ---------------------------------------------------------------------------------------------
# The parent: plan the cases, run each in a fresh process, print markdown


def infeasible_cases() -> list[dict]:
    return [
        {"kind": "diagnose", "n": 10_000, "seed": 0},
        {"kind": "infeasible", "n": 10_000},
    ]


def infeasible_table(results: list[tuple[dict, dict]]) -> list[str]:
    lines = [
        "| case | n | groups | PuLP builds in the diagnosis | solve (s) | diagnosis (s, CPU s) "
        "| end to end (s, CPU s) | `workbench plan` (s, CPU s, peak MB) | peak RSS (MB) "
        "| conflict / diagnosis |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for case, r in results:
        if case["kind"] == "diagnose":
            lines.append(
                f"| synthetic, 市本级 2027 at 80 % of forced | {case['n']:,} | {r.get('groups')} "
                f"| {r.get('builds')} | {_num(r.get('solve_s'))} "
                f"| {_num(r.get('diagnose_s'))} ({_num(r.get('diagnose_cpu_s'))}) "
                f"| — | — | {_num(r.get('peak_rss_mb'), 0)} "
                f"| {r.get('conflict', r.get('error'))} |"
            )
        elif case["kind"] == "infeasible":
            lines.append(
                f"| scaled sample, read → check → score → draft_plan "
                f"| {r.get('candidates', 0):,} "
                f"| {r.get('groups')} | {r.get('builds_in_diagnosis')} | — "
                f"| {_num(r.get('draft_plan_s'))} (draft_plan) "
                f"| {_num(r.get('total_s'))} ({_num(r.get('total_cpu_s'))}) "
                f"| {_num(r.get('command_s'))} ({_num(r.get('command_cpu_s'))}, "
                f"{_num(r.get('command_rss_mb'), 0)}; exit {r.get('command_exit')}) "
                f"| {_num(r.get('peak_rss_mb'), 0)} | {r.get('diagnosis', r.get('error'))} |"
            )
    return lines


def plan_cases(quick: bool) -> list[dict]:
    sizes = {500: 20, 5_000: 20} if quick else {500: 60, 5_000: 60, 20_000: 120}
    cases = [
        {"kind": "solver", "n": n, "horizon": h, "solver": s, "limit": limit, "seed": 0}
        for n, limit in sizes.items()
        for h in (3, 1)
        for s in ("highs", "cbc")
    ]
    cases += [{"kind": "e2e", "n": n} for n in (500, 5_000)]
    frontiers = [("highs", 1), ("highs", 2)] if quick else [("highs", 1), ("highs", 2), ("cbc", 1)]
    cases += [
        {"kind": "frontier", "n": 500, "solver": s, "workers": w, "limit": 60, "seed": 0}
        for s, w in frontiers
    ]
    return cases


def wall_limit(case: dict) -> float:
    """How long the child may run before it is killed (generation, build and model transfer
    come on top of the solver's own limit)."""
    if case["kind"] == "solver":
        return 2 * case["limit"] + 120
    if case["kind"] == "frontier":
        return 300
    return 600


def run_child(case: dict) -> dict:
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--case", json.dumps(case)],
            capture_output=True,
            text=True,
            timeout=wall_limit(case),
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
    except subprocess.TimeoutExpired:
        return {"status": "killed", "error": f"no answer within {wall_limit(case):.0f} s"}
    if done.returncode != 0:
        return {"status": "crashed", "error": done.stderr.strip().splitlines()[-1:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _num(value, digits: int = 2) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _gap(value) -> str:
    if value is None:
        return "—"
    return "0" if abs(value) < 1e-9 else f"{100 * value:.3g} %"


def solver_table(results: list[tuple[dict, dict]]) -> tuple[list[str], list[str]]:
    """The solver rows, and the flags raised by comparing CBC with HiGHS on the same instance."""
    highs = {
        (c["n"], c["horizon"]): r
        for c, r in results
        if c["kind"] == "solver" and c["solver"] == "highs"
    }
    lines = [
        "| n | horizon | solver | rows | build (s) | solve (s) | status | objective "
        "| proven gap | gap to HiGHS bound | limit (s) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    flags = []
    for case, r in results:
        if case["kind"] != "solver":
            continue
        key = (case["n"], case["horizon"])
        ref = highs.get(key, {})
        bound = ref.get("bound") if ref.get("status") in ("optimal", "time_limit") else None
        obj = r.get("objective")
        to_bound = None
        if bound is not None and obj:
            to_bound = max(bound - obj, 0.0) / abs(obj)
        lines.append(
            f"| {case['n']:,} | {case['horizon']} y | {case['solver']} | {r.get('constraints', '—')} "
            f"| {_num(r.get('build_s'))} | {_num(r.get('solve_s'))} | {r.get('status')} "
            f"| {_num(obj)} | {_gap(r.get('gap'))} | {_gap(to_bound)} | {case['limit']} |"
        )
        if case["solver"] != "cbc" or r.get("status") != "optimal" or obj is None:
            continue
        if ref.get("status") == "optimal" and abs(obj - ref["objective"]) > TOLERANCE:
            flags.append(
                f"- n = {case['n']:,}, {case['horizon']} y: CBC says optimal at {obj:,.2f}, "
                f"HiGHS proved {ref['objective']:,.2f}."
            )
        elif ref.get("objective") is not None and ref["objective"] > obj + TOLERANCE:
            flags.append(
                f"- n = {case['n']:,}, {case['horizon']} y: CBC says optimal at {obj:,.2f}, "
                f"but HiGHS found a better plan ({ref['objective']:,.2f}) before its limit."
            )
        elif bound is not None and obj > bound + TOLERANCE:
            flags.append(
                f"- n = {case['n']:,}, {case['horizon']} y: CBC's optimum {obj:,.2f} is above "
                f"HiGHS's bound {bound:,.2f}."
            )
    return lines, flags


def e2e_table(results: list[tuple[dict, dict]]) -> list[str]:
    lines = [
        "| candidates | status | selected / forced / not / excluded | check (s) | score (s) "
        "| prepare (s) | build (s) | solve (s) | explain & rest (s) | draft_plan cold (s) "
        "| draft_plan warm (s) | goal (s) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for case, r in results:
        if case["kind"] != "e2e":
            continue
        if "cold" not in r:
            lines.append(f"| {case['n']:,} | {r.get('status')} | {r.get('error')} |")
            continue
        cold, counts = r["cold"], r["counts"]
        steps = sum(cold.get(k, 0.0) for k in ("prepare_s", "build_s", "solve_s"))
        mix = "/".join(
            str(counts.get(k, 0)) for k in ("selected", "forced_in", "not_selected", "excluded")
        )
        goal = 0.5 if case["n"] <= 500 else 5.0
        lines.append(
            f"| {r['candidates']:,} | {r['status']} | {mix} | {_num(r['check_s'])} "
            f"| {_num(r['score_s'])} | {_num(cold.get('prepare_s'), 3)} "
            f"| {_num(cold.get('build_s'), 3)} | {_num(cold.get('solve_s'), 3)} "
            f"| {_num(cold['total_s'] - steps, 3)} | {_num(cold['total_s'], 3)} "
            f"| {_num(r['warm']['total_s'], 3)} | {goal} |"
        )
    return lines


def frontier_table(results: list[tuple[dict, dict]]) -> tuple[list[str], list[str]]:
    lines = [
        "| n | solver | workers | seconds | points | statuses | goal (s) |",
        "|---|---|---|---|---|---|---|",
    ]
    reference = None
    notes = []
    for case, r in results:
        if case["kind"] != "frontier":
            continue
        statuses = ", ".join(f"{k} {v}" for k, v in sorted(r.get("statuses", {}).items()))
        lines.append(
            f"| {case['n']} | {case['solver']} | {case['workers']} | {_num(r.get('seconds'))} "
            f"| {r.get('points', '—')} | {statuses or r.get('status')} | 5 |"
        )
        values = r.get("values")
        if values is None:
            continue
        if reference is None:
            reference = values
            continue
        worst = max(
            (abs(a - b) for a, b in zip(values, reference, strict=True) if None not in (a, b)),
            default=0.0,
        )
        notes.append(
            f"- {case['solver']} × {case['workers']} worker(s) against highs × 1: largest value "
            f"difference over the 30 points {worst:.6g}."
        )
    return lines, notes


def commit() -> str:
    """The repository's commit, with ``+dirty`` when workbench/ has changes not committed."""
    git = ["git", "-C", str(HERE.parent)]
    try:
        head = subprocess.run(
            [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            [*git, "status", "--porcelain", "--", "workbench"], capture_output=True, text=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="500 and 5 000 only, 20 s limits")
    parser.add_argument(
        "--infeasible", action="store_true", help="only the infeasible 10 000-candidate cases"
    )
    parser.add_argument("--case", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        case = json.loads(args.case)
        print(json.dumps(RUNNERS[case["kind"]](case), ensure_ascii=False))
        return
    if args.infeasible:
        print(
            f"commit {commit()}; python {platform.python_version()}, {os.cpu_count()} cores, "
            f"load average {os.getloadavg()[0]:.1f} at the start"
        )
        results = [(case, run_child(case)) for case in infeasible_cases()]
        print("\n".join(infeasible_table(results)))
        return
    print(
        f"commit {commit()}; python {platform.python_version()}, PuLP {version('pulp')}, "
        f"highspy {version('highspy')}, {os.cpu_count()} cores"
    )
    results = []
    started = time.perf_counter()
    for case in plan_cases(args.quick):
        t0 = time.perf_counter()
        result = run_child(case)
        results.append((case, result))
        label = " ".join(f"{k}={v}" for k, v in case.items() if k != "seed")
        print(
            f"  {label}: {result.get('status', 'done')} in {time.perf_counter() - t0:.1f} s",
            file=sys.stderr,
            flush=True,
        )
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / "bench_planner.json").write_text(
        json.dumps([{"case": c, "result": r} for c, r in results], ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    solver_lines, flags = solver_table(results)
    frontier_lines, notes = frontier_table(results)
    print("\n### Solver level (synthetic_problem, seed 0)\n")
    print("\n".join(solver_lines))
    print("\nCBC against HiGHS:")
    print("\n".join(flags) if flags else "- no CBC 'optimal' differs from HiGHS's proven optimum.")
    print("\n### End to end (draft_plan, scaled sample, 3-year horizon, HiGHS)\n")
    print("\n".join(e2e_table(results)))
    print("\n### Frontier (30 points, 市本级 2027)\n")
    print("\n".join(frontier_lines))
    if notes:
        print("\n".join(notes))
    print(f"\nwhole run: {time.perf_counter() - started:.0f} s; commit at the end {commit()}")


if __name__ == "__main__":
    main()
