"""情景推演 (scenario explorer): the planner's live view in the meeting with finance. Pick a
scenario, move a pool's ceilings, the scoring weights and the rule switches, force a project in or
out with a reason; the plan is solved again after each change (debounced) and the headline, the
plan table with every reason, the charts, the difference to the base scenario and, on request,
the efficient frontier with the current point, are redrawn. The workbook can be downloaded.
Classified (涉密) projects' names are withheld in every view and in the workbook unless the
app is served ``--internal`` (``common.Redaction``, the distribution edition's rule).

``Explorer`` holds the state and does the work (tested as plain Python); ``ExplorerApp`` puts
widgets on it for Voilà (``voila_apps/情景推演.ipynb``)."""

from __future__ import annotations

import html
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import ipywidgets as widgets
import pandas as pd

from workbench.apps import internal_from_env, session_from_env
from workbench.apps.common import STYLE, Debounce, Redaction, download_link, frame_html, image
from workbench.compare import compare, plan_scenario
from workbench.labels import APP_LABELS, LEVEL_CITY, PLAN_COLUMNS, PLAN_STATUS_LABELS
from workbench.labels import SOLVE_STATUS_LABELS as STATUS
from workbench.money import format_wan
from workbench.planner import Plan
from workbench.report import charts
from workbench.scenario import Decision, Scenario, load_scenario, scenarios_dir
from workbench.session import Session
from workbench.simulate import commitments

L = APP_LABELS
BASE = "base"
CHARTS_TAB = 1
TOGGLES = (
    "system_count",
    "one_domain_one_platform",
    "dependencies",
    "force_in_mandated",
    "force_in_existing_om",
)


def scenario_choices() -> list[tuple[str, str]]:
    """(label, file stem) of the shipped scenarios, 基准 first."""
    stems = sorted(p.stem for p in scenarios_dir().glob("*.yaml"))
    stems.sort(key=lambda s: s != BASE)
    return [(f"{load_scenario(s).name}（{s}）", s) for s in stems]


@dataclass
class Result:
    plan: Plan
    seconds: float


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
        self.load(scenario)

    # --- what the planner changes --------------------------------------------------------

    def load(self, name: str | None) -> None:
        """The session's scenario (``None``), or a shipped one by name. On one's own forms the
        shipped scenarios are the sample's: 基准 means the session's own scenario and the others
        are laid over it as variants (their weights, toggles, deferral; 压减20% of its own
        ceilings), never the sample's pools and amounts."""
        session = self.session
        if name is None or (name == BASE and not session.files.using_sample):
            scenario = session.scenario
        elif session.files.using_sample:
            scenario = load_scenario(name)
        else:
            scenario = session.scenario.variant(name)
        self.scenario: Scenario = scenario.for_year(session.plan_year)
        self.result: Result | None = None

    def set_ceiling(self, pool: str, year: int, amount: Decimal | float) -> None:
        self.scenario = self.scenario.with_ceiling(Decimal(str(amount)), pool, year)

    def set_weight(self, key: str, weight: float) -> None:
        self.scenario = self.scenario.model_copy(
            update={"weights": {**self.scenario.weights, key: float(weight)}}
        )

    def set_toggle(self, key: str, on: bool) -> None:
        toggles = self.scenario.toggles.model_copy(update={key: bool(on)})
        self.scenario = self.scenario.model_copy(update={"toggles": toggles})

    def force(self, project_id: str, reason: str, into: bool) -> None:
        """Force a project in (``into``) or out, with the reason for the audit trail; a project
        named again replaces its earlier decision."""
        decision = Decision(project_id=project_id, reason=reason)
        keep_in = tuple(d for d in self.scenario.force_in if d.project_id != project_id)
        keep_out = tuple(d for d in self.scenario.force_out if d.project_id != project_id)
        if into:
            keep_in += (decision,)
        else:
            keep_out += (decision,)
        self.scenario = self.scenario.model_copy(
            update={"force_in": keep_in, "force_out": keep_out}
        )

    def clear_forced(self) -> None:
        self.scenario = self.scenario.model_copy(update={"force_in": (), "force_out": ()})

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
        self.result = Result(plan, time.perf_counter() - start)
        return self.result

    @property
    def plan(self) -> Plan:
        return (self.result or self.solve()).plan

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

    def table(self) -> pd.DataFrame:
        p = self.redaction.frame(self.plan.projects)
        order = {"forced_in": 0, "selected": 1, "not_selected": 2, "excluded": 3}
        p = p.assign(_o=p["status"].map(order)).sort_values(["_o", "project_id"])
        shown = p[["project_id", "name", "unit", "funding_pool", "status", "amount", "value"]]
        shown = shown.assign(
            status=shown["status"].map(PLAN_STATUS_LABELS),
            value=shown["value"].map(lambda v: f"{v:.2f}"),
            reason=(p["reason"] + p["article"].map(lambda a: f"（{a}）" if a else "")),
        )
        return shown.rename(columns=PLAN_COLUMNS).reset_index(drop=True)

    def difference(self) -> pd.DataFrame:
        """Projects whose status differs from the base scenario's plan."""
        comparison = compare({L["diff_base"]: self.base_plan, L["diff_current"]: self.plan})
        return self.redaction.frame(comparison.differences)

    def workbook(self, folder: Path) -> Path:
        from workbench.report.document import plan_document
        from workbench.report.workbook import document_stem, write_workbook

        doc = plan_document(self.plan, self.session.check, internal=self.internal)
        return write_workbook(doc, folder / f"{document_stem(doc)}.xlsx")


class ExplorerApp:
    """Widgets over an :class:`Explorer`."""

    def __init__(self, explorer: Explorer | None = None) -> None:
        self.x = explorer or Explorer()
        year = self.x.session.plan_year
        self.refresh_later = Debounce(self.refresh)
        self.title = widgets.HTML(
            STYLE
            + f"<h2>{L['explorer_title'].format(year=year)}</h2>"
            + f'<div class="wb-status wb-edition">{self.x.redaction.edition}</div>'
        )
        self.scenario = widgets.Dropdown(
            options=scenario_choices(), value=BASE, description=L["scenario"]
        )
        self.pool = widgets.Dropdown(
            options=sorted(self.x.scenario.ceilings, key=lambda p: (p != LEVEL_CITY, p)),
            value=LEVEL_CITY,
            description=L["pool"],
        )
        self.ceilings = {
            y: widgets.BoundedFloatText(
                min=0,
                max=10_000_000,
                step=100,
                description=L["ceiling_year"].format(year=y),
                style={"description_width": "initial"},
            ).add_class(f"wb-ceiling-{y}")
            for y in self.x.scenario.years
        }
        names = {c.key: c.name for c in self.x.session.scores.model.criteria}
        self.weights = {
            k: widgets.FloatSlider(
                min=0,
                max=0.5,
                step=0.01,
                value=round(w, 2),
                description=names[k],
                style={"description_width": "140px"},
                continuous_update=False,
            ).add_class(f"wb-weight-{k}")
            for k, w in self.x.session.scores.weights.items()
        }
        self.toggles = {
            k: widgets.Checkbox(value=True, description=L[f"toggle_{k}"], indent=False).add_class(
                f"wb-toggle-{k}"
            )
            for k in TOGGLES
        }
        projects = self.x.session.check.candidates.sort_values("project_id")
        self.project = widgets.Dropdown(
            options=[
                (f"{r.project_id} {self.x.redaction.name(r.project_id, r.name)}", r.project_id)
                for r in projects.itertuples()
            ],
            description=L["project"],
        ).add_class("wb-project")
        self.reason = widgets.Text(
            description=L["reason"], style={"description_width": "initial"}
        ).add_class("wb-reason")
        self.force_in = widgets.Button(description=L["force_in"]).add_class("wb-force-in")
        self.force_out = widgets.Button(description=L["force_out"]).add_class("wb-force-out")
        self.clear = widgets.Button(description=L["clear"]).add_class("wb-clear")
        self.forced = widgets.HTML().add_class("wb-forced")
        self.status = widgets.HTML().add_class("wb-status")
        self.headline = widgets.HTML().add_class("wb-headline")
        self.plan_table = widgets.HTML().add_class("wb-plan-table")
        self.charts = widgets.VBox()
        self.diff = widgets.HTML().add_class("wb-diff")
        self.frontier_button = widgets.Button(description=L["frontier_button"]).add_class(
            "wb-frontier-button"
        )
        self.frontier = widgets.VBox()
        self.download_button = widgets.Button(description=L["download"]).add_class(
            "wb-download-button"
        )
        self.download = widgets.HTML()
        self.tabs = widgets.Tab(
            children=[
                self.plan_table,
                self.charts,
                widgets.VBox([self.frontier_button, self.frontier]),
                self.diff,
            ]
        )
        for i, key in enumerate(("tab_plan", "tab_charts", "tab_frontier", "tab_diff")):
            self.tabs.set_title(i, L[key])
        self.tabs.observe(lambda _: self.draw_charts(), "selected_index")
        self._charts_stale = True
        self._sync_inputs()
        self._wire()
        self.refresh()

    def _sync_inputs(self) -> None:
        """Show the scenario's values in the inputs without triggering a solve."""
        self._quiet = True
        pool = self.pool.value
        for year, box in self.ceilings.items():
            value = self.x.scenario.ceilings.get(pool, {}).get(year)
            box.value = float(value) if value is not None else 0.0
        for key, box in self.toggles.items():
            box.value = getattr(self.x.scenario.toggles, key)
        self._quiet = False

    def _wire(self) -> None:
        self.scenario.observe(self._on_scenario, "value")
        self.pool.observe(lambda _: self._sync_inputs(), "value")
        for year, box in self.ceilings.items():
            box.observe(lambda change, y=year: self._on_ceiling(y, change["new"]), "value")
        for key, slider in self.weights.items():
            slider.observe(lambda change, k=key: self._on_weight(k, change["new"]), "value")
        for key, box in self.toggles.items():
            box.observe(lambda change, k=key: self._on_toggle(k, change["new"]), "value")
        self.force_in.on_click(lambda _: self._on_force(True))
        self.force_out.on_click(lambda _: self._on_force(False))
        self.clear.on_click(lambda _: (self.x.clear_forced(), self.refresh()))
        self.frontier_button.on_click(lambda _: self.show_frontier())
        self.download_button.on_click(lambda _: self.make_download())

    def _on_scenario(self, change: dict) -> None:
        self.x.load(change["new"])
        self._sync_inputs()
        self.refresh()

    def _on_ceiling(self, year: int, value: float) -> None:
        if not self._quiet:
            self.x.set_ceiling(self.pool.value, year, value)
            self.status.value = L["solving"]
            self.refresh_later()

    def _on_weight(self, key: str, value: float) -> None:
        self.x.set_weight(key, value)
        self.status.value = L["solving"]
        self.refresh_later()

    def _on_toggle(self, key: str, value: bool) -> None:
        if not self._quiet:
            self.x.set_toggle(key, value)
            self.status.value = L["solving"]
            self.refresh_later()

    def _on_force(self, into: bool) -> None:
        reason = self.reason.value.strip()
        if len(reason) < 2:
            self.status.value = f'<span class="wb-error">{L["reason_needed"]}</span>'
            return
        self.x.force(self.project.value, reason, into)
        self.refresh()

    def refresh(self) -> None:
        result = self.x.solve()
        self.status.value = L["solved"].format(
            status=STATUS[result.plan.status], seconds=result.seconds
        )
        self.headline.value = self.x.headline()
        self.plan_table.value = frame_html(self.x.table(), money=(PLAN_COLUMNS["amount"],))
        forced = [
            L["forced_list"].format(
                kind=kind, pid=d.project_id, reason=self.x.redaction.text(d.reason)
            )
            for kind, decisions in (
                (L["force_in"], self.x.scenario.force_in),
                (L["force_out"], self.x.scenario.force_out),
            )
            for d in decisions
        ]
        self.forced.value = "<br>".join(map(html.escape, forced)) or L["none_forced"]
        self._charts_stale = True
        self.draw_charts()
        diff = self.x.difference()
        if diff.empty:
            self.diff.value = L["diff_none"]
        else:
            shown = diff[["project_id", "name", "unit"]].rename(columns=PLAN_COLUMNS)
            for column in diff.columns:
                if column.startswith("status:"):
                    shown[column.removeprefix("status:")] = diff[column].map(PLAN_STATUS_LABELS)
            self.diff.value = frame_html(shown)
        self.frontier.children = []
        self.download.value = ""

    def draw_charts(self) -> None:
        """The charts take longer than the solve: drawn when their tab is open."""
        if not self._charts_stale or self.tabs.selected_index != CHARTS_TAB:
            return
        plan = self.x.plan
        self.charts.children = (
            [
                image(charts.budget_by_category_and_pool(plan)),
                image(charts.commitments_chart(commitments(plan))),
            ]
            if not plan.selected.empty
            else []
        )
        self._charts_stale = False

    def show_frontier(self) -> None:
        from workbench.report.outputs import report_frontier

        plan = self.x.plan
        table = report_frontier(plan)
        if table is None:
            return
        ceiling = plan.scenario.ceilings.get(LEVEL_CITY, {}).get(plan.scenario.plan_year)
        note = L["frontier_note"].format(
            pool=LEVEL_CITY, year=plan.scenario.plan_year, ceiling=format_wan(ceiling or 0)
        )
        self.frontier.children = [image(charts.frontier_chart(table, plan)), widgets.HTML(note)]

    def make_download(self) -> None:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            path = self.x.workbook(Path(tmp))
            self.download.value = download_link(path.read_bytes(), path.name)

    def widget(self) -> widgets.Widget:
        controls = widgets.VBox(
            [
                self.scenario,
                self.pool,
                *self.ceilings.values(),
                widgets.HTML(f"<b>{L['weights']}</b>"),
                *self.weights.values(),
                widgets.HTML(f"<b>{L['toggles']}</b>"),
                *self.toggles.values(),
                widgets.HTML(f"<b>{L['force']}</b>"),
                self.project,
                self.reason,
                widgets.HBox([self.force_in, self.force_out, self.clear]),
                self.forced,
                self.download_button,
                self.download,
            ],
            layout={"width": "420px"},
        )
        main = widgets.VBox([self.status, self.headline, self.tabs], layout={"flex": "1"})
        return widgets.VBox([self.title, widgets.HBox([controls, main])])


def show() -> widgets.Widget:
    """The app, for a Voilà notebook: ``from workbench.apps.explorer import show; show()``."""
    return ExplorerApp().widget()
