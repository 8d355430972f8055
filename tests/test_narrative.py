"""The plan's risk and out-year money in plain sentences (workbench.report.narrative): every
figure a sentence quotes is recomputed here from the plan, the simulation table or
``commitments``, never copied from an earlier run."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest
from conftest import project, write_csv

from workbench.english import english_sentences
from workbench.intake import read_table
from workbench.labels import NARRATIVE_LABELS, REPORT_LABELS
from workbench.money import format_wan, to_decimal
from workbench.planner import draft_plan
from workbench.report.narrative import (
    ADVERSE_SHARE,
    commitment_sentence,
    highest_risk,
    pool_risk_sentence,
    risk_sentences,
)
from workbench.scenario import Scenario
from workbench.session import Session
from workbench.simulate import assumptions_from, commitments, simulate

JARGON = ("P50", "P90", "种子", "蒙特卡洛", "Monte", "seed", "分位")


def wan(value: object) -> str:
    """An amount of the risk table (float) as the sentences write it."""
    return format_wan(to_decimal(round(float(value), 2)))


def pct(p: float) -> str:
    return f"{round(p * 100)}%"


@pytest.fixture(scope="module")
def sample():
    s = Session.open()
    plan = s.plan
    table = simulate(plan, assumptions_from(plan), draws=2_000, seed=0)
    return plan, table


def pools_with_ceiling(table: pd.DataFrame) -> list[str]:
    return sorted(set(table.loc[table["ceiling"].notna(), "pool"]))


def test_one_sentence_per_pool_with_a_ceiling_quoting_its_riskiest_year(sample):
    plan, table = sample
    sentences = risk_sentences(plan, table)
    pools = pools_with_ceiling(table)
    assert len(sentences) == len(pools)
    for pool in pools:
        row = highest_risk(table, pool)
        mine = [s for s in sentences if s.startswith((f"{int(row['year'])}年{pool}", pool))]
        assert len(mine) == 1, (pool, sentences)
        sentence = mine[0]
        p = float(row["p_exceed"])
        if p == 0:
            assert "都未超过上限" in sentence
        else:
            assert f"约{pct(p)}" in sentence
        if p > 1 - ADVERSE_SHARE:  # at risk: the year first, and the year's figures in words
            assert sentence.startswith(f"{int(row['year'])}年{pool}支出超过上限的概率约{pct(p)}")
            for figure in (row["planned"], row["p50"], row["p90"]):
                assert f"{wan(figure)}万元" in sentence
            assert "中位情形" in sentence and "较不利情形" in sentence


def test_the_percentage_is_that_of_the_riskiest_row(sample):
    plan, table = sample
    top = highest_risk(table)
    assert float(top["p_exceed"]) == table["p_exceed"].max()
    first = pool_risk_sentence(plan, table, top["pool"])
    assert f"概率约{pct(float(top['p_exceed']))}" in first
    assert first.startswith(f"{int(top['year'])}年{top['pool']}")


def test_the_median_is_reconciled_with_the_plan_figure(sample):
    plan, table = sample
    for sentence in risk_sentences(plan, table):
        pool = next(p for p in pools_with_ceiling(table) if p in sentence.split("支出")[0])
        row = highest_risk(table, pool)
        if float(row["p_exceed"]) <= 1 - ADVERSE_SHARE:
            continue
        diff = to_decimal(round(float(row["p50"]), 2)) - to_decimal(round(float(row["planned"]), 2))
        if diff > 0:
            assert f"中位情形比计划安排多{format_wan(diff)}万元" in sentence
        elif diff < 0:
            assert f"中位情形比计划安排少{format_wan(-diff)}万元" in sentence
        else:
            assert "比计划安排" not in sentence


def test_no_statistical_jargon_and_no_english(sample):
    plan, table = sample
    text = "".join(risk_sentences(plan, table)) + commitment_sentence(plan)
    assert not [word for word in JARGON if word in text]
    assert not english_sentences(text)


def test_a_late_start_driving_the_risk_names_last_years_largest_project(sample):
    plan, table = sample
    row = highest_risk(table, "市本级")
    year = int(row["year"])
    assert year > plan.scenario.plan_year  # the sample's 市本级 risk is in an out year
    spend = plan.spend[(plan.spend["pool"] == "市本级") & (plan.spend["year"] == year - 1)]
    by_project = spend.groupby("project_id")["amount"].sum()
    largest = by_project.idxmax()
    name = plan.projects.set_index("project_id").at[largest, "name"]
    sentence = pool_risk_sentence(plan, table, "市本级")
    assert f"{year - 1}年度安排的项目推迟一年启动" in sentence
    assert f"“{name}”" in sentence and f"{format_wan(by_project[largest])}万元" in sentence
    total = sum((to_decimal(a) for a in spend["amount"]), Decimal(0))
    assert f"{year - 1}年度安排{format_wan(total)}万元" in sentence
    # The distribution edition names it as the report does.
    hidden = pool_risk_sentence(plan, table, "市本级", hidden={largest})
    assert name not in hidden and REPORT_LABELS["redacted_name"] in hidden


def test_low_risk_pools_get_one_short_sentence(sample):
    plan, table = sample
    pool = "市本级"
    calm = table.copy()
    calm.loc[calm["pool"] == pool, "p_exceed"] = calm.loc[calm["pool"] == pool, "ceiling"].map(
        lambda c: None if c != c else 0.0
    )
    assert pool_risk_sentence(plan, calm, pool) == NARRATIVE_LABELS["safe_none"].format(pool=pool)
    rarely = calm.copy()
    years = rarely.index[(rarely["pool"] == pool) & rarely["ceiling"].notna()]
    rarely.loc[years[-1], "p_exceed"] = (1 - ADVERSE_SHARE) / 2
    sentence = pool_risk_sentence(plan, rarely, pool)
    assert sentence.startswith(pool) and f"约{pct((1 - ADVERSE_SHARE) / 2)}" in sentence
    assert len(sentence) < 60 and "中位情形" not in sentence


def test_grouped_reassured_pools_share_a_sentence(sample):
    plan, table = sample
    pools = pools_with_ceiling(table)
    p = {pool: float(highest_risk(table, pool)["p_exceed"]) for pool in pools}
    risky = [pool for pool in pools if p[pool] > 1 - ADVERSE_SHARE]
    never = [pool for pool in pools if p[pool] == 0]
    rarely = [pool for pool in pools if pool not in risky and pool not in never]
    grouped = risk_sentences(plan, table, grouped=True)
    assert len(grouped) == len(risky) + bool(never) + bool(rarely)
    assert grouped[: len(risky)] == risk_sentences(plan, table)[: len(risky)]
    for group in (never, rarely):
        if group:
            (sentence,) = [s for s in grouped[len(risky) :] if group[0] in s]
            assert all(pool in sentence for pool in group)


def test_the_city_pool_comes_first(sample):
    plan, table = sample
    assert risk_sentences(plan, table)[0].split("支出")[0].endswith("市本级")


def test_the_out_year_sentence_adds_up_the_commitments(sample):
    plan, _ = sample
    table = commitments(plan)
    later = table[table["year"] > plan.scenario.plan_year]

    def total(column: str, rows: pd.DataFrame = later) -> Decimal:
        return sum((to_decimal(v) for v in rows[column]), Decimal(0))

    sentence = commitment_sentence(plan)
    years = sorted(later["year"].unique())
    assert sentence.startswith(
        f"{years[0]}—{years[-1]}年还需安排资金{format_wan(total('total'))}万元"
    )
    for year in years:
        assert f"{year}年{format_wan(total('total', later[later['year'] == year]))}万元" in sentence
    assert f"建设资金{format_wan(total('construction'))}万元" in sentence
    assert f"运维费用{format_wan(total('om'))}万元" in sentence
    assert "已有承诺" not in sentence  # the sample carries none in


# A hand-built plan: one project of 600 (400 in 2027, 200 in 2028, O&M from 2029) and
# commitments carried in from earlier plans, against tight ceilings.


def scenario(**changes) -> Scenario:
    base = {
        "name": "t",
        "plan_year": 2027,
        "horizon": 3,
        "ceilings": {"市本级": {2027: 1000, 2028: 400, 2029: 300}},
    }
    return Scenario.model_validate({**base, **changes})


def carried(tmp_path) -> pd.DataFrame:
    rows = [
        {"承诺编号": "C1", "承诺类型": "以前年度计划结转", "说明": "政务云二期", "资金渠道": "市本级", "年度": "2027", "金额(万元)": "200"},
        {"承诺编号": "C2", "承诺类型": "在运行系统运维合同", "说明": "视频云运维", "资金渠道": "市本级", "年度": "2028", "金额(万元)": "50"},
    ]  # fmt: skip
    result = read_table([write_csv(tmp_path / "承诺.csv", rows)], "commitments")
    assert result.rejections.empty
    return result.accepted


@pytest.fixture
def small(checked, tmp_path):
    result = checked(
        [
            project(
                project_id="A",
                total_investment="600",
                request_amount="400",
                construction_months="18",
                warranty_months="12",
                annual_om_cost="60",
            )
        ]
    )
    plan = draft_plan(result, pd.Series({"A": 80.0}), scenario(), carried=carried(tmp_path))
    assert plan.status == "optimal"
    return plan


def test_carried_commitments_are_named_in_both_sentences(small):
    plan = small
    table = commitments(plan)
    later = table[table["year"] > 2027]
    carried_later = sum((to_decimal(v) for v in later["carried"]), Decimal(0))
    sentence = commitment_sentence(plan)
    assert carried_later and f"已有承诺{format_wan(carried_later)}万元" in sentence

    risk = simulate(plan, assumptions_from(plan), draws=4_000, seed=1)
    row = highest_risk(risk, "市本级")
    text = pool_risk_sentence(plan, risk, "市本级")
    year, room = int(row["year"]), float(row["ceiling"])
    already = float(plan.prepared.carried.get(("市本级", year), 0.0))
    # The case is built so that the out year is at risk from the project's late start, with
    # money carried into that year.
    assert year == 2028 and float(row["p_exceed"]) > 1 - ADVERSE_SHARE and already
    # The table's ceiling is what is left once the carried money is taken off: the sentence
    # names the ceiling as set, the carried money and what remains.
    assert (
        f"上限{wan(room + already)}万元（扣除已有承诺{wan(already)}万元后可用{wan(room)}万元）"
        in text
    )
    spend = plan.spend.groupby("year")["amount"].sum()
    moved = float(spend.get(year - 1, 0)) - float(spend.get(year, 0))
    name = plan.projects.set_index("project_id").at["A", "name"]
    assert f"“{name}”" in text
    alone = moved > room - float(row["planned"])
    assert ("一项推迟就会超过上限" in text) == alone


def test_a_horizon_of_one_year_has_no_out_year_money(checked):
    result = checked([project(project_id="A")])
    plan = draft_plan(
        result,
        pd.Series({"A": 80.0}),
        scenario(horizon=1, ceilings={"市本级": {2027: 1000}}),
    )
    assert commitment_sentence(plan) == NARRATIVE_LABELS["commitments_none"].format(year=2027)


def test_a_plan_year_overrun_is_explained_by_the_adjustment_rule(checked):
    """Planned up to the ceiling in the plan year: only cost growth can break it, and the
    sentence says so with the article and bound of the policy pack."""
    result = checked([project(project_id="A", request_amount="300", total_investment="300")])
    plan = draft_plan(
        result, pd.Series({"A": 80.0}), scenario(horizon=1, ceilings={"市本级": {2027: 300}})
    )
    risk = simulate(plan, assumptions_from(plan), draws=2_000, seed=0)
    row = highest_risk(risk, "市本级")
    assert int(row["year"]) == 2027 and float(row["p_exceed"]) > 1 - ADVERSE_SHARE
    text = pool_risk_sentence(plan, risk, "市本级")
    bound = assumptions_from(plan).overrun_bound
    assert f"建设项目费用调增（第二十八条允许单位在{pct(bound)}以内自行调整" in text
    assert f"约{pct(float(row['p_exceed']))}" in text
