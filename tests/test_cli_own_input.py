"""The command line on a planner's own forms (not the embedded sample): no ceiling ever comes from
the sample's scenarios, `scenario init` writes the skeleton to fill in, and the plan's district
projects carry district routes; one vocabulary of flags; Chinese and strict JSON throughout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import project, write_csv

from workbench import __version__
from workbench.cli import build_parser, main
from workbench.english import english_sentences

DISTRICT = {"level": "旗区", "district": "杭锦旗", "unit": "杭锦旗政务服务局"}


@pytest.fixture
def forms(tmp_path: Path) -> Path:
    """One city unit's and one banner's projects, in a folder of their own."""
    folder = tmp_path / "申报"
    folder.mkdir()
    write_csv(
        folder / "市民政局.csv",
        [
            project(project_id="A1", unit="市民政局", name="养老服务信息平台", domain="民政"),
            project(
                project_id="A2",
                unit="市民政局",
                name="社区服务系统升级",
                total_investment="29.9999",
                request_amount="29.9999",
                domain="社区",
            ),
        ],
    )
    write_csv(
        folder / "杭锦旗.csv",
        [project(project_id="D1", name="杭锦旗政务服务平台", domain="政务服务", **DISTRICT)],
    )
    return folder


def city_only(tmp_path: Path) -> Path:
    return write_csv(
        tmp_path / "一个单位.csv", [project(total_investment="800", request_amount="500")]
    )


def test_plan_on_own_forms_without_a_covering_scenario_names_the_pools(forms, capsys):
    assert main(["plan", str(forms)]) == 2
    err = capsys.readouterr().err
    assert "市本级2027年度" in err and "杭锦旗2027年度" in err
    assert "workbench scenario init" in err and not english_sentences(err)


@pytest.mark.parametrize("shipped", ["base", "cut20", "rolling3"])
def test_the_samples_scenarios_are_never_applied_to_own_forms(forms, capsys, shipped):
    assert main(["plan", str(forms), "--scenario", shipped]) == 2
    assert "内置合成样例的情景" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("ceiling", "status"),
    [
        ("12000", "selected"),
        ("12000万元", "selected"),
        ("1.2亿元", "selected"),
        ("120,000,000元", "selected"),
        ("11999.99万元", "not_selected"),
        ("1.19亿元", "not_selected"),
    ],
)
def test_ceiling_takes_what_the_forms_take(tmp_path, capsys, ceiling, status):
    # A one-unit intake asking exactly 12000 万元 this year, with no O&M tail.
    path = write_csv(
        tmp_path / "一个单位.csv",
        [project(total_investment="12000", request_amount="12000", annual_om_cost="0")],
    )
    assert main(["plan", str(path), "--ceiling", ceiling, "--format", "json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["status"] == "optimal"
    assert [p["status"] for p in plan["projects"]] == [status]


def test_a_ceiling_that_is_not_an_amount_is_refused_in_chinese(tmp_path, capsys):
    with pytest.raises(SystemExit) as done:
        main(["plan", str(city_only(tmp_path)), "--ceiling", "一亿多"])
    err = capsys.readouterr().err
    assert done.value.code == 2 and "不是可识别的金额" in err and not english_sentences(err)


def test_scenario_init_then_plan_gives_district_routes_and_clean_documents(forms, tmp_path, capsys):
    skeleton = tmp_path / "情景.yaml"
    assert main(["scenario", "init", str(forms), "--out", str(skeleton)]) == 0
    text = skeleton.read_text("utf-8")
    data = yaml.safe_load(text)
    assert set(data["ceilings"]) == {"市本级", "杭锦旗"}
    assert all(v is None for by_year in data["ceilings"].values() for v in by_year.values())
    assert "申报需求" in text and "市民政局.csv" in text and str(forms) not in text
    # Unfilled, the skeleton is refused with the same words as no scenario at all.
    assert main(["plan", str(forms), "--scenario", str(skeleton)]) == 2
    assert "杭锦旗2027年度" in capsys.readouterr().err
    # A second init does not overwrite the bureau's work.
    assert main(["scenario", "init", str(forms), "--out", str(skeleton)]) == 2
    assert "已存在" in capsys.readouterr().err

    skeleton.write_text(text.replace(": null", ": 3000"), "utf-8")
    out = tmp_path / "输出"
    assert (
        main(["plan", str(forms), "--scenario", str(skeleton), "--out", str(out), "--no-pdf"]) == 0
    )
    capsys.readouterr()
    assert main(["check", str(forms), "--format", "json"]) == 0
    checked = {p["project_id"]: p for p in json.loads(capsys.readouterr().out)["projects"]}
    assert checked["D1"]["approval_route"] == "旗区立项审批"
    assert checked["A1"]["approval_route"] != "旗区立项审批"
    route = next(f for f in checked["D1"]["findings"] if f["rule"] == "approval_route")
    assert route["article"] == "第四十五条"

    import openpyxl

    workbook = next(out.glob("*.xlsx"))
    cells = [
        str(c)
        for ws in openpyxl.load_workbook(workbook).worksheets
        for row in ws.iter_rows(values_only=True)
        for c in row
        if c is not None
    ]
    everything = "\n".join(cells)
    assert "旗区立项审批" in everything and "29.9999" in everything
    assert str(tmp_path) not in everything and "approval_route" not in everything
    assert not english_sentences(everything, allow=(workbook.name,))
    html = next(out.glob("*.html")).read_text("utf-8")
    assert str(tmp_path) not in html and "om_continuity" not in html


def test_compare_on_own_forms_lines_up_the_variants_of_ones_own_scenario(forms, tmp_path, capsys):
    assert main(["compare", str(forms)]) == 2
    assert "--scenario" in capsys.readouterr().err
    skeleton = tmp_path / "情景.yaml"
    assert main(["scenario", "init", str(forms), "--out", str(skeleton)]) == 0
    skeleton.write_text(skeleton.read_text("utf-8").replace(": null", ": 3000"), "utf-8")
    capsys.readouterr()
    assert main(["compare", str(forms), "--scenario", str(skeleton), "--format", "json"]) == 0
    names = [s["scenario"] for s in json.loads(capsys.readouterr().out)["summary"]]
    assert names[0] == "本次申报情景" and "压减20%" in names and len(names) == 5


def test_old_spellings_are_kept_as_aliases(forms, capsys):
    # --plan-year for --year, --inputs for positional inputs, scenarios positionally in compare.
    assert main(["check", "--inputs", str(forms), "--plan-year", "2028", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["provenance"]["plan_year"] == 2028
    assert main(["compare", "base", "cut20", "--format", "json"]) == 0
    names = [s["scenario"] for s in json.loads(capsys.readouterr().out)["summary"]]
    assert names == ["基准", "压减20%"]


def test_version_and_chinese_help_for_every_option(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and __version__ in capsys.readouterr().out
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    commands = dict(sub.choices)
    commands["scenario init"] = next(
        a for a in commands["scenario"]._actions if a.dest == "scenario_command"
    ).choices["init"]
    for name, cmd in commands.items():
        for action in cmd._actions:
            if action.help is None or action.help == "==SUPPRESS==":
                continue
            assert any("\u4e00" <= ch <= "\u9fff" for ch in action.help), (name, action.dest)
        text = cmd.format_help()
        assert text.startswith("用法：") and not english_sentences(text), name


def test_an_unexpected_error_is_exit_3_with_a_chinese_message_and_a_log(monkeypatch, capsys):
    import workbench.cli as cli

    def broken(args):
        raise RuntimeError("something deep went wrong")

    monkeypatch.setitem(cli.COMMANDS, "check", broken)
    assert main(["check"]) == 3
    err = capsys.readouterr().err
    assert "内部出错" in err and "something" not in err and "Traceback" not in err
    log = Path(err.split("日志文件 ")[1].split(" ")[0])
    assert "something deep went wrong" in log.read_text("utf-8")
    assert main(["check", "--debug"]) == 3
    assert "Traceback" in capsys.readouterr().err  # the maintainers' view

    def deep(args):  # a failure inside the planner says what was being done
        from workbench.planner.spend import spend_profile

        spend_profile(None, None)

    monkeypatch.setitem(cli.COMMANDS, "check", deep)
    assert main(["check"]) == 3
    assert "在编制计划时内部出错" in capsys.readouterr().err


def test_json_output_is_strict_even_for_an_infeasible_plan(tmp_path, capsys):
    forced = tmp_path / "强制.yaml"
    forced.write_text(
        "name: 强制\nplan_year: 2027\nceilings: {市本级: {2027: 100}}\n"
        "force_in: [{project_id: P1, reason: 市政府要求}]\n",
        "utf-8",
    )
    path = city_only(tmp_path)
    assert main(["plan", str(path), "--scenario", str(forced), "--format", "json"]) == 0
    text = capsys.readouterr().out

    def refuse(constant: str) -> None:
        raise ValueError(constant)

    plan = json.loads(text, parse_constant=refuse)
    assert plan["status"] == "infeasible" and plan["diagnosis"]


def test_the_apps_refuse_own_forms_without_their_scenario_before_starting(forms, capsys):
    # Said before Voilà starts: no server, no kernel, exit 2 naming the pools.
    assert main(["app", "explorer", str(forms)]) == 2
    assert "市本级2027年度" in capsys.readouterr().err
    assert main(["app", "dashboard", str(forms), "--scenario", "base"]) == 2
    assert "内置合成样例的情景" in capsys.readouterr().err


def test_the_explorer_on_own_forms_starts_from_their_scenario(forms, tmp_path):
    from workbench.apps.explorer import Explorer
    from workbench.session import Session

    skeleton = tmp_path / "情景.yaml"
    assert main(["scenario", "init", str(forms), "--out", str(skeleton)]) == 0
    skeleton.write_text(skeleton.read_text("utf-8").replace(": null", ": 3000"), "utf-8")
    x = Explorer(Session.open(forms, scenario=str(skeleton)))
    assert x.scenario.name == "本次申报情景" and set(x.scenario.ceilings) == {"市本级", "杭锦旗"}
    x.load("cut20")  # the shipped variant laid over this scenario, never the sample's pools
    assert set(x.scenario.ceilings) == {"市本级", "杭锦旗"}
    assert x.scenario.ceilings["市本级"][2027] == 2400
    x.load("base")
    assert x.scenario.name == "本次申报情景"


def test_a_scenarios_scores_file_is_an_input_whose_bad_rows_count(tmp_path, capsys):
    path = city_only(tmp_path)
    scores = tmp_path / "审定评分表.csv"
    scores.write_text(
        "项目编号,专家评分,审定优先级得分,说明\nP1,80,,\nP9,70,,不在申报中\n", "utf-8"
    )
    scenario = tmp_path / "情景.yaml"
    scenario.write_text(
        "name: 有评分\nplan_year: 2027\nceilings: {市本级: {2027: 1000}}\nscores: 审定评分表.csv\n",
        "utf-8",
    )
    assert main(["plan", str(path), "--scenario", str(scenario), "--format", "json"]) == 2
    captured = capsys.readouterr()
    assert "审定评分表.csv" in captured.err and "第3行" in captured.err
    plan = json.loads(captured.out)
    named = [i for i in plan["provenance"]["inputs"] if i.get("table") == "scores"]
    assert named and Path(str(named[0]["file"])).name == "审定评分表.csv"
