from __future__ import annotations

import datetime as dt
import string
from pathlib import Path

import pytest
import yaml

from workbench.policy import PolicyPackError, load_pack
from workbench.policy.pack import resolve_pack_path
from workbench.policy.rules import RULES

PACK = resolve_pack_path("ordos-2025")


def edited(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(PACK.read_text("utf-8"))
    change(data)
    path = tmp_path / "pack.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return path


def test_the_shipped_pack_loads_and_names_every_article():
    pack = load_pack()
    assert pack.id == "ordos-2025"
    articles = {name: pack.rule(name).article for name in type(pack.rules).model_fields}
    assert articles["low_usage"] == "第六条第（五）项"
    assert articles["failed_evaluation"] == "第六条第（七）项"
    assert articles["supervision"] == "第二十六条"
    assert articles["district_review"] == "第四十三条至第四十五条"


def test_every_rule_function_has_a_pack_section():
    pack = load_pack()
    for rule in RULES:
        assert pack.rule(rule.__name__).article


def test_default_reference_date_is_first_of_january_of_the_plan_year():
    assert load_pack().reference_date(2027) == dt.date(2027, 1, 1)


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def test_message_templates_only_use_known_evidence():
    # The fields each message may use are the evidence its rule collects (workbench/policy/rules.py).
    pack = load_pack()
    assert _fields(pack.rules.supervision.message) == {"total_investment"}
    assert _fields(pack.rules.pre_review.messages["不通过"]) == set()
    assert _fields(pack.rules.warranty.message) == {"warranty_months"}


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda d: d["rules"]["supervision"].pop("article"), "rules.supervision.article: 缺少此项"),
        (
            lambda d: d["rules"]["supervision"]["threshold"].update(relation="大于"),
            "rules.supervision.threshold.relation",
        ),
        (lambda d: d["rules"]["supervision"].update(article="Article 26"), "不符合"),
        (
            lambda d: d["rules"]["supervision"].update(severity="fatal"),
            "rules.supervision.severity",
        ),
        (lambda d: d["rules"]["supervision"].update(limit=3), "rules.supervision.limit: 未知的键"),
        (lambda d: d["rules"].pop("low_usage"), "rules.low_usage: 缺少此项"),
        (lambda d: d["usage"]["weights"].update(logins="0.5"), "使用率权重之和应为1"),
        (
            lambda d: d["rules"]["low_usage"].update(consecutive_months=0),
            "rules.low_usage.consecutive_months",
        ),
    ],
)
def test_a_broken_pack_gets_a_clear_error(tmp_path, change, fragment):
    with pytest.raises(PolicyPackError) as err:
        load_pack(edited(tmp_path, change))
    assert fragment in str(err.value)
    assert "政策包" in str(err.value)


def test_missing_and_unparsable_packs(tmp_path):
    with pytest.raises(PolicyPackError, match="找不到政策包"):
        load_pack("ordos-1999")
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules: [unclosed", "utf-8")
    with pytest.raises(PolicyPackError, match="不是有效的 YAML"):
        load_pack(bad)


def test_a_threshold_edit_changes_the_rule_without_code(tmp_path, checked):
    from conftest import column, project

    from workbench.policy import check

    path = edited(tmp_path, lambda d: d["rules"]["supervision"]["threshold"].update(value="500"))
    base = checked([project(total_investment="300", request_amount="300")])
    assert column(base, "supervision_required")
    again = check(base.candidates, pack=load_pack(path), plan_year=2027)
    assert not column(again, "supervision_required")
