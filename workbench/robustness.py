"""Robustness of the selection (选择稳健性): which parts of the plan hinge on the weighting.

Experts disagree: on the weights of the criteria and on the scores themselves. Each run draws
weights multiplied by a log-normal factor (renormalised) and adds a normal error to every
project's score, then re-solves the same model (only the objective changes, so the prepared
problem is reused). The share of runs in which each project is selected tells which decisions
are stable and which depend on the weighting.

Runs are independent and go through joblib: ``n_jobs`` processes locally (joblib's loky
backend starts fresh interpreters, so HiGHS is never used in a forked child), or a Dask cluster
with ``backend="dask"`` inside ``with distributed.Client(...)``: joblib's Dask backend sends the
runs to the cluster's workers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from joblib import Parallel, delayed, parallel_config

from workbench.planner import Plan
from workbench.planner.model import Problem, SolverChoice, build, solve
from workbench.scoring import Scores

ROBUSTNESS_COLUMNS = ("project_id", "base_status", "selected_share", "verdict")
STABLE_IN, STABLE_OUT = 0.9, 0.1  # shares of runs that make a decision "stable"


@dataclass(frozen=True)
class Disagreement:
    """How far experts may disagree: the spread of weights (log-normal σ) and of scores (points)."""

    weight_sigma: float = 0.25
    score_sd: float = 5.0


def _run(problem: Problem, values: dict[str, float], choice: SolverChoice) -> tuple[str, ...]:
    solution = solve(build(replace(problem, value=values)), choice)
    return tuple(sorted(solution.selected)) if solution.status == "optimal" else ()


def perturbed_values(
    scores: Scores, disagreement: Disagreement, runs: int, seed: int
) -> list[dict[str, float]]:
    """``runs`` value vectors (project → value), drawn with ``np.random.default_rng(seed)``."""
    rng = np.random.default_rng(seed)
    keys = list(scores.weights)
    criteria = scores.criteria[keys].to_numpy(dtype=float)
    given = scores.given.reindex(scores.value.index).fillna(False).to_numpy(dtype=bool)
    base = scores.value.to_numpy(dtype=float)
    weights = np.array([scores.weights[k] for k in keys])
    out = []
    for _ in range(runs):
        w = weights * rng.lognormal(0.0, disagreement.weight_sigma, size=len(keys))
        w = w / w.sum()
        values = np.where(given, base, np.nan_to_num(criteria) @ w)
        values = np.clip(values + rng.normal(0.0, disagreement.score_sd, size=len(values)), 0, 100)
        out.append(dict(zip(scores.value.index, values.round(2).tolist(), strict=True)))
    return out


def robustness(
    plan: Plan,
    scores: Scores,
    *,
    disagreement: Disagreement = Disagreement(),
    runs: int = 50,
    seed: int = 0,
    n_jobs: int = 1,
    backend: str | None = None,
) -> pd.DataFrame:
    """Per project: its status in ``plan`` and the share of perturbed runs that select it."""
    problem = plan.prepared.problem
    choice = SolverChoice(name=plan.scenario.solver.name, threads=1)
    draws = perturbed_values(scores, disagreement, runs, seed)
    jobs = (delayed(_run)(problem, values, choice) for values in draws)
    if backend is None:
        selections = Parallel(n_jobs=n_jobs)(jobs)
    else:
        with parallel_config(backend=backend, n_jobs=n_jobs):
            selections = Parallel()(jobs)
    counts = pd.Series(0, index=list(problem.ids), dtype=float)
    for chosen in selections:
        counts[list(chosen)] += 1
    share = counts / runs
    status = plan.projects.set_index("project_id")["status"]
    verdict = np.select(
        [share >= STABLE_IN, share <= STABLE_OUT], ["stable_in", "stable_out"], default="hinges"
    )
    return pd.DataFrame(
        {
            "project_id": share.index,
            "base_status": status.reindex(share.index).to_numpy(),
            "selected_share": share.round(3).to_numpy(),
            "verdict": verdict,
        },
        columns=list(ROBUSTNESS_COLUMNS),
    )
