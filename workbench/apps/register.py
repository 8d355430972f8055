"""项目库 (register app): the register's deadlines on a day, by obligation (stage) and by unit,
the overdue and due-soon ones with their articles, one project's life event by event, and an
event table uploaded and recorded (``workbench db events`` in the browser). The tables are
notebook 08's (:mod:`workbench.register.views`).

Which register: ``workbench app register --db URL`` (``ENV_DB``); without it the demo register
(``workbench db demo``'s, 合成数据) in a temporary file, which uploads then go into. An upload is
size-checked as the checker's is (the page refuses a selection over ``UPLOAD_LIMIT_BYTES``, the
kernel a file over it), saved under its base name in a private temporary folder and imported
by :meth:`Register.import_events`: recorded by the account the server runs under, with the
file's name and SHA-256, each row accepted or rejected with its file, sheet, row and column.
Classified (涉密) projects' names, notes and conclusions are withheld unless served
``--internal``, as in the other apps."""

from __future__ import annotations

import datetime as dt
import html
import os
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as widgets
import pandas as pd

from workbench.apps import ENV_DB, internal_from_env
from workbench.apps.checker import upload_limit
from workbench.apps.common import STYLE, Redaction, frame_html, uploaded
from workbench.intake import IntakeFileError
from workbench.labels import (
    APP_LABELS,
    CLI_LABELS,
    DB_LABELS,
    PLAN_COLUMNS,
    REGISTER_VIEW_LABELS,
    REPORT_LABELS,
    SESSION_LABELS,
)
from workbench.policy.pack import PolicyPack
from workbench.register.db import RegisterError
from workbench.register.event_import import EventImport
from workbench.register.event_table import event_contract
from workbench.register.store import Register
from workbench.register.views import STATUS_NAMES, RegisterViews, open_views

L = APP_LABELS
V = REGISTER_VIEW_LABELS
PROJECT_ID = PLAN_COLUMNS["project_id"]
NAME = PLAN_COLUMNS["name"]
# What an accepted row of an event table shows, by its key in the event table's contract.
ACCEPTED_KEYS = ("project_id", "name", "event", "date", "amount", "result", "note")
REJECTION_KEYS = ("file", "sheet", "row", "column", "reason")
OPTIONAL_KEYS = ("name", "result")  # columns an event table may leave out

__all__ = ["EventUpload", "RegisterApp", "classified", "import_upload", "show"]


def _error(text: str) -> str:
    return f'<span class="wb-error">{html.escape(text)}</span>'


@dataclass(frozen=True)
class EventUpload:
    """What an upload did: the import, the files refused, and the pack that names the event
    table's columns."""

    result: EventImport
    refused: tuple[str, ...]
    pack: PolicyPack

    def summary(self) -> str:
        return DB_LABELS["import_summary"].format(**self.result.counts())

    def accepted(self) -> pd.DataFrame:
        """The rows read and accepted (added now, or already in the register), with their file
        and row; 项目名称 and 结论 only when a row gives one."""
        rows = self.result.intake.accepted
        contract = event_contract(self.pack)
        keys = [
            k
            for k in ACCEPTED_KEYS
            if k in rows and (k not in OPTIONAL_KEYS or (rows[k].fillna("") != "").any())
        ]
        shown = pd.DataFrame(
            {
                SESSION_LABELS["file"]: rows["source_file"].map(lambda f: Path(str(f)).name),
                SESSION_LABELS["row"]: rows["source_row"].astype("Int64"),
                **{contract.label(k): rows[k] for k in keys},
            }
        )
        return shown.reset_index(drop=True)

    def rejections(self) -> pd.DataFrame:
        """Each problem found: file (as uploaded), sheet, row, column and reason, in Chinese."""
        rej = self.result.intake.rejections[list(REJECTION_KEYS)].copy()
        rej["file"] = rej["file"].map(lambda f: Path(str(f)).name)
        rej["row"] = rej["row"].astype("Int64")
        return rej.rename(columns=SESSION_LABELS).reset_index(drop=True)


def import_upload(
    register: Register, files: list[tuple[str, bytes]], *, by: str | None = None
) -> EventUpload:
    """Record uploaded event tables (name, content) in ``register``. Files over the limit are
    refused with a reason; the others are imported together, in one transaction. No file at
    all, or none under the limit, is an :class:`IntakeFileError` (its message Chinese)."""
    with uploaded(files, V["no_files"]) as (paths, refused):
        result = register.import_events(paths, by=by)
    return EventUpload(result, tuple(refused), register.pack)


def classified(register: Register, internal: bool) -> Redaction:
    """What the app withholds: the projects whose latest submission says 是否涉密 是 / 部分 (the
    pack's ``classified`` values), by id and by name; nothing when ``internal``."""
    if internal:
        return Redaction(internal=True)
    values = set(register.pack.rules.classified.values)
    latest = register.submissions(latest=True)
    hidden = {s.project_id for s in latest if str(s.row.get("classified") or "") in values}
    names = {s.name for s in latest if s.project_id in hidden}
    names |= {p.name for p in register.projects() if p.project_id in hidden}
    return Redaction(frozenset(hidden), frozenset(n for n in names if n))


class RegisterApp:
    def __init__(
        self,
        views: RegisterViews | None = None,
        *,
        internal: bool | None = None,
        by: str | None = None,
    ) -> None:
        self.views = views or open_views(os.environ.get(ENV_DB) or None)
        self.internal = internal_from_env() if internal is None else internal
        self.by = by
        assert self.views.register is not None  # the app always has one (the demo at least)
        self.register: Register = self.views.register
        self.redaction = classified(self.register, self.internal)
        edition = f'<div class="wb-note">{html.escape(self.redaction.edition)}</div>'
        self.title = widgets.HTML(
            STYLE + f"<h2>{V['app_title']}</h2><div class='wb-note'>"
            f"{html.escape(self.views.where)}</div>" + edition
        ).add_class("wb-title")
        self.as_of = widgets.DatePicker(value=self.views.as_of, description=V["as_of"]).add_class(
            "wb-as-of"
        )
        self.summary = widgets.HTML().add_class("wb-headline")
        self.stages = widgets.HTML().add_class("wb-stages")
        self.due = widgets.HTML().add_class("wb-overdue")
        self.project = widgets.Dropdown(
            description=L["project"], layout={"width": "640px"}
        ).add_class("wb-project")
        self.timeline = widgets.HTML().add_class("wb-timeline")
        self.upload = widgets.FileUpload(
            accept=".xlsx,.csv", multiple=True, description=V["upload"], layout={"width": "320px"}
        ).add_class("wb-upload")
        self.button = widgets.Button(description=V["import_button"]).add_class("wb-import")
        self.limit = widgets.HTML(upload_limit()).add_class("wb-upload-limit")
        self.status = widgets.HTML().add_class("wb-status")
        self.accepted = widgets.HTML().add_class("wb-accepted")
        self.rejected = widgets.HTML().add_class("wb-rejected")
        self.tabs = widgets.Tab(
            children=[
                self.stages,
                self.due,
                widgets.VBox([self.project, self.timeline]),
                widgets.VBox(
                    [
                        widgets.HBox([self.upload, self.button]),
                        self.limit,
                        self.status,
                        self.rejected,
                        self.accepted,
                    ]
                ),
            ],
            titles=[V["tab_stages"], V["tab_overdue"], V["tab_timeline"], V["tab_upload"]],
        )
        self.draw()
        self.project.value = self.views.example_project
        self.show_timeline()
        self.as_of.observe(lambda _: self.change_day(), "value")
        self.project.observe(lambda _: self.show_timeline(), "value")
        self.button.on_click(lambda _: self.run_import())
        self.upload.observe(lambda _: self.run_import(), "value")

    # -- what is shown -------------------------------------------------------------------------

    def shown(self, frame: pd.DataFrame | None) -> pd.DataFrame:
        """``frame`` as it may be shown: classified projects' names withheld, wherever quoted."""
        if frame is None:
            return pd.DataFrame()
        if PROJECT_ID not in frame or NAME not in frame:
            return self.redaction.frame(frame.assign(project_id="")).drop(columns="project_id")
        renamed = frame.rename(columns={PROJECT_ID: "project_id", NAME: "name"})
        return self.redaction.frame(renamed).rename(
            columns={"project_id": PROJECT_ID, "name": NAME}
        )

    def draw(self) -> None:
        """Every view of the register on the chosen day."""
        v, listing = self.views, self.views.listing
        assert listing is not None
        self.summary.value = html.escape(v.counts_line())
        self.stages.value = (
            f"<h3>{V['by_stage']}</h3>"
            + frame_html(self.shown(v.by_stage()))
            + f"<h3>{V['by_unit']}</h3>"
            + frame_html(self.shown(v.by_unit()))
        )
        counts = listing.counts()
        parts = []
        for status, frame in (("overdue", v.overdue()), ("due_soon", v.due_soon())):
            heading = V["status_count"].format(status=STATUS_NAMES[status], count=counts[status])
            table = self.shown(frame)
            parts.append(
                f"<h3>{heading}</h3>"
                + (frame_html(table) if not table.empty else CLI_LABELS["none"])
            )
        found = self.shown(v.findings())
        parts.append(
            f"<h3>{DB_LABELS['due_findings'].format(count=len(found))}</h3>"
            + (frame_html(found) if not found.empty else CLI_LABELS["none"])
        )
        if v.notices():
            notes = "".join(f"<div>{html.escape(n)}</div>" for n in v.notices().splitlines())
            parts.append(f"<h3>{DB_LABELS['due_notices']}</h3><div class='wb-note'>{notes}</div>")
        self.due.value = "".join(parts)
        options = tuple(
            (f"{pid} {self.redaction.name(pid, name)}", pid) for pid, name in v.projects()
        )
        if options != tuple(self.project.options):  # new projects came with an upload
            chosen = self.project.value
            self.project.options = options
            if chosen in {pid for _, pid in options}:
                self.project.value = chosen

    def show_timeline(self) -> None:
        pid = self.project.value
        if pid is None:
            self.timeline.value = ""
            return
        table = self.shown(self.views.timeline(pid))
        if pid in self.redaction.hidden:
            contract = event_contract(self.register.pack)
            for column in (contract.label("note"), DB_LABELS["col_result"]):
                if column in table:
                    table[column] = REPORT_LABELS["redacted_text"]
        self.timeline.value = frame_html(table) if not table.empty else DB_LABELS["history_none"]

    # -- what the user does -------------------------------------------------------------------

    def change_day(self) -> None:
        day = self.as_of.value
        if not isinstance(day, dt.date):
            return
        try:
            self.views.refresh(day)
        except RegisterError as exc:
            self.summary.value = _error(str(exc))
            return
        self.draw()
        self.show_timeline()

    def run_import(self) -> None:
        files = [(f["name"], bytes(f["content"])) for f in self.upload.value]
        if not files:
            self.status.value = V["no_files"]
            return
        try:
            done = import_upload(self.register, files, by=self.by)
        except (IntakeFileError, RegisterError) as exc:
            self.status.value = _error(str(exc))
            self.accepted.value = self.rejected.value = ""
            return
        notes = "".join(f'<div class="wb-error">{html.escape(r)}</div>' for r in done.refused)
        self.status.value = html.escape(done.summary()) + notes
        rejections = done.rejections()
        self.rejected.value = f"<h3>{L['rejected_header']}</h3>" + (
            frame_html(rejections) if not rejections.empty else L["none_rejected"]
        )
        accepted = self.shown(done.accepted())
        self.accepted.value = (
            f"<h3>{V['accepted_header']}</h3>{frame_html(accepted)}" if not accepted.empty else ""
        )
        self.change_day()  # the views as the register now stands

    def widget(self) -> widgets.Widget:
        return widgets.VBox([self.title, self.as_of, self.summary, self.tabs]).add_class(
            "wb-register"
        )


def show() -> widgets.Widget:
    return RegisterApp().widget()
