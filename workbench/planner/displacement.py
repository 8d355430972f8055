"""Why a project is not in the plan: force it in and solve again (``workbench plan --why``,
:func:`why_cuts` for the batch reports), and say which projects it displaces and at what loss of
value, in words and as records for the JSON.

Kept apart from :mod:`workbench.planner.plan` because it is a question asked of a drafted plan,
not part of drafting one: this module imports the plan module, never the other way round;
``workbench.planner`` exports ``why``, ``why_cuts`` and ``Why``."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

import pandas as pd

from workbench.labels import DIAGNOSIS, REPORT_LABELS
from workbench.money import format_wan, to_decimal
from workbench.planner import diagnose
from workbench.planner.explain import _fmt, _fmt_ratio
from workbench.planner.model import Solution, build, solve
from workbench.planner.plan import SELECTED_STATUSES, Plan, _choice, _finite


@dataclass(frozen=True)
class Displaced:
    """A project that forcing another in takes out of the plan: who asked for it, what it costs,
    and why it was in (its score and value per 万元: the planner ranks by these).
    ``before_start_year`` is when it started in the plan (the plan year, or the next year when
    a rolling plan deferred it); ``start_year`` when it starts after forcing (None: out)."""

    project_id: str
    unit: str
    name: str
    category: str
    amount: Decimal
    value: float
    value_per_wan: float
    before_start_year: int
    start_year: int | None = None

    def record(self) -> dict[str, object]:
        """For JSON: plain keys, the amount as Decimal (written as a string)."""
        return {
            "project_id": self.project_id,
            "unit": self.unit,
            "name": self.name,
            "category": self.category,
            "amount": self.amount,
            "value": round(self.value, 4),
            "value_per_wan": _finite(round(self.value_per_wan, 4)),
            "before_start_year": self.before_start_year,
            "start_year": self.start_year,
        }


@dataclass(frozen=True)
class Why:
    """What forcing one project into the plan would do. ``displaced`` are the ids that leave the
    plan year's plan; ``displaced_projects`` describe them (and, in a rolling plan, the deferred
    starts that are dropped) for the words and the JSON."""

    project_id: str
    text: str
    displaced: tuple[str, ...] = ()
    value_before: float | None = None
    value_after: float | None = None
    amount: Decimal | None = None
    displaced_projects: tuple[Displaced, ...] = ()

    @property
    def loss(self) -> float | None:
        if self.value_before is None or self.value_after is None:
            return None
        return round(self.value_before - self.value_after, 4)


def _shown_name(project_id: str, name: str, hidden: frozenset[str] | set[str]) -> str:
    """The name as the answer prints it: quoted, or withheld for a classified project
    (第十三、三十三条; the same marker as the plan document's distribution edition)."""
    if project_id in hidden:
        return REPORT_LABELS["redacted_name"]
    return DIAGNOSIS["why_name"].format(name=name)


def _displaced(
    plan: Plan, solution: Solution, hidden: frozenset[str] | set[str]
) -> tuple[Displaced, ...]:
    """The projects the trial solution leaves out that the plan had (in its year, or deferred),
    in project_id order, with where each ends up."""
    year = plan.scenario.plan_year
    before = plan.solution
    gone = (before.selected | before.deferred) - solution.selected
    rows = plan.projects.set_index("project_id")
    out = []
    for pid in sorted(gone):
        if pid in before.deferred and pid in solution.deferred:
            continue  # deferred before and after: nothing changes for it
        r = rows.loc[pid]
        out.append(
            Displaced(
                project_id=pid,
                unit=str(r["unit"]),
                name=REPORT_LABELS["redacted_name"] if pid in hidden else str(r["name"]),
                category=str(r["category_effective"]),
                amount=to_decimal(r["amount"]),
                value=float(r["value"]),
                value_per_wan=float(r["value_per_wan"]),
                before_start_year=year + 1 if pid in before.deferred else year,
                start_year=year + 1 if pid in solution.deferred else None,
            )
        )
    return tuple(out)


def _displaced_words(d: Displaced, hidden: frozenset[str] | set[str]) -> dict[str, str]:
    """A displaced project as the answer names it: the fields its sentence (``why_item`` for one
    that leaves the plan year, ``why_dropped_item`` for a dropped deferred start) shares."""
    return {
        "pid": d.project_id,
        "unit": d.unit,
        "name": _shown_name(d.project_id, d.name, hidden),
        "category": d.category,
        "amount": format_wan(d.amount),
        "value": _fmt(d.value),
    }


def _why_text(
    plan: Plan,
    row: pd.Series,
    moved: tuple[Displaced, ...],
    before: float,
    after: float,
    hidden: frozenset[str] | set[str],
) -> str:
    """The answer in words: what leaves (unit, name, amount, why it was in), what the forced
    project is, what becomes of the deferred starts, and the value before and after."""
    pid = str(row["project_id"])
    amount = format_wan(row["amount"])
    this_year = [d for d in moved if d.before_start_year == plan.scenario.plan_year]
    dropped = [d for d in moved if d.before_start_year != plan.scenario.plan_year]
    if this_year:
        items = [
            DIAGNOSIS["why_item"].format(
                **_displaced_words(d, hidden),
                per_wan=_fmt_ratio(d.value_per_wan),
                moved=""
                if d.start_year is None
                else DIAGNOSIS["why_moved"].format(year=d.start_year),
            )
            for d in this_year
        ]
        head = DIAGNOSIS["why"].format(
            pid=pid,
            amount=amount,
            count=len(this_year),
            displaced_amount=format_wan(sum((d.amount for d in this_year), Decimal(0))),
            displaced="；".join(items),
        )
    else:
        head = DIAGNOSIS["why_none"].format(pid=pid, amount=amount)
    sentences = [
        head,
        DIAGNOSIS["why_subject"].format(
            pid=pid,
            unit=row["unit"],
            name=_shown_name(pid, str(row["name"]), hidden),
            category=row["category_effective"],
            value=_fmt(float(row["value"])),
            per_wan=_fmt_ratio(float(row["value_per_wan"])),
            was=DIAGNOSIS["why_was_deferred"].format(year=plan.scenario.plan_year + 1)
            if pid in plan.solution.deferred
            else "",
        ),
    ]
    if dropped:
        items = [
            DIAGNOSIS["why_dropped_item"].format(**_displaced_words(d, hidden)) for d in dropped
        ]
        sentences.append(
            DIAGNOSIS["why_dropped"].format(
                year=plan.scenario.plan_year + 1, items="、".join(items)
            )
        )
    # Compared and subtracted as printed, so that the words add up to the reader.
    before, after = round(before, 2), round(after, 2)
    if after < before:
        value = DIAGNOSIS["why_value_down"].format(
            before=_fmt(before), after=_fmt(after), loss=_fmt(before - after)
        )
    elif after == before:
        value = DIAGNOSIS["why_value_same"].format(before=_fmt(before))
    else:
        value = DIAGNOSIS["why_value_up"].format(before=_fmt(before), after=_fmt(after))
    sentences.append(value)
    return "。".join(sentences)


def why(plan: Plan, project_id: str, hidden: frozenset[str] | set[str] = frozenset()) -> Why:
    """Force ``project_id`` in and re-solve: which projects it displaces, at what loss of value.
    ``hidden``: classified projects whose names the answer withholds (``plan --why`` passes
    them unless ``--internal``, as the documents do)."""
    prepared = plan.prepared
    p = prepared.problem
    row = plan.projects.loc[plan.projects["project_id"] == project_id].iloc[0]
    amount = to_decimal(row["amount"])
    if row["status"] in SELECTED_STATUSES:
        return Why(project_id, DIAGNOSIS["why_selected"].format(pid=project_id), amount=amount)
    if row["status"] == "excluded":
        return Why(
            project_id,
            DIAGNOSIS["why_excluded"].format(pid=project_id, article=row["article"] or "—"),
            amount=amount,
        )
    forced = replace(p, forced_in=p.forced_in | {project_id})
    trial = replace(
        prepared, problem=forced, forced_reason={**prepared.forced_reason, project_id: "user"}
    )
    built = build(forced)
    solution = solve(built, _choice(plan.scenario))
    if solution.status == "infeasible":
        text = diagnose.diagnosis(trial, _choice(plan.scenario), built)
        return Why(
            project_id,
            DIAGNOSIS["why_infeasible"].format(pid=project_id, diagnosis=text),
            amount=amount,
        )
    if solution.status == "error":
        return Why(project_id, diagnose.failure(forced, solution), amount=amount)
    before, after = plan.objective or 0.0, solution.objective or 0.0
    moved = _displaced(plan, solution, hidden)
    displaced = tuple(sorted(plan.solution.selected - solution.selected))
    text = _why_text(plan, row, moved, before, after, hidden)
    return Why(project_id, text, displaced, before, after, amount, moved)


def why_cuts(plan: Plan, hidden: frozenset[str] | set[str] = frozenset()) -> pd.DataFrame:
    """:func:`why` for every project left out for budget reasons (for batch reports): what
    forcing each in would displace, and the value lost."""
    rows = []
    cuts = plan.projects[plan.projects["status"] == "not_selected"]
    for pid in cuts["project_id"]:
        answer = why(plan, pid, hidden)
        rows.append(
            {
                "project_id": pid,
                "displaced": answer.displaced,
                "loss": answer.loss,
                "text": answer.text,
            }
        )
    return pd.DataFrame(rows, columns=["project_id", "displaced", "loss", "text"])


__all__ = ["Displaced", "Why", "why", "why_cuts"]
