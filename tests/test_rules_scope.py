"""Who each rule binds and which article it cites: 第一条 both ways, district routes (第四十五条)
and the city's review points (第四十四条), 第六条 scoped to 市本级 and to the system it names,
the O&M interruption conflict (第二十五条), and figures that never contradict a threshold."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import column, project, rules_of

from workbench.policy import check, load_pack
from workbench.policy.findings import figure_beside

DISTRICT = {"level": "旗区", "district": "东胜区", "unit": "东胜区教育局"}

# --- 第一条, the other way: an upgrade declared 运维服务类 above either bound ----------------------


@pytest.mark.parametrize(
    ("original", "total", "stays_om", "why"),
    [
        ("600", "90", True, ""),  # exactly 15 %, within 100 万元
        ("600", "90.01", False, "超过原项目投资15%"),  # 15.0017 %
        ("2000", "100", True, ""),  # 5 %, exactly 100 万元
        ("2000", "100.01", False, "超过100万元"),
        ("500", "120", False, "超过原项目投资15%、超过100万元"),
    ],
)
def test_an_upgrade_declared_om_above_a_bound_is_not_om(checked, original, total, stays_om, why):
    result = checked(
        [
            project(
                category="运维服务类",
                is_upgrade="是",
                original_investment=original,
                total_investment=total,
                request_amount=total,
            )
        ]
    )
    assert column(result, "category_effective") == ("运维服务类" if stays_om else "建设类")
    found = result.findings_for("P1").query("rule == 'effective_category'")
    if stays_om:
        assert found.empty
    else:
        message = found.iloc[0].message
        assert found.iloc[0].article == "第一条"
        assert why in message and "按建设类项目管理" in message


def test_a_reclassified_upgrade_takes_the_route_supervision_and_period_of_construction(checked):
    # 25 % of the original and 250 万元: managed as 建设类, so it needs approval (not 运维方案),
    # supervision above 200 万元 and the construction-period rule.
    result = checked(
        [
            project(
                category="运维服务类",
                is_upgrade="是",
                original_investment="1000",
                total_investment="250",
                request_amount="250",
                construction_months="30",
            )
        ]
    )
    assert column(result, "category_effective") == "建设类"
    assert column(result, "approval_route") == "可研+初步设计"
    assert bool(column(result, "supervision_required")) is True
    assert rules_of(result)["construction_period"] == ["exclude_in_principle"]


def test_the_reclassification_share_is_never_rounded_onto_the_bound(checked):
    # 100 / 666.67 = 14.99992… %: two decimals would print 15.00 beside "不超过15%".
    result = checked(
        [
            project(
                is_upgrade="是",
                original_investment="666.67",
                total_investment="100",
                request_amount="100",
            )
        ]
    )
    finding = result.findings_for("P1").query("rule == 'effective_category'").iloc[0]
    assert finding.evidence["share"].startswith("14.9999")


# --- districts: their own route (第四十五条) and the city's review points (第四十四条) --------------


@pytest.mark.parametrize("category", ["建设类", "采购服务类", "运维服务类"])
def test_district_projects_are_approved_by_their_district(checked, category):
    result = checked(
        [project(category=category, total_investment="20", request_amount="20", **DISTRICT)]
    )
    assert column(result, "approval_route") == "旗区立项审批"
    route = result.findings_for("P1").query("rule == 'approval_route'").iloc[0]
    assert route.article == "第四十五条"
    assert "第十五条" in route.message and "第四十四条" in route.message  # says why not 第十五条


@pytest.mark.parametrize(
    ("changes", "route", "article"),
    [
        ({"category": "运维服务类"}, "运维方案", "第五条"),
        ({"total_investment": "29.9999", "request_amount": "20"}, "备案", "第十五条第（二）项"),
        ({"total_investment": "30", "request_amount": "20"}, "实施方案", "第十五条第（二）项"),
        ({"mandated": "是"}, "实施方案", "第十五条第（三）项"),
        ({"simple_content": "是"}, "合并可研", "第十五条第（一）项"),
        ({}, "可研+初步设计", "第十五条"),
        (
            {"embedded_in_other_project": "是", "total_investment": "80", "request_amount": "80"},
            "备案",
            "第四十六条",
        ),
    ],
)
def test_the_route_finding_cites_the_article_it_applies(checked, changes, route, article):
    result = checked([project(**changes)])
    assert column(result, "approval_route") == route
    finding = result.findings_for("P1").query("rule == 'approval_route'").iloc[0]
    assert finding.article == article
    assert f"（{article}）" in finding.message


def test_review_points_of_article_44_where_the_form_speaks(checked):
    result = checked(
        [
            project(project_id="C1", domain="教育", new_systems="1"),  # a city project, same domain
            project(
                project_id="D1",
                domain="教育",
                new_systems="1",
                retired_systems="0",
                priority_areas="",
                is_infrastructure="是",
                **DISTRICT,
            ),
            project(
                project_id="D2",
                name="东胜区政务外网运维",
                category="运维服务类",
                has_data_catalog="否",
                domain="网络",
                **DISTRICT,
            ),
        ]
    )
    points = result.findings_for("D1").query(
        "rule == 'district_review' and article == '第四十四条'"
    )
    text = "\n".join(points["message"])
    assert "政策依据及建设必要性" in text
    assert "全市跨层级跨部门统筹建设" in text and "C1" in text
    assert "一体化、集约化部署" in text and "基础设施" in text
    assert "基础设施和共用资源复用" in text
    other = result.findings_for("D2").query("rule == 'district_review'")["message"]
    assert any("数据共享" in m for m in other)
    # A city project gets none of them.
    assert "district_review" not in rules_of(result, "C1")


# --- 第六条 binds 市本级 projects; district projects get it as a review reference ----------------

SYSTEM = {
    "system_id": "XT-9",
    "name": "东胜区教育管理系统",
    "unit": "东胜区教育局",
    "status": "运行",
    "final_acceptance_date": "2026-01-15",
    "discontinued_date": "",
    "performance_evaluation": "不通过",
    "evaluation_date": "2026-05-10",
    "low_usage_determination": "使用率不高",
}


def test_article_6_is_a_review_reference_for_district_projects(checked):
    result = checked([project(related_systems="XT-9", **DISTRICT)], systems=[SYSTEM])
    found = result.findings_for("P1")
    for rule in ("low_usage", "failed_evaluation"):
        hit = found[found["rule"] == rule]
        assert hit["severity"].tolist() == ["warn"], rule
        assert hit.iloc[0].message.startswith("第六条适用于市本级项目")


def test_the_pack_can_apply_article_6_fully_to_districts(tmp_path):
    from conftest import write_csv

    from workbench.intake import read_table
    from workbench.intake.registry import read_systems

    pack = load_pack()
    full = pack.model_copy(
        update={
            "article_6_scope": pack.article_6_scope.model_copy(update={"district_mode": "full"})
        }
    )
    candidates = read_table(
        [write_csv(tmp_path / "c.csv", [project(related_systems="XT-9", **DISTRICT)])]
    )
    systems = read_systems([write_csv(tmp_path / "s.csv", [SYSTEM])]).accepted
    result = check(candidates.accepted, pack=full, plan_year=2027, systems=systems)
    assert rules_of(result)["low_usage"] == ["exclude"]
    assert rules_of(result)["failed_evaluation"] == ["exclude_in_principle"]


def test_a_service_that_adds_a_system_is_a_new_build_under_item_5(checked):
    system = {**SYSTEM, "unit": "市教育局", "performance_evaluation": "通过"}
    result = checked(
        [
            project(category="采购服务类", new_systems="1"),
            project(project_id="P2", category="采购服务类", new_systems="0"),
        ],
        systems=[system],
    )
    assert rules_of(result)["low_usage"] == ["exclude"]
    assert "low_usage" not in rules_of(result, "P2")


def test_item_7_excludes_investment_in_the_system_and_warns_the_unit(checked):
    system = {**SYSTEM, "unit": "市教育局", "low_usage_determination": ""}
    result = checked(
        [
            project(project_id="P1", related_systems="XT-9"),
            project(project_id="P2", name="教育督导平台"),
            project(
                project_id="P3", name="教育系统升级", is_upgrade="是", original_investment="5000"
            ),
            project(project_id="P4", name="他局项目", unit="市民政局"),
        ],
        systems=[system],
    )
    assert rules_of(result, "P1")["failed_evaluation"] == ["exclude_in_principle"]
    assert rules_of(result, "P2")["failed_evaluation"] == ["warn"]
    p3 = result.findings_for("P3").query("rule == 'failed_evaluation'").iloc[0]
    assert p3.severity == "warn" and "未填写关联已建系统编号" in p3.message
    assert "failed_evaluation" not in rules_of(result, "P4")


# --- 第二十五条 against an exclusion: the conflict said out loud --------------------------------


def test_an_excluded_continuing_om_is_flagged_as_an_interruption_risk(checked):
    result = checked(
        [
            project(
                category="运维服务类",
                existing_om="是",
                ex_ante_evaluation="未评价",
                total_investment="80",
                request_amount="80",
            ),
            project(project_id="P2", category="运维服务类", existing_om="是"),
        ]
    )
    p1 = rules_of(result)
    assert p1["om_interruption"] == ["warn"] and "om_continuity" not in p1
    risk = result.findings_for("P1").query("rule == 'om_interruption'").iloc[0]
    assert risk.article == "第二十五条"
    assert "事前绩效评价（第三十四条）" in risk.message and "须完成事前绩效评价" in risk.message
    # The one that is not excluded keeps its ordinary continuity note.
    assert "om_continuity" in rules_of(result, "P2")
    assert "om_interruption" not in rules_of(result, "P2")


def test_no_interruption_risk_for_a_system_already_shut(checked):
    system = {
        **SYSTEM,
        "unit": "市教育局",
        "status": "停用",
        "discontinued_date": "2026-06-30",
        "performance_evaluation": "通过",
        "low_usage_determination": "",
    }
    result = checked(
        [project(category="运维服务类", existing_om="是", related_systems="XT-9")],
        systems=[system],
    )
    assert rules_of(result)["failed_evaluation"] == ["exclude_in_principle"]
    assert "om_interruption" not in rules_of(result)


# --- figures beside a threshold ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("29.9999", "29.9999"),  # 299,999 元 beside 30 万元: never "30.00"
        ("30", "30"),
        ("30.004", "30.004"),  # would round onto 30
        ("12.345", "12.35"),
        ("100.001", "100.001"),
        ("99.995", "99.995"),  # would round to 100.00
    ],
)
def test_figures_beside_a_threshold_do_not_contradict_it(value, shown):
    assert figure_beside(Decimal(value), (Decimal(30), Decimal(100))) == shown


def test_an_upgrade_leaving_om_follows_its_delivery_mode(checked):
    # 第一条 "建设或采购服务方式实施": a procured-service upgrade above the bounds is 采购服务类.
    result = checked(
        [
            project(
                category="运维服务类",
                is_upgrade="是",
                original_investment="500",
                total_investment="120",
                request_amount="120",
                delivery_mode="购买服务",
            )
        ]
    )
    assert column(result, "category_effective") == "采购服务类"
    message = result.findings_for("P1").query("rule == 'effective_category'").iloc[0].message
    assert "按采购服务类项目管理" in message
