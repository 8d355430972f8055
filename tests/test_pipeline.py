"""`workbench pipeline` runs the analyst notebooks with papermill on an intake folder that is not
the embedded sample: spread over sub-folders and formats, with its registry files told apart by
name, an attachment, and one broken row. The executed notebooks and the documents are left in
the output folder, the parameters readable, and the broken row reported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from workbench.data import sample_candidates, sample_systems, sample_usage
from workbench.pipeline import sequence
from workbench.scenario import load_scenario
from workbench.session import InputFiles, InputFolderError

TITLE = "鄂尔多斯市2027年度市本级政务信息化项目计划（草案）"


@pytest.fixture(scope="module")
def intake_folder(tmp_path_factory) -> tuple[Path, int, int]:
    """Two units' workbooks and a CSV in sub-folders, the registry and usage under Chinese
    names, a note that is not a form; the second row of the CSV has an amount that is not one."""
    root = tmp_path_factory.mktemp("申报 2027")
    sample = pd.read_csv(sample_candidates(), dtype=str, keep_default_na=False)
    city = sample[sample["层级"] == "市本级"].head(60)
    districts = sample[sample["层级"] != "市本级"].head(30)
    (root / "市直部门").mkdir()
    (root / "旗区").mkdir()
    city.iloc[:35].to_excel(root / "市直部门" / "第一批.xlsx", index=False)
    city.iloc[35:].to_excel(root / "市直部门" / "第二批.xlsx", index=False)
    broken = districts.copy()
    broken.iloc[1, broken.columns.get_loc("本年度申请资金(万元)")] = "约三十万"
    broken.to_csv(root / "旗区" / "旗区汇总.csv", index=False, encoding="gb18030")
    (root / "已建系统登记表.csv").write_bytes(sample_systems().read_bytes())
    (root / "系统使用情况.csv").write_bytes(sample_usage().read_bytes())
    (root / "说明.txt").write_text("附件：申报说明", encoding="utf-8")
    return root, len(city) + len(districts) - 1, 3  # accepted rows; the broken row is row 3


def test_input_folders_are_sorted_by_file_name(intake_folder):
    root, _, _ = intake_folder
    files = InputFiles.from_folder(root)
    assert sorted(p.name for p in files.submissions) == [
        "旗区汇总.csv",
        "第一批.xlsx",
        "第二批.xlsx",
    ]
    assert [p.name for p in files.systems] == ["已建系统登记表.csv"]
    assert [p.name for p in files.usage] == ["系统使用情况.csv"]
    assert [p.name for p in files.ignored] == ["说明.txt"]
    with pytest.raises(InputFolderError, match="找不到输入文件夹"):
        InputFiles.from_folder(root / "nope")


def test_scenario_moves_to_another_plan_year():
    base = load_scenario("base")
    moved = base.for_year(2028)
    assert moved.plan_year == 2028 and moved.years == (2028, 2029, 2030)
    assert moved.ceilings["市本级"][2028] == base.ceilings["市本级"][2027]
    assert all(e.year is None or e.year >= 2028 for e in moved.envelopes)


def workbench(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=900,
        check=False,
    )


def test_pipeline_refuses_a_new_folder_without_its_own_scenario(intake_folder, tmp_path):
    # Never the sample's ceilings on someone else's forms: said before any notebook runs.
    root, _, _ = intake_folder
    out = tmp_path / "输出"
    done = workbench("pipeline", str(root), "--year", "2027", "--out", str(out))
    assert (
        done.returncode == 2 and "市本级2027年度" in done.stderr and "scenario init" in done.stderr
    )
    done = workbench("pipeline", str(root), "--scenario", "base", "--out", str(out))
    assert done.returncode == 2 and "内置合成样例的情景" in done.stderr
    assert not (out / "notebooks").exists()


def test_pipeline_runs_every_notebook_on_a_new_folder(intake_folder, tmp_path):
    root, accepted, bad_row = intake_folder
    out = tmp_path / "输出"
    scenario = tmp_path / "情景.yaml"
    made = workbench("scenario", "init", str(root), "--year", "2027", "--out", str(scenario))
    # The skeleton of this intake, with its ceilings filled in as the bureau would.
    scenario.write_text(scenario.read_text("utf-8").replace(": null", ": 5000"), "utf-8")
    assert "市本级" in scenario.read_text("utf-8")
    done = workbench(
        "pipeline", str(root), "--year", "2027", "--scenario", str(scenario), "--out", str(out)
    )
    assert made.returncode == 2, made.stderr  # the broken row, reported by scenario init too
    # Every notebook ran and left its documents; the broken row makes it bad input (exit 2),
    # named on standard error, as `check` and `plan` do.
    assert done.returncode == 2, done.stderr
    assert "旗区汇总.csv" in done.stderr and f"第{bad_row}行" in done.stderr
    names = [p.name for p in sequence()]
    assert len(names) == 8
    assert sorted(p.name for p in (out / "notebooks").iterdir()) == sorted(names)
    # Someone's own forms and no register: notebook 08 says so and lists nothing.
    register = nbformat.read(out / "notebooks" / names[-1], as_version=4)
    shown = json.dumps([c.get("outputs", []) for c in register.cells], ensure_ascii=False)
    assert "未指定项目库" in shown and "逾期" not in shown
    assert (out / f"{TITLE}.xlsx").is_file() and (out / f"{TITLE}.html").is_file()

    first = nbformat.read(out / "notebooks" / names[0], as_version=4)
    injected = next(c for c in first.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert str(root) in injected.source and "\\u" not in injected.source  # readable Chinese
    outputs = json.dumps([c.get("outputs", []) for c in first.cells], ensure_ascii=False)
    assert "约三十万" in outputs and "第一批.xlsx" in outputs and "说明.txt" in outputs

    head = pd.read_excel(out / f"{TITLE}.xlsx", sheet_name="计划汇总", header=None, dtype=str)
    pairs = dict(zip(head[0], head[1], strict=True))
    assert pairs["申报项目数"] == str(accepted)
    listed = pd.read_excel(out / f"{TITLE}.xlsx", sheet_name="拟安排项目清单", header=3, dtype=str)
    ids = set(listed["项目编号"].iloc[:-1])  # the last row is the totals row
    submitted = set(pd.read_csv(sample_candidates(), dtype=str)["项目编号"])
    assert ids and ids <= submitted and len(ids) < accepted
