"""计划汇报 (plan dashboard): the draft plan presented, read-only, in the meeting of the
municipal government (第九条): headline figures, the money by pool and year against the ceilings,
the charts, the out-year commitments and their risk. The distribution edition (classified
projects' names and contents withheld) unless served ``--internal``."""

from __future__ import annotations

import ipywidgets as widgets

from workbench.apps import internal_from_env, session_from_env
from workbench.apps.common import STYLE, frame_html, image
from workbench.labels import APP_LABELS, REPORT_LABELS
from workbench.report import charts
from workbench.report.document import plan_document
from workbench.session import Session
from workbench.simulate import commitments

L = APP_LABELS
RISK_DRAWS = 2_000


class DashboardApp:
    def __init__(
        self, session: Session | None = None, seed: int = 0, *, internal: bool | None = None
    ) -> None:
        self.session = session or session_from_env()
        internal = internal_from_env() if internal is None else internal
        plan = self.session.plan
        risk = self.session.risk(draws=RISK_DRAWS, seed=seed)
        doc = plan_document(plan, self.session.check, risk=risk, internal=internal)
        year = self.session.plan_year
        parts = [widgets.HTML(STYLE + f"<h2>{L['dashboard_title'].format(year=year)}</h2>")]
        for key in ("summary", "commitments"):
            section = doc.section(key)
            parts.append(widgets.HTML(f"<h3>{section.title}</h3>"))
            for block in section.blocks:
                caption = f"<h4>{block.caption}</h4>" if block.caption else ""
                parts.append(
                    widgets.HTML(
                        caption + frame_html(block.frame, money=block.money, total=block.total)
                    ).add_class(f"wb-{key}")
                )
            if key == "summary" and not plan.selected.empty:
                parts.append(
                    widgets.HBox(
                        [
                            image(charts.budget_by_category_and_pool(plan)),
                            image(charts.top_units(plan)),
                        ]
                    )
                )
        parts.append(
            widgets.HBox(
                [
                    image(charts.commitments_chart(commitments(plan))),
                    image(charts.risk_fan(risk.table)),
                ]
            )
        )
        parts.append(widgets.HTML(f"<p>{doc.edition}　{REPORT_LABELS['unit_note']}</p>"))
        self.root = widgets.VBox(parts).add_class("wb-dashboard")

    def widget(self) -> widgets.Widget:
        return self.root


def show() -> widgets.Widget:
    return DashboardApp().widget()
