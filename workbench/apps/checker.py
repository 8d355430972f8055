"""申报自查 (intake checker): a department uploads its forms before the July deadline and sees,
in the browser, every row that would not be accepted (file, sheet, row, column, reason) and every
finding on its projects with the article behind it, and downloads the result as a workbook.

The page opens on what to do (:func:`guide`): the intake template to fill in (the form
``workbench template`` writes, offered as a ``data:`` link made in the kernel: no file on the
server, nothing from the network), what to upload and the limit, and where the results appear.
Choosing files runs the check: there is no button to press afterwards.

Uploads are size-checked twice: the page refuses a selection over ``UPLOAD_LIMIT_BYTES`` before
sending it (the ``workbench`` Voilà template reads the limit and the words off ``upload_limit``'s
element), and a file over it that reaches the kernel is refused before anything is written. The
others are saved under their base names in a private temporary folder and read by the same
readers as the command line (defusedxml, the file-size limit, formulas by their cached values).
Classified (涉密) projects' names and findings are withheld unless served ``--internal``."""

from __future__ import annotations

import html
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import ipywidgets as widgets
import pandas as pd

from workbench.apps import UPLOAD_LIMIT_BYTES, internal_from_env
from workbench.apps.common import (
    STYLE,
    Redaction,
    download_link,
    frame_html,
    megabytes,
    uploaded,
)
from workbench.intake import IntakeFileError, IntakeResult, read_table
from workbench.intake.template import write_template
from workbench.labels import (
    APP_LABELS,
    CLI_LABELS,
    PLAN_COLUMNS,
    SESSION_LABELS,
    SEVERITY_LABELS,
    TEMPLATE_LABELS,
)
from workbench.policy import CheckResult, check, load_pack
from workbench.report.safe import safe_frame

L = APP_LABELS
__all__ = [
    "UPLOAD_LIMIT_BYTES",
    "CheckerApp",
    "SelfCheck",
    "guide",
    "self_check",
    "show",
    "template_bytes",
    "upload_limit",
]

# The guidance box; the tables keep the house style (common.STYLE).
GUIDE_STYLE = """
<style>
.wb-guide { background: #f4f6fb; border-left: 4px solid #2f5597; padding: 6px 12px; margin: 4px 0 8px; }
.wb-guide ol { margin: 4px 0; padding-left: 22px; line-height: 1.7; }
.wb-guide .wb-download { font-weight: bold; white-space: nowrap; color: #2f5597; text-decoration: underline; }
</style>
"""


def template_bytes(plan_year: int) -> bytes:
    """The intake form that ``workbench template`` writes for ``plan_year``, as bytes: the page
    offers it as a ``data:`` link, so a department gets the very form the readers expect
    without a file left on the server or anything fetched from the network."""
    with tempfile.TemporaryDirectory(prefix="workbench-template-") as tmp:
        return write_template(Path(tmp) / "template.xlsx", plan_year).read_bytes()


def guide(plan_year: int, limit: int = UPLOAD_LIMIT_BYTES) -> str:
    """What a department does, shown before anything is chosen: fill in the template (the
    download link), choose the filled forms (xlsx/csv, within ``limit``), read the results as
    they appear below. Choosing the files is what runs the check."""
    link = download_link(template_bytes(plan_year), L["template_file"].format(year=plan_year))
    steps = (
        html.escape(
            L["checker_step_template"].format(
                form=TEMPLATE_LABELS["sheet_form"],
                instructions=TEMPLATE_LABELS["sheet_instructions"],
            )
        )
        + f' <span class="wb-template">{link}</span>',
        html.escape(L["checker_step_upload"].format(limit=megabytes(limit))),
        html.escape(L["checker_step_results"]),
    )
    items = "".join(f"<li>{step}</li>" for step in steps)
    return (
        f'{GUIDE_STYLE}<div class="wb-guide"><b>{L["checker_guide_title"]}</b><ol>{items}</ol>'
        f'<div class="wb-note">{html.escape(L["checker_note"])}</div></div>'
    )


def upload_limit(limit: int = UPLOAD_LIMIT_BYTES) -> str:
    """The limit said beside the upload button, on an element that carries it for the page's
    script (``data-wb-upload-limit``, with the words it shows: ``{name}`` and ``{size}`` are
    filled in by the script), and the place where the script says why it refused."""
    words = {
        "upload-limit": str(limit),
        "too-large": L["upload_too_large"].format(
            name="{name}", size="{size}", limit=megabytes(limit)
        ),
        "too-much": L["upload_too_much"].format(size="{size}", limit=megabytes(limit)),
        "dropped": L["upload_dropped"].format(limit=megabytes(limit)),
    }
    data = " ".join(f'data-wb-{key}="{html.escape(value)}"' for key, value in words.items())
    return (
        f'<div class="wb-note" {data}>{L["upload_limit"].format(limit=megabytes(limit))}</div>'
        '<div class="wb-error wb-upload-refused" role="alert"></div>'
    )


@dataclass(frozen=True)
class SelfCheck:
    intake: IntakeResult
    result: CheckResult
    refused: tuple[str, ...]  # files not read, with the reason
    redaction: Redaction = field(default_factory=Redaction)

    def rejections(self) -> pd.DataFrame:
        rej = self.intake.rejections[["file", "sheet", "row", "column", "reason"]].copy()
        rej["file"] = rej["file"].map(lambda f: Path(str(f)).name)
        rej["row"] = rej["row"].astype("Int64")
        return rej.rename(columns=SESSION_LABELS)

    def findings(self) -> pd.DataFrame:
        f = self.result.findings.merge(
            self.result.candidates[["project_id", "name"]], on="project_id"
        )
        f = self.redaction.frame(f, text=("message",))
        shown = pd.DataFrame(
            {
                PLAN_COLUMNS["project_id"]: f["project_id"],
                PLAN_COLUMNS["name"]: f["name"],
                SESSION_LABELS["article"]: f["article"],
                SESSION_LABELS["severity"]: f["severity"].map(SEVERITY_LABELS),
                CLI_LABELS["findings"]: f["message"],
            }
        )
        return shown.reset_index(drop=True)

    def projects(self) -> pd.DataFrame:
        """Per project: category, approval route, supervision, its worst finding."""
        c = self.redaction.frame(self.result.candidates)
        worst = self.result.worst_severity().map(lambda s: SEVERITY_LABELS.get(s, "") if s else "")
        return pd.DataFrame(
            {
                PLAN_COLUMNS["project_id"]: c["project_id"],
                PLAN_COLUMNS["name"]: c["name"],
                CLI_LABELS["category"]: c["category_effective"],
                CLI_LABELS["route"]: c["approval_route"],
                CLI_LABELS["supervision"]: c["supervision_required"].map(
                    lambda v: CLI_LABELS["supervision_yes"] if v else CLI_LABELS["supervision_no"]
                ),
                SESSION_LABELS["severity"]: worst.to_numpy(),
            }
        )

    def workbook(self) -> bytes:
        import io

        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            for sheet, frame in (
                (L["annotated_sheet_projects"], self.projects()),
                (L["annotated_sheet_findings"], self.findings()),
                (L["annotated_sheet_rows"], self.rejections()),
            ):
                safe_frame(frame).to_excel(writer, sheet_name=sheet, index=False)
        return buffer.getvalue()


def self_check(
    files: list[tuple[str, bytes]], plan_year: int, *, internal: bool = False
) -> SelfCheck:
    """Read and check uploaded files (name, content). Files over the limit are refused with a
    reason; the others are read together. Classified projects are withheld unless
    ``internal``."""
    with uploaded(files, L["no_files"]) as (paths, refused):
        intake = read_table(paths)
    result = check(intake.accepted, pack=load_pack(None), plan_year=plan_year)
    return SelfCheck(intake, result, tuple(refused), Redaction.of(result, internal))


class CheckerApp:
    def __init__(self, plan_year: int | None = None, *, internal: bool | None = None) -> None:
        import datetime as dt
        import os

        from workbench.apps import ENV_YEAR

        self.plan_year = plan_year or int(os.environ.get(ENV_YEAR) or dt.date.today().year + 1)
        self.internal = internal_from_env() if internal is None else internal
        self.title = widgets.HTML(
            STYLE + f"<h2>{L['checker_title'].format(year=self.plan_year)}</h2>"
        )
        self.upload = widgets.FileUpload(
            accept=".xlsx,.csv",
            multiple=True,
            description=L["upload"],
            layout={"width": "320px"},
        ).add_class("wb-upload")
        self.guide = widgets.HTML(guide(self.plan_year)).add_class("wb-guide-box")
        self.limit = widgets.HTML(upload_limit()).add_class("wb-upload-limit")
        self.status = widgets.HTML().add_class("wb-status")
        self.rejected = widgets.HTML().add_class("wb-rejected")
        self.found = widgets.HTML().add_class("wb-findings")
        self.download = widgets.HTML().add_class("wb-annotated")
        self.upload.observe(lambda _: self.run(), "value")

    def run(self) -> None:
        files = [(f["name"], bytes(f["content"])) for f in self.upload.value]
        if not files:
            self.status.value = L["no_files"]
            return
        # Said at once: a large upload takes seconds to read and check.
        self.status.value = L["checking"]
        self.rejected.value = self.found.value = self.download.value = ""
        try:
            done = self_check(files, self.plan_year, internal=self.internal)
        except IntakeFileError as exc:
            self.status.value = f'<span class="wb-error">{html.escape(str(exc))}</span>'
            return
        totals = done.intake.totals()
        notes = "".join(f'<div class="wb-error">{html.escape(r)}</div>' for r in done.refused)
        # Departments hold no registry of built systems: say which articles wait for the bureau.
        registry = f'<div class="wb-status">{L["no_registry"]}</div>'
        self.status.value = L["checked"].format(**totals) + notes + registry
        rejections = done.rejections()
        self.rejected.value = f"<h3>{L['rejected_header']}</h3>" + (
            frame_html(rejections) if not rejections.empty else L["none_rejected"]
        )
        self.found.value = f"<h3>{L['findings_header']}</h3>" + frame_html(done.findings())
        self.download.value = download_link(
            done.workbook(), L["annotated_file"].format(year=self.plan_year)
        )

    def widget(self) -> widgets.Widget:
        return widgets.VBox(
            [
                self.title,
                self.guide,
                self.upload,
                self.limit,
                self.status,
                self.download,
                self.rejected,
                self.found,
            ]
        ).add_class("wb-checker")


def show() -> widgets.Widget:
    return CheckerApp().widget()
