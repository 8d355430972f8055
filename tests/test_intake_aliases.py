"""Synonyms of enumerated values, declared in the intake contract (``aliases``): the measures' own
words (第六条第（七）项 says 未通过) are read as the canonical value, everywhere from one table."""

from __future__ import annotations

import dataclasses

import openpyxl
import pytest
from conftest import project, rules_of, write_csv

from workbench.intake import load_contract, read_table
from workbench.intake.cells import CellError, parse_cell
from workbench.intake.columns import TABLES, parse_aliases
from workbench.intake.registry import read_systems
from workbench.intake.template import write_template

CANDIDATES = load_contract("candidates")
SYSTEMS = load_contract("systems")


@pytest.mark.parametrize(
    ("contract", "key", "alias", "canonical"),
    [
        (SYSTEMS, "performance_evaluation", "未通过", "不通过"),
        (SYSTEMS, "performance_evaluation", "已通过", "通过"),
        (CANDIDATES, "pre_review", "未通过", "不通过"),
        (CANDIDATES, "pre_review", "已通过", "通过"),
        (CANDIDATES, "ex_ante_evaluation", "暂缓", "暂缓执行"),
        (CANDIDATES, "ex_ante_evaluation", "未开展", "未评价"),
    ],
)
def test_the_measures_words_are_read_as_the_canonical_value(contract, key, alias, canonical):
    column = contract.column(key)
    assert canonical in column.allowed and alias not in column.allowed
    assert parse_cell(alias, column) == canonical
    # The same tolerance of spacing and full-width forms as for the canonical words.
    assert parse_cell(f" {alias[0]}\u3000{alias[1:]} ", column) == canonical


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("performance_evaluation", "合格"),  # a grade, not a pass / fail conclusion
        ("performance_evaluation", "暂缓"),
        ("performance_evaluation", "待定"),
        ("status", "下线"),
    ],
)
def test_undeclared_words_are_still_rejected_with_the_allowed_values(key, value):
    column = SYSTEMS.column(key)
    with pytest.raises(CellError) as caught:
        parse_cell(value, column)
    assert caught.value.reason.startswith(f"“{value}”不在可选值内（可选：")
    assert "、".join(column.allowed) in caught.value.reason


def test_every_declared_alias_names_one_allowed_value_and_is_not_one():
    declared = 0
    for table in TABLES:
        for column in load_contract(table).columns:
            aliases = dict(column.aliases)
            assert len(aliases) == len(column.aliases), column.key  # no alias twice
            for alias, canonical in column.aliases:
                declared += 1
                assert column.type in ("enum", "multi"), column.key
                assert canonical in column.allowed, (column.key, alias)
                assert alias not in column.allowed, (column.key, alias)
                assert parse_cell(alias, column) == canonical
    assert declared >= 6


@pytest.mark.parametrize(
    ("text", "kind", "problem"),
    [
        ("未通过=不通过;未通过=通过", "enum", "declared twice"),  # ambiguous: refused
        ("不及格=优秀", "enum", "not an allowed value"),
        ("通过=不通过", "enum", "itself an allowed value"),
        ("未通过", "enum", "alias=canonical"),
        ("未通过=不通过", "text", "enum and multi columns only"),
        ("甲、乙=通过", "multi", "list separator"),
    ],
)
def test_a_contract_with_a_bad_alias_fails_to_load(text, kind, problem):
    with pytest.raises(ValueError, match=problem):
        parse_aliases("systems", "performance_evaluation", text, kind, ("通过", "不通过", "未评价"))


def test_forms_with_synonyms_are_accepted_with_canonical_values(tmp_path):
    rows = [
        project(project_id="P1", pre_review="已通过", ex_ante_evaluation="未开展"),
        project(project_id="P2", pre_review="未通过", ex_ante_evaluation="暂缓"),
        project(project_id="P3", pre_review="通过", ex_ante_evaluation="可行", classified="不涉密"),
    ]
    result = read_table([write_csv(tmp_path / "c.csv", rows)])
    assert result.rejections.empty, result.rejections.to_dict("records")
    got = result.accepted.set_index("project_id")
    assert list(got.pre_review) == ["通过", "不通过", "通过"]
    assert list(got.ex_ante_evaluation) == ["未评价", "暂缓执行", "可行"]
    assert got.loc["P3", "classified"] == "否"
    assert result.totals() == {"read": 3, "accepted": 3, "rejected": 0, "blank": 0}


def test_registry_in_the_articles_words(tmp_path):
    path = tmp_path / "systems.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["系统编号", "系统名称", "所属单位", "运行状态", "终验日期", "绩效评价结论"])
    ws.append(["S1", "甲系统", "市教育局", "运行中", "2025-07-31", "未通过"])
    ws.append(["S2", "乙系统", "市教育局", "在运行", "2025-07-31", "已通过"])
    ws.append(["S3", "丙系统", "市教育局", "运行", "2025-07-31", "合格"])
    wb.save(path)
    result = read_systems([path])
    got = result.accepted.set_index("system_id")
    assert list(got.index) == ["S1", "S2"]
    assert list(got.status) == ["运行", "运行"]
    assert list(got.performance_evaluation) == ["不通过", "通过"]
    [line] = result.rejections.itertuples()
    assert (line.row, line.column) == (4, "绩效评价结论")
    assert line.reason.startswith("“合格”不在可选值内")


SYSTEM = {
    "system_id": "XT-1",
    "name": "教育统计分析系统",
    "unit": "市教育局",
    "status": "运行",
    "final_acceptance_date": "2024-01-15",
    "performance_evaluation": "不通过",
    "evaluation_date": "2026-05-10",
}


@pytest.mark.parametrize("word", ["不通过", "未通过"])
def test_the_rules_see_the_canonical_word(checked, word):
    # 第六条第（七）项: a system whose evaluation 未通过 bars further investment in it.
    result = checked(
        [project(related_systems="XT-1")],
        systems=[{**SYSTEM, "performance_evaluation": word}],
    )
    assert rules_of(result).get("failed_evaluation") == ["exclude_in_principle"]


@pytest.mark.parametrize(
    ("word", "rule"), [("未通过", "pre_review"), ("暂缓", "ex_ante_evaluation")]
)
def test_the_exclusions_apply_to_the_synonyms(checked, word, rule):
    result = checked([project(**{rule: word})])
    assert rules_of(result).get(rule) == ["exclude"]
    assert result.candidates.loc[0, rule] in CANDIDATES.column(rule).allowed


def test_multi_choice_items_may_have_synonyms():
    areas = CANDIDATES.column("priority_areas")
    column = dataclasses.replace(areas, aliases=(("公共支撑平台", "公共支撑"),))
    assert parse_cell("政务服务、公共支撑平台", column) == ("政务服务", "公共支撑")
    assert parse_cell("公共支撑；公共支撑平台", column) == ("公共支撑",)


def test_the_template_lists_the_accepted_synonyms(tmp_path):
    path = write_template(tmp_path / "t.xlsx", plan_year=2027)
    info = openpyxl.load_workbook(path)["填表说明"]
    rows = {r[0]: r for r in info.iter_rows(values_only=True) if r and r[0]}
    header = rows["列名"]
    where = header.index("可识别的同义写法")
    with_aliases = [c for c in CANDIDATES.columns if c.aliases]
    assert {c.key for c in with_aliases} >= {"pre_review", "ex_ante_evaluation"}
    for column in with_aliases:
        listed = rows[column.header_zh][where]
        for alias, canonical in column.aliases:
            assert f"{alias}→{canonical}" in listed
    assert rows["项目名称"][where] is None
