"""The 情景推演 app's state, plain Python tested without widgets: the scenario being explored,
every change the planner made to it (kept for undo; the scenario as loaded, for reset), the plan
it gives and the views of that plan the app shows: the headline, the plan table with the rows
whose result changed marked, the difference to the base scenario, the workbook, and the
settings as a scenario file.

Apart from the widgets (``workbench.apps.explorer_inputs`` and ``workbench.apps.explorer``,
which re-exports this module's names) so that the state reads, and is tested, on its own."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd
import yaml
from pydantic import ValidationError

from workbench.apps import internal_from_env, session_from_env
from workbench.apps.common import Redaction, frame_html
from workbench.apps.scenario_file import (
    BASE,
    SCENARIO_SUFFIXES,
    ExplorerError,
    scenario_file_name,
    scenario_yaml,
    write_new_file,
)
from workbench.compare import Comparison, compare, plan_scenario
from workbench.labels import APP_LABELS, PLAN_COLUMNS, PLAN_STATUS_LABELS, SCORING_LABELS
from workbench.money import format_wan, parse_amount
from workbench.oserrors import os_reason
from workbench.planner import Plan
from workbench.planner.plan import SELECTED_STATUSES
from workbench.scenario import Decision, Envelope, Scenario, load_scenario
from workbench.scoring import load_scoring
from workbench.scoring.model import model_weights
from workbench.session import Session
from workbench.yamlfile import explain_validation_error

L = APP_LABELS
HISTORY_LIMIT = 200  # changes kept for undo in one page's session
# Row classes of the plan table (their look is EXPLORER_STYLE's).
ROW_CHANGED = "wb-row-changed"  # result changed by the last change
ROW_DIFFERS = "wb-row-differs"  # in the plan here and not in the base's, or the reverse
EXPLORER_STYLE = f"""
<style>
.wb-table tr.{ROW_CHANGED} td {{ background: #fff1a8; }}
.wb-table tr.{ROW_DIFFERS} td:first-child {{ box-shadow: inset 4px 0 0 #2f6fb5; }}
.wb-plan-table td:first-child {{ white-space: pre-line; min-width: 5.5em; }}
.wb-legend {{ font-size: 12px; color: #555; margin: 4px 0; }}
.wb-legend .wb-key-changed {{ background: #fff1a8; padding: 0 6px; }}
.wb-legend .wb-key-differs {{ box-shadow: inset 4px 0 0 #2f6fb5; padding: 0 6px 0 10px; }}
.wb-grid-head {{ font-weight: bold; font-size: 12px; }}
.wb-ok {{ color: #1a7f37; }}
</style>
"""


@dataclass(frozen=True)
class Settings:
    """What the planner has set: the scenario, the weight sliders as moved (before they are
    divided by their sum), and the scenario they started from (the dropdown's choice)."""

    scenario: Scenario
    weights: dict[str, float] = field(default_factory=dict)
    source: str | None = None


@dataclass
class Result:
    plan: Plan
    seconds: float
    scenario: Scenario | None = None  # what it was solved for


class Explorer:
    """The scenario being explored, and the plan it gives."""

    def __init__(
        self,
        session: Session | None = None,
        scenario: str | None = None,
        *,
        internal: bool | None = None,
    ) -> None:
        self.session = session or session_from_env()
        self.internal = internal_from_env() if internal is None else internal
        self.redaction = Redaction.of(self.session.check, self.internal)
        self.base_plan = self.session.plan
        self.history: list[Settings] = []
        self.result: Result | None = None
        self.previous_plan: Plan | None = None  # the plan before the last change
        self._loaded: dict[str | None, Settings] = {}
        self.load(scenario)

    # --- what the planner changes --------------------------------------------------------

    def load(self, name: str | None) -> None:
        """The session's scenario (``None``), a shipped one by name, or a scenario file (a
        path, e.g. one saved into the scenarios folder: taken whole). On one's own forms the
        shipped scenarios are the sample's: 基准 means the session's own scenario and the
        others are laid over it as variants (their weights, toggles, deferral; 压减20% of its
        own ceilings), never the sample's pools and amounts. Loading is a change: undo goes
        back to what was shown before."""
        session = self.session
        if name is not None and Path(name).suffix in SCENARIO_SUFFIXES:
            scenario = load_scenario(name)
        elif name is None or (name == BASE and not session.files.using_sample):
            scenario = session.scenario
        elif session.files.using_sample:
            scenario = load_scenario(name)
        else:
            scenario = session.scenario.variant(name)
        scenario = scenario.for_year(session.plan_year)
        loaded = Settings(scenario, applied_weights(scenario), name)
        self._loaded[name] = loaded
        if hasattr(self, "scenario"):
            self._remember()
        self._apply(loaded)

    @property
    def settings(self) -> Settings:
        return Settings(self.scenario, dict(self.slider_weights), self.source)

    def _apply(self, settings: Settings) -> None:
        self.scenario: Scenario = settings.scenario
        self.slider_weights: dict[str, float] = dict(settings.weights)
        self.source: str | None = settings.source

    def _remember(self) -> None:
        self.history.append(self.settings)
        del self.history[:-HISTORY_LIMIT]

    def _change(self, scenario: Scenario, weights: dict[str, float] | None = None) -> bool:
        """Make the change, kept for undo; one that changes nothing is not a step."""
        weights = dict(self.slider_weights) if weights is None else weights
        if scenario == self.scenario and weights == self.slider_weights:
            return False
        self._remember()
        self._apply(Settings(scenario, weights, self.source))
        return True

    def undo(self) -> bool:
        """Back to the settings before the last change; ``False`` when there is none."""
        if not self.history:
            return False
        self._apply(self.history.pop())
        return True

    def reset(self) -> bool:
        """Back to the scenario as loaded (an undoable step)."""
        loaded = self._loaded[self.source]
        if self.settings == loaded:
            return False
        self._remember()
        self._apply(loaded)
        return True

    @property
    def loaded_name(self) -> str:
        return self._loaded[self.source].scenario.name

    def set_ceiling(self, pool: str, year: int, amount: Decimal | float | None) -> bool:
        """A pool's ceiling in a year; ``None`` leaves that pool and year unlimited."""
        if amount is None:
            ceilings = {p: dict(by_year) for p, by_year in self.scenario.ceilings.items()}
            ceilings.get(pool, {}).pop(year, None)
            ceilings = {p: by_year for p, by_year in ceilings.items() if by_year}
            return self._change(self.scenario.model_copy(update={"ceilings": ceilings}))
        return self._change(self.scenario.with_ceiling(parse_amount(amount), pool, year))

    def set_envelope(self, index: int | None, envelope: Envelope | None) -> bool:
        """Replace the envelope at ``index`` (``None``: add one); ``envelope`` ``None``
        removes it."""
        envelopes = list(self.scenario.envelopes)
        if index is None:
            if envelope is None:
                return False
            envelopes.append(envelope)
        elif envelope is None:
            del envelopes[index]
        else:
            envelopes[index] = envelope
        return self._change(self.scenario.model_copy(update={"envelopes": tuple(envelopes)}))

    def set_unit_cap(self, unit: str, amount: Decimal | float | None) -> bool:
        """A unit's plan-year cap; ``None`` removes it."""
        caps = dict(self.scenario.unit_caps)
        if amount is None:
            caps.pop(unit, None)
        else:
            caps[unit] = parse_amount(amount)
        return self._change(self.scenario.model_copy(update={"unit_caps": caps}))

    def set_weight(self, key: str, weight: float) -> bool:
        """Move one slider. The plan uses every slider divided by their sum (written into the
        scenario so, exactly as the plan uses them); a sum of 0 is refused."""
        sliders = {**self.slider_weights, key: float(weight)}
        total = sum(sliders.values())
        if total <= 0:
            raise ExplorerError(SCORING_LABELS["weights_zero"])
        weights = {k: v / total for k, v in sliders.items()}
        return self._change(self.scenario.model_copy(update={"weights": weights}), sliders)

    def normalise_weights(self) -> bool:
        """Set the sliders to the weights the plan uses (each divided by the sum): the plan
        does not change, the sliders then read as applied."""
        total = self.weights_sum
        if total <= 0:
            raise ExplorerError(SCORING_LABELS["weights_zero"])
        return self._change(self.scenario, {k: v / total for k, v in self.slider_weights.items()})

    @property
    def weights_sum(self) -> float:
        return sum(self.slider_weights.values())

    def applied_weights(self) -> dict[str, float]:
        """The weights the plan uses, summing to 1."""
        return applied_weights(self.scenario)

    def set_toggle(self, key: str, on: bool) -> bool:
        toggles = self.scenario.toggles.model_copy(update={key: bool(on)})
        return self._change(self.scenario.model_copy(update={"toggles": toggles}))

    def force(self, project_id: str, reason: str, into: bool) -> bool:
        """Force a project in (``into``) or out, with the reason for the audit trail; a project
        named again replaces its earlier decision."""
        decision = Decision(project_id=project_id, reason=reason)
        keep_in = tuple(d for d in self.scenario.force_in if d.project_id != project_id)
        keep_out = tuple(d for d in self.scenario.force_out if d.project_id != project_id)
        if into:
            keep_in += (decision,)
        else:
            keep_out += (decision,)
        return self._change(
            self.scenario.model_copy(update={"force_in": keep_in, "force_out": keep_out})
        )

    def clear_forced(self) -> bool:
        return self._change(self.scenario.model_copy(update={"force_in": (), "force_out": ()}))

    # --- what it gives ---------------------------------------------------------------------

    def solve(self) -> Result:
        start = time.perf_counter()
        plan, _ = plan_scenario(
            self.session.check,
            self.scenario,
            provenance=dict(self.base_plan.provenance),
            bureau_scores=self.session.received.bureau_scores,
            **self.session.plan_inputs(self.scenario),
        )
        if self.result is not None and self.result.scenario is not self.scenario:
            self.previous_plan = self.result.plan
        self.result = Result(plan, time.perf_counter() - start, self.scenario)
        return self.result

    @property
    def plan(self) -> Plan:
        if self.result is None or self.result.scenario is not self.scenario:
            return self.solve().plan
        return self.result.plan

    def headline(self) -> str:
        plan = self.plan
        if plan.status == "infeasible":
            return L["headline_infeasible"].format(diagnosis=self.redaction.text(plan.diagnosis))
        counts = plan.projects["status"].value_counts()
        amount = sum(plan.selected["amount"], Decimal(0))
        return L["headline"].format(
            selected=len(plan.selected),
            forced=counts.get("forced_in", 0),
            amount=format_wan(amount),
            excluded=counts.get("excluded", 0),
            not_selected=counts.get("not_selected", 0),
            value="—" if plan.objective is None else f"{plan.objective:.2f}",
        )

    def changes(self) -> pd.DataFrame:
        """Per project (index ``project_id``): what the last change did to its result
        (``since_last``) and how its result stands against the base scenario's plan
        (``vs_base``), in words; blank where nothing differs."""
        plan = self.plan
        current = plan.projects.set_index("project_id")["status"]
        since = _moves(
            None if self.previous_plan is None else self.previous_plan.projects, current, "now"
        )
        against = _moves(self.base_plan.projects, current, "base", detail=False)
        return pd.DataFrame({"since_last": since, "vs_base": against}, index=current.index)

    def table(self) -> pd.DataFrame:
        return self._table()[0]

    def _table(self) -> tuple[pd.DataFrame, list[str]]:
        """The plan table as shown, and each row's class: rows whose result the last change
        moved come first, then those that differ from the base, then by status."""
        p = self.redaction.frame(self.plan.projects)
        marks = self.changes().reindex(p["project_id"]).reset_index(drop=True)
        p = p.reset_index(drop=True)
        order = {"forced_in": 0, "selected": 1, "not_selected": 2, "excluded": 3}
        p = p.assign(
            _changed=marks["since_last"] != "",
            _differs=marks["vs_base"] != "",
            _o=p["status"].map(order),
            change=[
                "\n".join(filter(None, pair))  # one line each (EXPLORER_STYLE)
                for pair in zip(marks["since_last"], marks["vs_base"], strict=True)
            ],
        ).sort_values(
            ["_changed", "_differs", "_o", "project_id"], ascending=[False, False, True, True]
        )
        classes = [
            " ".join(c for c, on in ((ROW_CHANGED, changed), (ROW_DIFFERS, differs)) if on)
            for changed, differs in zip(p["_changed"], p["_differs"], strict=True)
        ]
        shown = p[["change", "project_id", "name", "unit", "funding_pool", "status", "amount"]]
        shown = shown.assign(
            status=shown["status"].map(PLAN_STATUS_LABELS),
            value=p["value"].map(lambda v: f"{v:.2f}"),
            reason=(p["reason"] + p["article"].map(lambda a: f"（{a}）" if a else "")),
        )
        columns = {**PLAN_COLUMNS, "change": L["change_column"]}
        return shown.rename(columns=columns).reset_index(drop=True), classes

    def table_html(self) -> str:
        """The plan table with each changed row's class (the highlight)."""
        frame, classes = self._table()
        return EXPLORER_STYLE + _with_row_classes(
            frame_html(frame, money=(PLAN_COLUMNS["amount"],)), classes
        )

    def comparison(self) -> Comparison:
        return compare({L["diff_base"]: self.base_plan, L["diff_current"]: self.plan})

    def difference(self) -> pd.DataFrame:
        """Projects whose status differs from the base scenario's plan."""
        return self.redaction.frame(self.comparison().differences)

    def difference_table(self) -> pd.DataFrame:
        """The difference to the base as the meeting reads it: each project taken in or left
        out against the base (or started in another year by a rolling plan), its pool and
        plan-year amount, and both plans' result and reason."""
        comparison = self.comparison()
        diff = self.redaction.frame(comparison.differences)
        base, now = L["diff_base"], L["diff_current"]
        columns = [
            L["change_column"],
            *(PLAN_COLUMNS[k] for k in ("project_id", "name", "unit", "funding_pool", "amount")),
            *(
                L[key].format(plan=plan)
                for plan in (base, now)
                for key in ("diff_status", "diff_reason")
            ),
        ]
        if diff.empty:
            return pd.DataFrame(columns=columns)
        projects = self.plan.projects.set_index("project_id")
        was_in = diff[f"status:{base}"].isin(SELECTED_STATUSES)
        now_in = diff[f"status:{now}"].isin(SELECTED_STATUSES)
        kind = pd.Series(L["base_other"], index=diff.index, dtype=object)
        kind[now_in & ~was_in] = L["base_in"]
        kind[was_in & ~now_in] = L["base_out"]
        ids = diff["project_id"]
        table = pd.DataFrame(
            {
                columns[0]: kind,
                columns[1]: ids,
                columns[2]: diff["name"],
                columns[3]: diff["unit"],
                columns[4]: ids.map(projects["funding_pool"]),
                columns[5]: ids.map(projects["amount"]),
                columns[6]: comparison.status_labels(base),
                columns[7]: diff[f"reason:{base}"],
                columns[8]: comparison.status_labels(now),
                columns[9]: diff[f"reason:{now}"],
            }
        )
        order = {L["base_in"]: 0, L["base_out"]: 1, L["base_other"]: 2}
        table = table.assign(_o=kind.map(order)).sort_values(["_o", columns[1]])
        return table.drop(columns="_o").reset_index(drop=True)

    def difference_summary(self) -> str:
        """One sentence: how many projects and how much money move against the base."""
        table = self.difference_table()
        if table.empty:
            return L["diff_none"]
        kind, amount = table[L["change_column"]], table[PLAN_COLUMNS["amount"]]
        taken, left = kind == L["base_in"], kind == L["base_out"]
        other = int((~taken & ~left).sum())
        return L["diff_summary"].format(
            n_in=int(taken.sum()),
            amount_in=format_wan(sum(amount[taken], Decimal(0))),
            n_out=int(left.sum()),
            amount_out=format_wan(sum(amount[left], Decimal(0))),
        ) + (L["diff_summary_other"].format(n_other=other) if other else "")

    def workbook(self, folder: Path) -> Path:
        from workbench.report.document import plan_document
        from workbench.report.workbook import document_stem, write_workbook

        doc = plan_document(self.plan, self.session.check, internal=self.internal)
        return write_workbook(doc, folder / f"{document_stem(doc)}.xlsx")

    # --- saving --------------------------------------------------------------------------

    def saved_scenario(self, name: str = "") -> Scenario:
        """The current settings as a scenario named ``name`` (default: the loaded one's name)."""
        name = name.strip() or self.scenario.name
        description = L["saved_description"].format(
            base=self.loaded_name, description=self._loaded[self.source].scenario.description
        )
        update: dict[str, object] = {"name": name, "description": description}
        if self.scenario.scores:  # a relative one would be read from the new file's folder
            update["scores"] = str(Path(self.scenario.scores).resolve())
        return self.scenario.model_copy(update=update)

    def scenario_text(self, name: str = "") -> str:
        """The scenario file's text, checked to read back to the same scenario before it is
        offered (never a file that cannot be loaded)."""
        scenario = self.saved_scenario(name)
        text = scenario_yaml(scenario)
        try:
            again = Scenario.model_validate(yaml.safe_load(text))
        except ValidationError as exc:  # pragma: no cover - a bug here, said in Chinese
            raise ExplorerError(
                L["save_failed_invalid"].format(errors=explain_validation_error(exc))
            ) from exc
        if again.model_dump(exclude={"path"}) != scenario.model_dump(exclude={"path"}):
            raise ExplorerError(L["save_failed_invalid"].format(errors=scenario.name))
        return text

    def save(self, folder: Path, name: str, *, overwrite: bool = False) -> Path:
        """Write the settings into ``folder`` as ``<name>.yaml`` (atomically; an existing file
        only with ``overwrite``). Raises :class:`ExplorerError` with the Chinese reason."""
        file_name = scenario_file_name(name)
        stem = file_name.removesuffix(".yaml")
        text = self.scenario_text(stem)
        path = folder / file_name
        try:
            write_new_file(path, text, overwrite=overwrite)
        except FileExistsError:
            raise ExplorerError(L["save_exists"].format(name=file_name)) from None
        except OSError as exc:
            raise ExplorerError(
                L["save_failed"].format(folder=folder, reason=os_reason(exc))
            ) from None
        return path


def applied_weights(scenario: Scenario) -> dict[str, float]:
    """The weights a plan under ``scenario`` scores with, summing to 1 (its model's, with the
    scenario's overridden)."""
    model = load_scoring(scenario.scoring)
    if scenario.weights:
        model = model.with_weights(scenario.weights)
    return model_weights(model)[0]


def _moves(
    before: pd.DataFrame | None, after: pd.Series, when: str, *, detail: bool = True
) -> pd.Series:
    """Per project, in words, how its status in ``after`` differs from ``before``'s: taken in,
    left out, or (``detail``) another status on the same side (拟安排 → 强制纳入)."""
    if before is None:
        return pd.Series("", index=after.index, dtype=object)
    was = before.set_index("project_id")["status"].reindex(after.index)
    was_in, now_in = was.isin(SELECTED_STATUSES), after.isin(SELECTED_STATUSES)
    words = pd.Series("", index=after.index, dtype=object)
    words[now_in & ~was_in] = L[f"{when}_in"]
    words[was_in & ~now_in] = L[f"{when}_out"]
    if detail:
        moved = (was != after) & (was_in == now_in) & was.notna()
        words[moved] = [
            L["now_status"].format(before=PLAN_STATUS_LABELS[b], after=PLAN_STATUS_LABELS[a])
            for b, a in zip(was[moved], after[moved], strict=True)
        ]
    return words


def _with_row_classes(table_html: str, classes: list[str]) -> str:
    """``frame_html``'s table with a class on each body row (cells are escaped, so ``<tr>``
    occurs only as a row's start)."""
    head, _, body = table_html.partition("<tbody>")
    rows = body.split("<tr>")
    out = [rows[0]]
    for row, css in zip(rows[1:], classes, strict=True):
        out.append((f'<tr class="{css}">' if css else "<tr>") + row)
    return head + "<tbody>" + "".join(out)
