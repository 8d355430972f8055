"""Every rule of the pack, with the boundaries of its article pinned (Civil Code art. 1259)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import column, project, rules_of

# --- 第一条: effective category ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("original", "total", "reclassified"),
    [
        ("1000", "150", False),  # exactly 15 %, but over 100 万元
        ("2000", "100", True),  # 5 %, exactly 100 万元 (不超过 includes it)
        ("2000", "100.01", False),  # over 100 万元
        ("600", "90", True),  # exactly 15 %
        ("600", "90.01", False),  # 15.0017 %
        ("666.67", "100", True),  # 14.9999 %
    ],
)
def test_upgrade_within_15_percent_and_100_wan_is_managed_as_om(
    checked, original, total, reclassified
):
    result = checked(
        [
            project(
                is_upgrade="是",
                original_investment=original,
                total_investment=total,
                request_amount=total,
            )
        ]
    )
    assert column(result, "category_effective") == ("运维服务类" if reclassified else "建设类")
    assert ("effective_category" in rules_of(result)) is reclassified


def test_om_reclassification_needs_an_upgrade(checked):
    result = checked([project(total_investment="50", request_amount="50")])
    assert column(result, "category_effective") == "建设类"


def test_reclassification_message_and_evidence(checked):
    result = checked(
        [
            project(
                is_upgrade="是",
                original_investment="600",
                total_investment="90",
                request_amount="90",
            )
        ]
    )
    finding = result.findings[result.findings.rule == "effective_category"].iloc[0]
    assert finding.article == "第一条"
    assert "15%" in finding.message and "按运维服务类项目管理" in finding.message
    assert finding.evidence["share"] == "15"


# --- 第十五条: approval route ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "route", "article"),
    [
        ({"total_investment": "29.99"}, "备案", "第十五条第（二）项"),
        ({"total_investment": "30"}, "实施方案", "第十五条第（二）项"),  # 低于30 excludes 30
        ({"total_investment": "100"}, "实施方案", "第十五条第（二）项"),  # 100万元以下 includes 100
        ({"total_investment": "100.01"}, "可研+初步设计", "第十五条"),
        ({"total_investment": "100.01", "mandated": "是"}, "实施方案", "第十五条第（三）项"),
        ({"total_investment": "1000", "simple_content": "是"}, "合并可研", "第十五条第（一）项"),
        ({"total_investment": "1000.01", "simple_content": "是"}, "可研+初步设计", "第十五条"),
        (
            {
                "total_investment": "800",
                "like_for_like": "是",
                "is_upgrade": "是",
                "original_investment": "3000",
            },
            "合并可研",
            "第十五条第（一）项",
        ),
        ({"total_investment": "5000"}, "可研+初步设计", "第十五条"),
        ({"category": "运维服务类", "total_investment": "500"}, "运维方案", "第五条"),
        ({"category": "采购服务类", "total_investment": "80"}, "实施方案", "第十五条第（二）项"),
    ],
)
def test_approval_route(checked, changes, route, article):
    changes.setdefault("request_amount", changes["total_investment"])
    result = checked([project(**changes)])
    assert column(result, "approval_route") == route
    assert column(result, "approval_article") == article
    message = result.findings[result.findings.rule == "approval_route"].iloc[0].message
    assert message.startswith(f"审批方式：{route}（{article}）")


# --- 第四十六条: informatization parts of other funded projects -----------------------------------


@pytest.mark.parametrize(
    ("total", "route", "severity", "fragment"),
    [
        ("99.99", "备案", "info", "低于100万元"),
        ("100", "实施方案", "warn", "恰为100万元"),
        ("100.01", "可研+初步设计", "info", "超过100万元"),
    ],
)
def test_other_funds(checked, total, route, severity, fragment):
    result = checked(
        [project(embedded_in_other_project="是", total_investment=total, request_amount=total)]
    )
    assert column(result, "approval_route") == route
    if route == "备案":
        assert column(result, "approval_article") == "第四十六条"
    found = result.findings[result.findings.rule == "other_funds"].iloc[0]
    assert (found.article, found.severity) == ("第四十六条", severity)
    assert fragment in found.message


# --- 第二十六条: supervision ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "required"), [("200", False), ("200.01", True), ("199.99", False)]
)
def test_supervision_above_200(checked, total, required):
    result = checked([project(total_investment=total, request_amount=total)])
    assert bool(column(result, "supervision_required")) is required
    assert ("supervision" in rules_of(result)) is required


def test_om_projects_need_no_supervision(checked):
    result = checked([project(category="运维服务类", total_investment="500", request_amount="500")])
    assert not column(result, "supervision_required")


# --- 第二十三、二十四、二十五条: periods, warranty, O&M response --------------------------------------


@pytest.mark.parametrize(
    ("changes", "severity"),
    [
        ({"construction_months": "24"}, None),
        ({"construction_months": "25"}, "exclude_in_principle"),
        (
            {"construction_months": "30", "total_investment": "2000", "request_amount": "1000"},
            "exclude_in_principle",
        ),
        (
            {"construction_months": "30", "total_investment": "2000.01", "request_amount": "1000"},
            "warn",
        ),
        ({"construction_months": "36", "cross_department": "是"}, "warn"),
        ({"construction_months": "37", "cross_department": "是"}, "exclude"),
        ({"construction_months": "40", "is_infrastructure": "是"}, None),
    ],
)
def test_construction_period(checked, changes, severity):
    result = checked([project(**changes)])
    assert rules_of(result).get("construction_period") == ([severity] if severity else None)


@pytest.mark.parametrize(("months", "hit"), [("6", False), ("7", True)])
def test_procured_services_deploy_within_six_months(checked, months, hit):
    result = checked([project(category="采购服务类", construction_months=months)])
    assert ("deployment_period" in rules_of(result)) is hit


@pytest.mark.parametrize(("months", "hit"), [("12", False), ("11", True), ("", False)])
def test_warranty_at_least_one_year(checked, months, hit):
    result = checked([project(warranty_months=months)])
    assert ("warranty" in rules_of(result)) is hit


def test_om_response_times(checked):
    result = checked(
        [
            project(
                category="运维服务类",
                om_response_hours="2",
                om_general_fix_hours="24.5",
                om_major_plan_hours="72",
            )
        ]
    )
    messages = result.findings[result.findings.rule == "om_response"].message.tolist()
    assert len(messages) == 2
    assert any("一般问题解决" in m and "24.5" in m for m in messages)
    assert any("重大问题" in m and "72" in m for m in messages)


# --- 第八、十六、三十四条: hard exclusions -------------------------------------------------------------


@pytest.mark.parametrize(("value", "hit"), [("通过", False), ("不通过", True), ("未审核", True)])
def test_pre_review(checked, value, hit):
    result = checked([project(pre_review=value)])
    assert rules_of(result).get("pre_review") == (["exclude"] if hit else None)


@pytest.mark.parametrize(
    ("value", "hit"), [("可行", False), ("不可行", True), ("暂缓执行", True), ("未评价", True)]
)
def test_ex_ante_evaluation(checked, value, hit):
    result = checked([project(ex_ante_evaluation=value)])
    assert rules_of(result).get("ex_ante_evaluation") == (["exclude"] if hit else None)
    if hit:
        assert result.findings_for("P1").iloc[0].article == "第三十四条"


@pytest.mark.parametrize(
    ("category", "hit"), [("建设类", True), ("采购服务类", True), ("运维服务类", False)]
)
def test_data_catalog_is_necessary(checked, category, hit):
    result = checked([project(category=category, has_data_catalog="否")])
    assert ("data_catalog" in rules_of(result)) is hit


# --- 第七条, 第三条, 第五条 ------------------------------------------------------------------------------


def test_public_platforms_are_applied_for_by_the_big_data_center(checked):
    result = checked(
        [
            project(project_type="公共支撑平台类"),
            project(
                project_id="P2",
                project_type="公共支撑平台类",
                unit="市政务服务中心（市大数据中心）",
                name="统一身份认证平台",
            ),
            project(project_id="P3", project_type="业务平台类", name="学籍管理"),
        ]
    )
    assert "applicant_type" in rules_of(result, "P1")
    assert "applicant_type" not in rules_of(result, "P2")
    assert "applicant_type" not in rules_of(result, "P3")


def test_several_new_systems_from_one_unit(checked):
    result = checked(
        [
            project(new_systems="1", domain="教育"),
            project(project_id="P2", new_systems="1", domain="体育", name="学生体质监测"),
            project(
                project_id="P3", unit="市民政局", new_systems="1", domain="民政", name="养老服务"
            ),
        ]
    )
    assert "one_department_one_system" in rules_of(result, "P1")
    assert "one_department_one_system" in rules_of(result, "P2")
    assert "one_department_one_system" not in rules_of(result, "P3")


def test_one_new_system_per_unit_is_fine(checked):
    result = checked([project(new_systems="1")])
    assert "one_department_one_system" not in rules_of(result)


def test_one_domain_one_platform(checked):
    result = checked(
        [
            project(new_systems="1", domain="应急管理", name="应急指挥平台"),
            project(
                project_id="P2",
                unit="市公安局",
                new_systems="1",
                domain="应急管理",
                name="警情联动",
            ),
            project(
                project_id="P3",
                unit="市水利局",
                new_systems="0",
                domain="应急管理",
                name="防汛运维",
            ),
        ]
    )
    assert "one_domain_one_platform" in rules_of(result, "P1")
    assert "one_domain_one_platform" in rules_of(result, "P2")
    assert "one_domain_one_platform" not in rules_of(result, "P3")


def test_duplicate_investment_between_units(checked):
    result = checked(
        [
            project(name="应急指挥一张图平台建设项目", unit="市应急管理局"),
            project(
                project_id="P2", name="城市应急指挥一张图平台建设", unit="市城市管理综合执法局"
            ),
            project(project_id="P3", name="应急指挥一张图平台二期", unit="市应急管理局"),
            project(project_id="P4", name="不动产登记信息管理系统", unit="市自然资源局"),
        ]
    )
    p1 = result.findings[
        (result.findings.project_id == "P1") & (result.findings.rule == "duplicate_investment")
    ]
    assert p1.evidence.map(lambda e: e["other_id"]).tolist() == ["P2"]  # P3 is the same unit
    assert "市城市管理综合执法局" in p1.iloc[0].message
    assert "duplicate_investment" in rules_of(result, "P2")
    assert "duplicate_investment" not in rules_of(result, "P4")


def test_generic_words_do_not_make_projects_look_alike(checked):
    result = checked(
        [
            project(name="智慧教育平台建设项目"),
            project(project_id="P2", name="智慧医保平台建设项目", unit="市医疗保障局"),
        ]
    )
    assert "duplicate_investment" not in rules_of(result)


# --- 第四十三至四十五条, 第十一条, 第二十五条, 第十三条 ----------------------------------------------------


def test_district_projects_draw_on_their_own_pool(checked):
    result = checked(
        [
            project(level="旗区", district="达拉特旗", unit="达拉特旗教育局"),
            project(
                project_id="P2",
                level="园区",
                district="康巴什区",
                park="鄂尔多斯高新技术产业开发区",
                unit="高新区管委会",
            ),
            project(project_id="P3"),
            project(project_id="P4", funding_source="自治区数字政府专项资金"),
        ]
    )
    assert column(result, "funding_pool", "P1") == "达拉特旗"
    assert column(result, "funding_pool", "P2") == "鄂尔多斯高新技术产业开发区"
    assert column(result, "funding_pool", "P3") == "市本级"
    assert column(result, "funding_pool", "P4") == "自治区数字政府专项资金"
    assert rules_of(result, "P1")["district_review"] == ["info"]
    assert (
        result.findings_for("P1").query("rule == 'district_review'").iloc[0].article
        == "第四十三条至第四十五条"
    )
    assert "district_review" not in rules_of(result, "P3")


def test_info_findings_for_mandated_om_and_classified(checked):
    result = checked([project(mandated="是", existing_om="是", classified="部分")])
    rules = rules_of(result)
    assert (
        rules["mandated"] == ["info"]
        and rules["om_continuity"] == ["info"]
        and rules["classified"] == ["info"]
    )


# --- 第六条第（五）项: low usage ----------------------------------------------------------------------------

SYSTEM = {
    "system_id": "XT-1",
    "name": "教育统计分析系统",
    "unit": "市教育局",
    "status": "运行",
    "final_acceptance_date": "2026-01-15",
    "discontinued_date": "",
    "performance_evaluation": "通过",
    "evaluation_date": "",
    "designed_monthly_logins": "1000",
    "designed_monthly_volume": "500",
    "low_usage_determination": "",
}


def months(start: str, rates: list[object]) -> list[dict[str, object]]:
    year, month = map(int, start.split("-"))
    rows = []
    for rate in rates:
        rows.append({"system_id": "XT-1", "month": f"{year}-{month:02d}", "usage_rate": rate})
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return rows


def test_six_low_months_block_new_builds_for_a_year(checked):
    usage = months("2026-01", [10, 20, 20, 20, 20, 20, 20])  # the acceptance month does not count
    result = checked(
        [project(), project(project_id="P2", is_upgrade="是", original_investment="5000")],
        systems=[SYSTEM],
        usage=usage,
    )
    found = result.findings_for("P1").query("rule == 'low_usage'")
    # Computed from the monthly data, without the bureau's written determination: evidence
    # ("经测算"), excluded in principle; the written determination decides (see the pack).
    assert found.severity.tolist() == ["exclude_in_principle"]
    assert found.iloc[0].article == "第六条第（五）项"
    message = found.iloc[0].message
    assert "2026-02至2026-07" in message and "2027-01-15" in message
    assert "经测算" in message and "以市数据局书面评估结论为准" in message
    assert "low_usage" not in rules_of(result, "P2")  # an upgrade is not a new build


def test_five_low_months_or_a_gap_are_not_enough(checked):
    usage = months("2026-02", [20, 20, 20, 20, 20, 50, 20])
    result = checked([project()], systems=[SYSTEM], usage=usage)
    assert "low_usage" not in rules_of(result)
    gap = [r for r in months("2026-02", [20] * 7) if r["month"] != "2026-05"]
    result = checked([project()], systems=[SYSTEM], usage=gap)
    assert "low_usage" not in rules_of(result)


def test_exactly_thirty_percent_is_not_low(checked):
    result = checked([project()], systems=[SYSTEM], usage=months("2026-02", [30] * 6))
    assert "low_usage" not in rules_of(result)
    result = checked([project()], systems=[SYSTEM], usage=months("2026-02", ["29.99"] * 6))
    assert "low_usage" in rules_of(result)


@pytest.mark.parametrize(("accepted", "hit"), [("2026-01-01", True), ("2025-12-31", False)])
def test_one_year_window_from_final_acceptance_includes_its_last_day(checked, accepted, hit):
    usage = (
        months("2025-12", [10] * 8) if accepted.startswith("2025") else months("2026-01", [10] * 8)
    )
    result = checked(
        [project()], systems=[{**SYSTEM, "final_acceptance_date": accepted}], usage=usage
    )
    assert ("low_usage" in rules_of(result)) is hit


def test_written_determination_overrides_the_computed_rate(checked):
    determined = {**SYSTEM, "low_usage_determination": "使用率不高"}
    result = checked([project()], systems=[determined], usage=months("2026-02", [90] * 6))
    assert rules_of(result)["low_usage"] == ["exclude"]
    assert "经市数据局书面评估认定" in result.findings_for("P1").iloc[0].message
    cleared = {**SYSTEM, "low_usage_determination": "正常"}
    result = checked([project()], systems=[cleared], usage=months("2026-02", [5] * 6))
    assert "low_usage" not in rules_of(result)


def test_composite_usage_rate_uses_the_pack_weights(checked):
    # 0.4 × 20 + 0.4 × 20 + 0.2 × 60 = 28 % < 30 %; with satisfaction 80 it is 32 %.
    def rows(satisfaction):
        return [
            {
                "system_id": "XT-1",
                "month": f"2026-{m:02d}",
                "logins": "200",
                "business_volume": "100",
                "satisfaction": satisfaction,
            }
            for m in range(2, 8)
        ]

    assert "low_usage" in rules_of(checked([project()], systems=[SYSTEM], usage=rows("60")))
    assert "low_usage" not in rules_of(checked([project()], systems=[SYSTEM], usage=rows("80")))


def test_reference_date_moves_the_window(checked):
    usage = months("2026-01", [10] * 8)
    result = checked(
        [project()], systems=[SYSTEM], usage=usage, reference_date=dt.date(2027, 1, 16)
    )
    assert "low_usage" not in rules_of(result)


# --- 第六条第（七）项: failed evaluation / early shutdown ------------------------------------------------


@pytest.mark.parametrize(
    ("system", "hit"),
    [
        ({"performance_evaluation": "不通过", "evaluation_date": "2026-05-10"}, True),
        ({"performance_evaluation": "不通过", "evaluation_date": "2024-05-10"}, False),
        ({"performance_evaluation": "不通过", "evaluation_date": ""}, True),
        (
            {
                "status": "停用",
                "final_acceptance_date": "2024-06-30",
                "discontinued_date": "2026-06-30",
            },
            True,
        ),
        (
            {
                "status": "停用",
                "final_acceptance_date": "2024-06-29",
                "discontinued_date": "2026-06-30",
            },
            False,
        ),
        (
            {
                "status": "停用",
                "final_acceptance_date": "2023-03-01",
                "discontinued_date": "2024-06-30",
            },
            False,
        ),
    ],
)
def test_failed_evaluation_and_early_shutdown(checked, system, hit):
    # P1 invests in the system (关联已建系统编号), P2 is its O&M, P3 is another project of the
    # unit: the article bars investment in the system, whatever the category; P3 is warned.
    result = checked(
        [
            project(related_systems="XT-1"),
            project(project_id="P2", category="运维服务类", name="运维", related_systems="XT-1"),
            project(project_id="P3", name="教育督导信息平台"),
        ],
        systems=[{**SYSTEM, **system}],
    )
    expected = ["exclude_in_principle"] if hit else None
    assert rules_of(result).get("failed_evaluation") == expected
    assert rules_of(result, "P2").get("failed_evaluation") == expected
    assert rules_of(result, "P3").get("failed_evaluation") == (["warn"] if hit else None)


# --- the engine as a whole ---------------------------------------------------------------------------


def test_findings_are_sorted_by_project_then_severity(checked):
    result = checked(
        [project(pre_review="不通过", mandated="是", total_investment="300", request_amount="300")]
    )
    severities = result.findings_for("P1").severity.tolist()
    order = ["exclude", "exclude_in_principle", "warn", "info"]
    assert severities == sorted(severities, key=order.index)


def test_every_finding_has_article_and_message(checked):
    result = checked(
        [
            project(
                pre_review="未审核",
                has_data_catalog="否",
                construction_months="40",
                warranty_months="6",
                classified="是",
            )
        ]
    )
    assert not result.findings.empty
    assert result.findings.article.str.match(r"^第.+条").all()
    assert (result.findings.message.str.len() > 5).all()
    assert result.findings.severity.isin(["exclude", "exclude_in_principle", "warn", "info"]).all()


def test_empty_intake_checks_cleanly(intake):
    from workbench.policy import check

    empty = intake(project(project_id="示例")).accepted
    assert check(empty, plan_year=2027).findings.empty
