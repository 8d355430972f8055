"""The command-line contract of DESIGN §7, run as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys

import openpyxl
import pytest
from conftest import project, write_csv

from workbench.cli import main
from workbench.policy import load_pack


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


@pytest.fixture(scope="module")
def sample_json() -> dict:
    done = run("check", "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_check_json_has_the_contract_shape(sample_json):
    assert set(sample_json) >= {"projects", "rejected_rows", "provenance"}
    city_routes = {"备案", "实施方案", "合并可研", "可研+初步设计", "运维方案"}
    for p in sample_json["projects"]:
        assert {
            "project_id",
            "category_effective",
            "approval_route",
            "supervision_required",
            "findings",
        } <= set(p)
        # 市本级 projects take a 第十五条 route; 旗区/园区 projects their district's (第四十五条).
        district = any(f["rule"] == "district_review" for f in p["findings"])
        assert p["approval_route"] in ({"旗区立项审批"} if district else city_routes)
        assert p["category_effective"] in {"建设类", "采购服务类", "运维服务类"}
        assert isinstance(p["supervision_required"], bool)
        for f in p["findings"]:
            assert {"rule", "article", "severity", "message"} <= set(f)
            assert f["severity"] in {"exclude", "exclude_in_principle", "warn", "info"}
            assert f["article"].startswith("第")
    prov = sample_json["provenance"]
    assert prov["policy_pack"]["id"] == "ordos-2025" and len(prov["policy_pack"]["sha256"]) == 64
    assert {i["table"] for i in prov["inputs"]} == {"candidates", "systems", "usage"}
    assert prov["plan_year"] == 2027 and prov["reference_date"] == "2027-01-01"


# Rules only the register can trigger (its rectifications; test_register_july fires them on
# the demo register).
REGISTER_ONLY = {"overdue_rectification"}


def test_every_rule_is_triggered_by_the_sample(sample_json):
    fired = {f["rule"] for p in sample_json["projects"] for f in p["findings"]}
    assert fired == set(type(load_pack().rules).model_fields) - REGISTER_ONLY


def test_sample_has_every_route_and_a_reclassified_upgrade(sample_json):
    projects = sample_json["projects"]
    assert {p["approval_route"] for p in projects} == {
        "备案",
        "实施方案",
        "合并可研",
        "可研+初步设计",
        "运维方案",
        "旗区立项审批",
    }
    assert any(p["category"] != p["category_effective"] for p in projects)


def test_check_text_lists_every_project_with_route_and_articles(sample_json):
    done = run("check")
    assert done.returncode == 0
    out = done.stdout
    assert "合成样例" in out
    for p in sample_json["projects"]:
        assert p["project_id"] in out
    assert out.count("审批方式：") == len(sample_json["projects"])
    assert "[不予安排] 第三十四条：" in out and "[原则上不予安排] 第六条第（七）项：" in out


def test_check_reports_rejected_rows_with_locations(tmp_path):
    folder = tmp_path / "申报"
    folder.mkdir()
    write_csv(
        folder / "a.csv", [project(), project(project_id="P2", level="市级")], encoding="gb18030"
    )
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "市民政局"
    ws.append(["鄂尔多斯市政务信息化项目申报表"])
    keys = list(project())
    ws.append(keys)
    ws.append([project(project_id="P1")[k] for k in keys])  # duplicate of a.csv's P1
    ws.append([project(project_id="P3", total_investment="一百万")[k] for k in keys])
    wb.save(folder / "b.xlsx")
    done = run("check", str(folder), "--format", "json")
    # The full report is printed; rejected rows make it bad input (exit 2), named on stderr too.
    assert done.returncode == 2
    assert "有4行未受理" in done.stderr and "a.csv 第2行 列“项目编号”" in done.stderr
    out = json.loads(done.stdout)
    rejected = {
        (r["file"].split("/")[-1], r["sheet"], r["row"], r["column"]) for r in out["rejected_rows"]
    }
    assert ("a.csv", "", 2, "项目编号") in rejected
    assert ("a.csv", "", 3, "层级") in rejected
    assert ("b.xlsx", "市民政局", 3, "项目编号") in rejected
    assert ("b.xlsx", "市民政局", 4, "总投资(万元)") in rejected
    assert out["projects"] == []
    assert out["intake"]["candidates"] == {"read": 4, "accepted": 0, "rejected": 4, "blank": 0}
    text = run("check", str(folder)).stdout
    assert "b.xlsx 市民政局 第4行 列“总投资(万元)”：“一百万”不是可识别的金额" in text
    assert "未提供已建系统登记表" in text


def test_bad_input_exits_2_with_a_chinese_message(tmp_path):
    done = run("check", str(tmp_path / "没有.xlsx"))
    assert done.returncode == 2 and "没有.xlsx：找不到该文件或文件夹" in done.stderr
    other = tmp_path / "a.txt"
    other.write_text("x", "utf-8")
    done = run("check", str(other))
    assert done.returncode == 2 and "不支持的文件类型" in done.stderr
    done = run("check", "--policy", "ordos-1999")
    assert done.returncode == 2 and "找不到政策包" in done.stderr
    done = run("check", "--plan-year", "明年")
    assert (
        done.returncode == 2 and "错误：参数 --year/--plan-year：无效的整数：'明年'" in done.stderr
    )
    done = run("nonsense")
    assert done.returncode == 2


def test_template_command_writes_a_fillable_form(tmp_path, capsys):
    out = tmp_path / "申报模板.xlsx"
    assert main(["template", str(out), "--plan-year", "2027"]) == 0
    assert "已生成申报模板" in capsys.readouterr().out
    wb = openpyxl.load_workbook(out)
    form = wb["申报表"]
    assert "2027年度" in form["A1"].value
    headers = [c.value for c in form[2]]
    assert "*项目编号" in headers and "*总投资(万元)" in headers and "资金来源" in headers
    lists = {
        str(dv.sqref).split(":")[0].rstrip("0123456789"): dv.formula1
        for dv in form.data_validations.dataValidation
    }
    level_col = openpyxl.utils.get_column_letter(headers.index("*层级") + 1)
    assert lists[level_col] == '"市本级,旗区,园区"'
    assert len(lists) >= 15  # every enumerated and yes/no column has a dropdown
    assert form["A3"].value is None  # the example row is on 填表说明, not in the form
    assert "填表说明" in wb.sheetnames


def test_filled_template_checks(tmp_path):
    out = tmp_path / "t.xlsx"
    main(["template", str(out)])
    wb = openpyxl.load_workbook(out)
    ws = wb["申报表"]
    example = next(r for r in wb["填表说明"].iter_rows(values_only=True) if r[0] == "示例")
    ws.append(["D1", *example[1:]])
    wb.save(out)
    done = run("check", str(out), "--format", "json")
    out_json = json.loads(done.stdout)
    assert [p["project_id"] for p in out_json["projects"]] == ["D1"]
    assert out_json["intake"]["candidates"]["blank"] == 0  # the form holds no example row
