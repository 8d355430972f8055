"""`workbench plan` as DESIGN §7 says, on the embedded sample."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import pandas as pd
import pytest
from test_planner_bruteforce import needs_cbc


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workbench", "plan", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


@pytest.fixture(scope="module")
def sample_plan() -> dict:
    done = run("--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_plan_json_has_the_contract_shape(sample_plan):
    assert sample_plan["status"] == "optimal" and sample_plan["objective"] > 0
    assert {"projects", "totals", "diagnosis", "provenance"} <= set(sample_plan)
    assert len(sample_plan["projects"]) == 222
    for p in sample_plan["projects"]:
        assert p["status"] in {"selected", "forced_in", "excluded", "not_selected"}
        assert len(p["reason"]) > 4 and Decimal(p["amount"]) > 0
        if p["status"] == "excluded" and not p["reason"].startswith("情景指定"):
            assert p["article"].startswith("第")
    assert sample_plan["provenance"]["scenario"]["name"] == "基准"
    assert sample_plan["solver"]["name"] == "HiGHS" and sample_plan["solver"]["gap"] == 0


def test_the_plan_stays_under_every_ceiling(sample_plan):
    for row in sample_plan["totals"]["by_pool_year"]:
        if row["ceiling"] is not None:
            assert Decimal(row["amount"]) <= Decimal(row["ceiling"])


def test_a_lower_ceiling_selects_less_and_respects_it():
    done = run("--ceiling", "12000", "--format", "json")
    plan = json.loads(done.stdout)
    city = next(
        r for r in plan["totals"]["by_pool_year"] if r["pool"] == "市本级" and r["year"] == 2027
    )
    assert Decimal(city["ceiling"]) == 12000 and Decimal(city["amount"]) <= 12000
    base = json.loads(run("--format", "json").stdout)
    assert plan["objective"] < base["objective"]


def test_forced_total_above_the_ceiling_prints_the_diagnosis_and_exits_0():
    done = run("--ceiling", "500")
    assert done.returncode == 0, done.stderr
    assert "无可行方案" in done.stdout
    assert (
        "强制纳入项目在市本级2027年度合计" in done.stdout
        and "超过该年度上限500.00万元" in done.stdout
    )


def test_text_output_lists_every_project_with_its_reason(sample_plan):
    done = run()
    assert done.returncode == 0
    for p in sample_plan["projects"]:
        assert p["project_id"] in done.stdout
    assert "2027年度政务信息化项目计划（草案）" in done.stdout
    assert "求解状态：最优（已证明）" in done.stdout


def test_why_names_what_forcing_in_would_displace(sample_plan):
    cut = next(
        p
        for p in sample_plan["projects"]
        if p["status"] == "not_selected" and "资金不足" in p["reason"]
    )
    done = run("--why", cut["project_id"])
    assert done.returncode == 0
    assert f"强制纳入分析：强制纳入{cut['project_id']}" in done.stdout
    assert run("--why", "NOPE").returncode == 2


def test_out_writes_the_csv_the_workbook_and_the_report(tmp_path, sample_plan):
    done = run("--out", str(tmp_path), "--no-pdf")
    assert done.returncode == 0, done.stderr
    csv = pd.read_csv(tmp_path / "年度计划草案_2027.csv", dtype=str)
    assert csv["项目编号"].tolist() == [p["project_id"] for p in sample_plan["projects"]]
    assert csv["原因"].tolist() == [p["reason"] for p in sample_plan["projects"]]
    stem = "鄂尔多斯市2027年度市本级政务信息化项目计划（草案）"
    xlsx = pd.read_excel(tmp_path / f"{stem}.xlsx", sheet_name=None, header=None, dtype=str)
    assert list(xlsx)[:3] == ["摘要", "计划汇总", "拟安排项目清单"] and "情景对比" not in xlsx
    assert (tmp_path / f"{stem}.html").is_file() and not (tmp_path / f"{stem}.pdf").exists()
    qingshi = "请示_2027年度政务信息化项目计划（草案）.docx"
    for path in (f"{stem}.xlsx", f"{stem}.html", qingshi):
        assert str(tmp_path / path) in done.stdout
    # The 请示 beside the workbook, read back: its title, and the plan's headline in its body.
    import docx

    text = "\n".join(p.text for p in docx.Document(tmp_path / qingshi).paragraphs)
    assert "关于报送鄂尔多斯市2027年度市本级政务信息化项目计划（草案）" in text.replace("\n", "")
    selected = [p for p in sample_plan["projects"] if p["status"] in ("selected", "forced_in")]
    amount = sum(Decimal(str(p["amount"])) for p in selected)
    assert f"{len(selected)}个" in text and f"{amount:,.2f}" in text


def test_out_with_compare_adds_the_comparison_sheet(tmp_path):
    done = run("--out", str(tmp_path), "--no-pdf", "--compare", "cut20")
    assert done.returncode == 0, done.stderr
    stem = "鄂尔多斯市2027年度市本级政务信息化项目计划（草案）"
    sheet = pd.read_excel(tmp_path / f"{stem}.xlsx", sheet_name="情景对比", header=None, dtype=str)
    summary = sheet[sheet[0].isin(["基准", "压减20%"])]
    assert summary[0].tolist() == ["基准", "压减20%"]


def test_bad_scenario_exits_2(tmp_path):
    bad = tmp_path / "s.yaml"
    bad.write_text("name: x\nplan_year: 2027\nceilings: {市本级: {2031: 10}}\n", "utf-8")
    done = run("--scenario", str(bad))
    assert done.returncode == 2 and "不在计划期" in done.stderr
    assert run("--scenario", "nothing-here").returncode == 2


@needs_cbc
def test_cbc_and_highs_agree_on_the_sample(sample_plan):
    cbc = json.loads(run("--solver", "cbc", "--format", "json").stdout)
    assert cbc["solver"]["name"] == "CBC" and cbc["status"] == "optimal"
    assert cbc["objective"] == pytest.approx(sample_plan["objective"])


def test_shipped_scenarios_change_the_plan(sample_plan):
    cut = json.loads(run("--scenario", "cut20", "--format", "json").stdout)
    assert cut["status"] == "optimal" and cut["objective"] < sample_plan["objective"]
    city = next(
        r for r in cut["totals"]["by_pool_year"] if r["pool"] == "市本级" and r["year"] == 2027
    )
    assert Decimal(city["ceiling"]) == 16000 and Decimal(city["amount"]) <= 16000
    shared = json.loads(run("--scenario", "data_sharing", "--format", "json").stdout)
    weights = shared["provenance"]["scoring"]["weights"]
    assert weights["data_sharing"] > sample_plan["provenance"]["scoring"]["weights"]["data_sharing"]
    assert sum(weights.values()) == pytest.approx(1, abs=1e-3)


def test_commitments_file_comes_off_the_ceiling(tmp_path, sample_plan):
    path = tmp_path / "承诺.csv"
    path.write_text(
        "承诺编号,承诺类型,说明,资金渠道,年度,金额(万元)\n"
        "C1,以前年度计划结转,政务云二期,市本级,2027,5000\n"
        "C2,在运行系统运维合同,视频云运维,市本级,2027,一千\n",
        "utf-8",
    )
    done = run("--commitments", str(path), "--format", "json")
    assert done.returncode == 2 and "第3行" in done.stderr  # the bad row is reported …
    plan = json.loads(done.stdout)  # … and the plan is drafted with the good one
    city = next(r for r in plan["commitments"] if r["pool"] == "市本级" and r["year"] == 2027)
    assert Decimal(city["carried"]) == 5000
    assert Decimal(city["total"]) <= Decimal(city["ceiling"])
    assert plan["objective"] < sample_plan["objective"]


def test_the_rolling_scenario_defers_starts(sample_plan):
    rolling = json.loads(run("--scenario", "rolling3", "--format", "json").stdout)
    assert rolling["status"] == "optimal"
    deferred = [p for p in rolling["projects"] if "推迟至2028年度启动" in p["reason"]]
    assert deferred and all(p["status"] == "not_selected" for p in deferred)
    assert {p["start_year"] for p in deferred} == {2028}
    chosen = [p for p in rolling["projects"] if p["status"] in ("selected", "forced_in")]
    assert {p["start_year"] for p in chosen} == {2027}
    assert all(p["start_year"] is None for p in rolling["projects"] if p["status"] == "excluded")
    assert rolling["objective"] > sample_plan["objective"]  # deferring is better than leaving out
    for row in rolling["totals"]["by_pool_year"]:
        if row["ceiling"] is not None:
            assert Decimal(row["amount"]) + Decimal(row["carried"]) <= Decimal(row["ceiling"])


def test_risk_of_the_out_years_is_computed_and_shown():
    done = run("--risk", "2000", "--seed", "4", "--format", "json")
    risk = json.loads(done.stdout)["risk"]
    assert risk["draws"] == 2000 and risk["seed"] == 4
    city = [r for r in risk["by_pool_year"] if r["pool"] == "市本级"]
    assert [r["year"] for r in city] == [2027, 2028, 2029]
    assert all(0 <= float(r["p_exceed"]) <= 1 and float(r["p50"]) <= float(r["p90"]) for r in city)
    assert (
        json.loads(run("--risk", "2000", "--seed", "4", "--format", "json").stdout)["risk"] == risk
    )
    text = run("--risk", "1000").stdout
    assert "风险模拟（1000次，种子0；成本在第二十八条15%内自行调整" in text
