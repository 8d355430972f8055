"""The draft plan's workbook and HTML report on the embedded sample: the workbook re-read with
pandas gives the plan back, every sheet carries its title and headers and prints as a government
document, classified projects are withheld in the distribution edition, the HTML needs nothing
outside itself, and LibreOffice / Chromium turn them into PDF where they are installed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pytest

from workbench.cli import build_parser, run_check
from workbench.compare import compare, plan_scenario
from workbench.report.document import classified_ids, plan_document
from workbench.report.html import render_html
from workbench.report.outputs import report_frontier, write_outputs
from workbench.report.pdf import find_chromium, html_to_pdf
from workbench.scenario import load_scenario

SHEETS = [
    "摘要",
    "计划汇总",
    "拟安排项目清单",
    "分单位汇总",
    "分类别汇总",
    "多年度资金需求",
    "未安排项目及原因",
    "审核发现",
    "情景对比",
    "审核说明汇总",
    "参数与来源",
]
TITLE = "鄂尔多斯市2027年度市本级政务信息化项目计划（草案）"
HEADER_ROW = 4  # title, sub-title, blank, header
IN_CI = os.environ.get("CI") == "true"


def needs(tool: str) -> pytest.MarkDecorator:
    """Skip where the tool is absent, except in CI, which installs it (.ci/run)."""
    return pytest.mark.skipif(
        shutil.which(tool) is None and not IN_CI, reason=f"{tool} is not installed"
    )


@pytest.fixture(scope="module")
def sample():
    scenario = load_scenario("base")
    args = build_parser().parse_args(["plan"])
    check, _candidates, registries, _ = run_check(
        args, plan_year=scenario.plan_year, policy=scenario.policy
    )
    systems = registries[0].accepted
    plan, _scores = plan_scenario(check, scenario, systems=systems)
    other, _ = plan_scenario(check, load_scenario("cut20"), systems=systems)
    comparison = compare({plan.scenario.name: plan, other.scenario.name: other})
    return check, plan, comparison


@pytest.fixture(scope="module")
def written(sample, tmp_path_factory):
    check, plan, comparison = sample
    out = tmp_path_factory.mktemp("report")
    outputs = write_outputs(
        plan, check, out, comparison=comparison, frontier=report_frontier(plan), pdf=False
    )
    return outputs, out


def sheet_table(path: Path, sheet: str) -> pd.DataFrame:
    """A one-table sheet read the way an analyst would: header on row 4 (a header too wide for
    its column has its unit on a line of its own: read without the line break), totals row
    dropped."""
    frame = pd.read_excel(path, sheet_name=sheet, header=HEADER_ROW - 1, dtype=object)
    frame.columns = [str(c).replace("\n", "") for c in frame.columns]
    last = [str(v) for v in frame.iloc[-1] if isinstance(v, str)]
    return frame.iloc[:-1] if any(v.startswith("合计") for v in last) else frame


def test_every_sheet_is_there_in_order_with_its_title(written):
    outputs, _ = written
    book = openpyxl.load_workbook(outputs.paths[1])
    assert book.sheetnames == SHEETS
    for ws in book:
        assert ws["A1"].value.startswith(TITLE)
        assert ws["A2"].value.startswith(ws.title)  # the sheet's own heading
        assert "万元" in ws["A2"].value


def test_project_lists_re_read_equal_the_plan(sample, written):
    _, plan, _ = sample
    outputs, _ = written
    hidden = set(outputs.document.redacted)
    for sheet, statuses, amount in (
        ("拟安排项目清单", ("selected", "forced_in"), "本年度资金（万元）"),
        ("未安排项目及原因", ("excluded", "not_selected"), "申请资金（万元）"),
    ):
        table = sheet_table(outputs.paths[1], sheet)
        expected = plan.projects[plan.projects["status"].isin(statuses)].set_index("project_id")
        assert sorted(table["项目编号"]) == sorted(expected.index)
        got = table.set_index("项目编号")
        for pid, row in expected.iterrows():
            assert Decimal(str(got.at[pid, amount])) == row["amount"]
            assert got.at[pid, "原因"] == row["reason"]
            assert got.at[pid, "申报单位"] == row["unit"]
            shown = "【涉密项目】" if pid in hidden else row["name"]
            assert got.at[pid, "项目名称"] == shown
        assert table["序号"].tolist() == list(range(1, len(table) + 1))


def test_totals_rows_add_up(written):
    outputs, _ = written
    ws = openpyxl.load_workbook(outputs.paths[1])["拟安排项目清单"]
    header = [str(c.value).replace("\n", "") for c in ws[HEADER_ROW]]  # a unit may sit below
    col = header.index("本年度资金（万元）") + 1
    values = [ws.cell(row=r, column=col).value for r in range(HEADER_ROW + 1, ws.max_row + 1)]
    *rows, total = [v for v in values if v is not None]
    assert Decimal(str(total)) == sum((Decimal(str(v)) for v in rows), Decimal(0))
    assert ws.cell(row=ws.max_row, column=2).value.startswith("合计")
    units = sheet_table(outputs.paths[1], "分单位汇总")
    raw = pd.read_excel(outputs.paths[1], sheet_name="分单位汇总", header=HEADER_ROW - 1)
    assert raw.iloc[-1]["申报项目数"] == units["申报项目数"].sum() == 222


def test_sheets_print_as_a_government_document(written):
    outputs, _ = written
    book = openpyxl.load_workbook(outputs.paths[1])
    for ws in book:
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)  # 9: A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.freeze_panes is not None and ws.print_title_rows
        assert "&P" in ws.oddFooter.center.text
    ws = book["拟安排项目清单"]
    assert ws.freeze_panes == f"A{HEADER_ROW + 1}" and ws.print_title_rows == f"$1:${HEADER_ROW}"
    header = [str(c.value).replace("\n", "") for c in ws[HEADER_ROW]]  # a unit may sit below
    # Amounts beside 审批方式 and 工程监理 are exact (two to six decimals); elsewhere two.
    money = ws.cell(row=HEADER_ROW + 1, column=header.index("本年度资金（万元）") + 1)
    assert money.number_format == "#,##0.00####"
    other = book["未安排项目及原因"]
    header = [str(c.value).replace("\n", "") for c in other[HEADER_ROW]]
    money = other.cell(row=HEADER_ROW + 1, column=header.index("申请资金（万元）") + 1)
    assert money.number_format == "#,##0.00"
    name = header.index("项目名称") + 1
    width = ws.column_dimensions[openpyxl.utils.get_column_letter(name)].width
    assert width >= 20  # a Chinese project name is not squeezed into the default 8.43
    assert all(c.font.b for c in ws[HEADER_ROW])


def test_headline_figures_match_the_plan(sample, written):
    _, plan, _ = sample
    outputs, _ = written
    head = pd.read_excel(outputs.paths[1], sheet_name="计划汇总", header=None, dtype=str)
    pairs = dict(zip(head[0], head[1], strict=True))
    assert pairs["申报项目数"] == "222"
    assert pairs["拟安排项目数"] == str(len(plan.selected))
    total = sum(plan.selected["amount"], Decimal(0))
    assert Decimal(pairs["拟安排本年度资金（万元）"].replace(",", "")) == total


def test_findings_and_provenance_sheets(sample, written):
    check, plan, _ = sample
    outputs, _ = written
    findings = sheet_table(outputs.paths[1], "审核发现")
    # What keeps out or warns is listed; the 说明 findings are counted in the appendix.
    bearing = check.findings[check.findings["severity"] != "info"]
    assert 0 < len(findings) <= len(bearing)
    assert set(findings["依据条款"]) <= set(bearing["article"])
    assert {"不予安排", "提示"} <= set(findings["性质"]) and "说明" not in set(findings["性质"])
    assert set(findings["审核规则"]) <= set(check.pack.rule_names().values())
    # The appendix's table sits under its caption (row 5); its last row is the total.
    routine = pd.read_excel(outputs.paths[1], sheet_name="审核说明汇总", header=HEADER_ROW)
    info = check.findings[check.findings["severity"] == "info"]
    assert routine["说明条数"].iloc[:-1].astype(int).sum() == len(info)
    assert routine["说明条数"].iloc[-1] == len(info) and routine["审核规则"].iloc[-1] == "合计"
    params = pd.read_excel(outputs.paths[1], sheet_name="参数与来源", header=None, dtype=str)
    pairs = dict(zip(params[0], params[1], strict=False))
    assert pairs["政策包"] == check.pack.title and pairs["情景"] == "基准"
    assert pairs["求解器"].startswith(plan.solver["name"])
    assert pairs["版本"].startswith("分发版")


def test_classified_projects_are_withheld_unless_internal(sample, tmp_path):
    check, plan, _ = sample
    secret = classified_ids(check)
    assert secret, "the sample has classified projects"
    names = set(check.candidates.loc[check.candidates["project_id"].isin(secret), "name"])
    distribution = write_outputs(plan, check, tmp_path / "d", pdf=False)
    internal = write_outputs(plan, check, tmp_path / "i", internal=True, pdf=False)
    assert set(distribution.document.redacted) == secret and not internal.document.redacted

    def texts(paths: list[Path]) -> str:
        out = []
        for path in paths:
            if path.suffix == ".xlsx":
                book = openpyxl.load_workbook(path)
                out += [str(c.value) for ws in book for row in ws.iter_rows() for c in row]
            elif path.suffix == ".docx":
                out += [p.text for p in docx.Document(path).paragraphs]
            else:
                out.append(path.read_text(encoding="utf-8-sig"))
        return "\n".join(out)

    shared, full = texts(distribution.paths), texts(internal.paths)
    for name in names:
        assert name not in shared and name in full
    assert "【涉密项目】" in shared and "内部版" in full and "内部版" in internal.paths[1].name
    # Amounts stay, so that the totals a reader adds up are the same in both editions.
    for status in ("拟安排项目清单", "未安排项目及原因"):
        a = sheet_table(distribution.paths[1], status)
        b = sheet_table(internal.paths[1], status)
        assert a.drop(columns="项目名称").equals(b.drop(columns="项目名称"))


def test_a_classified_name_quoted_in_another_projects_finding_is_withheld(sample):
    check, plan, _ = sample
    secret = classified_ids(check)
    names = check.candidates.set_index("project_id")["name"]
    quoting = check.findings[
        ~check.findings["project_id"].isin(secret)
        & check.findings["message"].map(lambda m: any(names[s] in m for s in secret))
    ]
    doc = plan_document(plan, check)
    shown = doc.section("findings").blocks[0].frame
    for pid in quoting["project_id"]:
        for message in shown.loc[shown["项目编号"] == pid, "审核发现"]:
            assert not any(names[s] in message for s in secret)


def test_html_is_self_contained(written):
    outputs, _ = written
    html = outputs.paths[2].read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert not re.search(r"(?i)\b(?:src|href)\s*=\s*[\"'](?!data:|#)", html)
    assert not re.search(r"(?i)url\(\s*[\"']?(?!data:)", html)
    assert not re.search(r"(?i)https?://|//[a-z0-9.-]+\.[a-z]{2,}/", html)
    assert html.count("data:image/png;base64,") >= 4
    assert "<h2>摘要</h2>" in html
    for sheet in SHEETS[1:-2]:
        assert f"、{sheet}</h2>" in html
    for n, sheet in zip("一二", SHEETS[-2:], strict=True):
        assert f"附录{n}　{sheet}</h2>" in html
    assert TITLE in html and "分发版" in html


def test_html_escapes_what_users_typed(checked):
    from conftest import project

    from workbench.planner import draft_plan
    from workbench.scenario import Scenario

    result = checked([project(project_id="A", name="<img src=x onerror=alert(1)>平台")])
    scenario = Scenario.model_validate(
        {"name": "t", "plan_year": 2027, "ceilings": {"市本级": {2027: 5000}}}
    )
    plan = draft_plan(result, pd.Series({"A": 50.0}), scenario)
    html = render_html(plan_document(plan, result))
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert" in html


@needs("soffice")
def test_libreoffice_converts_the_workbook_to_pdf(written, tmp_path):
    outputs, _ = written
    done = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(outputs.paths[1]),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / (outputs.paths[1].stem + ".pdf")
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-l", "2", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert TITLE in text.replace("\n", "")


@needs("chromium")
def test_chromium_prints_the_report_with_chinese_text(written, tmp_path):
    outputs, _ = written
    assert find_chromium() is not None
    pdf = html_to_pdf(outputs.paths[2], tmp_path / "report.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "摘要" in text and "分发版" in text
    if shutil.which("fc-match"):
        # The glyphs come from a real CJK font, not from boxes: fontconfig resolves Chinese.
        family = subprocess.run(
            ["fc-match", "-f", "%{family}", ":lang=zh-cn"], capture_output=True, text=True
        ).stdout
        assert re.search(r"CJK|Han|WenQuanYi|YaHei|Noto Sans SC", family), family
