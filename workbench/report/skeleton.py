"""``workbench scenario init``: a commented scenario skeleton written from the intake itself.

Every pool with candidates gets a line per year of the horizon with the year's requested total
as a comment and a blank ceiling to fill in (a blank is "not given", never 0, and the planner
refuses to run until it is filled: :mod:`workbench.planner.coverage`). The shipped envelopes
appear as commented examples; no amount of the sample is ever written as a value.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from workbench.labels import SKELETON_LABELS as L
from workbench.money import format_wan_exact
from workbench.planner.coverage import demand
from workbench.policy import CheckResult
from workbench.scenario import Scenario

DEFAULT_HORIZON = 3


def _key(text: str) -> str:
    # A JSON string is a YAML string: pool names with a colon or a quote stay one key.
    return json.dumps(text, ensure_ascii=False)


def scenario_skeleton(
    check: CheckResult,
    *,
    horizon: int = DEFAULT_HORIZON,
    inputs: list[str] | None = None,
    now: dt.datetime | None = None,
) -> str:
    """The YAML text of a scenario for this intake (plan year from the check)."""
    plan_year = check.plan_year
    scenario = Scenario.bare(plan_year, horizon)
    asked = demand(check, scenario)
    counts = check.candidates.groupby("funding_pool")["project_id"].nunique()
    pools = sorted(counts.index, key=lambda p: (-int(counts[p]), str(p)))
    moment = (now or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
    lines = [
        L["header"].format(
            time=moment, inputs="、".join(inputs or []) or "—", first_year=plan_year
        ),
        f"name: {_key(L['name'])}",
        f"description: {_key(L['description'].format(year=plan_year))}",
        f"plan_year: {plan_year}",
        f"horizon: {horizon}",
        f"policy: {_key(check.pack.id)}",
        "scoring: default",
        "ceilings:",
    ]
    for pool in pools:
        lines.append(f"  # {L['pool_comment'].format(pool=pool, count=int(counts[pool]))}")
        lines.append(f"  {_key(str(pool))}:")
        for year in scenario.years:
            row = asked[(asked["pool"] == pool) & (asked["year"] == year)]
            if row.empty:
                note = L["year_none"]
            else:
                r = row.iloc[0]
                note = L["year_comment"].format(
                    amount=format_wan_exact(r["amount"]),
                    construction=format_wan_exact(r["construction"]),
                    om=format_wan_exact(r["om"]),
                )
            lines.append(f"    {year}: null   # {note}")
    lines += [L["envelopes"], L["om"], "om:", "  include_tail: true", "  warranty_months: 12"]
    lines += [L["solver"], "solver:", "  name: highs", ""]
    return "\n".join(lines)


def write_skeleton(text: str, out: str | Path, *, force: bool = False) -> Path:
    """Write the skeleton whole (a temporary file renamed into place); an existing file is
    kept unless ``force``. Raises FileExistsError."""
    path = Path(out)
    if path.exists() and not force:
        raise FileExistsError(str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)
    return path
