"""第五条 at scale (issue #12): one finding per project, its top k most similar projects of other
units with their scores and the number of the rest, matching a brute-force comparison of every
pair, exactly at the bar; and the classified name a finding quotes is still withheld."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest
from conftest import project
from pydantic import ValidationError
from rapidfuzz.distance import Indel

from workbench.money import Relation
from workbench.planner import draft_plan
from workbench.policy import load_pack
from workbench.policy.pack import DuplicateInvestment
from workbench.policy.similarity import MIN_CORE_LENGTH, core_text, similar_projects
from workbench.report.document import plan_document
from workbench.scenario import Scenario

SUBJECTS = ("政务外网", "视频会议", "电子证照", "协同办公", "数据共享交换", "不动产登记")
VARIANTS = ("", "", "", "一体化", "综合", "智能")
UNITS = tuple(f"市第{k}局" for k in range(1, 25))


def near_identical(n: int, seed: int = 0) -> list[dict]:
    """n projects named "XX[variant]系统运维服务项目" over six subjects and 24 units."""
    rng = random.Random(seed)
    return [
        project(
            project_id=f"N{i:04d}",
            name=f"{rng.choice(SUBJECTS)}{rng.choice(VARIANTS)}系统运维服务项目",
            unit=rng.choice(UNITS),
        )
        for i in range(n)
    ]


def brute_force(frame: pd.DataFrame, spec: DuplicateInvestment) -> dict[str, list[tuple]]:
    """Every pair of projects scored, both ways: project id → [(score, other id)] of the
    projects of other units at or above the bar, decided in integers."""
    value = spec.similarity.value
    inclusive = spec.similarity.relation.holds(value, value)
    rows = list(frame[["project_id", "name", "unit"]].itertuples(index=False))
    cores = {r.project_id: core_text(r.name, r.unit, spec.stopwords) for r in rows}
    out: dict[str, list[tuple]] = {}
    for a in rows:
        for b in rows:
            x, y = cores[a.project_id], cores[b.project_id]
            if a.unit == b.unit or min(len(x), len(y)) < MIN_CORE_LENGTH:
                continue
            total = len(x) + len(y)
            common = total - Indel.distance(x, y)
            lhs, rhs = 100 * common, value * total
            if lhs > rhs or (inclusive and lhs == rhs):
                out.setdefault(a.project_id, []).append((100 * common / total, b.project_id))
    return out


def findings_of(result) -> pd.DataFrame:
    return result.findings[result.findings["rule"] == "duplicate_investment"]


def test_near_identical_names_give_at_most_one_finding_per_project(checked):
    result = checked(near_identical(240))
    spec = result.pack.rules.duplicate_investment
    found = findings_of(result)
    expected = brute_force(result.candidates, spec)
    assert found["project_id"].is_unique  # linear: one finding per project at most
    assert set(found["project_id"]) == set(expected)
    # Without the top k, the same intake would give one finding per similar pair, both ways.
    assert sum(len(v) for v in expected.values()) > 10 * len(found)
    for row in found.itertuples(index=False):
        listed, more = row.evidence["similar"], row.evidence["more"]
        others = sorted(expected[row.project_id], key=lambda t: (-t[0], t[1]))
        assert 1 <= len(listed) <= spec.top_k == 5
        assert [r["project_id"] for r in listed] == [pid for _, pid in others[: spec.top_k]]
        assert [r["score"] for r in listed] == [
            f"{s:.1f}".rstrip("0").rstrip(".") for s, _ in others[:5]
        ]
        assert more == len(others) - len(listed)
        assert row.evidence["other_id"] == listed[0]["project_id"]
        for r in listed:
            assert f"{r['project_id']}（{r['name']}，相似度{r['score']}%）" in row.message
        if more:
            assert f"另有{more}个其他单位的项目相似度也在85%以上" in row.message
        else:
            assert "另有" not in row.message


@pytest.mark.parametrize("relation", ["以上", "超过"])
@pytest.mark.parametrize("seed", range(6))
def test_prefix_filtering_finds_every_pair_brute_force_finds(seed, relation):
    """Random names over a small alphabet (many near misses), against every pair scored."""
    rng = np.random.default_rng(seed)
    alphabet = list("政务数据平台信息系统管理服务综合监测一网通办智慧城市应急")
    n = 160
    names = []
    for _ in range(n):
        if names and rng.random() < 0.5:  # a near copy of an earlier name
            base = list(names[int(rng.integers(0, len(names)))])
            for _ in range(int(rng.integers(0, 3))):
                base.insert(int(rng.integers(0, len(base) + 1)), str(rng.choice(alphabet)))
            names.append("".join(base))
        else:
            size = int(rng.integers(3, 16))
            names.append("".join(rng.choice(alphabet, size=size)))
    frame = pd.DataFrame(
        {
            "project_id": [f"R{i:03d}" for i in range(n)],
            "name": names,
            "unit": [f"单位{int(u)}" for u in rng.integers(0, 12, size=n)],
        }
    )
    pack = load_pack().rules.duplicate_investment
    spec = pack.model_copy(
        update={
            "stopwords": (),
            "similarity": pack.similarity.model_copy(update={"relation": Relation(relation)}),
        }
    )
    expected = brute_force(frame, spec)
    got = similar_projects(frame, spec, top_k=3)
    ids = frame["project_id"]
    assert set(ids[got.index]) == set(expected)
    for label, row in got.iterrows():
        others = sorted(expected[ids[label]], key=lambda t: (-t[0], t[1]))
        assert row["count"] == len(others)
        assert [ids[j] for j in row["others"]] == [pid for _, pid in others[:3]]
        assert list(row["scores"]) == pytest.approx([s for s, _ in others[:3]])


def test_exactly_at_the_bar_is_similar_for_以上_and_not_for_超过():
    # Cores of 20 characters with 17 in common: 2 × 17 / 40 = exactly 85 %.
    a = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉"
    b = a[:17] + "天地人"
    assert Indel.normalized_similarity(a, b) * 100 == pytest.approx(85)
    frame = pd.DataFrame({"project_id": ["A", "B"], "name": [a, b], "unit": ["一局", "二局"]})
    pack = load_pack().rules.duplicate_investment.model_copy(update={"stopwords": ()})
    at_least = similar_projects(frame, pack)
    assert list(at_least["count"]) == [1, 1]
    assert list(at_least["scores"]) == [(85.0,), (85.0,)]
    above = pack.model_copy(
        update={"similarity": pack.similarity.model_copy(update={"relation": Relation.EXCEEDING})}
    )
    assert similar_projects(frame, above).empty


def test_projects_of_one_unit_are_never_counted(checked):
    result = checked(
        [
            project(project_id="A", name="政务外网系统运维服务项目", unit="市第1局"),
            project(project_id="B", name="政务外网系统运维服务", unit="市第1局"),
            project(project_id="C", name="政务外网运维服务项目", unit="市第2局"),
        ]
    )
    found = findings_of(result).set_index("project_id")
    assert found.loc["A", "evidence"]["more"] == 0
    assert [r["project_id"] for r in found.loc["A", "evidence"]["similar"]] == ["C"]
    assert [r["project_id"] for r in found.loc["C", "evidence"]["similar"]] == ["A", "B"]


def test_a_classified_name_quoted_in_a_top_k_finding_is_withheld(checked):
    secret_name = "应急指挥一张图平台建设项目"
    result = checked(
        [
            project(project_id="S", name=secret_name, unit="市应急管理局", classified="是"),
            project(project_id="O", name="城市应急指挥一张图平台建设", unit="市城市管理综合执法局"),
            *[
                project(project_id=f"X{k}", name="应急指挥一张图平台", unit=f"市第{k}局")
                for k in range(1, 8)
            ],
        ]
    )
    quoting = findings_of(result)
    assert any(secret_name in m for m in quoting.loc[quoting["project_id"] != "S", "message"])
    scenario = Scenario.model_validate(
        {"name": "t", "plan_year": 2027, "ceilings": {"市本级": {2027: 100000}}}
    )
    values = pd.Series(50.0, index=result.candidates["project_id"])
    plan = draft_plan(result, values, scenario)
    shown = plan_document(plan, result).section("findings").blocks[0].frame
    assert not shown.map(lambda v: isinstance(v, str) and secret_name in v).any().any()
    internal = plan_document(plan, result, internal=True).section("findings").blocks[0].frame
    assert internal["审核发现"].str.contains(secret_name).any()


@pytest.mark.parametrize(
    "change",
    [
        {"top_k": 0},
        {"similarity": {"value": "85", "relation": "以下"}},
        {"similarity": {"value": "120", "relation": "以上"}},
    ],
)
def test_the_pack_refuses_a_bar_or_top_k_that_means_nothing(change):
    section = load_pack().rules.duplicate_investment.model_dump(mode="json")
    with pytest.raises(ValidationError):
        DuplicateInvestment.model_validate({**section, **change})
