"""The loop into July (issue #13 item 5): next year's check and plan fed by the register —
commitments carried from adopted plans and O&M after warranty, the registry and usage kept
month by month, recorded evaluations and shutdowns (第六条第（七）项、第三十六条), overdue
rectifications (第三十八条), and earlier decisions in the reasons; on SQLite and on PostgreSQL
(the ``db_url`` fixture of test_register_db)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from conftest import project, write_csv
from test_register_db import db_url, raw, register

from workbench.cli import main
from workbench.english import english_sentences
from workbench.intake import read_table
from workbench.policy import check, load_pack
from workbench.register.demo import write_demo
from workbench.register.july import register_inputs
from workbench.register.store import Register
from workbench.scenario import load_scenario
from workbench.session import Session

__all__ = ["db_url", "register"]  # the fixtures, imported to be used here

AS_OF = dt.date(2026, 11, 20)
EVENT_HEADER = ["项目编号", "事件", "日期", "金额(万元)", "说明", "结论"]


def events_csv(path: Path, rows: list[list[object]]) -> Path:
    write_csv(path, [dict(zip(EVENT_HEADER, r, strict=False)) for r in rows])
    return path


def system(**changes: object) -> dict[str, object]:
    return {
        "system_id": "XT-1",
        "name": "教育资源公共服务平台",
        "unit": "市教育局",
        "status": "运行",
        "final_acceptance_date": "2023-06-30",
        "discontinued_date": "",
        "performance_evaluation": "通过",
        "evaluation_date": "2024-05-10",
        **changes,
    }


def usage(month: int) -> dict[str, object]:
    return {"system_id": "XT-1", "month": f"2026-0{month}", "usage_rate": 40 + month}


# -- the demo register into the 2027 plan ------------------------------------------------------


def test_the_demo_register_feeds_the_2027_plan(db_url: str):
    write_demo(db_url)
    session = Session.open(None, db=db_url, as_of=AS_OF)
    fed = session.register
    assert fed is not None and fed.adoptions and fed.adoptions[0].plan_year == 2026

    # Commitments: later years of the adopted 2026 plan, and O&M after warranty; the projects
    # resubmitted for 2027 are planned, not carried.
    carried = session.carried()
    kinds = set(carried["kind"])
    assert {"以前年度计划结转", "质保期满后运维"} <= kinds
    again = set(session.check.candidates["project_id"])
    carried_ids = {
        c.rsplit("-", 2)[0]
        for c in carried.loc[carried["kind"] == "以前年度计划结转", "commitment_id"]
    }
    assert carried_ids and not carried_ids & again
    plan = session.plan
    expected = sum(
        carried.loc[(carried["pool"] == "市本级") & (carried["year"] == 2027), "amount"], Decimal(0)
    )
    assert expected > 0
    taken = Decimal(str(plan.prepared.carried[("市本级", 2027)]))
    assert taken.quantize(Decimal("0.01")) == expected.quantize(Decimal("0.01"))

    # 第三十八条: the unit of the project whose rectification is overdue.
    findings = session.check.findings
    overdue = findings[findings["rule"] == "overdue_rectification"]
    assert not overdue.empty
    assert set(overdue["severity"]) == {"exclude_in_principle"}
    units = set(session.check.candidates.set_index("project_id").loc[overdue["project_id"], "unit"])
    assert len(units) == 1
    assert overdue["message"].str.contains("逾期").all()

    # Earlier decisions in the reasons, and the register in the provenance (never its path).
    told = plan.projects[plan.projects["reason"].str.contains("项目库记载：2026年度计划")]
    assert len(told) >= 10
    assert session.plan.provenance["register"]["plans"] == 1
    assert str(db_url) not in json.dumps(session.plan.provenance["register"], ensure_ascii=False)


def test_without_a_register_nothing_changes():
    """The July pipeline without ``--db`` is as before: no register findings, no history."""
    session = Session.open(None)
    assert session.register is None
    rules = set(session.check.findings["rule"])
    assert "overdue_rectification" not in rules
    assert not session.plan.projects["reason"].str.contains("项目库记载").any()


# -- a department's own register ---------------------------------------------------------------


def _own_register(register: Register, tmp_path: Path) -> None:
    """Project P1 of 市教育局 adopted in 2026 (a two-year build), P2 not selected; the registry
    with XT-1; then P1's life: contract, acceptance, a failed post-evaluation."""
    rows = [
        project(
            project_id="P1",
            total_investment="600",
            request_amount="300",
            construction_months="24",
            related_systems="XT-1",
            annual_om_cost="40",
            warranty_months="12",
        ),
        project(project_id="P2", name="教育督导信息系统建设项目", unit="市教育局", summary="督导"),
    ]
    intake = write_csv(tmp_path / "申报2026.csv", rows)
    systems = write_csv(tmp_path / "已建系统.csv", [system()])
    register.import_intake(
        [intake], plan_year=2026, systems=[systems], received=dt.date(2025, 7, 31)
    )
    scenario = tmp_path / "情景.yaml"
    scenario.write_text(
        "name: 自有2026\nplan_year: 2026\nhorizon: 3\n"
        "ceilings:\n  市本级: {2026: 300, 2027: 1000, 2028: 1000}\n",
        encoding="utf-8",
    )
    register.adopt(2026, scenario=str(scenario))


def test_a_department_register_carries_its_plan_and_records_into_2027(
    register: Register, tmp_path: Path
):
    _own_register(register, tmp_path)
    decisions = {
        d.project_id: d.status for d in register.decisions(register.current_adoption(2026).id)
    }
    assert decisions["P1"] in ("selected", "forced_in")
    scenario = load_scenario(None).model_copy(update={"plan_year": 2027, "horizon": 3})

    fed = register_inputs(None, 2027, as_of=AS_OF, register=register)
    carried = fed.commitments(scenario)
    p1 = carried[carried["commitment_id"].str.startswith("P1-2026")]
    assert list(p1["year"]) == [2027] and p1["amount"].iloc[0] == Decimal("300")
    assert set(p1["kind"]) == {"以前年度计划结转"}

    # A contract below the plan: what remains is the contract less what 2026 arranged.
    register.import_events(
        [events_csv(tmp_path / "合同.csv", [["P1", "合同签订", "2026-03-02", "520", "", ""]])]
    )
    fed = register_inputs(None, 2027, as_of=AS_OF, register=register)
    p1 = fed.commitments(scenario)
    assert p1.loc[p1["commitment_id"] == "P1-2026-2027", "amount"].iloc[0] == Decimal("220")

    # Accepted before 2027: nothing more to carry; O&M after the warranty instead.
    register.import_events(
        [
            events_csv(
                tmp_path / "验收.csv",
                [
                    ["P1", "竣工验收", "2026-06-30", "", "", ""],
                    ["P1", "绩效后评价", "2026-10-09", "", "", "不合格"],
                ],
            )
        ]
    )
    fed = register_inputs(None, 2027, as_of=AS_OF, register=register)
    carried = fed.commitments(scenario)
    assert not carried["commitment_id"].str.startswith("P1-2026").any()
    om = carried[carried["kind"] == "质保期满后运维"]
    # Warranty of 12 months from 2026-06-30 ends 2027-06-30: July to December of 2027 (6
    # months of 40 万元 a year), then whole years.
    assert dict(zip(om["year"], om["amount"], strict=True)) == {
        2027: Decimal("20.00"),
        2028: Decimal("40.00"),
        2029: Decimal("40.00"),
    }
    # An O&M candidate naming the system takes over: its O&M is planned, not carried.
    renewal = pd.DataFrame(
        [
            {
                "project_id": "P9",
                "category_effective": "运维服务类",
                "existing_om": True,
                "related_systems": ("XT-1",),
            }
        ]
    )
    assert fed.commitments(scenario, renewal)["kind"].eq("质保期满后运维").sum() == 0

    # The failed post-evaluation (不合格 → 不通过) lies over the registry's XT-1.
    xt1 = fed.systems.set_index("system_id").loc["XT-1"]
    assert xt1["performance_evaluation"] == "不通过"
    assert xt1["evaluation_date"] == dt.date(2026, 10, 9)

    # 2027: P1 resubmitted (phase 2) and a new project of the unit; the check reads the register.
    rows = [
        project(project_id="P1", related_systems="XT-1", summary="二期"),
        project(project_id="P3", name="智慧校园平台", summary="校园"),
    ]
    path = write_csv(tmp_path / "申报2027.csv", rows)
    systems, usage = fed.merged(None, None)
    result = check(
        read_table([path]).accepted,
        pack=load_pack(),
        plan_year=2027,
        systems=systems,
        usage=usage,
        rectifications=fed.rectifications,
    )
    f = result.findings
    failed = f[f["rule"] == "failed_evaluation"]
    assert set(failed.loc[failed["project_id"] == "P1", "severity"]) == {"exclude_in_principle"}
    assert set(failed.loc[failed["project_id"] == "P3", "severity"]) == {"warn"}
    assert fed.history["P2"].startswith("项目库记载：2026年度计划")


def test_an_overdue_rectification_defers_the_units_projects(register: Register, tmp_path: Path):
    _own_register(register, tmp_path)
    register.import_events(
        [
            events_csv(
                tmp_path / "整改.csv",
                [["P2", "整改通知", "2026-08-03", "", "限期2026-09-30整改", ""]],
            )
        ]
    )
    before = register_inputs(None, 2027, as_of=dt.date(2026, 9, 30), register=register)
    assert before.rectifications.empty  # the last day is still in time
    late = register_inputs(None, 2027, as_of=dt.date(2026, 10, 9), register=register)
    r = late.rectifications.iloc[0]
    assert (r["unit"], r["project_id"], r["due_date"]) == ("市教育局", "P2", dt.date(2026, 9, 30))
    assert r["days_late"] == 9
    register.import_events(
        [events_csv(tmp_path / "完成.csv", [["P2", "整改完成", "2026-10-12", "", "", ""]])]
    )
    done = register_inputs(None, 2027, as_of=dt.date(2026, 10, 20), register=register)
    assert done.rectifications.empty


# -- the registry kept month by month ------------------------------------------------------------


def test_usage_accumulates_and_a_reimport_changes_nothing(register: Register, tmp_path: Path):
    rows = [project(project_id="P1", related_systems="XT-1")]
    intake = write_csv(tmp_path / "申报.csv", rows)
    systems = write_csv(tmp_path / "已建系统.csv", [system()])
    spring = write_csv(
        tmp_path / "使用情况1.csv",
        [usage(m) for m in (1, 2, 3)],
    )
    summer = write_csv(
        tmp_path / "使用情况2.csv",
        [usage(m) for m in (3, 4, 5)],
    )
    first = register.import_intake([intake], plan_year=2027, systems=[systems], usage=[spring])
    assert [(r.table, r.added) for r in first.registry_rows] == [("systems", 1), ("usage", 3)]
    again = register.import_intake([intake], plan_year=2027, systems=[systems], usage=[spring])
    assert [r.added for r in again.registry_rows] == [0, 0]
    later = register.import_intake([intake], plan_year=2027, systems=[systems], usage=[summer])
    assert [r.added for r in later.registry_rows] == [0, 2]  # 2026-03 says the same again
    fed = register_inputs(None, 2027, register=register)
    assert list(fed.usage["month"]) == [f"2026-0{m}" for m in range(1, 6)]
    # The system's later row (停用) supersedes; the earlier one stays, append-only.
    stopped = write_csv(
        tmp_path / "已建系统2.csv", [system(status="停用", discontinued_date="2026-08-01")]
    )
    register.import_intake([intake], plan_year=2027, systems=[stopped])
    fed = register_inputs(None, 2027, register=register)
    assert fed.systems.set_index("system_id").loc["XT-1", "status"] == "停用"
    assert (
        raw(
            register.url.render_as_string(hide_password=False),
            "SELECT count(*) FROM registry_rows WHERE \"table\" = 'systems'",
        )[0][0]
        == 2
    )


# -- the event table's 结论 ----------------------------------------------------------------------


def test_a_conclusion_is_taken_only_where_the_pack_allows_it(register: Register, tmp_path: Path):
    _own_register(register, tmp_path)
    path = events_csv(
        tmp_path / "事件.csv",
        [
            ["P1", "绩效后评价", "2026-10-09", "", "", "合格"],
            ["P1", "合同签订", "2026-03-02", "520", "", "通过"],
            ["P2", "中期绩效自评", "2026-05-06", "", "", "还行"],
        ],
    )
    done = register.import_events([path])
    rejected = done.intake.rejections
    assert list(rejected["row"]) == [3, 4]
    assert set(rejected["column"]) == {"结论"}
    assert "不登记结论" in rejected["reason"].iloc[0]
    assert "应为通过、合格" in rejected["reason"].iloc[1]
    recorded = [e for e in register.history("P1") if e.record.kind == "post_evaluation"]
    assert [e.record.result for e in recorded] == ["通过"]  # 合格 is recorded as 通过
    # `db history` shows the conclusion, in its text and its JSON.
    from workbench.register.cli import history_json, history_text

    names = register.pack.lifecycle.event_by_key()
    info = register.project("P1")
    assert "结论：通过" in history_text(info, recorded, names)
    assert history_json(info, recorded, names)["events"][0]["result"] == "通过"


# -- the commands ---------------------------------------------------------------------------------


def test_plan_with_db_on_the_command_line(db_url: str, capsys: pytest.CaptureFixture[str]):
    write_demo(db_url)
    code = main(["plan", "--db", db_url, "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    payload = json.loads(out)
    assert payload["provenance"]["register"]["plans"] == 1
    carried = [c for c in payload["commitments"] if c["pool"] == "市本级" and c["year"] == 2027]
    assert Decimal(carried[0]["carried"]) > 0
    reasons = " ".join(p["reason"] for p in payload["projects"])
    assert "项目库记载" in reasons

    # The text says which register was read and what it gave; the count is of what was deducted.
    code = main(["plan", "--db", db_url])
    out, _ = capsys.readouterr()
    counted = payload["provenance"]["register"]["commitments"]
    assert code == 0 and f"结转及运维承诺{counted}条（已从上限中扣除）" in out
    assert "已读取项目库" in out.splitlines()[1]
    code = main(["check", "--db", db_url])
    out, _ = capsys.readouterr()
    assert "已读取项目库" in out and "结转" not in out.splitlines()[1]


def test_a_register_that_cannot_be_read_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    code = main(["check", "--db", str(tmp_path / "没有.sqlite")])
    _, err = capsys.readouterr()
    assert code == 2
    assert "项目库" in err and not english_sentences(err)


# -- where the loop shows: the workbook, the explorer, the pipeline ------------------------------


def test_the_workbook_gains_a_supervision_sheet_with_db(db_url: str, tmp_path: Path):
    import openpyxl

    write_demo(db_url)
    session = Session.open(None, db=db_url, as_of=dt.date(2026, 10, 12))
    outputs = session.write_outputs(tmp_path / "有项目库", pdf=False)
    book = next(p for p in outputs.paths if p.suffix == ".xlsx")
    sheet = openpyxl.load_workbook(book)["监管事项"]
    text = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)
    assert "逾期事项" in text and "第三十八条" in text and "截至2026-10-12" in text
    assert "overdue" not in text and str(db_url) not in text

    plain = Session.open(None).write_outputs(tmp_path / "无项目库", pdf=False)
    book = next(p for p in plain.paths if p.suffix == ".xlsx")
    assert "监管事项" not in openpyxl.load_workbook(book).sheetnames


def test_the_explorer_replans_with_the_registers_commitments(tmp_path: Path):
    from workbench.apps.explorer import Explorer

    db = str(tmp_path / "项目库.sqlite")
    write_demo(db)
    explorer = Explorer(Session.open(None, db=db, as_of=AS_OF), internal=False)
    before = explorer.plan.prepared.carried[("市本级", 2027)]
    explorer.scenario = explorer.scenario.model_copy(update={"horizon": 2})
    after = explorer.solve().plan.prepared.carried
    assert before > 0 and after[("市本级", 2027)] == before
    assert all(year < 2029 for _, year in after)  # the shorter horizon, recomputed


def test_the_pipeline_gives_the_notebooks_the_register(tmp_path: Path, monkeypatch):
    from workbench.pipeline import _register_described, _register_for_kernels

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WORKBENCH_DB", raising=False)
    assert _register_for_kernels(None) == ""
    assert _register_for_kernels("") == str(tmp_path / "项目库.sqlite")  # `--db` alone
    assert _register_for_kernels("库/项目库.sqlite") == str(tmp_path / "库" / "项目库.sqlite")
    server = "postgresql+psycopg://bureau:secret@10.0.0.5:5432/registry"
    assert _register_for_kernels(server) == server  # the kernel needs the password
    assert "secret" not in _register_described(server)  # the manifest does not keep it


# -- migration 0004 ----------------------------------------------------------------------------


def test_an_event_without_a_conclusion_keeps_the_identity_it_had_before_0004():
    """Events recorded before conclusions existed are recognised when imported again."""
    import hashlib
    from dataclasses import replace

    from workbench.register.records import EventRecord
    from workbench.register.store import content_key

    record = EventRecord("P1", "contract_signed", dt.date(2025, 3, 1), Decimal("100"), "合同")
    parts = ("P1", "contract_signed", "2025-03-01", "100.000000", "合同", "0")
    before = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    assert content_key(record) == before
    assert content_key(replace(record, result="通过")) != before


def test_registry_rows_are_append_only(register: Register, tmp_path: Path):
    import sqlalchemy as sa

    systems = write_csv(tmp_path / "已建系统.csv", [system()])
    intake = write_csv(tmp_path / "申报.csv", [project(project_id="P1")])
    register.import_intake([intake], plan_year=2027, systems=[systems])
    url = register.url.render_as_string(hide_password=False)
    for sql in ("UPDATE registry_rows SET row_key = 'x'", "DELETE FROM registry_rows"):
        with pytest.raises(sa.exc.DBAPIError):
            raw(url, sql)
    assert raw(url, "SELECT count(*) FROM registry_rows") == [(1,)]
