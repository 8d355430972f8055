"""情景推演 saves, undoes, resets and shows what changed: the ``Explorer`` state and its
widgets as plain Python (tests/test_apps_browser_explorer.py drives the same in Chromium)."""

from __future__ import annotations

import base64
import json
import re
from decimal import Decimal

import pandas as pd
import pytest

from workbench.apps.explorer import (
    ROW_CHANGED,
    ROW_DIFFERS,
    Explorer,
    ExplorerApp,
    ExplorerError,
    scenario_file_name,
    scenario_yaml,
)
from workbench.cli import main
from workbench.labels import APP_LABELS, LEVEL_CITY
from workbench.planner.plan import SELECTED_STATUSES
from workbench.scenario import Envelope, load_scenario
from workbench.session import Session

CITY_YEAR = 2027


@pytest.fixture(scope="module")
def session() -> Session:
    s = Session.open()
    s.plan  # noqa: B018 - solve once for the module
    return s


def outcome(plan) -> pd.DataFrame:
    """What a plan decides per project: status and plan-year amount."""
    return plan.projects.set_index("project_id")[["status", "amount"]].sort_index()


def taken(plan) -> set[str]:
    return set(plan.projects.loc[plan.projects["status"].isin(SELECTED_STATUSES), "project_id"])


def district_pool(plan) -> tuple[str, set[str]]:
    """A pool other than 市本级 whose plan takes projects the rules do not force in."""
    p = plan.projects
    free = p[(p["status"] == "selected") & (p["funding_pool"] != LEVEL_CITY)]
    pool = free["funding_pool"].value_counts().index[0]
    return pool, set(free.loc[free["funding_pool"] == pool, "project_id"])


def edited(session: Session) -> Explorer:
    """An explorer with every kind of setting changed."""
    x = Explorer(session)
    pool, _ = district_pool(x.plan)
    x.set_ceiling(pool, CITY_YEAR, Decimal("0"))
    x.set_ceiling(LEVEL_CITY, CITY_YEAR, Decimal("15000.5"))
    x.set_envelope(0, Envelope(category="运维服务类", pool=LEVEL_CITY, min_share=Decimal("0.12")))
    x.set_envelope(None, Envelope(category="建设类", max_amount=Decimal("9000")))
    p = x.plan.projects
    unit = p.loc[p["status"] == "selected", "unit"].value_counts().index[0]
    x.set_unit_cap(unit, Decimal("100"))
    x.set_weight("data_sharing", 0.4)
    x.set_toggle("one_domain_one_platform", False)
    left_out = p.loc[(p["status"] == "not_selected") & (p["funding_pool"] == LEVEL_CITY)]
    x.force(left_out["project_id"].iloc[0], "市政府常务会议要求", into=True)
    return x


# --- saving ---------------------------------------------------------------------------------


def test_a_saved_scenario_loads_back_to_the_same_plan(session, tmp_path):
    x = edited(session)
    path = x.save(tmp_path, "压减后方案")
    assert path == tmp_path / "压减后方案.yaml" and path.is_file()
    loaded = load_scenario(path)
    assert loaded.name == "压减后方案"
    assert loaded.model_dump(exclude={"path"}) == x.saved_scenario("压减后方案").model_dump(
        exclude={"path"}
    )
    again = Explorer(session, str(path))
    assert outcome(again.plan).equals(outcome(x.plan))
    assert again.plan.objective == pytest.approx(x.plan.objective)
    assert not [p for p in tmp_path.iterdir() if p.name != path.name]  # no temporary left


def test_workbench_plan_reads_the_saved_file(session, tmp_path, capsys):
    x = edited(session)
    path = x.save(tmp_path, "复算")
    assert main(["plan", "--scenario", str(path), "--format", "json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    by_id = {p["project_id"]: p["status"] for p in printed["projects"]}
    assert by_id == outcome(x.plan)["status"].to_dict()


def test_the_file_writes_amounts_as_numbers_and_only_what_was_set(session, tmp_path):
    x = Explorer(session)
    x.load("cut20")  # inherits base, scales its ceilings: written resolved
    x.set_ceiling(LEVEL_CITY, CITY_YEAR, Decimal("12345.67"))
    text = scenario_yaml(x.saved_scenario("试算"))
    assert text.startswith("# ") and "市本级: {2027: 12345.67," in text
    assert "inherits" not in text and "path:" not in text and "risk:" not in text
    path = tmp_path / "试算.yaml"
    path.write_text(text, "utf-8")
    assert load_scenario(path).ceilings == x.scenario.ceilings


def test_saving_never_overwrites_silently(session, tmp_path):
    x = Explorer(session)
    first = x.save(tmp_path, "方案甲")
    before = first.read_text("utf-8")
    x.set_ceiling(LEVEL_CITY, CITY_YEAR, Decimal(13000))
    with pytest.raises(ExplorerError, match=r"已有“方案甲\.yaml”"):
        x.save(tmp_path, "方案甲")
    assert first.read_text("utf-8") == before
    x.save(tmp_path, "方案甲.yaml", overwrite=True)  # the suffix typed or not, one file
    assert load_scenario(first).ceilings[LEVEL_CITY][CITY_YEAR] == 13000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["方案甲.yaml"]


@pytest.mark.parametrize("name", ["", "  ", "../外面", "a/b", "a\\b", ".隐藏", "问?号", "x" * 81])
def test_a_name_that_cannot_be_a_file_is_refused_in_chinese(name):
    with pytest.raises(ExplorerError, match="情景名称"):
        scenario_file_name(name)


def test_a_folder_that_cannot_be_written_is_said_in_chinese(session, tmp_path):
    missing = tmp_path / "没有的文件夹"
    with pytest.raises(ExplorerError, match="未能保存到情景文件夹") as caught:
        Explorer(session).save(missing, "方案")
    assert "Errno" not in str(caught.value) and "No such" not in str(caught.value)


def test_the_app_saves_into_the_folder_and_offers_the_file(session, tmp_path):
    app = ExplorerApp(Explorer(session), folder=tmp_path)
    app.ceilings[CITY_YEAR].value = 14000
    app.save_name.value = "会上方案"
    app.save_button.click()
    path = tmp_path / "会上方案.yaml"
    assert "已保存" in app.save_status.value and path.is_file()
    assert str(path) in [value for _, value in app.scenario.options]
    app.save_button.click()  # the same name again: refused, said, not overwritten
    assert "已有" in app.save_status.value
    app.overwrite.value = True
    app.save_button.click()
    assert "已保存" in app.save_status.value and not app.overwrite.value
    # Choosing the saved file shows its plan.
    app.scenario.value = str(path)
    assert app.x.scenario.name == "会上方案"
    assert app.x.scenario.ceilings[LEVEL_CITY][CITY_YEAR] == 14000


def test_without_a_folder_the_app_offers_the_download(session, tmp_path):
    app = ExplorerApp(Explorer(session), folder=None)
    assert app.save_button.disabled and "--scenarios-dir" in app.save_status.value
    app.ceilings[CITY_YEAR].value = 16000
    app.save_name.value = "下载方案"
    app.save_download_button.click()
    link = app.save_link.value
    assert 'download="下载方案.yaml"' in link and "data:application/x-yaml;base64," in link
    path = tmp_path / "下载方案.yaml"
    path.write_bytes(base64.b64decode(re.search(r"base64,([^\"]+)", link)[1]))
    assert outcome(Explorer(session, str(path)).plan).equals(outcome(app.x.plan))


# --- undo and reset -------------------------------------------------------------------------


def test_undo_steps_back_through_every_change(session):
    x = Explorer(session)
    start = x.scenario
    base = outcome(x.plan)
    assert not x.undo()  # nothing yet
    x.set_ceiling(LEVEL_CITY, CITY_YEAR, Decimal(12000))
    lowered = x.scenario
    x.set_toggle("system_count", False)
    assert not x.set_toggle("system_count", False)  # no change: not a step
    assert len(x.history) == 2
    assert x.undo() and x.scenario == lowered
    assert x.undo() and x.scenario == start
    assert outcome(x.plan).equals(base)
    assert not x.undo()


def test_reset_goes_back_to_the_loaded_scenario_and_can_be_undone(session):
    x = Explorer(session)
    x.load("cut20")
    loaded = x.scenario
    x.set_ceiling(LEVEL_CITY, CITY_YEAR, Decimal(9000))
    x.set_weight("mandated", 0.3)
    changed = x.settings
    assert x.reset() and x.scenario == loaded and x.loaded_name == "压减20%"
    assert x.slider_weights == x.applied_weights()
    assert not x.reset()  # already there
    assert x.undo() and x.settings == changed
    x.undo(), x.undo()
    assert x.undo() and x.scenario.name != "压减20%"  # the load itself is undone


def test_the_app_undo_and_reset_buttons(session):
    app = ExplorerApp(Explorer(session))
    assert app.undo_button.disabled
    first = app.headline.value
    given = float(session.scenario.ceilings[LEVEL_CITY][CITY_YEAR])
    app.ceilings[CITY_YEAR].value = 12000
    assert app.headline.value != first and not app.undo_button.disabled
    app.undo_button.click()
    assert app.headline.value == first and app.ceilings[CITY_YEAR].value == given
    assert APP_LABELS["undone"] in app.message.value
    app.ceilings[CITY_YEAR].value = 11000
    app.toggles["dependencies"].value = False
    app.reset_button.click()
    assert app.headline.value == first and app.toggles["dependencies"].value
    assert app.ceilings[CITY_YEAR].value == given


# --- what changed ---------------------------------------------------------------------------


def test_changed_rows_are_marked_against_the_last_change_and_the_base(session):
    x = Explorer(session)
    before = x.plan
    x.set_ceiling(LEVEL_CITY, CITY_YEAR, Decimal(12000))
    after = x.solve().plan
    moved = taken(before) ^ taken(after)
    assert moved
    marks = x.changes()
    assert set(marks.index[marks["since_last"] != ""]) >= moved
    assert set(marks.index[marks["vs_base"] != ""]) == moved  # the base is the first plan
    out = taken(before) - taken(after)
    assert set(marks.loc[sorted(out), "since_last"]) == {APP_LABELS["now_out"]}
    # The visible table changes: those rows come first, marked, and carry the classes.
    table = x.table()
    head = table.head(len(moved))
    assert set(head["项目编号"]) == moved and all(head["变化"] != "")
    rows = re.findall(r'<tr class="([^"]+)">', x.table_html())
    assert [ROW_CHANGED in r for r in rows[: len(moved)]] == [True] * len(moved)

    # A second change: "since last" follows it, "against the base" keeps the first too.
    pool, ids = district_pool(after)
    x.set_ceiling(pool, CITY_YEAR, Decimal(0))
    third = x.solve().plan
    marks = x.changes()
    assert set(marks.index[marks["since_last"] != ""]) == taken(after) ^ taken(third)
    assert ids <= set(marks.index[marks["since_last"] != ""])
    assert set(marks.index[marks["vs_base"] != ""]) == taken(before) ^ taken(third)
    assert moved - ids <= set(marks.index[marks["vs_base"] != ""])
    rows = re.findall(r'<tr class="([^"]+)">', x.table_html())
    assert sum(ROW_DIFFERS in r for r in rows) == len(taken(before) ^ taken(third))


def test_the_difference_tab_has_amounts_and_reasons(session):
    app = ExplorerApp(Explorer(session))
    assert APP_LABELS["diff_none"] in app.diff.value
    app.ceilings[CITY_YEAR].value = 12000
    table = app.x.difference_table()
    plan = app.x.plan.projects.set_index("project_id")
    base = app.x.base_plan.projects.set_index("project_id")
    ids = list(table["项目编号"])
    assert set(ids) == taken(app.x.base_plan) ^ taken(app.x.plan)
    assert list(table["本年度资金(万元)"]) == list(plan.loc[ids, "amount"])
    assert list(table["当前方案原因"]) == list(plan.loc[ids, "reason"])
    assert list(table["基准情景原因"]) == list(base.loc[ids, "reason"])
    out = table[table["变化"] == APP_LABELS["base_out"]]
    total = sum(out["本年度资金(万元)"], Decimal(0))
    summary = app.x.difference_summary()
    assert f"调出{len(out)}个项目" in summary and f"{total:,.2f}" in summary
    assert "资金不足未安排" in app.diff.value and f"{total:,.2f}" in app.diff.value


# --- weights --------------------------------------------------------------------------------


def test_weights_show_their_sum_and_are_used_normalised(session):
    x = Explorer(session)
    assert x.weights_sum == pytest.approx(1)
    x.set_weight("data_sharing", 0.45)
    sliders = x.slider_weights
    assert x.weights_sum == pytest.approx(sum(sliders.values())) and x.weights_sum > 1.2
    applied = x.applied_weights()
    assert sum(applied.values()) == pytest.approx(1)
    assert applied == pytest.approx({k: v / x.weights_sum for k, v in sliders.items()})
    assert x.plan.provenance["scoring"]["weights"] == pytest.approx(applied, abs=1e-4)
    plan = outcome(x.plan)
    assert x.normalise_weights()
    assert x.weights_sum == pytest.approx(1) and x.applied_weights() == pytest.approx(applied)
    assert outcome(x.plan).equals(plan)
    *others, last = sliders
    for key in others:
        x.set_weight(key, 0)
    with pytest.raises(ExplorerError, match="大于0"):
        x.set_weight(last, 0)
    assert x.applied_weights()[last] == pytest.approx(1) and x.slider_weights[last] > 0


def test_the_app_shows_the_sum_and_normalises_the_sliders(session):
    app = ExplorerApp(Explorer(session))
    assert "滑块合计1.00" in app.weights_sum.value
    app.weights["data_sharing"].value = 0.45
    total = sum(s.value for s in app.weights.values())
    assert f"滑块合计{total:.2f}" in app.weights_sum.value
    headline = app.headline.value
    app.normalise.click()
    assert sum(s.value for s in app.weights.values()) == pytest.approx(1, abs=0.05)
    assert "滑块合计1.00" in app.weights_sum.value and app.headline.value == headline


# --- every pool, envelopes, unit caps -------------------------------------------------------


def test_another_pools_ceiling_changes_the_plan(session):
    app = ExplorerApp(Explorer(session))
    pool, ids = district_pool(app.x.plan)
    assert {p for p, _ in app.ceiling_grid} >= set(app.x.scenario.ceilings)
    app.ceiling_grid[(pool, CITY_YEAR)].value = 0
    statuses = app.x.plan.projects.set_index("project_id").loc[sorted(ids), "status"]
    assert set(statuses) == {"not_selected"}
    assert all(pid in app.plan_table.value for pid in ids)


def test_a_year_without_a_ceiling_is_blank_and_can_be_given_one(session):
    app = ExplorerApp(Explorer(session))
    unlimited = [k for k, box in app.ceiling_grid.items() if box.value == ""]
    assert unlimited  # the earmarked funds of the sample name 2027 only
    pool, year = unlimited[0]
    app.ceiling_grid[(pool, year)].value = "1,200"
    assert app.x.scenario.ceilings[pool][year] == 1200
    app.ceiling_grid[(pool, year)].value = "一千"
    assert "金额有误" in app.message.value and app.x.scenario.ceilings[pool][year] == 1200
    app.ceiling_grid[(pool, year)].value = ""
    assert year not in app.x.scenario.ceilings.get(pool, {})


def test_an_envelope_changes_the_plan(session):
    x = Explorer(session)
    city = x.plan.projects[x.plan.projects["funding_pool"] == LEVEL_CITY]
    built = city[city["status"] == "selected"]
    built = built[built["category_effective"] == "建设类"]
    cap = sum(built["amount"], Decimal(0)) / 2
    x.set_envelope(None, Envelope(category="建设类", pool=LEVEL_CITY, max_amount=cap))
    after = x.plan.projects
    mask = (
        after["status"].isin(SELECTED_STATUSES)
        & (after["funding_pool"] == LEVEL_CITY)
        & (after["category_effective"] == "建设类")
    )
    assert sum(after.loc[mask, "amount"], Decimal(0)) <= cap
    assert taken(x.plan) != taken(session.plan)
    assert x.set_envelope(len(x.scenario.envelopes) - 1, None)
    assert outcome(x.plan).equals(outcome(session.plan))


def test_the_app_edits_an_envelope(session):
    app = ExplorerApp(Explorer(session))
    assert "运维服务类占比不少于10%" in app.envelope_list.value
    assert app.envelope_bounds["min_share"].value == "10"
    app.envelope_bounds["min_share"].value = "25"
    app.envelope_apply.click()
    assert app.x.scenario.envelopes[0].min_share == Decimal("0.25")
    assert "占比不少于25%" in app.envelope_list.value
    app.envelope_pick.value = -1  # 新增
    for box in app.envelope_bounds.values():
        assert box.value == ""
    app.envelope_apply.click()
    assert "至少填写一项" in app.message.value and len(app.x.scenario.envelopes) == 1
    app.envelope_bounds["max_share"].value = "150"
    app.envelope_apply.click()
    assert "百分数" in app.message.value and len(app.x.scenario.envelopes) == 1
    app.envelope_category.value = "建设类"
    app.envelope_bounds["max_share"].value = ""
    app.envelope_bounds["max_amount"].value = "5000"
    app.envelope_apply.click()
    assert app.x.scenario.envelopes[1].max_amount == 5000 and app.envelope_pick.value == 1
    app.envelope_remove.click()
    assert len(app.x.scenario.envelopes) == 1


def test_a_unit_cap_changes_the_plan(session):
    app = ExplorerApp(Explorer(session))
    p = app.x.plan.projects
    chosen = p[p["status"] == "selected"]
    unit = chosen.groupby("unit")["amount"].apply(lambda a: sum(a, Decimal(0))).idxmax()
    forced = sum(p.loc[(p["unit"] == unit) & (p["status"] == "forced_in"), "amount"], Decimal(0))
    cap = forced + Decimal(50)
    app.cap_unit.value = unit
    app.cap_amount.value = str(cap)
    app.cap_apply.click()
    assert app.x.scenario.unit_caps == {unit: cap}
    after = app.x.plan.projects
    used = after.loc[(after["unit"] == unit) & after["status"].isin(SELECTED_STATUSES), "amount"]
    assert sum(used, Decimal(0)) <= cap < sum(chosen.loc[chosen["unit"] == unit, "amount"])
    assert unit in app.cap_list.value
    app.cap_amount.value = ""
    app.cap_apply.click()
    assert app.x.scenario.unit_caps == {}


def test_the_folder_given_at_start_reaches_the_app(session, tmp_path, monkeypatch):
    from workbench.apps import ENV_SCENARIOS_DIR
    from workbench.apps.server import app_environment

    folder = tmp_path / "情景"
    folder.mkdir()
    env = app_environment(scenarios_dir=str(folder))
    assert env[ENV_SCENARIOS_DIR] == str(folder.resolve())
    assert app_environment()[ENV_SCENARIOS_DIR] == ""
    Explorer(session).save(folder, "已存方案")
    (folder / "坏文件.yaml").write_text("name: [unclosed\n", "utf-8")
    monkeypatch.setenv(ENV_SCENARIOS_DIR, env[ENV_SCENARIOS_DIR])
    app = ExplorerApp(Explorer(session))
    assert app.folder == folder.resolve() and not app.save_button.disabled
    labels = dict(app.scenario.options)
    assert labels["已存方案（情景文件夹：已存方案.yaml）"] == str(
        folder.resolve() / "已存方案.yaml"
    )
    assert "无法读取的情景文件（情景文件夹：坏文件.yaml）" in labels
    app.scenario.value = labels["无法读取的情景文件（情景文件夹：坏文件.yaml）"]
    assert "坏文件.yaml" in app.message.value and "wb-error" in app.message.value
    assert app.x.scenario.name == session.scenario.name  # nothing loaded
    assert app.scenario.value == "base"  # the list shows what is in force


def test_a_scenarios_folder_that_cannot_be_made_is_said_before_starting(tmp_path, capsys):
    blocker = tmp_path / "一个文件"
    blocker.write_text("", "utf-8")
    assert main(["app", "explorer", "--scenarios-dir", str(blocker / "情景")]) == 2
    assert "不是文件夹" in capsys.readouterr().err


def test_only_the_explorer_takes_a_scenarios_folder(tmp_path, capsys):
    folder = tmp_path / "情景"
    assert main(["app", "dashboard", "--scenarios-dir", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "--scenarios-dir" in err and "情景推演" in err and "Traceback" not in err
    assert not folder.exists()  # refused before anything is made


def test_an_unreadable_entry_of_the_folder_is_listed_not_fatal(tmp_path):
    from workbench.apps.scenario_file import folder_choices

    (tmp_path / "像文件的文件夹.yaml").mkdir()
    (tmp_path / "坏.yaml").write_text("name: [\n", encoding="utf-8")
    choices = dict((value, label) for label, value in folder_choices(tmp_path))
    assert len(choices) == 2
    for label in choices.values():
        assert APP_LABELS["folder_scenario_unreadable"] in label


def test_an_amount_with_more_digits_than_a_float_saves_exactly(tmp_path):
    import yaml

    from workbench.apps.scenario_file import scenario_yaml
    from workbench.scenario import Scenario

    exact = Decimal("123456789.123456789")
    scenario = Scenario.model_validate(
        {"name": "精确", "plan_year": 2027, "ceilings": {LEVEL_CITY: {2027: exact}}}
    )
    back = Scenario.model_validate(yaml.safe_load(scenario_yaml(scenario)))
    assert back.ceilings[LEVEL_CITY][2027] == exact
