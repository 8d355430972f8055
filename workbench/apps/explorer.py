"""情景推演 (scenario explorer): the planner's live view in the meeting with finance. Pick a
scenario; edit every pool's ceilings, the category envelopes, the units' caps, the scoring
weights and the rule switches; force a project in or out with a reason. The plan is solved again
after each change (debounced) and the headline, the plan table (rows whose result changed put
first and highlighted: since the last change, and against the base scenario), the charts, the
difference to the base scenario with amounts and reasons and, on request, the efficient
frontier with the current point, are redrawn. Every change can be undone, the loaded scenario
restored, and the settings saved as a scenario file (downloaded, or written into the scenarios
folder given at start: ``workbench app explorer --scenarios-dir DIR``) that ``workbench plan
--scenario`` reads back to the same plan. The workbook can be downloaded. Classified (涉密)
projects' names are withheld in every view and in the workbook unless the app is served
``--internal`` (``common.Redaction``, the distribution edition's rule).

Weights: the sliders are relative, as in the scoring model (``model_weights`` divides by their
sum). Their sum is shown, and the plan always uses each slider divided by the sum (automatic
normalisation, also what a saved scenario writes); the 按合计归一 button sets the sliders to those
normalised values so that they read as applied.

``Explorer`` holds the state and does the work (tested as plain Python); ``ExplorerApp`` puts
widgets on it for Voilà (``voila_apps/情景推演.ipynb``). The app is four modules, each readable in
one sitting: ``explorer_state`` (``Explorer``), ``scenario_file`` (listing, naming and writing
scenario files), ``explorer_inputs`` (the settings' widgets, ``ExplorerInputs``) and this one
(``ExplorerApp``: what a change does, the results, the layout; ``show``). Every name the app had
is importable from here, as before."""

from __future__ import annotations

import html
import tempfile
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from workbench.apps.common import STYLE, Debounce, download_link, frame_html, image
from workbench.apps.explorer_inputs import (
    ALL_POOLS,
    CEILING_MAX,
    PLAN_YEAR,
    TOGGLES,
    ExplorerInputs,
    _parse_optional_amount,
)
from workbench.apps.explorer_state import (
    EXPLORER_STYLE,
    HISTORY_LIMIT,
    ROW_CHANGED,
    ROW_DIFFERS,
    Explorer,
    Result,
    Settings,
    applied_weights,
)
from workbench.apps.scenario_file import (
    BASE,
    SCENARIO_SUFFIXES,
    YAML_MIME,
    ExplorerError,
    folder_choices,
    scenario_choices,
    scenario_file_name,
    scenario_yaml,
    scenarios_folder_from_env,
    write_new_file,
)
from workbench.labels import APP_LABELS, LEVEL_CITY, PLAN_COLUMNS
from workbench.labels import SOLVE_STATUS_LABELS as STATUS
from workbench.money import AmountError, format_wan, parse_amount
from workbench.report import charts
from workbench.scenario import ScenarioError
from workbench.simulate import commitments

L = APP_LABELS
CHARTS_TAB = 1


def _error(message: str) -> str:
    return f'<span class="wb-error">{html.escape(message)}</span>'


def _ok(message: str) -> str:
    return f'<span class="wb-ok">{html.escape(message)}</span>'


class ExplorerApp(ExplorerInputs):
    """Widgets over an :class:`Explorer`."""

    def __init__(self, explorer: Explorer | None = None, folder: Path | None = None) -> None:
        self.x = explorer or Explorer()
        self.folder = folder if folder is not None else scenarios_folder_from_env()
        year = self.x.session.plan_year
        self._quiet = False
        self.refresh_later = Debounce(self.refresh)
        self.title = widgets.HTML(
            STYLE
            + EXPLORER_STYLE
            + f"<h2>{L['explorer_title'].format(year=year)}</h2>"
            + f'<div class="wb-status wb-edition">{self.x.redaction.edition}</div>'
        )
        self._build_inputs()
        # Saving the settings.
        self.save_name = widgets.Text(
            description=L["save_name"], placeholder=L["save_name_placeholder"]
        ).add_class("wb-save-name")
        self.save_download_button = widgets.Button(description=L["save_download"]).add_class(
            "wb-save-download"
        )
        self.save_button = widgets.Button(
            description=L["save_folder"], disabled=self.folder is None
        ).add_class("wb-save")
        self.overwrite = widgets.Checkbox(
            value=False, description=L["save_overwrite"], indent=False
        ).add_class("wb-overwrite")
        self.save_status = widgets.HTML(
            "" if self.folder is not None else L["save_no_folder"]
        ).add_class("wb-save-status")
        self.save_link = widgets.HTML().add_class("wb-save-link")
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
                widgets.VBox([widgets.HTML(L["change_legend"]), self.plan_table]),
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

    # --- the planner's actions --------------------------------------------------------------

    def _wire(self) -> None:
        self.scenario.observe(self._on_scenario, "value")
        for key, slider in self.weights.items():
            slider.observe(lambda change, k=key: self._on_weight(k, change["new"]), "value")
        for key, box in self.toggles.items():
            box.observe(lambda change, k=key: self._on_toggle(k, change["new"]), "value")
        self.undo_button.on_click(lambda _: self.undo())
        self.reset_button.on_click(lambda _: self.reset())
        self.normalise.on_click(lambda _: self._changed(self.x.normalise_weights))
        self.envelope_pick.observe(self._on_envelope_pick, "value")
        self.envelope_apply.on_click(lambda _: self._on_envelope(remove=False))
        self.envelope_remove.on_click(lambda _: self._on_envelope(remove=True))
        self.cap_unit.observe(lambda _: self._quiet or self._show_cap(), "value")
        self.cap_apply.on_click(lambda _: self._on_cap())
        self.force_in.on_click(lambda _: self._on_force(True))
        self.force_out.on_click(lambda _: self._on_force(False))
        self.clear.on_click(lambda _: self._changed(self.x.clear_forced))
        self.frontier_button.on_click(lambda _: self.show_frontier())
        self.download_button.on_click(lambda _: self.make_download())
        self.save_download_button.on_click(lambda _: self.make_scenario_download())
        self.save_button.on_click(lambda _: self.save())

    def _changed(
        self, change: Any, *args: Any, later: bool = False, keep_typed: bool = False
    ) -> bool:
        """Apply a change to the explorer; a refused one is said in Chinese and changes
        nothing (the inputs show the settings in force again, or with ``keep_typed`` keep
        what was typed, to be corrected); one that changes nothing does not solve again."""
        try:
            done = change(*args)
        except (ExplorerError, AmountError) as exc:
            self.message.value = _error(str(exc))
            if not keep_typed:
                self._sync_inputs()
            return False
        self.message.value = ""
        if not done:
            return False
        self._sync_inputs()
        self.status.value = L["solving"]
        if later:
            self.refresh_later()
        else:
            self.refresh()
        return True

    def _on_scenario(self, change: dict) -> None:
        if self._quiet:
            return
        try:
            self.x.load(change["new"])
        except ScenarioError as exc:
            self.message.value = _error(str(exc))
            self._sync_inputs()
            return
        self.message.value = ""
        self._sync_inputs()
        self.refresh()

    def _on_ceiling(self, pool: str, year: int, value: float | str) -> None:
        if self._quiet:
            return
        if isinstance(value, str):
            try:
                amount = _parse_optional_amount(value)
            except ExplorerError as exc:
                self.message.value = _error(str(exc))
                return
        else:
            amount = parse_amount(value)
        self._changed(self.x.set_ceiling, pool, year, amount, later=True)

    def _on_weight(self, key: str, value: float) -> None:
        if not self._quiet:
            self._changed(self.x.set_weight, key, value, later=True)

    def _on_toggle(self, key: str, value: bool) -> None:
        if not self._quiet:
            self._changed(self.x.set_toggle, key, value, later=True)

    def _on_envelope_pick(self, change: dict) -> None:
        if not self._quiet and change["new"] is not None:
            self._quiet = True
            try:
                self._show_envelope(change["new"])
            finally:
                self._quiet = False

    def _on_envelope(self, remove: bool) -> None:
        index = self.envelope_pick.value
        at = None if index is None or index < 0 else index

        def change() -> bool:
            if remove:
                return at is not None and self.x.set_envelope(at, None)
            return self.x.set_envelope(at, self._envelope_from_inputs())

        if self._changed(change, keep_typed=True) and not remove and at is None:
            self._quiet = True
            try:
                self._sync_envelopes(keep=len(self.x.scenario.envelopes) - 1)
            finally:
                self._quiet = False

    def _on_cap(self) -> None:
        unit = self.cap_unit.value
        self._changed(
            lambda: self.x.set_unit_cap(unit, _parse_optional_amount(self.cap_amount.value)),
            keep_typed=True,
        )

    def _on_force(self, into: bool) -> None:
        reason = self.reason.value.strip()
        if len(reason) < 2:
            self.status.value = f'<span class="wb-error">{L["reason_needed"]}</span>'
            return
        self._changed(self.x.force, self.project.value, reason, into)

    def undo(self) -> None:
        if not self.x.undo():
            self.message.value = _error(L["nothing_to_undo"])
            return
        self._sync_inputs()
        self.refresh()
        self.message.value = _ok(L["undone"])

    def reset(self) -> None:
        if self.x.reset():
            self._sync_inputs()
            self.refresh()
        self.message.value = _ok(L["reset_done"].format(name=self.x.loaded_name))

    # --- saving ---------------------------------------------------------------------------

    def make_scenario_download(self) -> None:
        name = self.save_name.value.strip()
        try:
            file_name = (
                scenario_file_name(name) if name else scenario_file_name(self.x.scenario.name)
            )
            text = self.x.scenario_text(file_name.removesuffix(".yaml"))
        except ExplorerError as exc:
            self.save_status.value = _error(str(exc))
            return
        self.save_status.value = "" if self.folder is not None else L["save_no_folder"]
        self.save_link.value = download_link(text.encode("utf-8"), file_name, mime=YAML_MIME)

    def save(self) -> None:
        """Into the scenarios folder given at start, under the name typed; the dropdown then
        offers the file."""
        if self.folder is None:
            self.save_status.value = _error(L["save_no_folder"])
            return
        try:
            path = self.x.save(self.folder, self.save_name.value, overwrite=self.overwrite.value)
        except ExplorerError as exc:
            self.save_status.value = _error(str(exc))
            return
        self.overwrite.value = False
        self.save_status.value = _ok(L["save_done"].format(path=path))
        self._quiet = True
        try:
            current = self.scenario.value
            self.scenario.options = scenario_choices(self.folder)
            if current in {value for _, value in self.scenario.options}:
                self.scenario.value = current
        finally:
            self._quiet = False

    # --- the results ----------------------------------------------------------------------

    def refresh(self) -> None:
        result = self.x.solve()
        self.status.value = L["solved"].format(
            status=STATUS[result.plan.status], seconds=result.seconds
        )
        self.headline.value = self.x.headline()
        self.plan_table.value = self.x.table_html()
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
        diff = self.x.difference_table()
        summary = f'<p class="wb-diff-summary">{html.escape(self.x.difference_summary())}</p>'
        self.diff.value = summary + (
            "" if diff.empty else frame_html(diff, money=(PLAN_COLUMNS["amount"],))
        )
        self.undo_button.disabled = not self.x.history
        self.frontier.children = []
        self.download.value = ""
        self.save_link.value = ""

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
        with tempfile.TemporaryDirectory() as tmp:
            path = self.x.workbook(Path(tmp))
            self.download.value = download_link(path.read_bytes(), path.name)

    def widget(self) -> widgets.Widget:
        def header(key: str) -> widgets.HTML:
            return widgets.HTML(f"<b>{L[key]}</b>")

        controls = widgets.VBox(
            [
                self.scenario,
                widgets.HBox([self.undo_button, self.reset_button]),
                self.message,
                header("ceilings_header"),
                self.ceiling_box,
                header("envelopes_header"),
                self.envelope_list,
                self.envelope_pick,
                self.envelope_category,
                self.envelope_pool,
                self.envelope_year,
                *self.envelope_bounds.values(),
                widgets.HBox([self.envelope_apply, self.envelope_remove]),
                header("caps_header"),
                self.cap_list,
                self.cap_unit,
                self.cap_amount,
                self.cap_apply,
                header("weights"),
                *self.weights.values(),
                self.weights_sum,
                self.normalise,
                header("toggles"),
                *self.toggles.values(),
                header("force"),
                self.project,
                self.reason,
                widgets.HBox([self.force_in, self.force_out, self.clear]),
                self.forced,
                header("save_header"),
                self.save_name,
                widgets.HBox([self.save_download_button, self.save_button]),
                self.overwrite,
                self.save_status,
                self.save_link,
                self.download_button,
                self.download,
            ],
            layout={"width": "440px"},
        )
        main = widgets.VBox([self.status, self.headline, self.tabs], layout={"flex": "1"})
        return widgets.VBox([self.title, widgets.HBox([controls, main])])


def show() -> widgets.Widget:
    """The app, for a Voilà notebook: ``from workbench.apps.explorer import show; show()``."""
    return ExplorerApp().widget()


__all__ = [
    "ALL_POOLS",
    "BASE",
    "CEILING_MAX",
    "CHARTS_TAB",
    "EXPLORER_STYLE",
    "HISTORY_LIMIT",
    "PLAN_YEAR",
    "ROW_CHANGED",
    "ROW_DIFFERS",
    "SCENARIO_SUFFIXES",
    "TOGGLES",
    "YAML_MIME",
    "Explorer",
    "ExplorerApp",
    "ExplorerError",
    "ExplorerInputs",
    "Result",
    "Settings",
    "applied_weights",
    "folder_choices",
    "scenario_choices",
    "scenario_file_name",
    "scenario_yaml",
    "scenarios_folder_from_env",
    "show",
    "write_new_file",
]
