"""Monte Carlo risk of a plan's multi-year spend (vectorised numpy, seeded, reproducible).

Three things move after a plan is approved:

* **costs**: a project's construction money grows by a share drawn from Beta(2, 5) scaled to
  the self-managed bound of 第二十八条 (up to 15 % of the estimate, adjusted by the unit itself);
  with a small probability it overruns further (up to ``tail_max``), which needs re-approval;
* **schedules**: with ``slip_probability`` a project starts a year late, moving all its spend one
  year on (what leaves the horizon is no longer counted in it);
* **future ceilings**: years after the plan year are uncertain: each is multiplied by a normal
  factor (mean 1, ``ceiling_sd``), floored at 0.

For each pool and year the simulation reports the median (P50) and P90 spend and the probability
that spend exceeds the ceiling. Draws run in chunks, with a progress bar (``tqdm.auto``: a text
bar in a terminal, a widget in a notebook) when asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from workbench.planner import Plan
from workbench.scenario import RiskOptions

RISK_COLUMNS = ("pool", "year", "ceiling", "planned", "mean", "p50", "p90", "p_exceed")


_DEFAULTS = RiskOptions()


@dataclass(frozen=True)
class RiskAssumptions:
    """How much costs, schedules and ceilings move (not policy: judgement, set per scenario in
    its ``risk:`` block, whose defaults these are)."""

    overrun_bound: float  # the self-managed share of 第二十八条 (from the policy pack)
    tail_probability: float = _DEFAULTS.tail_probability  # overrun beyond the bound
    tail_max: float = _DEFAULTS.tail_max  # largest overrun in the tail, share of the estimate
    slip_probability: float = _DEFAULTS.slip_probability  # a project starts a year late
    ceiling_sd: float = _DEFAULTS.ceiling_sd  # relative spread of the ceilings after the plan year


def _matrices(
    plan: Plan,
) -> tuple[list[str], list[str], list[int], np.ndarray, np.ndarray, np.ndarray]:
    """Selected projects × years of construction and O&M spend (万元, float), and each project's
    pool index."""
    spend = plan.spend
    years = list(plan.scenario.years)
    ids = sorted(spend["project_id"].unique())
    pools = sorted(spend["pool"].unique())
    row = {pid: k for k, pid in enumerate(ids)}
    col = {y: k for k, y in enumerate(years)}
    construction = np.zeros((len(ids), len(years)))
    om = np.zeros((len(ids), len(years)))
    pool_of = np.zeros(len(ids), dtype=int)
    for r in spend.itertuples():
        target = om if r.kind == "om" else construction
        target[row[r.project_id], col[r.year]] += float(r.amount)
        pool_of[row[r.project_id]] = pools.index(r.pool)
    return ids, pools, years, construction, om, pool_of


def simulate(
    plan: Plan,
    assumptions: RiskAssumptions,
    *,
    draws: int = 10_000,
    seed: int = 0,
    chunk: int = 2_000,
    progress: bool = False,
) -> pd.DataFrame:
    """P50 / P90 spend and P(spend > ceiling) per pool and year of the plan's horizon."""
    ids, pools, years, construction, om, pool_of = _matrices(plan)
    rng = np.random.default_rng(seed)
    n, t, k = len(ids), len(years), len(pools)
    onehot = np.zeros((n, k))
    if n:
        onehot[np.arange(n), pool_of] = 1.0
    ceilings = np.full((k, t), np.nan)
    for (pool, year), amount in plan.prepared.problem.ceilings.items():
        if pool in pools and year in years:
            ceilings[pools.index(pool), years.index(year)] = amount
    totals = np.empty((draws, k, t))
    exceed = np.zeros((k, t))
    done = 0
    if progress:  # imported only when shown: tqdm.auto warns at import where ipywidgets is absent
        from tqdm.auto import tqdm
    else:
        from tqdm import tqdm
    with tqdm(total=draws, disable=not progress, unit="次") as bar:
        while done < draws:
            m = min(chunk, draws - done)
            base = rng.beta(2.0, 5.0, size=(m, n)) * assumptions.overrun_bound
            tail = rng.random((m, n)) < assumptions.tail_probability
            extra = rng.uniform(assumptions.overrun_bound, assumptions.tail_max, size=(m, n))
            overrun = np.where(tail, extra, base)
            cost = construction[None, :, :] * (1.0 + overrun[:, :, None]) + om[None, :, :]
            slip = rng.random((m, n)) < assumptions.slip_probability
            shifted = np.zeros_like(cost)
            shifted[:, :, 1:] = cost[:, :, :-1]
            cost = np.where(slip[:, :, None], shifted, cost)
            spend = np.einsum("dpy,pk->dky", cost, onehot)
            factor = np.ones((m, 1, t))
            if t > 1:
                factor[:, :, 1:] = np.maximum(
                    rng.normal(1.0, assumptions.ceiling_sd, size=(m, 1, t - 1)), 0.0
                )
            drawn = ceilings[None, :, :] * factor
            exceed += np.nansum(spend > drawn + 1e-9, axis=0) * ~np.isnan(ceilings)
            totals[done : done + m] = spend
            done += m
            bar.update(m)
    planned = np.einsum("py,pk->ky", construction + om, onehot)
    rows = []
    for a, pool in enumerate(pools):
        for b, year in enumerate(years):
            values = totals[:, a, b]
            ceiling = ceilings[a, b]
            rows.append(
                {
                    "pool": pool,
                    "year": year,
                    "ceiling": None if np.isnan(ceiling) else float(ceiling),
                    "planned": round(float(planned[a, b]), 2),
                    "mean": round(float(values.mean()), 2),
                    "p50": round(float(np.percentile(values, 50)), 2),
                    "p90": round(float(np.percentile(values, 90)), 2),
                    "p_exceed": None if np.isnan(ceiling) else float(exceed[a, b] / draws),
                }
            )
    return pd.DataFrame(rows, columns=list(RISK_COLUMNS))


def assumptions_from(plan: Plan, **changes: float) -> RiskAssumptions:
    """The plan's scenario's ``risk:`` assumptions with the overrun bound of its policy pack
    (第二十八条); ``changes`` override single values."""
    from workbench.policy import load_pack

    pack = load_pack(plan.scenario.policy)
    bound = float(pack.adjustments.self_managed_share.value)
    return RiskAssumptions(overrun_bound=bound, **{**plan.scenario.risk.model_dump(), **changes})


COMMITMENT_COLUMNS = (
    "pool",
    "year",
    "construction",
    "om",
    "carried",
    "total",
    "ceiling",
    "capacity",
    "headroom",
    "over_ceiling",
    "over_capacity",
)


def commitments(plan: Plan) -> pd.DataFrame:
    """Multi-year money (多年度资金需求) by pool and year: the plan's construction and O&M
    (tail after warranty, renewals), the commitments carried from earlier plans and running
    contracts, their total against the ceiling and the projected fiscal capacity."""
    spend = plan.spend.groupby(["pool", "year", "kind"], sort=True)["amount"].sum()
    carried = plan.prepared.carried
    keys = sorted(
        {(p, y) for p, y, _ in spend.index}
        | set(carried)
        | {(p, y) for p, by_year in plan.scenario.ceilings.items() for y in by_year}
    )
    rows = []
    for pool, year in keys:
        if year not in plan.scenario.years:
            continue
        construction = Decimal(str(spend.get((pool, year, "construction"), 0)))
        om = Decimal(str(spend.get((pool, year, "om"), 0)))
        already = Decimal(str(carried.get((pool, year), 0))).quantize(Decimal("0.01"))
        total = construction + om + already
        ceiling = plan.scenario.ceilings.get(pool, {}).get(year)
        capacity = plan.scenario.capacity.get(pool, {}).get(year)
        rows.append(
            {
                "pool": pool,
                "year": year,
                "construction": construction,
                "om": om,
                "carried": already,
                "total": total,
                "ceiling": ceiling,
                "capacity": capacity,
                "headroom": None if ceiling is None else ceiling - total,
                "over_ceiling": ceiling is not None and total > ceiling,
                "over_capacity": capacity is not None and total > capacity,
            }
        )
    return pd.DataFrame(rows, columns=list(COMMITMENT_COLUMNS))
