"""The apps' components as plain Python (the browser tests drive the same code in Voilà)."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import openpyxl
import pytest

from workbench.apps import ENV_INTERNAL
from workbench.apps.checker import UPLOAD_LIMIT_BYTES, self_check, upload_limit
from workbench.apps.common import Debounce, download_link, frame_html
from workbench.apps.dashboard import DashboardApp
from workbench.apps.explorer import Explorer, ExplorerApp, scenario_choices
from workbench.apps.server import (
    APPS,
    WEBSOCKET_LIMIT_BYTES,
    AppError,
    app_environment,
    notebook_for,
    voila_command,
)
from workbench.data import sample_candidates
from workbench.money import format_wan
from workbench.report.document import classified_ids
from workbench.session import Session


@pytest.fixture(scope="module")
def session() -> Session:
    s = Session.open()
    s.plan  # noqa: B018 - solve once for the module
    return s


def planned_total(plan) -> str:
    """This year's money of the projects the plan takes, as the headline writes it."""
    p = plan.projects
    return format_wan(sum(p.loc[p["status"].isin(["selected", "forced_in"]), "amount"], Decimal(0)))


def test_lowering_the_ceiling_drops_projects_with_reasons(session):
    x = Explorer(session)
    before = x.plan
    x.set_ceiling("市本级", 2027, Decimal(12000))
    after = x.solve().plan
    assert len(after.selected) < len(before.selected)
    cut = set(before.selected["project_id"]) - set(after.selected["project_id"])
    rows = after.projects.set_index("project_id").loc[sorted(cut)]
    assert set(rows["status"]) == {"not_selected"} and all(len(r) > 10 for r in rows["reason"])
    assert any(r.startswith("资金不足未安排") for r in rows["reason"])
    assert not x.difference().empty and planned_total(after) in x.headline()
    assert planned_total(after) != planned_total(before)


def test_forcing_a_project_in_records_the_reason(session):
    x = Explorer(session)
    p = x.plan.projects
    left_out = p[(p["funding_pool"] == "市本级") & (p["status"] == "not_selected")]
    cut = left_out["project_id"].iloc[0]
    x.force(cut, "市委专题会议要求", into=True)
    row = x.solve().plan.projects.set_index("project_id").loc[cut]
    assert row["status"] == "forced_in" and "市委专题会议要求" in row["reason"]
    x.force(cut, "改为排除", into=False)
    assert [d.project_id for d in x.scenario.force_out] == [cut] and not x.scenario.force_in


def test_switching_a_rule_off_and_loading_another_scenario(session):
    x = Explorer(session)
    x.set_toggle("force_in_existing_om", False)
    assert x.solve().plan.projects["status"].value_counts().get("forced_in", 0) < 23
    x.load("cut20")
    assert x.scenario.name == "压减20%" and x.scenario.toggles.force_in_existing_om
    assert next(stem for _, stem in scenario_choices()) == "base"


def test_widgets_drive_the_explorer(session):
    app = ExplorerApp(Explorer(session))
    assert planned_total(session.plan) in app.headline.value and "<table" in app.plan_table.value
    lower = Explorer(session)
    lower.set_ceiling("市本级", 2027, Decimal(12000))
    app.ceilings[2027].value = 12000  # no event loop here: the debounce solves at once
    assert planned_total(lower.solve().plan) in app.headline.value
    app.reason.value = "x"
    app.force_in.click()
    assert "理由" in app.status.value and not app.x.scenario.force_in
    app.download_button.click()
    assert 'download="鄂尔多斯市2027年度' in app.download.value


def test_checker_reports_rejected_rows_and_findings():
    good = sample_candidates().read_bytes()
    lines = good.decode("utf-8-sig").splitlines()
    row = lines[1].replace(",建设类,", ",建设项目,", 1).replace("QQ2027-0001", "ZC-0001", 1)
    broken = "\n".join([lines[0], row]).encode("utf-8")
    done = self_check([("好.csv", good), ("坏.csv", broken)], 2027)
    rejections = done.rejections()
    assert set(rejections["文件"]) == {"坏.csv"}  # the name uploaded, not a temporary path
    assert done.intake.totals()["accepted"] == 222
    articles = set(done.findings()["依据条款"])
    assert {"第十五条", "第三十四条"} <= articles and all(a.startswith("第") for a in articles)
    book = openpyxl.load_workbook(io.BytesIO(done.workbook()))
    assert book.sheetnames == ["项目审核结论", "审核发现", "未受理的行"]


def test_checker_refuses_oversized_uploads_before_reading():
    big = b"0" * (UPLOAD_LIMIT_BYTES + 1)
    done = self_check([("大.csv", big), ("好.csv", sample_candidates().read_bytes())], 2027)
    assert done.refused and "大.csv" in done.refused[0] and "超过" in done.refused[0]
    with pytest.raises(ValueError, match="超过"):
        self_check([("大.csv", big)], 2027)


def test_the_page_is_told_the_upload_limit():
    element = upload_limit()
    assert f'data-wb-upload-limit="{UPLOAD_LIMIT_BYTES}"' in element
    assert "超过10.0MB的上限，未上传" in element and "{name}" in element and "{size}" in element
    assert "wb-upload-refused" in element


def classified_names(session) -> set[str]:
    c = session.check.candidates
    return set(c.loc[c["project_id"].isin(classified_ids(session.check)), "name"])


def workbook_text(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return " ".join(str(c.value) for ws in book for row in ws.iter_rows() for c in row)


def test_classified_names_are_withheld_unless_internal(session, tmp_path):
    names = classified_names(session)
    assert len(names) == 3
    for internal in (False, True):
        app = ExplorerApp(Explorer(session, internal=internal))
        shown = " ".join(
            [
                app.plan_table.value,
                app.diff.value,
                app.headline.value,
                app.title.value,
                *(label for label, _ in app.project.options),
            ]
        )
        app.download_button.click()
        shown += workbook_text(download_bytes(app.download.value))
        assert all((n in shown) == internal for n in names), internal
        assert ("【涉密项目】" in shown) != internal
        assert ("内部版" in app.title.value) == internal
    done = self_check([("表.csv", sample_candidates().read_bytes())], 2027)
    shown = " ".join(
        [done.findings().to_string(), done.projects().to_string(), workbook_text(done.workbook())]
    )
    assert not any(n in shown for n in names) and "【涉密项目】" in shown
    done = self_check([("表.csv", sample_candidates().read_bytes())], 2027, internal=True)
    assert all(n in done.projects().to_string() for n in names)


def test_the_dashboard_is_the_distribution_edition_unless_internal(session):
    names = classified_names(session)

    def text(app: DashboardApp) -> str:
        return " ".join(getattr(w, "value", "") for w in app.root.children if hasattr(w, "value"))

    assert not any(n in text(DashboardApp(session)) for n in names)
    assert "分发版" in text(DashboardApp(session))
    assert "内部版" in text(DashboardApp(session, internal=True))


def download_bytes(link: str) -> bytes:
    import base64
    import re

    return base64.b64decode(re.search(r"base64,([^\"]+)", link)[1])


def test_html_tables_escape_and_downloads_are_data_links():
    import pandas as pd

    text = frame_html(
        pd.DataFrame({"名称": ["<script>x</script>"], "金额": [Decimal("1234.5")]}), money=("金额",)
    )
    assert "<script>x" not in text and "1,234.50" in text
    link = download_link(b"abc", "计划.xlsx")
    assert 'href="data:application/vnd.openxmlformats' in link and "http" not in link


def test_debounce_runs_once_after_a_burst():
    import asyncio

    calls = []

    async def burst() -> None:
        debounce = Debounce(lambda: calls.append(1), delay=0.05)
        for _ in range(5):
            debounce()
        await asyncio.sleep(0.2)

    asyncio.run(burst())
    assert calls == [1]


def test_launcher_serves_one_notebook_offline_with_culling():
    assert set(APPS) == {"explorer", "checker", "dashboard", "register"}
    assert all(notebook_for(name).is_file() for name in APPS)
    assert (
        notebook_for("情景推演") == notebook_for("explorer") and notebook_for("explorer").is_file()
    )
    with pytest.raises(AppError, match="没有名为"):
        notebook_for("nope")
    command = voila_command(notebook_for("checker"), 9999, cull_idle=30)
    assert "--Voila.ip=127.0.0.1" in command and "--template=workbench" in command
    assert "--strip_sources=True" in command and "--Voila.port_retries=0" in command
    assert "--MappingKernelManager.cull_idle_timeout=30" in command
    assert "--MappingKernelManager.cull_interval=15" in command  # a short limit, checked often
    settings = next(c for c in command if c.startswith("--Voila.tornado_settings="))
    assert json.loads(settings.split("=", 1)[1]) == {
        "websocket_max_message_size": WEBSOCKET_LIMIT_BYTES
    }
    env = app_environment(token="secret", internal=True)
    assert env["JUPYTER_TOKEN"] == "secret" and env[ENV_INTERNAL] == "1"
    assert not any("secret" in c for c in command)
    assert app_environment()[ENV_INTERNAL] == ""


def test_charts_are_drawn_when_their_tab_opens(session):
    app = ExplorerApp(Explorer(session))
    assert app.charts.children == ()
    app.tabs.selected_index = 1
    assert len(app.charts.children) == 2
    app.ceilings[2027].value = 15000
    assert len(app.charts.children) == 2 and not app._charts_stale


def test_workbench_app_refuses_an_unknown_name():
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "workbench", "app", "nope.ipynb"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 2 and "nope.ipynb" in done.stderr
