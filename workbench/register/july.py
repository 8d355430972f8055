"""The loop into July (issue #13 item 5): what next year's check and plan take from the register,
as the plain tables they take from files (``--db`` on ``check``, ``plan``, ``compare``,
``pipeline`` and the apps). Nothing below this layer knows the register: the policy check gets
a systems registry, usage and overdue rectifications; the planner gets commitments and each
project's history, whether they come from files or from here.

What the register gives for plan year Y, on the day ``as_of`` (default today) — the readings
are the pack's (``lifecycle.july``) and are repeated in DESIGN §7a:

- **Commitments** (第九条: the plan is drawn up 最大限度地考虑财力状况):
  - 以前年度计划结转: each adopted plan (审定, the one in force) of a year before Y; each project
    it took in spends in Y and later what its profile says (the submission it was adopted from:
    its own ``amount_YYYY`` columns, or the spread of the rest of its total over the
    construction years, as :mod:`workbench.planner.spend` draws every profile). A project whose
    完工 (竣工验收) or 停用 is recorded before 1 January Y commits nothing more. Where contracts
    are recorded (合同签订, with 调整备案 added), what remains is at most the contracts' total
    less the money adopted plans arranged for it in earlier years, taken from the earliest
    year on. A project resubmitted for Y asks for its money anew: it is planned, not carried.
  - 质保期满后运维: a system an adopted project delivered (竣工验收, else 投入运行, recorded)
    costs its 年运维费用 once its warranty (质保期, at least the scenario's minimum) is over, pro
    rata in the year it ends, for the years of the horizon — unless it was shut down (停用), or
    the intake brings an O&M project for it (运维服务类 or 续运维 naming it, or resubmitted under
    its 项目编号), which is planned instead.
  - and the commitments table imported into the register (``db import --commitments``), for
    what the register does not hold (plans adopted before it existed).
- **The registry and usage**: the rows in force (:mod:`workbench.register.registry_rows`),
  with the register's evaluations and shutdowns laid over them: a 绩效后评价 with its 结论, a
  停用, recorded for a project, apply to the systems its submission names (关联已建系统编号) or,
  naming none, to the project's own system under its 项目编号 (第六条第（七）项, 第三十六条).
- **Overdue rectifications** (第三十八条): every 限期整改 overdue on ``as_of``, with the unit
  of the project it was issued to.
- **History**: each project's decisions in earlier adopted plans, for the plan's reasons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

import pandas as pd

from workbench.intake.columns import load_contract
from workbench.labels import CATEGORY_OM, JULY_LABELS, PLAN_STATUS_LABELS
from workbench.register.adopt import ADOPTED_IN, AdoptionRecord, DecisionRecord
from workbench.register.periods import add_months
from workbench.register.records import EventRecord
from workbench.register.store import Register
from workbench.register.submissions import StoredSubmission, candidates_frame
from workbench.scenario import Scenario

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

    from workbench.policy.pack import PolicyPack
    from workbench.register.due import DueListing

L = JULY_LABELS
_CENT = Decimal("0.01")
COMMITMENT_COLUMNS = tuple(load_contract("commitments").keys)
RECTIFICATION_COLUMNS = (
    "unit",
    "project_id",
    "project_name",
    "notice_date",
    "due_date",
    "days_late",
)
# The register's events the loop reads, by their pack keys.
ACCEPTED = "completion_accepted"
IN_OPERATION = "in_operation"
SHUT_DOWN = "shut_down"
CONTRACT = "contract_signed"
CHANGE = "change_filed"
EVALUATION = "post_evaluation"
RECTIFICATION = "rectification"  # the pack's obligation of 第三十八条


@dataclass(frozen=True)
class Adopted:
    """A project taken into an adopted plan: the plan year, the decision and its submission."""

    plan_year: int
    decision: DecisionRecord
    submission: StoredSubmission


@dataclass
class RegisterInputs:
    """What the register gives a plan year's check and plan (see the module's docstring)."""

    database: str
    plan_year: int
    as_of: dt.date
    systems: pd.DataFrame | None
    usage: pd.DataFrame | None
    imported_commitments: pd.DataFrame | None
    rectifications: pd.DataFrame
    history: dict[str, str]
    adoptions: tuple[AdoptionRecord, ...]
    adopted: tuple[Adopted, ...] = ()
    events: dict[str, tuple[EventRecord, ...]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    pack: PolicyPack | None = None
    url: URL | None = None  # where to read every obligation from, when the sheet is asked for
    _listing: DueListing | None = field(default=None, repr=False)

    @property
    def listing(self) -> DueListing | None:
        """Every obligation on ``as_of`` (``db due``), read when first asked for (the plan
        itself needs only the rectifications, which are read apart: a register of ten years
        holds a hundred thousand obligations)."""
        if self._listing is None and self.url is not None:
            from workbench.register.due import due_listing

            with Register.open(self.url) as register:
                self._listing = due_listing(register, as_of=self.as_of)
        return self._listing

    def supervision(self) -> list[tuple[str, pd.DataFrame]]:
        """The workbook's 监管事项 (captioned tables): obligations by stage, the overdue and the
        due-soon ones, and the register's other findings (workbench.register.views)."""
        from workbench.register import views

        if self.listing is None or self.pack is None:
            return []
        found = [
            (
                L["supervision_stage"].format(as_of=self.as_of.isoformat()),
                views.by_stage(self.listing, self.pack),
            ),
            (L["supervision_overdue"], views.overdue(self.listing, self.units)),
            (L["supervision_due_soon"], views.due_soon(self.listing, self.units)),
            (L["supervision_findings"], views.findings(self.listing)),
        ]
        return [(caption, table) for caption, table in found if not table.empty]

    def commitments(
        self, scenario: Scenario, candidates: pd.DataFrame | None = None
    ) -> pd.DataFrame:
        """The commitments for ``scenario``'s horizon: carried-over plan money, O&M after
        warranty (not for systems an O&M candidate in ``candidates`` takes over), and the
        imported table."""
        renewed = _renewed(candidates)
        again = set() if candidates is None else set(candidates["project_id"].astype(str))
        rows = _carried(self, scenario, again) + _om_after_warranty(self, scenario, renewed)
        frame = pd.DataFrame(rows, columns=list(COMMITMENT_COLUMNS))
        if self.imported_commitments is not None:
            imported = self.imported_commitments[list(COMMITMENT_COLUMNS)]
            frame = pd.concat([frame, imported], ignore_index=True) if rows else imported.copy()
        return frame.reset_index(drop=True)

    def provenance(
        self, scenario: Scenario | None = None, candidates: pd.DataFrame | None = None
    ) -> dict[str, object]:
        """For the plan's 参数与来源: the day and what the register gave (never where it is);
        the commitments as :meth:`commitments` gives them for ``scenario`` and ``candidates``."""
        return {
            "as_of": self.as_of.isoformat(),
            "plans": len(self.adoptions),
            "commitments": 0 if scenario is None else len(self.commitments(scenario, candidates)),
            "systems": 0 if self.systems is None else len(self.systems),
            "usage": 0 if self.usage is None else len(self.usage),
            "rectifications_overdue": len(self.rectifications),
            "history": len(self.history),
        }

    def merged(
        self, systems: pd.DataFrame | None, usage: pd.DataFrame | None
    ) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
        """The registry and usage the check reads: the register's, with the rows of files given
        as well taking the place of the register's rows of the same key (what is handed in now
        is the newer word)."""
        return (
            _overlay(self.systems, systems, ["system_id"]),
            _overlay(self.usage, usage, ["system_id", "month"]),
        )


def _overlay(
    held: pd.DataFrame | None, given: pd.DataFrame | None, keys: list[str]
) -> pd.DataFrame | None:
    if given is None or given.empty:
        return held
    if held is None or held.empty:
        return given
    keep = ~held.set_index(keys).index.isin(given.set_index(keys).index)
    return pd.concat([given, held[keep]], ignore_index=True)


def register_inputs(
    db: str | None,
    plan_year: int,
    *,
    as_of: dt.date | None = None,
    register: Register | None = None,
) -> RegisterInputs:
    """Read what the register gives ``plan_year`` (see the module's docstring)."""
    from workbench.register.db import translated_errors
    from workbench.register.registry_rows import current_tables
    from workbench.register.submissions import read_submissions

    own = register is None
    register = register or Register.open(db)
    try:
        with translated_errors(register.url):
            day = as_of or dt.date.today()
            with register.engine.connect() as conn:
                tables = current_tables(conn)
                stored = read_submissions(conn, latest=True)
            by_id = {s.id: s for s in stored}
            latest: dict[str, StoredSubmission] = {}
            for s in stored:  # ordered by 项目编号, then plan year: the last is the latest year
                latest[s.project_id] = s
            adoptions = tuple(
                a
                for year in sorted({s.plan_year for s in stored} | _adopted_years(register))
                if year < plan_year and (a := register.current_adoption(year)) is not None
            )
            adopted: list[Adopted] = []
            history: dict[str, list[str]] = {}
            for adoption in adoptions:
                for decision in register.decisions(adoption.id):
                    history.setdefault(decision.project_id, []).append(_history_item(decision))
                    submission = by_id.get(decision.submission_id) or _submission(
                        register, decision
                    )
                    if decision.status in ADOPTED_IN and submission is not None:
                        adopted.append(Adopted(adoption.plan_year, decision, submission))
            events: dict[str, list[EventRecord]] = {}
            for event in register.events_as_of(day):
                events.setdefault(event.project_id, []).append(event)
            names = {p.project_id: p.name for p in register.projects()}
            overdue = _rectification_statuses(register, events, day)
    finally:
        if own:
            register.close()
    frozen = {pid: tuple(found) for pid, found in events.items()}
    return RegisterInputs(
        database=register.where,
        plan_year=plan_year,
        as_of=day,
        systems=_systems(tables.get("systems"), frozen, latest, names),
        usage=tables.get("usage"),
        imported_commitments=tables.get("commitments"),
        rectifications=_overdue_rectifications(overdue, latest, names),
        history={pid: L["history"].format(items="；".join(i)) for pid, i in history.items()},
        adoptions=adoptions,
        adopted=tuple(adopted),
        events=frozen,
        names=names,
        url=register.url,
        units={pid: s.unit for pid, s in latest.items() if s.unit},
        pack=register.pack,
    )


def _adopted_years(register: Register) -> set[int]:
    return {a.plan_year for a in register.adoptions()}


def _submission(register: Register, decision: DecisionRecord) -> StoredSubmission | None:
    """The submission a decision was drawn from, when it is not its project's latest of the
    year (a correction came after the adoption)."""
    from workbench.register.submissions import read_submissions

    with register.engine.connect() as conn:
        found = read_submissions(conn, plan_year=decision.plan_year, project_id=decision.project_id)
    return next((s for s in found if s.id == decision.submission_id), None)


def _history_item(decision: DecisionRecord) -> str:
    status = PLAN_STATUS_LABELS.get(decision.status, decision.status)
    reason = decision.reason.strip()
    return L["history_item"].format(
        year=decision.plan_year, status=status, reason=f"（{reason}）" if reason else ""
    )


# -- commitments ------------------------------------------------------------------------------


def _first(events: Iterable[EventRecord], kind: str) -> EventRecord | None:
    return next((e for e in events if e.kind == kind), None)


def _delivered_on(events: Sequence[EventRecord]) -> dt.date | None:
    done = _first(events, ACCEPTED) or _first(events, IN_OPERATION)
    return None if done is None else done.date


def _carried(
    inputs: RegisterInputs, scenario: Scenario, again: set[str]
) -> list[dict[str, object]]:
    """以前年度计划结转: the later years of adopted plans (see the module's docstring); a project
    resubmitted this year (``again``) asks for its money anew, and is planned, not carried."""
    year_one = dt.date(inputs.plan_year, 1, 1)
    last_year = max(scenario.years)
    arranged: dict[str, Decimal] = {}
    for item in inputs.adopted:
        if item.decision.amount is not None:
            pid = item.decision.project_id
            arranged[pid] = arranged.get(pid, Decimal(0)) + item.decision.amount
    rows: list[dict[str, object]] = []
    for item, later in _later_years(inputs, scenario, again, year_one, last_year):
        pid = item.decision.project_id
        events = inputs.events.get(pid, ())
        contracts = [e.amount for e in events if e.kind in (CONTRACT, CHANGE) and e.amount]
        left = None
        if any(e.kind == CONTRACT for e in events):
            left = max(sum(contracts, Decimal(0)) - arranged.get(pid, Decimal(0)), Decimal(0))
        name = inputs.names.get(pid) or item.submission.name
        for year, pool, planned in later:
            amount = Decimal(planned)
            if left is not None:
                amount, left = min(amount, left), left - min(amount, left)
            amount = amount.quantize(_CENT)
            if amount <= 0:
                continue
            rows.append(
                {
                    "commitment_id": f"{pid}-{item.plan_year}-{year}",
                    "kind": L["kind_carried"],
                    "description": L["carried"].format(name=name, year=item.plan_year),
                    "unit": item.submission.unit,
                    "pool": pool,
                    "year": year,
                    "amount": amount,
                }
            )
    return rows


def _later_years(
    inputs: RegisterInputs, scenario: Scenario, again: set[str], year_one: dt.date, last_year: int
) -> list[tuple[Adopted, list[tuple[int, str, Decimal]]]]:
    """Each adopted project still to carry, with its construction money of the plan year and
    later (year, pool, amount), from the profile its adopted plan drew: one spend profile per
    adopted plan, over all its projects at once."""
    from workbench.planner.spend import CONSTRUCTION, spend_profile

    by_year: dict[int, list[Adopted]] = {}
    for item in inputs.adopted:
        pid = item.decision.project_id
        if pid in again:
            continue
        events = inputs.events.get(pid, ())
        if any(e.kind in (ACCEPTED, SHUT_DOWN) and e.date < year_one for e in events):
            continue
        by_year.setdefault(item.plan_year, []).append(item)
    found: list[tuple[Adopted, list[tuple[int, str, Decimal]]]] = []
    for plan_year, items in sorted(by_year.items()):
        frame = candidates_frame([item.submission for item in items])
        for key in sorted({k for item in items for k in item.submission.checked}):
            frame[key] = [item.submission.checked.get(key) for item in items]
        horizon = min(max(1, last_year - plan_year + 1), 10)
        bare = Scenario.bare(plan_year, horizon=horizon).model_copy(update={"om": scenario.om})
        spend = spend_profile(frame, bare)
        later = spend[
            (spend["kind"] == CONSTRUCTION)
            & (spend["year"] >= inputs.plan_year)
            & (spend["year"] <= last_year)
        ].sort_values(["project_id", "year"], kind="stable")
        rows: dict[str, list[tuple[int, str, Decimal]]] = {}
        for r in later.itertuples(index=False):
            rows.setdefault(str(r.project_id), []).append((int(r.year), str(r.pool), r.amount))
        found += [(i, rows[i.decision.project_id]) for i in items if i.decision.project_id in rows]
    return found


def _renewed(candidates: pd.DataFrame | None) -> set[str]:
    """The projects and systems an O&M candidate of this intake takes over: their O&M is
    planned, not carried."""
    if candidates is None or candidates.empty:
        return set()
    category = candidates.get("category_effective", candidates.get("category"))
    om = category == CATEGORY_OM
    if "existing_om" in candidates:
        om = om | candidates["existing_om"].fillna(False).astype(bool)
    found = set(candidates.loc[om, "project_id"].astype(str))
    for ids in candidates.loc[om, "related_systems"]:
        if isinstance(ids, tuple | list):
            found.update(str(i) for i in ids)
    return found


def _om_after_warranty(
    inputs: RegisterInputs, scenario: Scenario, renewed: set[str]
) -> list[dict[str, object]]:
    """质保期满后运维 of the systems adopted projects delivered (see the module's docstring)."""
    if not scenario.om.include_tail:
        return []
    rows: list[dict[str, object]] = []
    seen: set[str] = set()
    for item in sorted(inputs.adopted, key=lambda a: -a.plan_year):  # the latest plan's row
        pid = item.decision.project_id
        if pid in seen:
            continue
        seen.add(pid)
        row = item.submission.row
        related = set(row.get("related_systems") or ())
        if pid in renewed or related & renewed:
            continue
        events = inputs.events.get(pid, ())
        delivered = _delivered_on(events)
        om = Decimal(str(row.get("annual_om_cost") or 0))
        if delivered is None or om <= 0:
            continue
        if item.submission.checked.get("category_effective") == CATEGORY_OM:
            continue  # an O&M service project's money is the contract, not a tail
        warranty = max(int(row.get("warranty_months") or 0), scenario.om.warranty_months)
        paid_from = add_months(delivered, warranty)
        stopped = _first(events, SHUT_DOWN)
        name = inputs.names.get(pid) or item.submission.name
        pool = str(item.submission.checked.get("funding_pool") or "")
        for year in scenario.years:
            months = _months_paid(paid_from, year, None if stopped is None else stopped.date)
            if months <= 0:
                continue
            rows.append(
                {
                    "commitment_id": f"{pid}-OM-{year}",
                    "kind": L["kind_om"],
                    "description": L["om"].format(name=name, date=paid_from.isoformat()),
                    "unit": item.submission.unit,
                    "pool": pool,
                    "year": year,
                    "amount": (om * months / 12).quantize(_CENT),
                }
            )
    return rows


def _months_paid(paid_from: dt.date, year: int, stopped: dt.date | None) -> int:
    """Whole months of ``year`` from ``paid_from`` (the day the warranty ends) until a shutdown:
    a month counts when it starts on or after the warranty's end (the month it ends in is
    still under warranty, unless it ends on its first day)."""
    start = max(paid_from, dt.date(year, 1, 1))
    first_month = start.month + (0 if start.day == 1 else 1) if start.year == year else 13
    last_month = 12
    if stopped is not None:
        if stopped.year < year:
            return 0
        if stopped.year == year:
            last_month = stopped.month - 1
    return max(0, last_month - first_month + 1) if first_month <= 12 else 0


# -- the registry with the register's evaluations and shutdowns --------------------------------


def _systems(
    registry: pd.DataFrame | None,
    events: dict[str, tuple[EventRecord, ...]],
    latest: dict[str, StoredSubmission],
    names: dict[str, str],
) -> pd.DataFrame | None:
    """The registry in force, with each project's latest 绩效后评价 (with a 结论) and its 停用
    laid over the systems it names, or over its own (under its 项目编号)."""
    contract = load_contract("systems")
    table = (
        registry.copy()
        if registry is not None
        else pd.DataFrame(columns=[*contract.keys, "source_file", "source_sheet", "source_row"])
    )
    by_id = {sid: i for i, sid in enumerate(table["system_id"])}
    records = table.to_dict("records")
    for pid, found in sorted(events.items()):
        evaluation = next((e for e in reversed(found) if e.kind == EVALUATION and e.result), None)
        stopped = _first(found, SHUT_DOWN)
        if evaluation is None and stopped is None:
            continue
        submission = latest.get(pid)
        related = (
            [str(s) for s in (submission.row.get("related_systems") or ())] if submission else []
        )
        targets = [s for s in related if s in by_id] or [pid]
        accepted = _first(found, ACCEPTED)
        for sid in targets:
            if sid not in by_id:
                by_id[sid] = len(records)
                records.append(
                    {
                        **dict.fromkeys(table.columns),
                        "system_id": sid,
                        "name": names.get(pid) or (submission.name if submission else pid),
                        "unit": submission.unit if submission else "",
                        "status": L["status_running"],
                        "final_acceptance_date": None if accepted is None else accepted.date,
                        "performance_evaluation": L["not_evaluated"],
                        "source_file": L["source"],
                        "source_sheet": "",
                        "source_row": 0,
                    }
                )
            record = records[by_id[sid]]
            if evaluation is not None:
                before = record.get("evaluation_date")
                if before is None or pd.isna(before) or before <= evaluation.date:
                    record["performance_evaluation"] = evaluation.result
                    record["evaluation_date"] = evaluation.date
            if stopped is not None:
                gone = record.get("discontinued_date")
                if gone is None or pd.isna(gone):
                    record["discontinued_date"] = stopped.date
                    record["status"] = L["status_stopped"]
            if record.get("final_acceptance_date") is None and accepted is not None:
                record["final_acceptance_date"] = accepted.date
    if not records:
        return None
    frame = pd.DataFrame(records, columns=list(table.columns))
    return frame


# -- 第三十八条 --------------------------------------------------------------------------------


def _rectification_statuses(
    register: Register, events: dict[str, list[EventRecord]], day: dt.date
) -> tuple[object, ...]:
    """The 限期整改 obligations on ``day``, counted as ``db due`` counts them (the pack's
    obligation, the working calendar), from the rectification events only."""
    from workbench.register.calendar import CalendarError, WorkingCalendar
    from workbench.register.db import RegisterError
    from workbench.register.due import as_written
    from workbench.register.obligations import obligation_statuses

    pack = register.pack
    chosen = tuple(o for o in pack.lifecycle.obligations if o.key == RECTIFICATION)
    if not chosen:
        return ()
    kinds = set(chosen[0].event_keys())
    found = [as_written(e) for items in events.values() for e in items if e.kind in kinds]
    if not found:
        return ()
    try:
        calendar = WorkingCalendar()
    except CalendarError as exc:
        raise RegisterError(str(exc)) from exc
    lifecycle = pack.lifecycle.model_copy(update={"obligations": chosen})
    only = pack.model_copy(update={"lifecycle": lifecycle})
    return obligation_statuses(found, None, as_of=day, pack=only, calendar=calendar)


def _overdue_rectifications(
    obligations: Iterable[object],
    latest: dict[str, StoredSubmission],
    names: dict[str, str],
) -> pd.DataFrame:
    rows = [
        {
            "unit": latest[o.project_id].unit if o.project_id in latest else "",
            "project_id": o.project_id,
            "project_name": names.get(o.project_id, ""),
            "notice_date": o.trigger_date,
            "due_date": o.due_date,
            "days_late": o.days_late,
        }
        for o in obligations
        if o.obligation == RECTIFICATION and o.status == "overdue"
    ]
    return pd.DataFrame(rows, columns=list(RECTIFICATION_COLUMNS))


__all__ = ["RegisterInputs", "register_inputs"]
