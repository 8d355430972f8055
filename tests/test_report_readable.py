"""What a reader of the documents and the text output sees: rule names, never rule ids; files by
name and hash, never a directory of the analyst's machine or a key of the provenance record;
strict JSON; amounts that never contradict the threshold printed beside them; and the running
systems' O&M the rules keep out, said out loud (运维中断风险, 第二十五条)."""

from __future__ import annotations

import csv
import dataclasses
import html as html_lib
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import project, write_csv

import workbench
from workbench import data
from workbench.compare import plan_scenario
from workbench.intake import read_table
from workbench.intake.registry import read_systems, read_usage
from workbench.money import EXACT_MONEY_FORMAT, format_wan_exact
from workbench.planner import draft_plan
from workbench.policy import check, load_pack
from workbench.policy.findings import FINDING_COLUMNS
from workbench.report.check import check_json, check_provenance, check_text
from workbench.report.document import plan_document
from workbench.report.html import render_html
from workbench.report.jsonsafe import dumps, strict
from workbench.report.outputs import write_outputs
from workbench.report.plan import plan_json, plan_text
from workbench.scenario import Scenario, load_scenario

REPO = Path(workbench.__file__).resolve().parents[1]
HEADER_ROW = 4
# Keys of the provenance record and ids of models that must never be shown as they are.
INTERNAL_KEYS = {
    "candidates",
    "systems",
    "usage",
    "commitments",
    "scores",
    "model",
    "ahp",
    "bureau",
    "default",
    "ordos-2025",
    "path",
    "file",
    "table",
    "sha256",
    "bytes",
    "inputs",
    "policy_pack",
    "scenario",
    "scoring",
    "weights",
    "names",
}


def scenario(**changes) -> Scenario:
    base = {"name": "测试", "plan_year": 2027, "horizon": 1, "ceilings": {"市本级": {2027: 1000}}}
    return Scenario.model_validate({**base, **changes})


def cells(path: Path, sheet: str | None = None) -> list[object]:
    book = openpyxl.load_workbook(path)
    sheets = [book[sheet]] if sheet else list(book)
    return [c.value for ws in sheets for row in ws.iter_rows() for c in row if c.value is not None]


def html_cells(text: str, section: str | None = None) -> list[str]:
    """The text of every table cell of the report (of one section)."""
    if section is not None:
        start = re.search(f'<section id="{section}"[^>]*>', text).start()
        text = text[start : text.index("</section>", start)]
    return [
        html_lib.unescape(re.sub(r"<[^>]+>", "", c))
        for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", text, flags=re.S)
    ]


def visible_text(text: str) -> str:
    """The HTML without its style sheet, tags and inline images."""
    text = re.sub(r"<style.*?</style>", "", text, flags=re.S)
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", text)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", text))


# --- the sample, read from a folder of the analyst's own --------------------------------------


@pytest.fixture(scope="module")
def copied(tmp_path_factory):
    """The sample's files, scenario and policy pack copied to a folder of their own, read and
    planned as ``workbench plan`` does, and written in both editions."""
    folder = tmp_path_factory.mktemp("申报材料")
    for source in (data.sample_candidates(), data.sample_systems(), data.sample_usage()):
        shutil.copy(source, folder / source.name)
    shutil.copy(REPO / "scenarios" / "base.yaml", folder / "我的情景.yaml")
    shutil.copy(REPO / "models" / "policies" / "ordos-2025.yaml", folder / "政策包.yaml")
    sc = load_scenario(folder / "我的情景.yaml")
    pack = load_pack(folder / "政策包.yaml")
    candidates = read_table([folder / "candidates.csv"])
    systems = read_systems([folder / "systems.csv"])
    usage = read_usage([folder / "usage.csv"], systems)
    result = check(
        candidates.accepted,
        pack=pack,
        plan_year=sc.plan_year,
        systems=systems.accepted,
        usage=usage.accepted,
    )
    provenance = {
        **check_provenance(result, candidates, [systems, usage]),
        "scenario": {"name": sc.name, "path": sc.path},
    }
    plan, _ = plan_scenario(result, sc, systems=systems.accepted, provenance=provenance)
    out = folder / "输出"
    distribution = write_outputs(plan, result, out / "分发", pdf=False)
    internal = write_outputs(plan, result, out / "内部", internal=True, pdf=False)
    return folder, result, plan, distribution, internal


def test_the_documents_name_files_without_a_directory_and_show_no_internal_key(copied):
    folder, result, plan, distribution, internal = copied
    # The record itself keeps the paths (the analyst's machine needs them) …
    assert str(folder) in json.dumps(plan.provenance, ensure_ascii=False, default=str)
    machine = [str(folder), str(folder.parent), str(REPO), "/work/", "/home/", "/tmp/"]
    for outputs in (distribution, internal):
        xlsx, page = outputs.paths[1], outputs.paths[2].read_text(encoding="utf-8")
        shown = [str(v) for v in cells(xlsx)]
        text = visible_text(page)
        for where in machine:
            assert not any(where in v for v in shown), where
            assert where not in text, where
        # … the documents name each file by its name and SHA-256 only.
        params = [str(v) for v in cells(xlsx, "参数与来源")]
        assert not any("/" in v or "\\" in v for v in params)
        assert not INTERNAL_KEYS & set(params)
        section = html_cells(page, "provenance")
        assert not any("/" in v or "\\" in v for v in section)
        assert not INTERNAL_KEYS & set(section)
        for name in ("candidates.csv", "systems.csv", "usage.csv", "我的情景.yaml", "政策包.yaml"):
            assert name in params and name in section
        for table in ("申报项目", "已建系统登记表", "系统月度使用情况"):
            assert table in params and table in section
        for sha in (i["sha256"] for i in plan.provenance["inputs"]):
            assert sha in params
        assert result.pack.title in params and "基准" in params
        assert "政务信息化项目优先级评分模型（默认）" in params and "评分模型" in params


def test_every_document_shows_rule_names_never_rule_ids(copied):
    _, result, plan, distribution, _ = copied
    names = result.pack.rule_names()
    ids = set(names)
    for outputs in (distribution,):
        findings = pd.read_excel(
            outputs.paths[1], sheet_name="审核发现", header=HEADER_ROW - 1, dtype=str
        )
        routine = pd.read_excel(  # under its caption: the header is on row 5
            outputs.paths[1], sheet_name="审核说明汇总", header=HEADER_ROW, dtype=str
        )
        shown = set(findings["审核规则"].dropna())
        counted = set(routine["审核规则"].dropna()) - {"合计"}
        assert shown and shown <= set(names.values()) and counted <= set(names.values())
        assert "事前绩效评价" in shown and "审批方式" in counted
        assert not ids & {str(v) for v in cells(outputs.paths[1])}
        page = outputs.paths[2].read_text(encoding="utf-8")
        assert not ids & set(html_cells(page))
        assert "审批方式" in html_cells(page, "appendix")
    for rule_id in ids:
        assert not re.search(rf"\b{rule_id}\b", plan_text(plan))


# --- rule names in the check's text and JSON ------------------------------------------------


def read(tmp_path: Path, *rows: dict) -> tuple:
    candidates = read_table([write_csv(tmp_path / "申报.csv", rows)])
    assert candidates.rejections.empty, candidates.rejections.to_dict("records")
    return check(candidates.accepted, pack=load_pack(), plan_year=2027), candidates


def test_check_text_names_the_rule_and_json_keeps_the_id(tmp_path):
    result, candidates = read(tmp_path, project(pre_review="不通过"))
    text = check_text(result, candidates, [])
    assert "[不予安排] 第八条：【前置审核】" in text
    assert "pre_review" not in text and "approval_route" not in text
    payload = check_json(result, candidates, [])
    found = {f["rule"]: f for f in payload["projects"][0]["findings"]}
    assert found["pre_review"]["rule_name"] == "前置审核"
    assert found["approval_route"]["rule_name"] == "审批方式"


# --- strict JSON --------------------------------------------------------------------------------


def test_strict_replaces_every_non_finite_number():
    import numpy as np

    raw = {
        "a": float("inf"),
        "b": [float("nan"), Decimal("Infinity"), np.float32("nan"), Decimal("1.5"), 2],
        "c": {"d": (float("-inf"), pd.NA)},
    }
    assert strict(raw) == {
        "a": None,
        "b": [None, None, None, Decimal("1.5"), 2],
        "c": {"d": [None, None]},
    }
    text = dumps(raw)
    assert "Infinity" not in text and "NaN" not in text
    assert json.loads(text)["b"][3] == "1.5"


def test_dumps_writes_what_the_standard_encoder_writes():
    """orjson writes the JSON; what it cannot take (an integer past 64 bits) takes the
    standard path, and both read back the same."""
    import datetime as dt

    import numpy as np

    from workbench.report.jsonsafe import dumps_bytes

    raw = {
        "中文": "鄂尔多斯",
        "amounts": [Decimal("120.50"), Decimal("NaN"), 1.25, float("nan"), np.int64(7)],
        "when": [dt.date(2027, 1, 1), dt.datetime(2027, 1, 2, 3, 4)],
        "nested": {"set": {1}, 3: None, "missing": pd.NA},
    }
    fast = dumps(raw)
    slow = json.dumps(strict(raw), allow_nan=False, ensure_ascii=False, indent=2, default=str)
    assert json.loads(fast) == json.loads(slow)
    assert "鄂尔多斯" in fast  # Chinese as is, not \u escapes
    huge = {**raw, "huge": 10**30}
    assert json.loads(dumps(huge))["huge"] == 10**30
    assert dumps_bytes(raw).decode("utf-8") == fast


def _no_constants(name: str) -> None:
    raise AssertionError(f"not strict JSON: {name}")


def test_an_infeasible_plan_is_strict_json(checked):
    result = checked(
        [
            project(project_id="A", total_investment="3000", request_amount="3000", mandated="是"),
            project(project_id="B", total_investment="100", request_amount="100"),
        ]
    )
    plan = draft_plan(result, pd.Series({"A": 10.0, "B": 20.0}), scenario())
    assert plan.status == "infeasible"
    assert plan.solver["gap"] is None and plan.objective is None
    payload = plan_json(plan)
    text = dumps(payload)
    assert "Infinity" not in text and "NaN" not in text
    parsed = json.loads(text, parse_constant=_no_constants)
    assert parsed["status"] == "infeasible" and parsed["solver"]["gap"] is None
    assert "无可行方案" in parsed["diagnosis"]
    # The contract's payload is already strict: json with allow_nan=False accepts it as it is.
    json.dumps(payload, allow_nan=False, default=str)


# --- amounts beside a threshold -----------------------------------------------------------------


def test_format_wan_exact_shows_what_the_amount_is():
    assert format_wan_exact(Decimal("29.9999")) == "29.9999"
    assert format_wan_exact(30) == "30.00"
    assert format_wan_exact(Decimal("1234.5")) == "1,234.50"
    assert format_wan_exact(Decimal("12345.123456")) == "12,345.123456"
    assert format_wan_exact(0.1 + 0.2) == "0.30"  # binary noise beyond 0.01 元 is not money
    assert EXACT_MONEY_FORMAT == "#,##0.00####"


def test_an_amount_just_below_a_threshold_never_reads_as_the_threshold(tmp_path):
    row = project(total_investment="29.9999", request_amount="29.9999")
    result, candidates = read(tmp_path, row)
    assert result.candidates["approval_route"].iloc[0] == "备案"
    text = check_text(result, candidates, [])
    assert "29.9999万元" in text and "30.00" not in text
    plan = draft_plan(result, pd.Series({"P1": 50.0}), scenario())
    outputs = write_outputs(plan, result, tmp_path / "out", pdf=False)
    ws = openpyxl.load_workbook(outputs.paths[1])["拟安排项目清单"]
    header = [str(c.value).replace("\n", "") for c in ws[HEADER_ROW]]  # a unit may sit below
    row_cells = {name: ws.cell(row=HEADER_ROW + 1, column=j + 1) for j, name in enumerate(header)}
    assert row_cells["审批方式"].value == "备案"
    for column in ("总投资（万元）", "本年度资金（万元）"):
        cell = row_cells[column]
        assert Decimal(str(cell.value)) == Decimal("29.9999")
        assert cell.number_format == EXACT_MONEY_FORMAT  # Excel and WPS show 29.9999
    page = outputs.paths[2].read_text(encoding="utf-8")
    selected = html_cells(page, "selected")
    assert "29.9999" in selected and "30.00" not in selected


# --- 运维中断风险 -------------------------------------------------------------------------------


def running_om(**changes) -> dict:
    return project(
        project_id="OM1",
        name="社会保障卡系统运维服务",
        category="运维服务类",
        existing_om="是",
        total_investment="80",
        request_amount="80",
        **changes,
    )


def with_om_finding(result, message: str | None, actions: str = ""):
    """The check with its ``om_interruption`` findings replaced by one made here (None: none),
    so that the plan's handling is tested apart from the policy layer's wording."""
    findings = result.findings[result.findings["rule"] != "om_interruption"]
    if message is not None:
        row = {
            "project_id": "OM1",
            "rule": "om_interruption",
            "article": "第二十五条",
            "severity": "warn",
            "message": message,
            "evidence": {"blocking": "前置审核（第八条）", "actions": actions},
        }
        findings = pd.concat(
            [findings, pd.DataFrame([row], columns=list(FINDING_COLUMNS))], ignore_index=True
        )
    return dataclasses.replace(result, findings=findings.reset_index(drop=True))


MESSAGE = (
    "在运行系统的续运维因前置审核（第八条）不能纳入计划，存在运维中断风险（第二十五条要求避免"
    "服务中断）：须通过前置审核（第八条）"
)


def test_running_om_kept_out_is_said_in_every_output(checked, tmp_path):
    result = with_om_finding(
        checked([running_om(pre_review="不通过"), project(project_id="B")]),
        MESSAGE,
        actions="通过前置审核（第八条）",
    )
    plan = draft_plan(result, pd.Series({"OM1": 30.0, "B": 40.0}), scenario())
    row = plan.projects.set_index("project_id").loc["OM1"]
    assert row["status"] == "excluded" and row["article"] == "第八条"
    assert row["reason"] == MESSAGE
    assert plan.status == "optimal"  # said although the plan is feasible
    assert plan.diagnosis.startswith("1项在运行系统的续运维被排除，存在运维中断风险")
    assert "OM1（市教育局，80.00万元）须通过前置审核（第八条）" in plan.diagnosis
    assert "运维中断风险" in plan_text(plan)

    payload = json.loads(dumps(plan_json(plan)))
    assert payload["om_interruption_risks"] == [
        {"project_id": "OM1", "unit": "市教育局", "amount": "80", "message": MESSAGE}
    ]
    assert next(p for p in payload["projects"] if p["project_id"] == "OM1")["reason"] == MESSAGE

    outputs = write_outputs(plan, result, tmp_path, pdf=False)
    with outputs.paths[0].open(encoding="utf-8-sig", newline="") as fh:
        reasons = {r["项目编号"]: r["原因"] for r in csv.DictReader(fh)}
    assert reasons["OM1"] == MESSAGE
    table = pd.read_excel(
        outputs.paths[1], sheet_name="未安排项目及原因", header=HEADER_ROW - 1, dtype=str
    )
    om = table[table["项目编号"] == "OM1"].iloc[0]
    assert om["运维中断风险"] == "是" and om["原因"] == MESSAGE
    head = pd.read_excel(outputs.paths[1], sheet_name="计划汇总", header=None, dtype=str)
    assert "运维中断风险" in dict(zip(head[0], head[1], strict=True))["诊断"]
    page = outputs.paths[2].read_text(encoding="utf-8")
    assert "运维中断风险" in html_cells(page, "unselected")
    assert MESSAGE in html_cells(page, "unselected")


def test_without_the_policy_finding_the_plan_says_it_in_its_own_words(checked):
    result = with_om_finding(checked([running_om(ex_ante_evaluation="不可行")]), None)
    plan = draft_plan(result, pd.Series({"OM1": 30.0}), scenario())
    reason = plan.projects.set_index("project_id").at["OM1", "reason"]
    assert "运维中断风险（第二十五条要求避免服务中断）" in reason
    assert "事前绩效评价（第三十四条）" in reason
    assert reason.endswith("须消除事前绩效评价（第三十四条）的不予安排审核发现")
    assert len(plan.om_interruption) == 1 and "运维中断风险" in plan.diagnosis


def test_om_that_may_enter_or_new_builds_kept_out_are_no_interruption(checked):
    result = checked(
        [
            running_om(),
            project(project_id="N", pre_review="不通过"),
            project(project_id="O", category="运维服务类", existing_om="否", pre_review="不通过"),
        ]
    )
    plan = draft_plan(result, pd.Series({"OM1": 30.0, "N": 40.0, "O": 10.0}), scenario())
    assert plan.om_interruption.empty and plan.diagnosis == ""
    assert plan_json(plan)["om_interruption_risks"] == []
    doc = plan_document(plan, result)
    assert "运维中断风险" not in doc.section("unselected").blocks[0].frame.columns
    assert "运维中断风险" not in render_html(doc)
