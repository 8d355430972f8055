"""Benchmark and cross-check: the planner on 25 real participatory-budgeting instances (issue #3).

Reads the pabulib files in ``../shared/data/pabulib`` (beside the repository; never copied into
it), turns each into a :class:`~workbench.planner.model.Problem` with one pool, one year and one
ceiling (the budget), solves it with HiGHS and CBC, and compares the optimum with `pabutools`'
max-welfare rule solved as an ILP (``max_additive_utilitarian_welfare`` with
``MaxAddUtilWelfareAlgo.ILP_SOLVER``: PuLP and CBC). pabutools is a benchmark-only dependency
(``pip install pabutools``), not the project's.

The value of a project is read from the ballots by this file's own parser (pabutools is not used
for it, so that the two sides are independent):

- ``approval`` and ``choose-1``: the number of ballots that approve the project. pabutools'
  matching satisfaction is ``Cardinality_Sat`` (a voter's satisfaction is the number of selected
  projects on their ballot; summed over voters it is Σ approvals of the selected projects).
- ``cumulative`` and ``scoring``: the points given to it, summed over ballots. pabutools:
  ``Additive_Cardinal_Sat`` (a voter's satisfaction is the points they gave to selected projects).
- ``ordinal``: the number of ballots that rank it at all (the file's ``votes`` column); a rank-
  weighted value (Borda) would be another model, not "value = votes". pabutools:
  ``Cardinality_Sat`` (``project in ballot``).

The value is also checked against the file's ``votes`` / ``score`` column and against pabutools'
per-project total satisfaction. Each instance runs in a fresh process.

    python benchmarks/bench_pabulib.py
    python benchmarks/bench_pabulib.py --data ../shared/data/pabulib
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

from bench_planner import commit

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "data" / "pabulib"
POOL = "预算"
YEAR = 2027
TOLERANCE = 1e-6
COUNTED = ("approval", "choose-1", "ordinal")  # value = number of ballots naming the project
POINTS = ("cumulative", "scoring")  # value = points given to the project


def read_pb(path: Path) -> tuple[dict[str, str], list[dict[str, str]], list[dict[str, str]]]:
    """META as a dict, PROJECTS and VOTES as lists of dicts (pabulib format: three sections,
    each a ``;``-separated table under its name; META is ``key;value``)."""
    meta: dict[str, str] = {}
    sections: dict[str, list[dict[str, str]]] = {"PROJECTS": [], "VOTES": []}
    section = header = None
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.reader(fh, delimiter=";"):
            if not row:
                continue
            name = row[0].strip()
            if name in ("META", "PROJECTS", "VOTES") and len(row) == 1:
                section, header = name, None
                continue
            if header is None:
                header = [h.strip() for h in row]
                continue
            if section == "META":
                meta[row[0].strip()] = row[1].strip()
            else:
                sections[section].append(dict(zip(header, (c.strip() for c in row), strict=False)))
    return meta, sections["PROJECTS"], sections["VOTES"]


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def values_from_ballots(meta: dict[str, str], votes: list[dict[str, str]]) -> dict[str, float]:
    kind = meta["vote_type"]
    value: dict[str, float] = {}
    for ballot in votes:
        named = [p.strip() for p in ballot["vote"].split(",") if p.strip()]
        if kind in COUNTED:
            for pid in dict.fromkeys(named):
                value[pid] = value.get(pid, 0.0) + 1.0
        elif kind in POINTS:
            points = [_number(x) for x in ballot["points"].split(",")]
            for pid, pts in zip(named, points, strict=True):
                value[pid] = value.get(pid, 0.0) + pts
        else:
            raise ValueError(f"vote_type {kind!r} is not handled")
    return value


def to_problem(path: Path):
    """The planner's Problem of one pabulib instance, with what the report needs about it."""
    from workbench.planner.model import Problem, _name

    meta, projects, votes = read_pb(path)
    # The model names its variables from ids made ASCII-safe: two ids must not meet there.
    if len({_name(p["project_id"]) for p in projects}) != len(projects):
        raise ValueError(f"{path.name}: project ids collide once made ASCII-safe")
    value = values_from_ballots(meta, votes)
    column = "votes" if meta["vote_type"] in COUNTED else "score"
    disagree = sum(
        1
        for p in projects
        if p.get(column) not in (None, "")
        and abs(_number(p[column]) - value.get(p["project_id"], 0.0)) > TOLERANCE
    )
    ids = tuple(sorted(p["project_id"] for p in projects))
    cost = {p["project_id"]: _number(p["cost"]) for p in projects}
    budget = _number(meta["budget"])
    problem = Problem(
        ids=ids,
        value={i: value.get(i, 0.0) for i in ids},
        spend={(i, POOL, YEAR): cost[i] for i in ids},
        ceilings={(POOL, YEAR): budget},
        plan_year=YEAR,
    )
    info = {
        "vote_type": meta["vote_type"],
        "projects": len(ids),
        "ballots": len(votes),
        "budget": budget,
        "currency": meta.get("currency", ""),
        "column_disagreements": disagree,
    }
    return problem, info


def run_case(path: Path) -> dict:
    from pabutools.election import Additive_Cardinal_Sat, Cardinality_Sat, parse_pabulib
    from pabutools.rules import MaxAddUtilWelfareAlgo, max_additive_utilitarian_welfare

    from workbench.planner.model import SolverChoice, build, solve

    start = time.perf_counter()
    problem, out = to_problem(path)
    out["parse_s"] = time.perf_counter() - start
    for name in ("highs", "cbc"):
        solution = solve(build(problem), SolverChoice(name=name, time_limit=60))
        out[name] = {
            "status": solution.status,
            "objective": solution.objective,
            "build_s": solution.build_seconds,
            "solve_s": solution.solve_seconds,
            "selected": sorted(solution.selected),
        }

    start = time.perf_counter()
    instance, profile = parse_pabulib(str(path))
    parsed = time.perf_counter()
    sat_class = Additive_Cardinal_Sat if out["vote_type"] in POINTS else Cardinality_Sat
    sat_profile = profile.as_sat_profile(sat_class=sat_class)
    # The rule first sums each project's satisfaction over all voters (pabutools caches the
    # per-voter figures), then builds and solves its ILP with PuLP and CBC.
    allocation = max_additive_utilitarian_welfare(
        instance,
        profile,
        sat_profile=sat_profile,
        inner_algo=MaxAddUtilWelfareAlgo.ILP_SOLVER,
    )
    solved = time.perf_counter()
    totals = {p.name: float(sat_profile.total_satisfaction_project(p)) for p in instance}
    chosen = sorted(p.name for p in allocation)
    out["pabutools"] = {
        "parse_s": parsed - start,
        "rule_s": solved - parsed,
        "objective": float(sat_profile.total_satisfaction(allocation)),
        "our_value_of_it": sum(problem.value[i] for i in chosen),
        "cost": float(sum(p.cost for p in allocation)),
        "selected": chosen,
    }
    out["value_disagreements"] = sum(
        1 for i in problem.ids if abs(totals.get(i, 0.0) - problem.value[i]) > TOLERANCE
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--case", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(Path(args.case))))
        return
    files = sorted(args.data.glob("*.pb"), key=lambda f: (f.stat().st_size, f.name))
    if not files:
        sys.exit(f"no .pb files under {args.data}")
    print(
        f"commit {commit()}; python {sys.version.split()[0]}, pabutools {version('pabutools')}, "
        f"PuLP {version('pulp')}, highspy {version('highspy')}; {len(files)} instances"
    )
    print(
        "| instance | vote type | projects | ballots | budget | HiGHS objective | CBC objective "
        "| pabutools objective | our read (s) | HiGHS build + solve (s) | CBC build + solve (s) "
        "| pabutools read (s) | pabutools rule (s) | same set | match |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    matched = 0
    problems = []
    for path in files:
        try:
            done = subprocess.run(
                [sys.executable, __file__, "--case", str(path)],
                capture_output=True,
                text=True,
                timeout=600,
            )
            r = json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 else None
        except subprocess.TimeoutExpired:
            r = None
        if r is None:
            problems.append(f"- {path.stem}: the case failed or timed out")
            print(f"| {path.stem} | failed |")
            continue
        h, c, pb = r["highs"], r["cbc"], r["pabutools"]
        ok = (
            h["status"] == "optimal"
            and abs(h["objective"] - pb["objective"]) <= TOLERANCE
            and abs(pb["our_value_of_it"] - pb["objective"]) <= TOLERANCE
            and r["value_disagreements"] == 0
        )
        cbc_ok = c["status"] == "optimal" and abs(c["objective"] - h["objective"]) <= TOLERANCE
        matched += ok
        if not ok or not cbc_ok:
            problems.append(f"- {path.stem}: {json.dumps({k: r[k] for k in ('highs', 'cbc')})}")
        if r["column_disagreements"]:
            problems.append(
                f"- {path.stem}: {r['column_disagreements']} projects whose ballot total differs "
                "from the file's votes/score column"
            )
        print(
            f"| {path.stem} | {r['vote_type']} | {r['projects']} | {r['ballots']:,} "
            f"| {r['budget']:,.2f} {r['currency']} | {h['objective']:,.0f} | {c['objective']:,.0f} "
            f"| {pb['objective']:,.0f} | {r['parse_s']:.3f} | {h['build_s'] + h['solve_s']:.3f} "
            f"| {c['build_s'] + c['solve_s']:.3f} | {pb['parse_s']:.3f} | {pb['rule_s']:.3f} "
            f"| {'yes' if h['selected'] == pb['selected'] else ('no (tie)' if ok else 'no')} "
            f"| {'yes' if ok and cbc_ok else 'NO'} |"
        )
    print(f"\n{matched} of {len(files)} instances reach pabutools' optimum (within {TOLERANCE}).")
    if problems:
        print("\n".join(problems))


if __name__ == "__main__":
    main()
