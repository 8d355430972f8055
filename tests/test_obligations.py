"""Obligations from the register's events: statuses, windows, rectification, 第二十八条's 15 %.

Dates are counted by hand from the 2026 arrangement (see tests/test_periods.py's docstring):
中秋节 25–27 September and 国庆节 1–7 October off, Sunday 20 September and Saturday 10 October
working. Ten working days from Friday 18 September end on Friday 9 October; thirty days from
1 September end on 1 October, moved to Thursday 8 October.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from workbench.policy import load_pack
from workbench.policy.pack import PolicyPackError
from workbench.register.calendar import WorkingCalendar
from workbench.register.obligations import (
    due_report,
    note_deadline,
    obligation_statuses,
    register_findings,
)
from workbench.register.records import EventRecord, ProjectFacts

D = dt.date


@pytest.fixture(scope="module")
def pack():
    return load_pack()


@pytest.fixture
def calendar(tmp_path) -> WorkingCalendar:
    return WorkingCalendar(tmp_path)  # the library's years only, whatever models/ holds


def event(kind: str, day: dt.date, project_id: str = "P1", **more) -> EventRecord:
    return EventRecord(project_id, kind, day, **more)


def facts(category: str = "建设类", **more) -> dict[str, ProjectFacts]:
    return {"P1": ProjectFacts("P1", category, **more)}


def statuses(pack, calendar, events, as_of, project_facts=None):
    found = obligation_statuses(
        events, project_facts or facts(), as_of=as_of, pack=pack, calendar=calendar
    )
    return {s.obligation: s for s in found}


def test_the_pack_declares_the_issues_deadlines(pack):
    articles = {o.key: o.article for o in pack.lifecycle.obligations}
    for article in ("第十三条", "第二十四条", "第二十七条", "第三十条", "第三十四条", "第三十五条"):
        assert article in articles.values()
    assert "第二十三条" in articles["construction"]
    assert articles["rectification"] == "第三十八条"
    assert pack.lifecycle.change_review.article == "第二十八条"
    due_soon = pack.lifecycle.due_soon
    assert (due_soon.amount, due_soon.unit) == (10, "days")


# --- the four statuses, on 第十三条's ten working days across National Day ------------------

APPLIED = event("approval_applied", D(2026, 9, 18))


@pytest.mark.parametrize(
    ("as_of", "status", "days_late"),
    [
        (D(2026, 9, 28), "not_yet", 0),  # eleven days before 9 October
        (D(2026, 9, 29), "due_soon", 0),  # ten days before: inside the window
        (D(2026, 10, 9), "due_soon", 0),  # the due date itself
        (D(2026, 10, 10), "overdue", 1),
        (D(2026, 10, 12), "overdue", 3),
    ],
)
def test_statuses_around_the_due_date(pack, calendar, as_of, status, days_late):
    opinion = statuses(pack, calendar, [APPLIED], as_of)["review_opinion"]
    assert opinion.due_date == D(2026, 10, 9)
    assert (opinion.status, opinion.days_late, opinion.met_date) == (status, days_late, None)
    assert (opinion.trigger, opinion.trigger_date) == ("approval_applied", D(2026, 9, 18))
    assert (opinion.obligation_name, opinion.trigger_name) == ("出具审核意见", "审批申请")
    assert opinion.article == "第十三条"


def test_met_on_time_and_met_late(pack, calendar):
    on_time = [APPLIED, event("review_opinion", D(2026, 10, 9))]
    late = [APPLIED, event("review_opinion", D(2026, 10, 13))]
    met = statuses(pack, calendar, on_time, D(2026, 12, 1))["review_opinion"]
    assert (met.status, met.met_date, met.days_late) == ("met", D(2026, 10, 9), 0)
    met_late = statuses(pack, calendar, late, D(2026, 12, 1))["review_opinion"]
    assert (met_late.status, met_late.met_date, met_late.days_late) == ("met", D(2026, 10, 13), 4)
    # The same event meets the 30-working-day total: not late for that one.
    total = statuses(pack, calendar, late, D(2026, 12, 1))["review_opinion_total"]
    assert (total.status, total.days_late) == ("met", 0)


def test_events_after_as_of_are_not_seen(pack, calendar):
    events = [APPLIED, event("review_opinion", D(2026, 10, 13))]
    seen = statuses(pack, calendar, events, D(2026, 10, 12))["review_opinion"]
    assert (seen.status, seen.days_late) == ("overdue", 3)
    assert "review_opinion" not in statuses(pack, calendar, events, D(2026, 9, 17))


def test_the_due_soon_window_is_the_packs(pack, calendar):
    lifecycle = pack.lifecycle.model_copy(
        update={"due_soon": pack.lifecycle.due_soon.model_copy(update={"amount": 3})}
    )
    narrow = pack.model_copy(update={"lifecycle": lifecycle})
    assert statuses(narrow, calendar, [APPLIED], D(2026, 10, 5))["review_opinion"].status == (
        "not_yet"
    )
    assert statuses(narrow, calendar, [APPLIED], D(2026, 10, 6))["review_opinion"].status == (
        "due_soon"
    )


def test_thirty_days_to_apply_end_after_national_day(pack, calendar):
    found = statuses(pack, calendar, [event("proposal_approved", D(2026, 9, 1))], D(2026, 10, 7))
    assert found["approval_application"].due_date == D(2026, 10, 8)
    assert found["approval_application"].status == "due_soon"


# --- scope, fallbacks and windows ----------------------------------------------------------


def test_categories_limit_obligations_and_an_unknown_category_is_listed(pack, calendar):
    events = [event("proposal_approved", D(2026, 9, 1)), event("contract_signed", D(2026, 4, 3))]
    as_of = D(2026, 9, 10)
    om = statuses(pack, calendar, events, as_of, facts("运维服务类"))
    assert "approval_application" not in om and "deployment" not in om
    building = statuses(pack, calendar, events, as_of, facts("建设类"))
    assert "approval_application" in building and "deployment" not in building
    services = statuses(pack, calendar, events, as_of, facts("采购服务类"))
    # 第二十四条: six months from 3 April end on 3 October, inside National Day.
    assert services["deployment"].due_date == D(2026, 10, 8)
    unknown = obligation_statuses(events, None, as_of=as_of, pack=pack, calendar=calendar)
    assert {"approval_application", "deployment"} <= {s.obligation for s in unknown}


def test_the_construction_period(pack, calendar):
    started = [event("construction_started", D(2026, 3, 1))]
    as_of = D(2026, 6, 1)
    standard = statuses(pack, calendar, started, as_of, facts())["construction"]
    assert standard.due_date == D(2028, 3, 1)  # two years, a Wednesday
    approved = statuses(pack, calendar, started, as_of, facts(construction_months=30))
    assert approved["construction"].due_date == D(2028, 9, 1)
    capped = statuses(pack, calendar, started, as_of, facts(construction_months=48))
    assert capped["construction"].due_date == D(2029, 3, 1)  # never beyond three years
    # Without 开工, from the approval (审核意见); met by 初步验收 within the period.
    events = [
        event("review_opinion", D(2026, 4, 15)),
        event("preliminary_acceptance", D(2027, 11, 30)),
    ]
    fallback = statuses(pack, calendar, events, D(2028, 1, 1))["construction"]
    assert (fallback.trigger, fallback.trigger_name) == ("review_opinion", "审核意见")
    assert (fallback.due_date, fallback.status) == (D(2028, 4, 17), "met")  # 4-15 is a Saturday


def test_the_midterm_self_evaluation_opens_after_half_the_period(pack, calendar):
    # 24 months from 1 March 2026 end on 1 March 2028: 731 days, half run during 2 March 2027.
    started = event("construction_started", D(2026, 3, 1))
    early = statuses(
        pack, calendar, [started, event("midterm_self_evaluation", D(2027, 3, 2))], D(2027, 6, 1)
    )["midterm_self_evaluation"]
    assert (early.opens_on, early.due_date) == (D(2027, 3, 3), D(2028, 3, 1))
    assert (early.status, early.met_date) == ("not_yet", None)
    on_time = statuses(
        pack, calendar, [started, event("midterm_self_evaluation", D(2027, 3, 3))], D(2027, 6, 1)
    )["midterm_self_evaluation"]
    assert (on_time.status, on_time.met_date) == ("met", D(2027, 3, 3))


def test_the_post_evaluation_window_counts_from_acceptance_and_operation(pack, calendar):
    accepted = event("completion_accepted", D(2026, 1, 15))
    running = event("in_operation", D(2026, 2, 10))
    early = event("post_evaluation", D(2027, 1, 20))
    found = statuses(pack, calendar, [accepted, running, early], D(2027, 3, 1))["post_evaluation"]
    assert (found.trigger, found.trigger_date) == ("in_operation", D(2026, 2, 10))
    assert (found.opens_on, found.due_date) == (D(2027, 2, 10), D(2028, 2, 10))
    assert found.status == "not_yet"  # the January evaluation came before the window
    in_window = event("post_evaluation", D(2027, 2, 10))
    met = statuses(pack, calendar, [accepted, running, in_window], D(2027, 3, 1))
    assert met["post_evaluation"].met_date == D(2027, 2, 10)
    # Without 投入运行 recorded, from 竣工验收 alone.
    alone = statuses(pack, calendar, [accepted], D(2026, 3, 1))["post_evaluation"]
    assert (alone.trigger, alone.due_date) == ("completion_accepted", D(2028, 1, 17))  # Sat 15th


def test_surplus_return_only_with_a_surplus_or_when_it_cannot_be_ruled_out(pack, calendar):
    def listed(amount, approved):
        accepted = event("completion_accepted", D(2026, 9, 1), amount=amount)
        found = statuses(pack, calendar, [accepted], D(2026, 9, 2), facts(approved_amount=approved))
        return found.get("surplus_return")

    assert listed(Decimal("90"), Decimal("100")).due_date == D(2026, 10, 8)
    assert listed(Decimal("100"), Decimal("100")) is None
    assert listed(None, Decimal("100")) is not None
    assert listed(Decimal("90"), None) is not None


# --- 第三十八条: rectification by a set date ---------------------------------------------------


def test_the_rectification_deadline_comes_from_the_notice(pack, calendar):
    notice = event("rectification_notice", D(2026, 9, 1), note="限期2026年10月3日前整改完毕")
    open_ = statuses(pack, calendar, [notice], D(2026, 9, 30))["rectification"]
    assert (open_.due_date, open_.status) == (D(2026, 10, 8), "due_soon")  # 3 Oct is a holiday
    done = event("rectification_done", D(2026, 10, 9))
    late = statuses(pack, calendar, [notice, done], D(2026, 10, 20))["rectification"]
    assert (late.status, late.days_late) == ("met", 1)


def test_each_rectification_notice_takes_its_own_completion(pack, calendar):
    events = [
        event("rectification_notice", D(2026, 3, 2), note="限期 2026-03-31"),
        event("rectification_done", D(2026, 3, 20)),
        event("rectification_notice", D(2026, 5, 6), note="2026/06/30前完成"),
    ]
    found = obligation_statuses(events, facts(), as_of=D(2026, 7, 2), pack=pack, calendar=calendar)
    rectifications = [s for s in found if s.obligation == "rectification"]
    assert [(s.trigger_date, s.status) for s in rectifications] == [
        (D(2026, 5, 6), "overdue"),
        (D(2026, 3, 2), "met"),
    ]


def test_a_notice_without_a_deadline_is_a_finding_not_an_obligation(pack, calendar):
    events = [
        event("rectification_notice", D(2026, 9, 1), note="请尽快整改"),
        event("rectification_notice", D(2026, 9, 2), note="限期2026-02-30"),  # no such day
    ]
    assert "rectification" not in statuses(pack, calendar, events, D(2026, 10, 1))
    found = register_findings(events, facts(), as_of=D(2026, 10, 1), pack=pack)
    assert [(f.finding, f.date, f.article) for f in found] == [
        ("rectification_without_deadline", D(2026, 9, 1), "第三十八条"),
        ("rectification_without_deadline", D(2026, 9, 2), "第三十八条"),
    ]


def test_note_deadlines():
    assert note_deadline("限期2026-10-15") == D(2026, 10, 15)
    assert note_deadline("2026年1月5日前") == D(2026, 1, 5)
    assert note_deadline("2026.02.30 有误，改为 2026.03.02") == D(2026, 3, 2)
    assert note_deadline("尽快") is None


# --- 第二十八条: a change over 15 % of the approved amount -----------------------------------


@pytest.mark.parametrize(
    ("amount", "approved", "finding"),
    [
        ("30", "200", None),  # exactly 15 %: the unit's to adjust and file
        ("30.0001", "200", "change_needs_approval"),
        ("1.35", "9", None),  # exactly 15 %: in binary floating point 1.35 / 9 > 0.15
        ("1.3501", "9", "change_needs_approval"),
        ("29.99", "200", None),
        ("10", None, "change_unchecked"),
    ],
)
def test_a_change_over_fifteen_percent_needs_approval(pack, amount, approved, finding):
    change = event("change_filed", D(2026, 5, 6), amount=Decimal(amount))
    approved_amount = Decimal(approved) if approved is not None else None
    found = register_findings(
        [change], facts(approved_amount=approved_amount), as_of=D(2026, 6, 1), pack=pack
    )
    assert [f.finding for f in found] == ([finding] if finding else [])
    if finding:
        assert found[0].article == "第二十八条" and amount in found[0].message
    if finding == "change_needs_approval":
        assert "15%" in found[0].message


# --- sorting, JSON --------------------------------------------------------------------------


def _mixed_events() -> list[EventRecord]:
    return [
        event("approval_applied", D(2026, 9, 18), "A"),
        event("proposal_approved", D(2026, 8, 1), "B"),
        event("approval_applied", D(2026, 8, 20), "B"),
        event("proposal_approved", D(2026, 10, 1), "C"),
        event("rectification_notice", D(2026, 10, 1), "C", note="限期2026-10-26"),
        event("construction_started", D(2026, 1, 5), "D"),
    ]


def test_overdue_first_then_due_soon_then_by_due_date(pack, calendar):
    found = obligation_statuses(
        _mixed_events(), None, as_of=D(2026, 10, 20), pack=pack, calendar=calendar
    )
    # Counted by hand: B applied on 20 August, within 30 days of 1 August (met); its ten
    # working days ended 3 September and its thirty on 8 October (20 September worked, the
    # holidays not). A's ten ended 9 October, its thirty end 5 November. C's thirty days from
    # 1 October end on Saturday 31 October, moved to 2 November. D's two years end 5 January 2028.
    assert [(s.project_id, s.obligation, s.status, s.due_date) for s in found] == [
        ("B", "review_opinion", "overdue", D(2026, 9, 3)),
        ("B", "review_opinion_total", "overdue", D(2026, 10, 8)),
        ("A", "review_opinion", "overdue", D(2026, 10, 9)),
        ("C", "rectification", "due_soon", D(2026, 10, 26)),
        ("B", "approval_application", "met", D(2026, 8, 31)),
        ("C", "approval_application", "not_yet", D(2026, 11, 2)),
        ("A", "review_opinion_total", "not_yet", D(2026, 11, 5)),
        ("D", "construction", "not_yet", D(2028, 1, 5)),
        ("D", "midterm_self_evaluation", "not_yet", D(2028, 1, 5)),
    ]


def test_the_order_of_the_events_does_not_matter(pack, calendar):
    events = _mixed_events()
    first = obligation_statuses(events, None, as_of=D(2026, 10, 20), pack=pack, calendar=calendar)
    random.Random(13).shuffle(events)
    again = obligation_statuses(events, None, as_of=D(2026, 10, 20), pack=pack, calendar=calendar)
    assert first == again


def test_the_report_as_json(pack, calendar):
    events = [*_mixed_events(), event("change_filed", D(2026, 5, 6), "A", amount=Decimal("40"))]
    report = due_report(
        events,
        [ProjectFacts("A", "建设类", approved_amount=Decimal("200"))],
        as_of=D(2026, 10, 20),
        pack=pack,
        calendar=calendar,
    )
    data = json.loads(json.dumps(report.as_dict(), ensure_ascii=False))
    assert data["as_of"] == "2026-10-20"
    issue_fields = {
        "project_id",
        "obligation",
        "article",
        "trigger",
        "trigger_date",
        "due_date",
        "status",
        "met_date",
        "days_late",
    }
    row = data["obligations"][0]
    assert (
        issue_fields <= set(row) <= issue_fields | {"obligation_name", "trigger_name", "opens_on"}
    )
    assert row["status"] in {"overdue", "due_soon", "met", "not_yet"}
    assert dt.date.fromisoformat(row["due_date"])
    assert [f["finding"] for f in data["findings"]] == ["change_needs_approval"]
    # D's construction period ends in 2028, counted by weekends only: the report says so.
    assert any("2028年" in n for n in data["notices"])


# --- the pack's obligations are validated ----------------------------------------------------


def _pack_with(tmp_path, change) -> str:
    data = yaml.safe_load(Path(load_pack().path).read_text("utf-8"))
    change(data["lifecycle"])
    path = tmp_path / "pack.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda lc: lc["obligations"][0].update(trigger="approved"), "“approved”不是"),
        (lambda lc: lc["obligations"][0].update(met_by=["nothing"]), "“nothing”不是"),
        (lambda lc: lc["obligations"][0].update(deadline="note"), "应当且只应当"),
        (lambda lc: lc["obligations"][0].update(unit="weeks"), "weeks"),
        (lambda lc: lc["obligations"][0].update(article="13条"), "条款名称"),
        (lambda lc: lc["obligations"].append(dict(lc["obligations"][0])), "重复出现"),
        (lambda lc: lc["change_review"].update(event="changed"), "“changed”不是"),
    ],
)
def test_a_broken_obligation_is_refused_in_chinese(tmp_path, change, fragment):
    with pytest.raises(PolicyPackError) as caught:
        load_pack(_pack_with(tmp_path, change))
    assert fragment in str(caught.value)


def test_periods_the_rules_also_use_are_the_rules_numbers():
    """One number in one place: the register's construction and deployment deadlines are the
    periods the July check applies (第二十三条, 第二十四条); an edit of one without the other
    fails here."""
    pack = load_pack()
    obligations = pack.lifecycle.obligation_by_key()
    construction, deployment = obligations["construction"], obligations["deployment"]
    rule = pack.rules.construction_period
    assert (construction.unit, Decimal(construction.amount)) == (
        "months",
        rule.standard_months.value,
    )
    assert Decimal(construction.max_amount) == rule.extended_months.value
    assert deployment.unit == "months"
    assert Decimal(deployment.amount) == pack.rules.deployment_period.max_months.value
    assert {construction.article.split("、")[0], deployment.article} == {
        rule.article,
        pack.rules.deployment_period.article,
    }
