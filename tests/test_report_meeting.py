"""The report as it goes to the municipal government (issue 14): a one-page 摘要 first whose
figures are the plan's, units and pools in the government's order (models/units.yaml, never
code-point order), the frontier as a short table without id lists, headers that never break
inside （万元）, the weights as applied, routine 说明 findings counted by rule in an appendix with
no finding lost, and (with Chromium) a PDF whose first page is the summary, under 30 pages."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
import yaml

from workbench.labels import LEVEL_CITY, REPORT_LABELS, SUMMARY_LABELS
from workbench.money import format_wan
from workbench.report.document import plan_document, scrub_summary
from workbench.report.outputs import report_frontier, write_outputs
from workbench.session import InputFiles, Session
from workbench.units import UnitOrderError, unit_list, unit_order

IN_CI = os.environ.get("CI") == "true"
PROJECT_ID = re.compile(r"[A-Z]{2}\d{4}-\d{4}")
L, S = REPORT_LABELS, SUMMARY_LABELS


@pytest.fixture(scope="module")
def session():
    return Session(InputFiles.sample())


@pytest.fixture(scope="module")
def doc(session):
    plan = session.plan
    return plan_document(plan, session.check, frontier=report_frontier(plan))


def _selected(plan) -> pd.DataFrame:
    return plan.projects[plan.projects["status"].isin(("selected", "forced_in"))]


# --- the summary's figures are the plan's ---------------------------------------------------


def test_summary_figures_equal_the_plan(session, doc):
    plan, s = session.plan, doc.summary
    projects = plan.projects
    chosen = _selected(plan)
    assert s.candidates == len(projects)
    assert s.selected == len(chosen)
    assert s.amount == sum((Decimal(str(a)) for a in chosen["amount"]), Decimal(0))
    assert s.requested == sum((Decimal(str(a)) for a in projects["amount"]), Decimal(0))
    assert s.forced == int((projects["status"] == "forced_in").sum())
    assert s.excluded == int((projects["status"] == "excluded").sum())
    assert s.not_selected == int((projects["status"] == "not_selected").sum())
    # Every project left out is in exactly one group, and every forced one.
    assert sum(g.count for g in s.left_out) == s.excluded + s.not_selected
    assert sum(g.amount for g in s.left_out) == s.excluded_amount + s.not_selected_amount
    assert sum(g.count for g in s.forced_groups) == s.forced
    assert sum(g.amount for g in s.forced_groups) == s.forced_amount
    # Pools: the plan year's totals, planned and ceiling.
    table = plan.totals_by_pool_year()
    table = table[table["year"] == plan.scenario.plan_year].set_index("pool")
    assert {p.pool for p in s.pools} == set(table.index)
    for p in s.pools:
        assert p.planned == Decimal(str(table.at[p.pool, "amount"]))
        assert p.ceiling == Decimal(str(table.at[p.pool, "ceiling"]))
    # The first page says them: the key figures and the sentences.
    summary = doc.section("summary")
    assert doc.sections[0] is summary
    pairs = dict(summary.blocks[0].frame.itertuples(index=False, name=None))
    assert pairs[L["selected"]] == str(len(chosen))
    assert pairs[L["amount"]] == format_wan(s.amount)
    assert format_wan(s.amount) in summary.notes[0] and str(s.selected) in summary.notes[0]


def test_left_out_groups_name_the_rule_and_the_kind(session, doc):
    s = doc.summary
    excluded = [g for g in s.left_out if g.status == "excluded"]
    names = set(session.check.pack.rule_names().values())
    assert excluded and all(g.label in names and g.article for g in excluded)
    kinds = {g.label for g in s.left_out if g.status == "not_selected"}
    assert kinds and S["kind_other"] not in kinds  # every reason of the sample is recognised


# --- order ------------------------------------------------------------------------------------


def _unit_rows(doc) -> list[str]:
    frame = doc.section("units").blocks[0].frame
    return list(frame.iloc[:, 0])


def test_units_follow_the_governments_list_never_code_points(session, doc):
    shown = _unit_rows(doc)
    units = list(dict.fromkeys(session.check.candidates["unit"]))
    assert shown == unit_order(units).units_sorted(units)
    assert shown != sorted(units)  # code-point order would put 市交通运输局 before 市人力…
    listed = [u for u in unit_list().city if u in shown]
    assert [u for u in shown if u in listed] == listed
    # A banner's units follow the banner's place in the list (东胜区 before 康巴什区 …).
    banners = [
        next(d for d in unit_list().districts if u.startswith(d))
        for u in shown
        if any(u.startswith(d) for d in unit_list().districts)
    ]
    order = list(unit_list().districts)
    assert banners == sorted(banners, key=order.index)


def test_a_bureaus_own_list_reorders_every_table(session, tmp_path, monkeypatch):
    own = unit_list().model_dump(exclude={"path"})
    own["city"] = list(reversed(own["city"]))
    path = tmp_path / "单位排序.yaml"
    path.write_text(yaml.safe_dump(own, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("WORKBENCH_UNITS", str(path))
    doc = plan_document(session.plan, session.check)
    shown = [u for u in _unit_rows(doc) if u in own["city"]]
    assert shown == [u for u in own["city"] if u in shown]
    assert shown[0] == "市公共资源交易中心"


def test_pools_city_first_then_funds_banners_parks(doc):
    pools = [p.pool for p in doc.summary.pools]
    assert pools[0] == LEVEL_CITY
    districts = [p for p in pools if p in unit_list().districts]
    parks = [p for p in pools if p in unit_list().parks]
    assert districts == [d for d in unit_list().districts if d in districts]
    assert parks == [p for p in unit_list().parks if p in parks]
    assert max(pools.index(d) for d in districts) < min(pools.index(p) for p in parks)


def test_unlisted_units_keep_the_order_they_came_in():
    order = unit_order()
    met = ["乙单位", "鄂托克前旗某局", "甲单位", "鄂托克旗某局", "市新设局", "市教育局"]
    shown = order.units_sorted(met)
    assert shown[:2] == ["市教育局", "市新设局"]  # listed, then an unlisted 市 unit
    # 鄂托克前旗 is matched as itself, not as 鄂托克旗 (the longest prefix wins).
    assert shown.index("鄂托克前旗某局") < shown.index("鄂托克旗某局")
    assert shown[-2:] == ["乙单位", "甲单位"]  # as met, not by code point (甲 < 乙)


def test_a_broken_unit_list_is_refused_in_chinese(tmp_path):
    bad = tmp_path / "坏.yaml"
    bad.write_text("city: [市教育局\n", encoding="utf-8")
    with pytest.raises(UnitOrderError, match="单位排序文件"):
        unit_list(bad)
    done = subprocess.run(
        [sys.executable, "-m", "workbench", "plan", "--out", str(tmp_path / "输出"), "--no-pdf"],
        capture_output=True,
        text=True,
        env={**os.environ, "WORKBENCH_UNITS": str(bad)},
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "单位排序文件" in done.stderr and "Traceback" not in done.stderr


# --- frontier, headers, weights, findings -----------------------------------------------------


def test_no_frontier_cell_holds_an_id_list(doc):
    caption = L["block_frontier"].split("（")[0]
    block = next(b for b in doc.section("overview").blocks if b.caption.startswith(caption))
    assert list(block.frame.columns) == [
        L["frontier_ceiling"],
        L["frontier_value"],
        L["frontier_projects"],
        L["frontier_used"],
    ]
    for value in block.frame.to_numpy().ravel():
        assert not PROJECT_ID.search(str(value))
    # Rows stop where a larger ceiling adds nothing.
    values = list(block.frame[L["frontier_value"]])
    assert len(values) == len(set(values))


def test_headers_never_break_inside_the_unit(tmp_path, session):
    outputs = write_outputs(session.plan, session.check, tmp_path, pdf=False)
    html = outputs.paths[2].read_text(encoding="utf-8")
    headers = re.findall(r"<th[^>]*>(.*?)</th>", html, flags=re.S)
    with_unit = [h for h in headers if "万元" in h]
    assert with_unit
    for header in with_unit:
        assert re.search(r'<span class="nw">[（(]万元[）)]</span>$', header), header


def test_weights_are_shown_as_applied(doc):
    block = next(
        b for b in doc.section("provenance").blocks if b.caption.startswith(L["block_weights"])
    )
    frame = block.frame.set_index(L["weight_criterion"])
    applied = frame[L["weight_applied"]]
    assert abs(applied.sum() - 1) < 1e-3
    # No bureau scores in the sample: 专家评审评分 weighs nothing, its weight went to the rest.
    assert applied["专家评审评分"] == 0
    assert frame.at["专家评审评分", L["weight_model"]] > 0
    assert (applied.drop("专家评审评分") > frame[L["weight_model"]].drop("专家评审评分")).all()


def test_routine_findings_are_counted_by_rule_and_none_is_lost(session, doc):
    findings = session.check.findings
    info = findings[findings["severity"] == "info"]
    names = session.check.pack.rule_names()
    appendix = doc.section("appendix").blocks[0].frame.set_index(L["rule"])
    expected = info.groupby("rule").size().rename(index=names)
    assert appendix[L["appendix_findings"]].to_dict() == expected.to_dict()
    body = doc.section("findings").blocks[0].frame
    assert "说明" not in set(body[L["severity"]])
    # A finding that keeps a project out and is not in the body is the one its reason quotes.
    reasons = session.plan.projects.set_index("project_id")["reason"]
    others = findings[findings["severity"] != "info"]
    quoted = sum(
        1
        for pid, message in zip(others["project_id"], others["message"], strict=True)
        if str(reasons.get(pid, "")).startswith(message)
        and session.plan.projects.set_index("project_id").at[pid, "status"] == "excluded"
    )
    assert len(body) + quoted == len(others)
    assert quoted == int((session.plan.projects["status"] == "excluded").sum())


def test_a_classified_name_in_a_summary_sentence_is_withheld(doc):
    secret = "某涉密指挥调度系统建设项目"
    summary = doc.summary.__class__(
        **{
            **doc.summary.__dict__,
            "risk_sentences": (f"2028年市本级超上限的风险主要来自{secret}。",),
        }
    )
    scrubbed = scrub_summary(summary, {secret})
    assert secret not in "".join(scrubbed.paragraphs())
    assert L["redacted_name"] in scrubbed.risk_sentences[0]


# --- the PDF: the summary on page one, under 30 pages ----------------------------------------


@pytest.mark.skipif(
    (shutil.which("chromium") is None or shutil.which("pdftotext") is None) and not IN_CI,
    reason="Chromium or poppler-utils is not installed",
)
def test_the_pdf_opens_on_the_summary_and_stays_under_thirty_pages(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "workbench", "plan", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    pdf = next(Path(tmp_path).glob("*.pdf"))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))
    assert pages < 30
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert S["section"] in first and S["block_pools"].split("年度")[-1] in first
    assert S["block_left_out"] in first and S["block_forced"] in first
    assert L["sheet_selected"] not in first  # the body starts after the summary page
    second = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert L["contents"] in second


def test_workbook_headers_keep_the_unit_on_one_line(tmp_path, session):
    """Excel and WPS wrap a header anywhere: a header wider than its column gets its unit on a
    line of its own, so that （万元） is never split; one that fits stays as it is."""
    import openpyxl

    from workbench.report.workbook import display_width

    outputs = write_outputs(session.plan, session.check, tmp_path, pdf=False)
    book = openpyxl.load_workbook(outputs.paths[1])
    seen = 0
    for ws in book:
        for row in ws.iter_rows():
            for cell in row:
                if cell.style != "wb_header" or not isinstance(cell.value, str):
                    continue
                if "万元" not in cell.value:
                    continue
                seen += 1
                width = ws.column_dimensions[cell.column_letter].width - 1
                if "\n" in cell.value:
                    words, unit = cell.value.split("\n")
                    assert re.fullmatch(r"[（(]万元[）)]", unit), cell.value
                    assert display_width(words + unit) > width
                else:
                    assert display_width(cell.value) <= width, (ws.title, cell.value, width)
    assert seen


# --- what the review found: classified names in --why, an infeasible plan -------------------


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "workbench", "plan", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_why_withholds_classified_names_unless_internal(session):
    from workbench.planner import why
    from workbench.report.document import classified_ids

    secret = classified_ids(session.check)
    names = session.check.candidates.set_index("project_id")["name"]
    # A project whose forcing in displaces a classified one (found, not assumed).
    found = next(
        (
            pid
            for pid in session.plan.projects.loc[
                session.plan.projects["status"] == "not_selected", "project_id"
            ]
            if set(why(session.plan, pid).displaced) & secret
        ),
        None,
    )
    assert found is not None, "the sample has a forcing that displaces a classified project"
    shown = set(why(session.plan, found).displaced) & secret
    import json

    distribution = _run("--why", found, "--format", "json")
    assert distribution.returncode == 0, distribution.stderr
    text = json.dumps(json.loads(distribution.stdout)["why"], ensure_ascii=False)
    assert all(names[pid] not in text for pid in shown) and L["redacted_name"] in text
    internal = _run("--why", found, "--format", "json", "--internal")
    text = json.dumps(json.loads(internal.stdout)["why"], ensure_ascii=False)
    assert all(names[pid] in text for pid in shown)


def test_an_infeasible_plan_gets_no_qingshi_and_says_why(tmp_path):
    done = _run("--ceiling", "10", "--out", str(tmp_path), "--no-pdf")
    assert done.returncode == 0, done.stderr
    assert not list(tmp_path.glob("*.docx"))
    assert REPORT_LABELS["no_qingshi_infeasible"] in done.stdout + done.stderr
    assert list(tmp_path.glob("*.xlsx")) and "Traceback" not in done.stderr


def test_the_budget_chart_draws_when_nothing_is_selected(session):
    from workbench.planner import draft_plan
    from workbench.report import charts

    nothing = session.plan.scenario.model_copy(
        update={"ceilings": {LEVEL_CITY: {session.plan.scenario.plan_year: Decimal(1)}}}
    )
    plan = draft_plan(
        session.check, session.plan.projects.set_index("project_id")["value"], nothing
    )
    assert plan.selected.empty
    assert charts.budget_by_category_and_pool(plan) is not None
