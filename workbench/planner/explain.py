"""A status and a Chinese reason for every candidate (DESIGN §5), with the article for exclusions.

Budget cuts say where they stand against the cut line: a project's value per 万元 beside the
lowest value per 万元 the plan accepted in the same pool, and which ceiling it would break by how
much (so that "how much more budget would bring it in without displacing anything" is read off
directly).

A running system's continuing O&M that a rule keeps out is said out loud: its O&M would stop,
which 第二十五条 asks to avoid (运维中断风险). The reason is the policy layer's
``om_interruption`` finding (what blocks it and what must be done) where there is one.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from workbench.labels import CATEGORY_OM, DIAGNOSIS, PLAN_REASONS
from workbench.money import format_wan
from workbench.planner.model import Envelope, Solution
from workbench.planner.prepare import Prepared
from workbench.policy.context import flag
from workbench.policy.pack import PolicyPack

PROJECT_COLUMNS = (
    "project_id",
    "name",
    "unit",
    "level",
    "funding_pool",
    "category_effective",
    "status",
    "reason",
    "article",
    "value",
    "amount",
    "value_per_wan",
    "forced",
    "override",
)
OM_INTERRUPTION = "om_interruption"  # the policy layer's finding (第二十五条)
OM_RISK_COLUMNS = ("project_id", "unit", "amount", "message", "action")


def _fmt(value: float) -> str:
    return f"{value:.2f}"


def _fmt_ratio(value: float) -> str:
    # Scores are 0–100 and amounts up to thousands of 万元: value per 万元 needs four decimals.
    return "—" if value == float("inf") else f"{value:.4f}"


def per_wan(value: float, amount: float) -> float:
    return value / amount if amount > 0 else float("inf")


def spend_used(prepared: Prepared, selected: frozenset[str]) -> dict[tuple[str, int], float]:
    used: dict[tuple[str, int], float] = {}
    for (pid, pool, year), amount in prepared.problem.spend.items():
        if pid in selected:
            used[(pool, year)] = used.get((pool, year), 0.0) + amount
    return used


def cut_lines(prepared: Prepared, selected: frozenset[str]) -> dict[str, float]:
    """Per pool, the lowest value per 万元 among projects chosen on merit (not forced)."""
    p, c = prepared.problem, prepared.candidates
    lines: dict[str, float] = {}
    for pid in selected - p.forced_in:
        pool = c.at[pid, "funding_pool"]
        ratio = per_wan(p.value[pid], float(c.at[pid, "request_amount"]))
        lines[pool] = min(lines.get(pool, float("inf")), ratio)
    return lines


class Selection:
    """A plan's selection with what explaining it needs, computed once (so that explaining
    every candidate costs time linear in the size of the problem): spend by pool and year, the
    net system count, each envelope's and unit cap's use, and per-project indexes."""

    def __init__(
        self, prepared: Prepared, selected: frozenset[str], deferred: frozenset[str] = frozenset()
    ) -> None:
        p = prepared.problem
        self.prepared, self.selected, self.deferred = prepared, selected, deferred
        self.used = spend_used(prepared, selected)
        # Projects started a year later (rolling plans) use their shifted spend.
        self.later_of: dict[str, list[tuple[str, int, float]]] = {}
        for (pid, pool, year), amount in p.deferred_spend().items():
            if pid in deferred:
                self.later_of.setdefault(pid, []).append((pool, year, amount))
                self.used[(pool, year)] = self.used.get((pool, year), 0.0) + amount
        self.lines = cut_lines(prepared, selected)
        self.spend_of: dict[str, list[tuple[str, int, float]]] = {}
        for (pid, pool, year), amount in p.spend.items():
            self.spend_of.setdefault(pid, []).append((pool, year, amount))
        self.requires: dict[str, list[str]] = {}
        for dependent, required in p.dependencies:
            self.requires.setdefault(dependent, []).append(required)
        self.domains_of: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for domain, ids in p.domains.items():
            for pid in ids:
                self.domains_of.setdefault(pid, []).append((domain, ids))
        delta = p.system_delta or {}
        self.net_systems = sum(d for i, d in delta.items() if i in selected or i in deferred)
        self.envelopes = [(env, set(env.members), set(env.category_members)) for env in p.envelopes]
        self.envelope_use = [
            self._envelope_use(env, members, inside, selected)
            for env, members, inside in self.envelopes
        ]
        self.caps_of: dict[str, list[tuple[str, float]]] = {}
        self.unit_used: dict[str, float] = {}
        for unit, (ids, cap) in p.unit_caps.items():
            for pid in ids:
                self.caps_of.setdefault(pid, []).append((unit, cap))
            self.unit_used[unit] = sum(self.in_year(i, p.plan_year) for i in ids if i in selected)

    def in_year(self, pid: str, year: int, pool: str | None = None) -> float:
        return sum(
            a for q, y, a in self.spend_of.get(pid, ()) if y == year and (pool is None or q == pool)
        )

    def _envelope_use(
        self, env: Envelope, members: set[str], inside: set[str], ids
    ) -> tuple[float, float]:
        cat = total = 0.0
        for pid in ids:
            if pid in members:
                amount = self.in_year(pid, env.year, env.pool)
                total += amount
                cat += amount if pid in inside else 0.0
        for pid, entries in self.later_of.items():
            if pid in members:
                amount = sum(
                    a
                    for q, y, a in entries
                    if y == env.year and (env.pool is None or q == env.pool)
                )
                total += amount
                cat += amount if pid in inside else 0.0
        return cat, total


def _shortfalls(sel: Selection, entries: list[tuple[str, int, float]]) -> list[str]:
    """Each ceiling a spend profile would break, with what it needs and what is left."""
    p = sel.prepared.problem
    short = []
    for q, year, need in sorted(entries):
        ceiling = p.ceilings.get((q, year))
        if ceiling is None or not need:
            continue
        slack = max(ceiling - sel.used.get((q, year), 0.0), 0.0)
        if need > slack + 1e-9:
            short.append(
                PLAN_REASONS["budget_short"].format(
                    pool=q,
                    year=year,
                    need=format_wan(Decimal(str(need))),
                    slack=format_wan(Decimal(str(round(slack, 2)))),
                    gap=format_wan(Decimal(str(round(need - slack, 2)))),
                )
            )
    return short


def _budget_reason(sel: Selection, pid: str) -> str:
    p, c = sel.prepared.problem, sel.prepared.candidates
    pool = c.at[pid, "funding_pool"]
    short = _shortfalls(sel, sel.spend_of.get(pid, []))
    if not short:
        return ""
    if pid in p.deferrable:
        later = [(q, y, a) for (i, q, y), a in p.deferred_spend().items() if i == pid]
        short_later = _shortfalls(sel, later)
        if short_later:
            short.append(PLAN_REASONS["budget_later"].format(short="、".join(short_later)))
    value, amount = p.value[pid], float(c.at[pid, "request_amount"])
    cut = sel.lines.get(pool)
    ratio = per_wan(value, amount)
    if cut is None:
        key = "budget_no_line"
    elif ratio < cut:
        key = "budget"
    else:  # worth more per 万元 than the cut line, but too big for what is left
        key = "budget_too_big"
    return PLAN_REASONS[key].format(
        value=_fmt(value),
        per_wan=_fmt_ratio(ratio),
        pool=pool,
        cut=_fmt_ratio(cut) if cut is not None else "",
        short="；".join(short),
    )


def _structural_reason(sel: Selection, pid: str) -> str:
    """A dependency left out or a domain already served: the project could not enter anyway."""
    p = sel.prepared.problem
    for required in sel.requires.get(pid, ()):
        if required not in sel.selected:
            key = "dependency_excluded" if required in p.excluded | p.forced_out else "dependency"
            return PLAN_REASONS[key].format(required=required)
    for domain, ids in sel.domains_of.get(pid, ()):
        others = [i for i in ids if i in sel.selected and i != pid]
        if others:
            return PLAN_REASONS["domain"].format(domain=domain, other="、".join(others))
    return ""


def envelope_text(env: Envelope) -> str:
    """An envelope in words: "市本级2027年度，运维服务类占比不少于10%"."""
    parts = [DIAGNOSIS["pool_year"].format(pool=env.pool or DIAGNOSIS["all_pools"], year=env.year)]
    for key, value in (("at_least", env.min_amount), ("at_most", env.max_amount)):
        if value is not None:
            parts.append(DIAGNOSIS[key].format(category=env.category, amount=format_wan(value)))
    for key, value in (("share_at_least", env.min_share), ("share_at_most", env.max_share)):
        if value is not None:
            parts.append(DIAGNOSIS[key].format(category=env.category, share=value))
    return "，".join(parts)


def envelope_broken(sel: Selection, pid: str) -> Envelope | None:
    """The envelope that adding ``pid`` to the selection would break: a category's amount or
    share (a minimum share also binds the *other* categories, through the denominator)."""
    for (env, members, inside_ids), (inside, everything) in zip(
        sel.envelopes, sel.envelope_use, strict=True
    ):
        if pid not in members or pid in sel.selected:
            continue
        amount = sel.in_year(pid, env.year, env.pool)
        everything += amount
        inside += amount if pid in inside_ids else 0.0
        tol = 1e-9
        if (
            (env.max_amount is not None and inside > env.max_amount + tol)
            or (env.max_share is not None and inside - env.max_share * everything > tol)
            or (env.min_share is not None and inside - env.min_share * everything < -tol)
        ):
            return env
    return None


def _limit_reason(sel: Selection, pid: str) -> str:
    """Not a ceiling: what adding the project would break among the system count, the
    envelopes and the unit caps."""
    p, c = sel.prepared.problem, sel.prepared.candidates
    delta = (p.system_delta or {}).get(pid, 0)
    if delta > 0 and sel.net_systems + delta > 0:
        return PLAN_REASONS["system_count"].format(
            new=int(c.at[pid, "new_systems"] or 0),
            retired=int(c.at[pid, "retired_systems"] or 0),
        )
    broken = envelope_broken(sel, pid)
    if broken is not None:
        return PLAN_REASONS["envelope"].format(envelope=envelope_text(broken))
    for unit, cap in sel.caps_of.get(pid, ()):
        if sel.unit_used[unit] + sel.in_year(pid, p.plan_year) > cap + 1e-9:
            return PLAN_REASONS["unit_cap"]
    return ""


def om_interruption_risks(
    prepared: Prepared, findings: pd.DataFrame | None, pack: PolicyPack
) -> pd.DataFrame:
    """The running systems' continuing O&M (是否既有系统续运维 是, 运维服务类) that a hard or
    in-principle finding keeps out of the plan, whether or not the scenario forces such O&M in
    (``prepared.forced_not_applied`` holds those it would have): project, unit, amount, the
    message (the ``om_interruption`` finding's, else one made from the blocking finding) and
    what must be done (the finding's ``actions`` evidence, else the message)."""
    p, c = prepared.problem, prepared.candidates
    running_om = flag(c, "existing_om") & (c["category_effective"] == CATEGORY_OM)
    blocked = set(prepared.exclusions) - p.forced_out - p.forced_in
    ids = sorted(pid for pid in blocked if bool(running_om.get(pid, False)))
    said: dict[str, dict] = {}
    if findings is not None and not findings.empty and ids:
        hits = findings[(findings["rule"] == OM_INTERRUPTION) & findings["project_id"].isin(ids)]
        said = {r["project_id"]: r for r in hits.drop_duplicates("project_id").to_dict("records")}
    names = pack.rule_names()
    om_article = pack.rules.om_continuity.article
    rows = []
    for pid in ids:
        if pid in said:
            finding = said[pid]
            message = str(finding["message"])
            evidence = finding["evidence"] if isinstance(finding["evidence"], dict) else {}
            action = str(evidence.get("actions") or message)
        else:
            found = prepared.exclusions[pid]
            blocking = "、".join(
                dict.fromkeys(f"{names.get(f.rule, f.rule)}（{f.article}）" for f in found)
            )
            action = PLAN_REASONS["om_interruption_action"].format(blocking=blocking)
            message = PLAN_REASONS["om_interruption"].format(
                blocking=blocking,
                om_article=om_article,
                messages="；".join(f.message for f in found),
                action=action,
            )
        rows.append(
            {
                "project_id": pid,
                "unit": c.at[pid, "unit"],
                "amount": c.at[pid, "request_amount"],
                "message": message,
                "action": action,
            }
        )
    return pd.DataFrame(rows, columns=list(OM_RISK_COLUMNS))


# How many items a diagnosis lists before "等共N项": a sentence an official reads aloud, not a
# table (10 000 candidates may force hundreds in; every one is in the project table).
LISTED_ITEMS = 20


def listed(items: list[str], sep: str = "、") -> str:
    """``items`` joined by ``sep``; beyond :data:`LISTED_ITEMS`, the first ones and the count."""
    if len(items) <= LISTED_ITEMS:
        return sep.join(items)
    return DIAGNOSIS["and_more"].format(shown=sep.join(items[:LISTED_ITEMS]), count=len(items))


def om_interruption_text(risks: pd.DataFrame, pack: PolicyPack) -> str:
    """The plan's diagnosis of its 运维中断风险: "N项在运行系统的续运维被排除，…：A（…）须…。B…"
    (one sentence per project: what must be done may itself list several steps)."""
    if risks.empty:
        return ""
    items = [
        DIAGNOSIS["om_interruption_item"].format(
            pid=r.project_id, unit=r.unit, amount=format_wan(r.amount), action=r.action
        )
        for r in risks.itertuples()
    ]
    return DIAGNOSIS["om_interruption"].format(
        count=len(items), article=pack.rules.om_continuity.article, items=listed(items, "。")
    )


def project_table(
    prepared: Prepared,
    solution: Solution,
    pack: PolicyPack,
    om_risks: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per candidate, in project_id order, with status, reason and article.
    ``om_risks`` (:func:`om_interruption_risks`): the excluded running O&M whose reason says
    运维中断风险."""
    p, c = prepared.problem, prepared.candidates
    om_message = (
        {}
        if om_risks is None
        else dict(zip(om_risks["project_id"], om_risks["message"], strict=True))
    )
    selected = solution.selected
    solved = solution.status in ("optimal", "time_limit")
    sel = Selection(prepared, selected, solution.deferred)
    lines = sel.lines
    forced_articles = {
        "mandated": pack.rules.mandated.article,
        "existing_om": pack.rules.om_continuity.article,
    }
    # Columns read once as dicts: ``c.at`` costs ~50 µs a call, seven calls a candidate.
    col = {
        key: c[key].to_dict()
        for key in ("name", "unit", "level", "funding_pool", "category_effective")
    }
    requested = c["request_amount"].to_dict()
    rows = []
    for pid in p.ids:
        amount = float(requested[pid])
        value = p.value[pid]
        forced = prepared.forced_reason.get(pid, "")
        article = ""
        override = prepared.overrides.get(pid, "")
        if pid in p.forced_out:
            status, reason = (
                "excluded",
                PLAN_REASONS["forced_out"].format(reason=prepared.user_reasons[pid]),
            )
        elif pid in prepared.exclusions and pid not in p.forced_in:
            found = prepared.exclusions[pid]
            first_message = found[0].message
            status, article = "excluded", found[0].article
            if pid in om_message:  # it names every blocking finding and what must be done
                reason = om_message[pid]
            else:
                reason = (
                    PLAN_REASONS["excluded_more"].format(
                        message=first_message, count=len(found) - 1
                    )
                    if len(found) > 1
                    else PLAN_REASONS["excluded"].format(message=first_message)
                )
                if pid in prepared.forced_not_applied:
                    reason += PLAN_REASONS["forced_but_excluded"]
        elif not solved:
            status = "not_selected"
            reason = PLAN_REASONS[
                "infeasible" if solution.status == "infeasible" else "solver_failed"
            ]
        elif pid in selected and forced:
            status = "forced_in"
            reason = (
                PLAN_REASONS["forced_user"].format(reason=prepared.user_reasons[pid])
                if forced == "user"
                else PLAN_REASONS[f"forced_{forced}"]
            )
            article = forced_articles.get(forced, "")
        elif pid in selected:
            status = "selected"
            pool = col["funding_pool"][pid]
            reason = PLAN_REASONS["selected"].format(
                value=_fmt(value),
                per_wan=_fmt_ratio(per_wan(value, amount)),
                pool=pool,
                cut=_fmt_ratio(lines.get(pool, per_wan(value, amount))),
            )
        elif pid in solution.deferred:
            # In the rolling plan, not in this year's: the plan year's annual plan leaves it out.
            status = "not_selected"
            reason = PLAN_REASONS["deferred"].format(
                year=p.plan_year + 1, value=_fmt(value), factor=f"{p.defer_factor:g}"
            )
        else:
            status = "not_selected"
            reason = (
                _structural_reason(sel, pid)
                or _budget_reason(sel, pid)
                or _limit_reason(sel, pid)
                or PLAN_REASONS["no_gain"]
            )
        if override and status != "excluded":
            reason += "；" + PLAN_REASONS["override"].format(reason=override)
        if pid in prepared.unknown_dependencies:
            reason += "；" + PLAN_REASONS["unknown_dependency"].format(
                required="、".join(prepared.unknown_dependencies[pid])
            )
        rows.append(
            {
                "project_id": pid,
                "name": col["name"][pid],
                "unit": col["unit"][pid],
                "level": col["level"][pid],
                "funding_pool": col["funding_pool"][pid],
                "category_effective": col["category_effective"][pid],
                "status": status,
                "reason": reason,
                "article": article,
                "value": value,
                "amount": requested[pid],
                "value_per_wan": per_wan(value, amount),
                "forced": forced,
                "override": override,
            }
        )
    return pd.DataFrame(rows, columns=list(PROJECT_COLUMNS))
