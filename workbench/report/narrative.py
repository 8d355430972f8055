"""The plan's money and its risk in plain Chinese sentences, for a finance official reading the
dashboard or the report's one-page summary rather than a table of percentiles.

The risk sentences read the Monte Carlo table of :func:`workbench.simulate.simulate` (one row per
pool and year: ``planned``, ``p50``, ``p90``, ``ceiling``, ``p_exceed``) and explain it with the
simulation's own mechanics, recomputed in expectation from the plan's spend profile and the
scenario's risk assumptions:

* a project starts a year late with probability ``slip_probability``, moving all its money one
  year on: year Y receives what year Y−1 planned, and loses what Y planned to Y+1;
* construction money grows by a share drawn from Beta(2, 5) scaled to the self-managed bound of
  第二十八条 (mean 2/7 of the bound), or, with probability ``tail_probability``, by a share
  uniform between the bound and ``tail_max``; O&M money does not grow;
* the ceilings after the plan year move (``ceiling_sd``), which changes the probability of
  exceeding them but not the spend.

These expectations are averages, not the median the sentence quotes beside them: the sentence
says "平均约" for them and never adds them up to the median. The ceiling in the risk table is what
remains for this plan once commitments carried in from earlier plans are taken off
(``workbench.planner.prepare``), so the sentence names both.

The words "P50", "P90", "Monte Carlo" and the seed never appear: the median is 中位情形, the 90th
percentile 较不利情形 (九成情形不超过此数). A pool is *low risk* when, in each year, its spend
stays within the ceiling in at least nine drawn futures out of ten, the same nine in ten that
defines the 较不利情形; it gets one short sentence.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from workbench.labels import NARRATIVE_LABELS, REPORT_LABELS
from workbench.money import format_wan, to_decimal
from workbench.planner import Plan
from workbench.simulate import RiskAssumptions, assumptions_from, commitments

N = NARRATIVE_LABELS

# The 较不利情形 is the simulation's 90th percentile (``simulate``'s ``p90``): in this share of
# the drawn futures spend stays at or below it. A pool that stays within its ceiling at least
# this often, in every year, is reassured in one sentence.
ADVERSE_SHARE = 0.9
# Beta(2, 5), the shape of the self-managed overrun in ``simulate``, has mean 2 / (2 + 5).
BETA_MEAN = 2.0 / 7.0


def percent(share: float) -> str:
    """A probability as a whole percentage, as the sentences and the dashboard write it; a
    chance above 0 that would round to 0% is written 不足1%, never 0%."""
    if 0 < share < 0.005:
        return N["percent_small"]
    return N["percent"].format(value=round(share * 100))


def highest_risk(risk_table: pd.DataFrame, pool: str | None = None) -> pd.Series | None:
    """The row (of one pool, or of all) with the highest probability of exceeding its ceiling;
    the earliest year among equals; None where no row has a ceiling."""
    rows = risk_table[risk_table["ceiling"].notna() & risk_table["p_exceed"].notna()]
    if pool is not None:
        rows = rows[rows["pool"] == pool]
    if rows.empty:
        return None
    rows = rows.sort_values(["p_exceed", "year"], ascending=[False, True], kind="stable")
    return rows.iloc[0]


@dataclass(frozen=True)
class _Year:
    """What the simulation does to one pool's money in one year, in expectation (万元)."""

    construction: float  # planned this year
    om: float
    slip_in: float  # last year's money arriving late
    slip_out: float  # this year's money leaving for next year
    overrun: float  # construction growing where it stays
    previous: float  # last year's planned money (what could slip in)


def _expected_overrun(a: RiskAssumptions) -> float:
    """Mean overrun share of construction money in ``simulate``."""
    body = (1.0 - a.tail_probability) * BETA_MEAN * a.overrun_bound
    tail = a.tail_probability * (a.overrun_bound + a.tail_max) / 2.0
    return body + tail


def _spend(plan: Plan, pool: str) -> pd.DataFrame:
    """The pool's spend as floats: project × year × kind."""
    spend = plan.spend[plan.spend["pool"] == pool]
    return spend.assign(amount=spend["amount"].map(float))


def _year(plan: Plan, pool: str, year: int, a: RiskAssumptions) -> _Year:
    spend = _spend(plan, pool)
    m = _expected_overrun(a)
    s = a.slip_probability

    def money(y: int, kind: str) -> float:
        rows = spend[(spend["year"] == y) & (spend["kind"] == kind)]
        return float(rows["amount"].sum())

    construction, om = money(year, "construction"), money(year, "om")
    previous_year = year - 1
    in_horizon = previous_year in plan.scenario.years
    prev_c = money(previous_year, "construction") if in_horizon else 0.0
    prev_om = money(previous_year, "om") if in_horizon else 0.0
    return _Year(
        construction=construction,
        om=om,
        slip_in=s * (prev_c * (1.0 + m) + prev_om),
        slip_out=s * (construction * (1.0 + m) + om),
        overrun=(1.0 - s) * m * construction,
        previous=prev_c + prev_om,
    )


def _wan(value: float | Decimal) -> str:
    return format_wan(to_decimal(round(float(value), 2)))


def _project(plan: Plan, project_id: str, amount: float, hidden: Collection[str]) -> str:
    row = plan.projects.set_index("project_id").loc[project_id]
    if project_id in hidden:
        return N["project_hidden"].format(
            name=REPORT_LABELS["redacted_name"], unit=row["unit"], amount=_wan(amount)
        )
    return N["project"].format(name=row["name"], unit=row["unit"], amount=_wan(amount))


def _slip_driver(
    plan: Plan,
    pool: str,
    year: int,
    row: pd.Series,
    y: _Year,
    a: RiskAssumptions,
    hidden: Collection[str],
) -> str:
    """Last year's projects arriving late: the one whose delay alone would break the ceiling
    (its money moving in, less its own money moving on), else the largest."""
    spend = _spend(plan, pool)
    by_year = spend.groupby(["project_id", "year"])["amount"].sum()
    before = by_year.xs(year - 1, level="year") if (year - 1) in set(spend["year"]) else None
    text = N["driver_slip"].format(
        prev=year - 1, year=year, amount=_wan(y.previous), slip=percent(a.slip_probability)
    )
    if before is None or before.empty:
        return text
    now = by_year.xs(year, level="year") if year in set(spend["year"]) else pd.Series(dtype=float)
    shift = before.sub(now.reindex(before.index).fillna(0.0), fill_value=0.0)
    headroom = float(row["ceiling"]) - float(row["planned"])
    alone = shift[shift > headroom]
    if not alone.empty:
        pid = str(alone.sort_values(ascending=False, kind="stable").index[0])
        return text + N["one_alone"].format(project=_project(plan, pid, before[pid], hidden))
    pid = str(before.sort_values(ascending=False, kind="stable").index[0])
    return text + N["largest"].format(project=_project(plan, pid, before[pid], hidden))


def _overrun_driver(
    plan: Plan, pool: str, year: int, y: _Year, a: RiskAssumptions, hidden: Collection[str]
) -> str:
    from workbench.policy import load_pack

    article = load_pack(plan.scenario.policy).adjustments.article
    text = N["driver_overrun"].format(
        year=year, article=article, bound=percent(a.overrun_bound), amount=_wan(y.construction)
    )
    spend = _spend(plan, pool)
    built = spend[(spend["year"] == year) & (spend["kind"] == "construction")]
    if built.empty:
        return text
    top = built.groupby("project_id")["amount"].sum().sort_values(ascending=False, kind="stable")
    return text + N["largest"].format(
        project=_project(plan, str(top.index[0]), top.iloc[0], hidden)
    )


def _parts(parts: list[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return N["parts_joiner"].join(parts[:-1]) + N["parts_last"] + parts[-1]


def _reconcile(plan: Plan, row: pd.Series, y: _Year) -> str:
    """The plan's figure beside the median and the adverse case, and why the median differs."""
    year, pool = int(row["year"]), str(row["pool"])
    carried = float(plan.prepared.carried.get((pool, year), 0.0))
    room = float(row["ceiling"])
    text = N["reconcile"].format(
        year=year,
        planned=_wan(row["planned"]),
        om=N["reconcile_om"].format(om=_wan(y.om)) if y.om and y.construction else "",
        ceiling=_wan(room + carried),
        carried=(
            N["reconcile_carried"].format(carried=_wan(carried), room=_wan(room)) if carried else ""
        ),
        median=N["median"],
        p50=_wan(row["p50"]),
        adverse=N["adverse"],
        p90=_wan(row["p90"]),
    )
    diff = to_decimal(round(float(row["p50"]), 2)) - to_decimal(round(float(row["planned"]), 2))
    if diff == 0:
        return text
    more = []  # what raises the median above the plan
    if round(y.slip_in, 2):
        more.append(N["part_slip_in"].format(prev=year - 1, amount=_wan(y.slip_in)))
    if round(y.overrun, 2):
        more.append(N["part_overrun"].format(amount=_wan(y.overrun)))
    less = (
        N["part_slip_out"].format(year=year, amount=_wan(y.slip_out))
        if round(y.slip_out, 2)
        else ""
    )
    if diff > 0 and more:
        return text + N["higher"].format(
            median=N["median"],
            diff=_wan(diff),
            parts=_parts(more),
            less=N["higher_less"].format(part=less) if less else "",
        )
    if diff < 0 and less:
        return text + N["lower"].format(
            median=N["median"],
            diff=_wan(-diff),
            part=less,
            more=N["lower_more"].format(parts=_parts(more)) if more else "",
        )
    return text


def pool_risk_sentence(
    plan: Plan,
    risk_table: pd.DataFrame,
    pool: str,
    *,
    hidden: Collection[str] = (),
    assumptions: RiskAssumptions | None = None,
) -> str | None:
    """One pool's risk in words; None when the pool has no ceiling in the table."""
    row = highest_risk(risk_table, pool)
    if row is None:
        return None
    p = float(row["p_exceed"])
    if _safe(p):
        if p == 0.0:
            return N["safe_none"].format(pool=pool)
        return N["safe"].format(pool=pool, percent=percent(p), year=int(row["year"]))
    a = assumptions or assumptions_from(plan)
    year = int(row["year"])
    y = _year(plan, pool, year, a)
    if y.slip_in >= y.overrun and y.slip_in > 0:
        driver = _slip_driver(plan, pool, year, row, y, a, hidden)
    elif y.overrun > 0:
        driver = _overrun_driver(plan, pool, year, y, a, hidden)
    else:
        driver = N["driver_ceiling"].format(
            year=year, planned=_wan(row["planned"]), ceiling=_wan(row["ceiling"])
        )
    if year > plan.scenario.plan_year and a.ceiling_sd > 0 and y.slip_in + y.overrun > 0:
        driver += N["ceiling_moves"].format(year=year)
    return N["risk"].format(year=year, pool=pool, percent=percent(p), driver=driver) + _reconcile(
        plan, row, y
    )


def _safe(p: float) -> bool:
    """Within the ceiling in every year in at least the share of futures the 较不利情形 covers."""
    return p <= 1.0 - ADVERSE_SHARE


def risk_sentences(
    plan: Plan,
    risk_table: pd.DataFrame,
    *,
    hidden: Collection[str] = (),
    assumptions: RiskAssumptions | None = None,
    grouped: bool = False,
) -> list[str]:
    """One sentence (or two) per pool with a ceiling: the pools at risk first, then those
    reassured, each in the government's order of pools (市本级 first). ``hidden``: classified
    projects, named as the distribution edition names them; ``assumptions``: the run's, by
    default the plan's scenario's; ``grouped``: the reassured pools together in one sentence
    (two: those never over the ceiling, those rarely), where a page has no room for each."""
    from workbench.units import unit_order

    pools = unit_order().pools_sorted(
        risk_table.loc[risk_table["ceiling"].notna(), "pool"].drop_duplicates()
    )
    a = assumptions or (assumptions_from(plan) if pools else None)
    highest = {pool: highest_risk(risk_table, pool) for pool in pools}
    risky = [pool for pool in pools if not _safe(float(highest[pool]["p_exceed"]))]
    safe = [pool for pool in pools if pool not in risky]
    out = [
        str(pool_risk_sentence(plan, risk_table, pool, hidden=hidden, assumptions=a))
        for pool in risky
    ]
    if not grouped:
        return out + [
            str(pool_risk_sentence(plan, risk_table, pool, hidden=hidden, assumptions=a))
            for pool in safe
        ]
    never = [pool for pool in safe if float(highest[pool]["p_exceed"]) == 0.0]
    rarely = [pool for pool in safe if pool not in never]
    if rarely:
        top = max(float(highest[pool]["p_exceed"]) for pool in rarely)
        out.append(
            N["safe_group"].format(pools=N["parts_joiner"].join(rarely), percent=percent(top))
        )
    if never:
        out.append(N["safe_none"].format(pool=N["parts_joiner"].join(never)))
    return out


@dataclass(frozen=True)
class OutYears:
    """The plan's money after the plan year, all pools together (万元)."""

    years: tuple[int, ...]
    by_year: tuple[tuple[int, Decimal], ...]
    construction: Decimal
    om: Decimal
    carried: Decimal

    @property
    def total(self) -> Decimal:
        return self.construction + self.om + self.carried


def out_years(plan: Plan) -> OutYears:
    """What :func:`workbench.simulate.commitments` holds after the plan year."""
    table = commitments(plan)
    later = table[table["year"] > plan.scenario.plan_year]
    zero = Decimal(0)

    def total(column: str, rows: pd.DataFrame = later) -> Decimal:
        return sum((to_decimal(v) for v in rows[column]), zero)

    years = tuple(sorted(int(y) for y in later["year"].unique()))
    return OutYears(
        years=years,
        by_year=tuple((y, total("total", later[later["year"] == y])) for y in years),
        construction=total("construction"),
        om=total("om"),
        carried=total("carried"),
    )


def commitment_sentence(plan: Plan) -> str:
    """The out-year commitments in one sentence: the years, the total, by year, and how much of
    it is construction, O&M and commitments carried from earlier plans."""
    o = out_years(plan)
    if not o.years or o.total == 0:
        return N["commitments_none"].format(year=plan.scenario.plan_year)
    years = (
        N["commitments_one_year"].format(year=o.years[0])
        if len(o.years) == 1
        else N["commitments_years"].format(first=o.years[0], last=o.years[-1])
    )
    return N["commitments"].format(
        years=years,
        total=format_wan(o.total),
        by_year=N["parts_joiner"].join(
            N["commitments_year"].format(year=y, amount=format_wan(v)) for y, v in o.by_year
        ),
        construction=format_wan(o.construction),
        om=format_wan(o.om),
        carried=N["commitments_carried"].format(carried=format_wan(o.carried)) if o.carried else "",
    )


__all__ = [
    "OutYears",
    "commitment_sentence",
    "highest_risk",
    "out_years",
    "percent",
    "pool_risk_sentence",
    "risk_sentences",
]
