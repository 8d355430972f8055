"""Scoring: each criterion on tiny intakes that go through the real intake and policy check,
whose score counts (the unit's 优先级得分 never, the bureau's table yes), AHP weights against a
published example, model errors, the sample."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import project, write_csv
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.data import SAMPLE_PLAN_YEAR, sample_candidates, sample_systems
from workbench.intake import read_table
from workbench.intake.registry import read_systems
from workbench.policy import check
from workbench.policy.pack import models_dir
from workbench.scoring import (
    RANDOM_INDEX,
    ScoringModelError,
    ahp_weights,
    load_scoring,
    model_weights,
    score,
)

README = Path(__file__).resolve().parents[1] / "models" / "scoring" / "README.md"


def default_data() -> dict[str, Any]:
    return yaml.safe_load((models_dir() / "scoring" / "default.yaml").read_text("utf-8"))


@pytest.fixture
def model_file(tmp_path: Path) -> Callable[..., Path]:
    """``model_file(change)`` → a copy of the default model, changed in place by ``change``."""
    counter = iter(range(10**6))

    def build(change: Callable[[dict[str, Any]], object] | None = None) -> Path:
        data = copy.deepcopy(default_data())
        if change is not None:
            change(data)
        path = tmp_path / f"model{next(counter)}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
        return path

    return build


@pytest.fixture
def registry(tmp_path: Path) -> Callable[..., pd.DataFrame]:
    """``registry(*systems)`` → the accepted systems registry, read through the real reader."""

    def build(*rows: dict[str, object]) -> pd.DataFrame:
        result = read_systems([write_csv(tmp_path / "registry.csv", rows)])
        assert result.rejections.empty, result.rejections.to_dict("records")
        return result.accepted

    return build


def system(system_id: str, unit: str, evaluation: str) -> dict[str, object]:
    return {
        "system_id": system_id,
        "name": f"{unit}业务系统{system_id}",
        "unit": unit,
        "status": "运行",
        "final_acceptance_date": "2023-06-30",
        "performance_evaluation": evaluation,
    }


def bureau(*rows: dict[str, object]) -> pd.DataFrame:
    """The bureau's scores table built in code (the file reader is tested in
    test_scores_file.py)."""
    return pd.DataFrame(list(rows))


def criterion(scores, key: str) -> dict[str, float]:
    return scores.criteria[key].to_dict()


def set_criterion(data: dict[str, Any], key: str, **changes: object) -> None:
    for item in data["criteria"]:
        if item["key"] == key:
            item.update(changes)
            return
    raise KeyError(key)


# --- the default model -----------------------------------------------------------------------


def test_default_model_criteria_rest_on_articles_and_weights_sum_to_one():
    model = load_scoring()
    assert model.id == "default"
    assert set(model.keys) == {
        "priority_areas",
        "cross_sharing",
        "data_sharing",
        "mandated",
        "ex_ante_evaluation",
        "system_integration",
        "unit_performance",
        "expert_review",
    }
    articles = {c.key: c.article for c in model.criteria}
    assert articles["priority_areas"] == "第六条"
    assert articles["data_sharing"] == "第十六条"
    assert articles["mandated"] == "第十一条"
    assert articles["ex_ante_evaluation"] == "第三十四条"
    assert articles["unit_performance"] == "第三十六条"
    weights, source, consistency = model_weights(model)
    assert source == "model" and consistency is None
    assert sum(weights.values()) == pytest.approx(1.0)
    assert all(c.name and c.description for c in model.criteria)


def test_load_by_id_and_by_path_agree():
    by_id = load_scoring("default")
    by_path = load_scoring(models_dir() / "scoring" / "default.yaml")
    assert by_id.model_dump(exclude={"path"}) == by_path.model_dump(exclude={"path"})


def test_weights_are_relative(model_file):
    def double(data):
        for item in data["criteria"]:
            item["weight"] *= 2

    weights, _, _ = model_weights(load_scoring(model_file(double)))
    assert weights == pytest.approx(model_weights(load_scoring())[0])


# --- each criterion on tiny intakes ----------------------------------------------------------


def test_priority_areas_points_per_area_capped_at_100(checked):
    result = checked(
        [
            project(project_id="P1", priority_areas=""),
            project(project_id="P2", priority_areas="政务服务"),
            project(project_id="P3", priority_areas="公共支撑、数据资源"),
            project(project_id="P4", priority_areas="公共支撑、数据资源、政务服务"),
        ]
    )
    values = criterion(score(result.candidates), "priority_areas")
    assert values == {"P1": 0.0, "P2": 60.0, "P3": 100.0, "P4": 100.0}


def test_cross_sharing_counts_the_flag_and_the_area(checked):
    result = checked(
        [
            project(project_id="P1", cross_department="否", priority_areas="政务服务"),
            project(project_id="P2", cross_department="是", priority_areas="政务服务"),
            project(project_id="P3", cross_department="否", priority_areas="跨部门跨层级共建共享"),
            project(project_id="P4", cross_department="是", priority_areas="跨部门跨层级共建共享"),
        ]
    )
    values = criterion(score(result.candidates), "cross_sharing")
    assert values == {"P1": 0.0, "P2": 60.0, "P3": 60.0, "P4": 100.0}


def test_data_sharing_degree_as_the_model_defines_it(checked):
    result = checked(
        [
            project(project_id="P1", has_data_catalog="否"),
            project(project_id="P2"),
            project(project_id="P3", priority_areas="数据资源"),
            project(
                project_id="P4",
                priority_areas="数据资源、跨部门跨层级共建共享",
                cross_department="是",
            ),
            project(project_id="P5", has_data_catalog="否", cross_department="是"),
        ]
    )
    values = criterion(score(result.candidates), "data_sharing")
    assert values == {"P1": 0.0, "P2": 40.0, "P3": 70.0, "P4": 100.0, "P5": 15.0}


def test_mandated_projects_score_full(checked):
    result = checked([project(project_id="P1"), project(project_id="P2", mandated="是")])
    assert criterion(score(result.candidates), "mandated") == {"P1": 0.0, "P2": 100.0}


def test_ex_ante_evaluation_map(checked):
    answers = {"P1": "可行", "P2": "未评价", "P3": "暂缓执行", "P4": "不可行"}
    result = checked([project(project_id=p, ex_ante_evaluation=a) for p, a in answers.items()])
    values = criterion(score(result.candidates), "ex_ante_evaluation")
    assert values == {"P1": 100.0, "P2": 40.0, "P3": 0.0, "P4": 0.0}


def test_system_integration_rewards_retiring_and_penalises_new_systems(checked):
    result = checked(
        [
            project(project_id="P1"),
            project(project_id="P2", retired_systems="2"),
            project(project_id="P3", new_systems="1"),
            project(project_id="P4", new_systems="3"),
            project(project_id="P5", retired_systems="1", priority_areas="整合分级分散业务系统"),
            project(project_id="P6", retired_systems="4", priority_areas="整合分级分散业务系统"),
        ]
    )
    values = criterion(score(result.candidates), "system_integration")
    assert values == {"P1": 40.0, "P2": 80.0, "P3": 20.0, "P4": 0.0, "P5": 90.0, "P6": 100.0}
    explained = score(result.candidates).explain("P6").set_index("criterion")
    assert "合计150" in explained.at["system_integration", "raw"]


def test_unit_performance_from_the_registry(checked, registry):
    result = checked(
        [
            project(project_id="P1", unit="市教育局"),
            project(project_id="P2", unit="市民政局"),
            project(project_id="P3", unit="市司法局"),
            project(project_id="P4", unit="市审计局"),
        ]
    )
    systems = registry(
        system("XT-1", "市教育局", "通过"),
        system("XT-2", "市教育局", "不通过"),
        system("XT-3", "市民政局", "通过"),
        system("XT-4", "市司法局", "未评价"),
    )
    scores = score(result.candidates, systems=systems)
    values = criterion(scores, "unit_performance")
    # mean of 通过 100 and 不通过 0; 通过; only 未评价 → neutral 50; no system → neutral 50
    assert values == {"P1": 50.0, "P2": 100.0, "P3": 50.0, "P4": 50.0}
    raw = scores.explain("P1").set_index("criterion").at["unit_performance", "raw"]
    assert "通过1个" in raw and "不通过1个" in raw
    assert not any("已建系统登记表" in note for note in scores.notes)


def test_unit_performance_worst_and_without_registry(checked, registry, model_file):
    result = checked([project(project_id="P1", unit="市教育局")])
    systems = registry(system("XT-1", "市教育局", "通过"), system("XT-2", "市教育局", "不通过"))
    worst = load_scoring(
        model_file(lambda d: set_criterion(d, "unit_performance", combine="worst"))
    )
    assert criterion(score(result.candidates, worst, systems=systems), "unit_performance") == {
        "P1": 0.0
    }
    without = score(result.candidates)
    assert criterion(without, "unit_performance") == {"P1": 50.0}
    assert any("未提供已建系统登记表" in note for note in without.notes)


def test_expert_scores_come_from_the_bureau_and_missing_ones_are_not_penalised(checked):
    result = checked([project(project_id="P1"), project(project_id="P2"), project(project_id="P3")])
    table = bureau(
        {"project_id": "P1", "expert_score": 85}, {"project_id": "P2", "expert_score": 70}
    )
    scores = score(result.candidates, bureau_scores=table)
    values = scores.criteria["expert_review"]
    assert values["P1"] == 85.0 and values["P2"] == 70.0 and np.isnan(values["P3"])
    # P3's expert weight went to its other criteria, in proportion to their weights ...
    weights = scores.weights
    others = {k: w for k, w in weights.items() if k != "expert_review"}
    assert scores.effective_weights.loc["P3", "expert_review"] == 0.0
    for key, weight in others.items():
        assert scores.effective_weights.loc["P3", key] == pytest.approx(
            weight / sum(others.values())
        )
    # ... so its value is the weighted mean of what is known: an expert who scored it exactly
    # that would leave its value unchanged (it neither lost nor gained by not being scored).
    known = scores.criteria.loc["P3", list(others)]
    mean = sum(known[k] * w for k, w in others.items()) / sum(others.values())
    assert scores.value["P3"] == pytest.approx(mean, abs=0.01)
    again = bureau({"project_id": "P3", "expert_score": round(mean, 6)})
    assert score(result.candidates, bureau_scores=again).value["P3"] == pytest.approx(
        scores.value["P3"], abs=0.01
    )
    explained = scores.explain("P3").set_index("criterion")
    assert "审定评分表中无该项目的专家评分" in explained.at["expert_review", "raw"]
    assert "专家评分85" in scores.explain("P1").set_index("criterion").at["expert_review", "raw"]


def test_a_units_own_expert_score_columns_are_not_read(checked):
    """A department's form does not score its own project: 专家评分N columns in a submission
    change nothing, and a note says they were not used."""
    own = checked([project(expert_score_1="100", expert_score_2="100")])
    plain = checked([project()])
    scores = score(own.candidates)
    assert scores.criteria["expert_review"].isna().all()
    assert scores.value["P1"] == score(plain.candidates).value["P1"]
    assert any("申报表填写了专家评分列" in note and "不计入评分" in note for note in scores.notes)


def test_without_the_bureaus_table_the_expert_criterion_is_absent_for_all(checked):
    scores = score(checked([project()]).candidates)
    assert scores.criteria["expert_review"].isna().all()
    assert scores.contributions["expert_review"].eq(0).all()
    assert any("未提供审定评分表" in note for note in scores.notes)
    # a table with no expert score in it says so too
    only_values = score(
        checked([project()]).candidates,
        bureau_scores=bureau({"project_id": "P1", "approved_priority_score": 50}),
    )
    assert any("未填写专家评分" in note for note in only_values.notes)


def test_expert_scores_with_a_fixed_neutral_value(checked, model_file):
    model = load_scoring(model_file(lambda d: set_criterion(d, "expert_review", missing=50)))
    scores = score(checked([project()]).candidates, model)
    assert criterion(scores, "expert_review") == {"P1": 50.0}
    assert scores.effective_weights.loc["P1"].to_dict() == pytest.approx(scores.weights)


# --- value, contributions, weights -----------------------------------------------------------


def test_contributions_sum_to_the_value_and_weights_to_one(checked):
    result = checked(
        [
            project(project_id="P1", priority_areas="数据资源", cross_department="是"),
            project(project_id="P2", ex_ante_evaluation="未评价"),
            project(project_id="P3", mandated="是", retired_systems="1"),
        ]
    )
    scores = score(
        result.candidates, bureau_scores=bureau({"project_id": "P2", "expert_score": 77.5})
    )
    assert sum(scores.weights.values()) == pytest.approx(1.0)
    assert scores.effective_weights.sum(axis=1).to_numpy() == pytest.approx(1.0)
    np.testing.assert_allclose(scores.contributions.sum(axis=1), scores.value, atol=1e-9)
    for pid in scores.value.index:
        explained = scores.explain(pid)
        assert explained["contribution"].sum() == pytest.approx(scores.value[pid], abs=1e-9)
        assert explained["name"].tolist() == [c.name for c in scores.model.criteria]
    # the weighted sum, computed independently of the rounding
    raw = (scores.criteria.fillna(0) * scores.effective_weights).sum(axis=1)
    np.testing.assert_allclose(raw, scores.value, atol=0.01)


def test_explain_in_chinese(checked):
    scores = score(checked([project(priority_areas="数据资源")]).candidates)
    frame = scores.explain("P1", chinese=True)
    assert {"评分项", "依据条款", "原始情况", "标准化得分", "权重", "得分贡献"} <= set(
        frame.columns
    )
    row = frame.set_index("评分项代码").loc["priority_areas"]
    assert row["依据条款"] == "第六条" and "数据资源" in row["原始情况"]
    with pytest.raises(KeyError):
        scores.explain("P404")


def test_to_frame_ranks_projects(checked):
    result = checked([project(project_id="P1"), project(project_id="P2", mandated="是")])
    frame = score(result.candidates).to_frame()
    assert frame.loc["P2", "rank"] == 1 and frame.loc["P1", "rank"] == 2
    assert frame.loc["P2", "mandated_contribution"] > 0
    assert "优先级得分" in score(result.candidates).to_frame(chinese=True).columns


# --- whose score: the unit's 优先级得分 is shown, the bureau's 审定优先级得分 is the value -----


def test_a_units_own_priority_score_is_shown_but_never_the_value(checked):
    """The issue: the template let a department fill 优先级得分 and that replaced scoring, so a
    unit could give itself 100. Now it changes neither the value nor the rank."""
    rows = [
        project(project_id="P1", priority_score="100"),
        project(project_id="P2", priority_score="", mandated="是"),
    ]
    scores = score(checked(rows).candidates)
    plain = score(checked([{**r, "priority_score": ""} for r in rows]).candidates)
    assert scores.value.to_dict() == plain.value.to_dict()
    assert scores.to_frame()["rank"].to_dict() == plain.to_frame()["rank"].to_dict()
    assert scores.value["P1"] < 100 and not scores.given.any()
    assert scores.source == "model" and "priority_score" not in scores.criteria
    # shown: in the table (as the unit's self-assessment), the explanation and a note
    frame = scores.to_frame()
    assert frame.loc["P1", "self_assessed"] == 100 and np.isnan(frame.loc["P2", "self_assessed"])
    assert frame.loc["P1", "source"] == "model"
    assert "单位自评得分（仅供参考）" in scores.to_frame(chinese=True).columns
    explained = scores.explain("P1").set_index("criterion")
    assert explained.at["self_assessed", "weight"] == 0.0
    assert explained.at["self_assessed", "contribution"] == 0.0
    assert "不计入项目价值" in explained.at["self_assessed", "raw"]
    assert explained["contribution"].sum() == pytest.approx(scores.value["P1"], abs=1e-9)
    assert any("申报单位的自评" in note and "不作为项目价值" in note for note in scores.notes)


def test_a_value_the_bureau_approves_is_the_projects_value(checked):
    result = checked(
        [
            project(project_id="P1", mandated="是", priority_score="100"),
            project(project_id="P2"),
        ]
    )
    plain = score(result.candidates)
    table = bureau(
        {"project_id": "P1", "approved_priority_score": 12.5, "note": "市政府常务会议纪要"},
    )
    scores = score(result.candidates, bureau_scores=table)
    assert scores.source == "model"
    assert scores.given.to_dict() == {"P1": True, "P2": False}
    assert scores.value["P1"] == 12.5 and scores.value["P2"] == plain.value["P2"]
    assert scores.computed["P1"] == plain.value["P1"]  # the model's value, kept for the record
    np.testing.assert_allclose(scores.contributions.sum(axis=1), scores.value, atol=1e-9)
    raw = (scores.criteria.fillna(0) * scores.effective_weights).sum(axis=1)
    np.testing.assert_allclose(raw, scores.value, atol=0.01)
    explained = scores.explain("P1").set_index("criterion")
    assert explained.index[0] == "approved_priority_score"
    assert explained.at["approved_priority_score", "contribution"] == 12.5
    assert explained.at["approved_priority_score", "article"] == "第九条"
    assert "市政府常务会议纪要" in explained.at["approved_priority_score", "raw"]
    assert explained.loc[list(scores.model.keys), "contribution"].eq(0).all()
    frame = scores.to_frame()
    assert frame.loc["P1", "source"] == "bureau" and frame.loc["P2", "source"] == "model"
    assert frame.loc["P1", "computed"] == plain.value["P1"]
    assert frame.loc["P2", "rank"] == 1 and frame.loc["P1", "rank"] == 2
    assert scores.to_frame(chinese=True).loc["P1", "得分来源"] == "审定评分表"
    assert any("1个项目采用审定评分表" in note for note in scores.notes)


def test_ids_of_the_bureaus_table_that_are_not_candidates_are_named(checked):
    table = bureau(
        {"project_id": "P1", "expert_score": 90}, {"project_id": "X9", "expert_score": 60}
    )
    scores = score(checked([project()]).candidates, bureau_scores=table)
    assert scores.criteria.at["P1", "expert_review"] == 90
    assert any("不在申报项目中" in note and "X9" in note for note in scores.notes)


# --- AHP -------------------------------------------------------------------------------------

# Wikipedia, "Analytic hierarchy process – leader example" (the criteria with respect to the
# goal): Experience, Education, Charisma, Age. Published priorities .547, .127, .270, .056 and
# CR = 0.044, to three decimals. The priorities are rounded so as to sum to 1.000 (the eigenvector
# .5476, .1266, .2699, .0559 would round to .548 and sum to 1.001), so they are compared to within
# one unit of the third decimal; CR to within half a unit.
LEADER = [
    [1, 4, 3, 7],
    [1 / 4, 1, 1 / 3, 3],
    [1 / 3, 3, 1, 5],
    [1 / 7, 1 / 3, 1 / 5, 1],
]


def test_ahp_leader_example_matches_the_published_weights_and_cr():
    weights, consistency = ahp_weights(np.array(LEADER))
    assert weights == pytest.approx([0.547, 0.127, 0.270, 0.056], abs=0.001)
    assert np.argsort(weights).tolist() == [3, 1, 2, 0]  # Experience, Charisma, Education, Age
    assert consistency.cr == pytest.approx(0.044, abs=0.0005)
    assert consistency.random_index == 0.90
    assert consistency.ci == pytest.approx((consistency.lambda_max - 4) / 3)
    assert consistency.warning is None


def test_random_index_is_saatys_table():
    assert [RANDOM_INDEX[n] for n in range(1, 16)] == [
        0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59
    ]  # fmt: skip


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(min_value=0.05, max_value=1.0), min_size=3, max_size=15))
def test_ahp_recovers_the_weights_of_a_consistent_matrix(raw):
    w = np.array(raw) / sum(raw)
    weights, consistency = ahp_weights(np.outer(w, 1 / w))
    np.testing.assert_allclose(weights, w, atol=1e-9)
    assert consistency.lambda_max == pytest.approx(len(w))
    assert consistency.cr == pytest.approx(0.0, abs=1e-9)


def test_inconsistent_matrix_gives_a_cr_warning_and_the_threshold_is_the_models(model_file):
    keys = ["priority_areas", "data_sharing", "ex_ante_evaluation"]

    def cyclic(threshold: float):
        def change(data):
            data["criteria"] = [c for c in data["criteria"] if c["key"] in keys]
            # A ≫ B, B ≫ C, yet C ≫ A: as inconsistent as three judgements can be.
            data["ahp"] = {
                "criteria": keys,
                "upper": [[9, "1/9"], [9]],
                "max_consistency_ratio": threshold,
            }

        return change

    model = load_scoring(model_file(cyclic(0.1)))
    _, source, consistency = model_weights(model)
    assert source == "ahp" and consistency is not None
    assert consistency.cr > 0.1
    assert consistency.warning and "CR" in consistency.warning and "超过 0.1" in consistency.warning
    lenient = load_scoring(model_file(cyclic(consistency.cr + 1)))
    assert model_weights(lenient)[2].warning is None


def test_ahp_block_replaces_the_weights_in_scoring(checked, model_file):
    block = re.search(r"```yaml\n(ahp:.*?)```", README.read_text("utf-8"), re.S)
    assert block, "the README's AHP example"
    ahp = yaml.safe_load(block.group(1))["ahp"]

    def add(data):
        data["ahp"] = ahp

    model = load_scoring(model_file(add))
    scores = score(checked([project(priority_areas="数据资源")]).candidates, model)
    assert scores.source == "ahp"
    assert scores.consistency is not None and scores.consistency.cr < 0.1
    assert scores.consistency.warning is None
    assert sum(scores.weights.values()) == pytest.approx(1.0)
    assert scores.weights["priority_areas"] == pytest.approx(0.268, abs=0.0005)
    # the same judgements written as a full matrix give the same weights
    full = [[1.0] * 8 for _ in range(8)]
    for i, row in enumerate(ahp["upper"]):
        for k, value in enumerate(row):
            j = i + 1 + k
            number = float(Fraction(str(value)))  # "1/2" as written in YAML
            full[i][j], full[j][i] = number, round(1 / number, 2)

    def add_full(data):
        data["ahp"] = {**ahp, "upper": None, "matrix": full}
        del data["ahp"]["upper"]

    again = model_weights(load_scoring(model_file(add_full)))[0]
    assert again == pytest.approx(scores.weights)
    # and reweighting a model drops its AHP block
    plain = model.with_weights({"mandated": 0.5})
    assert plain.ahp is None and model_weights(plain)[1] == "model"


# --- broken models ---------------------------------------------------------------------------


def _term(data, key, index, **changes):
    for item in data["criteria"]:
        if item["key"] == key:
            item["terms"][index].update(changes)


BROKEN: list[tuple[str, Callable[[dict[str, Any]], object], list[str]]] = [
    (
        "unknown area",
        lambda d: _term(d, "data_sharing", 1, area="数据资产"),
        ["criteria[data_sharing].terms.1.area", "数据资产", "不是第六条重点支持领域"],
    ),
    (
        "flag on a non-yes/no column",
        lambda d: _term(d, "cross_sharing", 0, flag="domain"),
        ["criteria[cross_sharing].terms.0.flag", "是/否列"],
    ),
    (
        "two selectors in a term",
        lambda d: _term(d, "cross_sharing", 0, area="数据资源"),
        ["criteria[cross_sharing].terms.0", "area、flag"],
    ),
    (
        "missing weight",
        lambda d: d["criteria"][0].pop("weight"),
        ["criteria[priority_areas].weight", "缺少此项"],
    ),
    (
        "negative weight",
        lambda d: set_criterion(d, "mandated", weight=-1),
        ["criteria[mandated].weight", "应不小于0"],
    ),
    (
        "unknown kind",
        lambda d: set_criterion(d, "mandated", kind="lookup"),
        ["criteria[mandated]", "lookup", "无效"],
    ),
    (
        "article not named as the measures do",
        lambda d: set_criterion(d, "mandated", article="Article 11"),
        ["criteria[mandated].article", "Article 11"],
    ),
    (
        "answer the column does not have",
        lambda d: set_criterion(d, "ex_ante_evaluation", values={"可行": 100, "通过": 80}),
        ["criteria[ex_ante_evaluation]", "“通过”不是“事前绩效评价结论”的可选值"],
    ),
    (
        "score above 100",
        lambda d: set_criterion(d, "ex_ante_evaluation", otherwise=120),
        ["criteria[ex_ante_evaluation].otherwise", "120"],
    ),
    (
        "bad missing treatment",
        lambda d: set_criterion(d, "expert_review", missing="neutral"),
        ["criteria[expert_review].missing", "neutral"],
    ),
    (
        "typo in a key",
        lambda d: set_criterion(d, "mandated", wieght=1),
        ["criteria[mandated].wieght", "未知的键"],
    ),
    (
        "duplicate criterion",
        lambda d: d["criteria"].append(dict(d["criteria"][0])),
        ["criteria", "“priority_areas”重复"],
    ),
    (
        "AHP matrix not reciprocal",
        lambda d: d.update(
            ahp={
                "criteria": [c["key"] for c in d["criteria"]],
                "matrix": [[1 if i == j else 3 for j in range(8)] for i in range(8)],
                "max_consistency_ratio": 0.1,
            }
        ),
        ["ahp", "第1行第2列（3）与第2行第1列（3）不互为倒数"],
    ),
    (
        "AHP keys not the criteria",
        lambda d: d.update(
            ahp={"criteria": ["a", "b"], "upper": [[3]], "max_consistency_ratio": 0.1}
        ),
        ["ahp.criteria", "缺少", "expert_review", "多出a、b"],
    ),
    (
        "AHP judgement off the 1–9 scale",
        lambda d: d.update(
            ahp={
                "criteria": ["priority_areas", "mandated"],
                "upper": [[12]],
                "max_consistency_ratio": 0.1,
            }
        ),
        ["ahp", "12", "1–9"],
    ),
    (
        "AHP upper triangle of the wrong shape",
        lambda d: d.update(
            ahp={
                "criteria": [c["key"] for c in d["criteria"]],
                "upper": [[3, 3], [3]],
                "max_consistency_ratio": 0.1,
            }
        ),
        ["ahp", "上三角应有7行"],
    ),
]


@pytest.mark.parametrize(
    ("change", "expected"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN]
)
def test_broken_model_is_refused_naming_the_key(model_file, change, expected):
    path = model_file(change)
    with pytest.raises(ScoringModelError) as raised:
        load_scoring(path)
    message = str(raised.value)
    assert f"评分模型“{path}”有误" in message
    for part in expected:
        assert part in message, message


def test_missing_unparsable_and_non_mapping_models(tmp_path):
    with pytest.raises(ScoringModelError, match="找不到评分模型"):
        load_scoring("no-such-model")
    bad = tmp_path / "bad.yaml"
    bad.write_text("criteria: [", "utf-8")
    with pytest.raises(ScoringModelError, match="不是有效的 YAML"):
        load_scoring(bad)
    listed = tmp_path / "list.yaml"
    listed.write_text("- 1\n- 2\n", "utf-8")
    with pytest.raises(ScoringModelError, match="顶层应为键值表"):
        load_scoring(listed)
    with pytest.raises(ScoringModelError, match="没有这些评分项：nope"):
        load_scoring().with_weights({"nope": 1})


def test_duplicate_project_ids_are_refused(checked):
    candidates = checked([project()]).candidates
    with pytest.raises(ValueError, match="P1"):
        score(pd.concat([candidates, candidates]))


# --- the embedded sample ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample():
    candidates = read_table([sample_candidates()]).accepted
    systems = read_systems([sample_systems()]).accepted
    return check(candidates, plan_year=SAMPLE_PLAN_YEAR, systems=systems), systems


def test_sample_scores_are_bounded_deterministic_and_spread(sample):
    result, systems = sample
    scores = score(result.candidates, systems=systems)
    assert len(scores.value) == len(result.candidates)
    assert scores.value.between(0, 100).all()
    assert scores.criteria.stack().dropna().between(0, 100).all()
    assert scores.criteria.columns[scores.criteria.isna().any()].tolist() == ["expert_review"]
    assert scores.value.nunique() >= 10 and scores.value.std() > 5
    np.testing.assert_allclose(scores.contributions.sum(axis=1), scores.value, atol=1e-9)
    again = score(result.candidates, systems=systems)
    pd.testing.assert_series_equal(scores.value, again.value)
    shuffled = result.candidates.sample(frac=1, random_state=np.random.default_rng(7))
    reordered = score(shuffled, systems=systems).value
    pd.testing.assert_series_equal(reordered.loc[scores.value.index], scores.value)
    # the registry is used: some unit has a failed evaluation
    assert (scores.criteria["unit_performance"] < 50).any()
