"""Output sets (DESIGN §7): ``plan --out``, ``compare --out`` and ``pipeline`` leave either the
earlier complete set or the new complete set, never a mixture; ``清单.json`` lists every file
with its size and SHA-256; an earlier run's files are moved aside, not left beside new ones;
runs into one folder are serialised by a lock."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import openpyxl
import pytest
from filelock import FileLock
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import workbench
from workbench import outputset
from workbench.outputset import (
    LOCK_NAME,
    MANIFEST,
    PREVIOUS,
    OutputLockedError,
    OutputSet,
    known_patterns,
    read_manifest,
    recover,
)

REPO = Path(workbench.__file__).resolve().parents[1]
STEM = "鄂尔多斯市2027年度市本级政务信息化项目计划（草案）"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def document_files(folder: Path) -> set[str]:
    """Files of the kinds the workbench writes, in the folder and its notebooks/ (hidden
    folders such as .上次输出 aside)."""
    return {p.relative_to(folder).as_posix() for g in known_patterns() for p in folder.glob(g)}


def assert_complete(folder: Path, besides: frozenset[str] = frozenset()) -> dict:
    """The folder holds one complete set: its manifest's files, each with that size and hash,
    and no other document file beside them (but ``besides``)."""
    manifest = read_manifest(folder)
    assert manifest is not None, sorted(p.name for p in folder.iterdir())
    listed = {f["path"]: f for f in manifest["files"]}
    for name, record in listed.items():
        path = folder / name
        assert path.is_file(), name
        assert (path.stat().st_size, sha256(path)) == (record["bytes"], record["sha256"]), name
    assert document_files(folder) - besides <= set(listed)
    return manifest


def write_set(target: Path, files: dict[str, str], **kwargs) -> OutputSet:
    kwargs.setdefault("kind", "plan")
    with OutputSet(target, **kwargs) as out:
        for name, text in files.items():
            out.path(name).write_text(text, "utf-8")
    return out


def leftovers_beside(target: Path) -> list[str]:
    return sorted(p.name for p in target.parent.iterdir() if p.name.startswith(f".{target.name}."))


# --- the component --------------------------------------------------------------------------


def test_the_manifest_lists_every_file_inputs_scenario_status_version_and_time(tmp_path):
    source = tmp_path / "申报.csv"
    source.write_text("项目编号\nSB-1\n", "utf-8")
    target = tmp_path / "输出"
    out = write_set(
        target,
        {"年度计划草案_2027.csv": "a,b\n", "notebooks/01_申报受理.ipynb": "{}"},
        inputs=[source, {"table": "systems", "file": "x.csv", "sha256": "0" * 64}],
        scenario={"name": "基准", "path": "base.yaml"},
        status="optimal",
    )
    manifest = assert_complete(target)
    assert manifest == out.manifest
    assert [f["path"] for f in manifest["files"]] == [
        "notebooks/01_申报受理.ipynb",
        "年度计划草案_2027.csv",
    ]
    assert manifest["inputs"][0] == {
        "file": str(source),
        "bytes": source.stat().st_size,
        "sha256": sha256(source),
    }
    assert manifest["inputs"][1]["table"] == "systems"
    assert manifest["kind"] == "plan" and manifest["status"] == "optimal"
    assert manifest["scenario"] == {"name": "基准", "path": "base.yaml"}
    assert manifest["workbench_version"] == workbench.__version__
    assert manifest["written_at"].endswith("+00:00")
    assert json.loads((target / MANIFEST).read_text("utf-8")) == manifest
    assert leftovers_beside(target) == []  # the staging folder is gone
    assert sorted(p.name for p in target.iterdir()) == sorted(
        [LOCK_NAME, "notebooks", "年度计划草案_2027.csv", MANIFEST]
    )


def test_files_of_an_earlier_run_are_moved_aside_not_left_beside_new_ones(tmp_path):
    target = tmp_path / "输出"
    first = {f"{STEM}.xlsx": "1", f"{STEM}.pdf": "1", "年度计划草案_2027.csv": "1"}
    write_set(target, first)
    earlier = read_manifest(target)
    # A file of a set written before manifests existed, a file of the user's and an input that
    # sits in the folder: only the first is the workbench's to move.
    (target / "情景对比_2026.xlsx").write_text("legacy", "utf-8")
    (target / "我的笔记.xlsx").write_text("mine", "utf-8")
    (target / "年度计划草案_2026.csv").write_text("input", "utf-8")
    write_set(target, {f"{STEM}.xlsx": "2"}, inputs=[target / "年度计划草案_2026.csv"])

    kept = frozenset({"年度计划草案_2026.csv"})  # the input
    assert assert_complete(target, kept)["files"][0]["path"] == f"{STEM}.xlsx"
    assert (target / f"{STEM}.xlsx").read_text("utf-8") == "2"
    assert not (target / f"{STEM}.pdf").exists()
    assert (target / "我的笔记.xlsx").exists() and (target / "年度计划草案_2026.csv").exists()
    # The earlier set is kept whole, with its manifest, until the next run.
    previous = target / PREVIOUS
    assert read_manifest(previous) == earlier
    assert assert_complete(previous, frozenset({"情景对比_2026.xlsx"})) == earlier
    assert (previous / "情景对比_2026.xlsx").read_text("utf-8") == "legacy"  # moved aside too
    write_set(target, {"情景对比_2027.xlsx": "3"}, inputs=[target / "年度计划草案_2026.csv"])
    assert sorted(p.name for p in previous.iterdir()) == sorted([MANIFEST, f"{STEM}.xlsx"])


def test_an_exception_while_writing_leaves_the_earlier_set_untouched(tmp_path):
    target = tmp_path / "输出"
    write_set(target, {f"{STEM}.xlsx": "old", "年度计划草案_2027.csv": "old"}, status="optimal")
    earlier = assert_complete(target)
    with pytest.raises(RuntimeError, match="写到一半"), OutputSet(target, kind="plan") as out:
        out.path(f"{STEM}.xlsx").write_text("new", "utf-8")
        out.path(f"{STEM}.html").write_text("new", "utf-8")
        raise RuntimeError("写到一半")
    assert assert_complete(target) == earlier
    assert not (target / f"{STEM}.html").exists() and not (target / PREVIOUS).exists()
    assert leftovers_beside(target) == []


def test_a_run_killed_while_moving_files_in_is_finished_by_the_next(tmp_path, monkeypatch):
    # The moves are renames, a few milliseconds; a run that dies among them leaves no manifest
    # in the folder (recognisably unfinished) and its complete set beside it, which the next run
    # into the folder (or recover) moves in before anything else.
    target = tmp_path / "输出"
    write_set(target, {f"{STEM}.xlsx": "old", f"{STEM}.pdf": "old"})
    real_move, moves = outputset._move, []

    def dying_move(source: Path, destination: Path) -> None:
        moves.append(destination)
        if len(moves) == 3:  # the earlier manifest and one earlier file are aside
            raise KeyboardInterrupt
        real_move(source, destination)

    monkeypatch.setattr(outputset, "_move", dying_move)
    with pytest.raises(KeyboardInterrupt):
        write_set(target, {f"{STEM}.xlsx": "new", "年度计划草案_2027.csv": "new"})
    monkeypatch.setattr(outputset, "_move", real_move)
    assert read_manifest(target) is None
    assert [p.name.split("-")[0] for p in target.parent.glob(".输出.*")] == [".输出.提交"]

    recover(target)
    manifest = assert_complete(target)
    assert sorted(f["path"] for f in manifest["files"]) == ["年度计划草案_2027.csv", f"{STEM}.xlsx"]
    assert (target / f"{STEM}.xlsx").read_text("utf-8") == "new"
    assert assert_complete(target / PREVIOUS)["files"][0]["path"] == f"{STEM}.pdf"
    assert leftovers_beside(target) == []


def test_an_unfinished_staging_folder_of_a_killed_run_is_removed(tmp_path):
    target = tmp_path / "输出"
    write_set(target, {f"{STEM}.xlsx": "old"})
    stale = tmp_path / ".输出.部分-999999"
    stale.mkdir()
    (stale / f"{STEM}.xlsx").write_text("half", "utf-8")
    write_set(target, {f"{STEM}.xlsx": "new"})
    assert leftovers_beside(target) == [] and (target / f"{STEM}.xlsx").read_text("utf-8") == "new"


def test_a_second_run_waits_for_the_lock_then_gives_up_in_chinese(tmp_path, capsys):
    target = tmp_path / "输出"
    write_set(target, {f"{STEM}.xlsx": "old"})
    held = FileLock(str(target / LOCK_NAME))
    with held, pytest.raises(OutputLockedError, match="正由另一次运行写入"):
        write_set(target, {f"{STEM}.xlsx": "new"}, timeout=0.2)
    assert "等待其完成（最多0.2秒）" in capsys.readouterr().err
    assert (target / f"{STEM}.xlsx").read_text("utf-8") == "old"
    assert leftovers_beside(target) == []


def test_the_lock_timeout_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("WORKBENCH_LOCK_TIMEOUT", "2.5")
    assert outputset.lock_timeout() == 2.5
    for bad in ("", "soon", "-1"):
        monkeypatch.setenv("WORKBENCH_LOCK_TIMEOUT", bad)
        assert outputset.lock_timeout() == outputset.LOCK_TIMEOUT_SECONDS


# --- the pipeline: notebooks run in the staging folder --------------------------------------


def _notebook(path: Path, *code: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    params = nbformat.v4.new_code_cell('out_dir = "输出"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, *(nbformat.v4.new_code_cell(c) for c in code)]
    nbformat.write(nb, path)
    return path


@pytest.fixture
def two_notebooks(tmp_path, monkeypatch) -> list[Path]:
    """A sequence of two tiny notebooks: the first writes a document through an output set to
    the folder it is given (as 07 does), the second a file into its working folder."""
    monkeypatch.setenv("PYTHONPATH", str(REPO))  # the kernels import this checkout's workbench
    folder = tmp_path / "笔记本"
    folder.mkdir()
    notebooks = [
        _notebook(
            folder / "01_写出.ipynb",
            "from workbench.outputset import OutputSet\n"
            "with OutputSet(out_dir, kind='plan', status='optimal', scenario={'name': '基准'}) as o:\n"
            "    o.path('年度计划草案_2027.csv').write_text('a', 'utf-8')",
        ),
        _notebook(folder / "02_附表.ipynb", "open('附表.txt', 'w').write('b')"),
    ]
    monkeypatch.setattr("workbench.pipeline.sequence", lambda: notebooks)
    return notebooks


def test_the_pipeline_writes_its_notebooks_and_documents_as_one_set(tmp_path, two_notebooks):
    from workbench.pipeline import PipelineError, run_pipeline

    target = tmp_path / "输出" / "2027"
    steps = run_pipeline(2027, None, target, scenario="")
    assert [s.notebook for s in steps] == [
        target.resolve() / "notebooks" / n.name for n in two_notebooks
    ]
    manifest = assert_complete(target)
    assert manifest["kind"] == "pipeline" and manifest["status"] == "optimal"
    assert manifest["scenario"] == {"name": "基准"}  # from the set notebook 01 wrote inside
    assert manifest["parameters"]["out_dir"] == str(target.resolve())
    assert sorted(f["path"] for f in manifest["files"]) == [
        "notebooks/01_写出.ipynb",
        "notebooks/02_附表.ipynb",
        "年度计划草案_2027.csv",
        "附表.txt",
    ]
    executed = nbformat.read(target / "notebooks" / "01_写出.ipynb", as_version=4)
    assert str(target.resolve()) in executed.cells[1].source  # the folder, not the staging one

    _notebook(two_notebooks[1], "raise ValueError('坏了')")
    with pytest.raises(PipelineError, match="坏了"):
        run_pipeline(2027, None, target, scenario="")
    assert assert_complete(target) == manifest  # the earlier set, untouched
    assert (target / ".出错的笔记本" / "02_附表.ipynb").is_file()
    assert leftovers_beside(target.resolve()) == []


# --- the commands: subprocesses, killed, side by side ---------------------------------------


def workbench_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "workbench", *args]


def command_env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), **extra}


def run(*args: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        workbench_command(*args),
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=command_env(**extra),
        timeout=600,
        check=False,
    )


def assert_workbook_opens(folder: Path) -> None:
    workbook = openpyxl.load_workbook(folder / f"{STEM}.xlsx", read_only=True)
    assert workbook.sheetnames[:2] == ["摘要", "计划汇总"]
    workbook.close()


def start_plan(folder: Path) -> subprocess.Popen:
    return subprocess.Popen(
        workbench_command("plan", "--out", str(folder), "--no-pdf"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=command_env(),
    )


def wait_for_writing(folder: Path, process: subprocess.Popen) -> float:
    """Seconds until ``process`` starts writing its set (its staging folder appears)."""
    start = time.monotonic()
    staging = folder.parent / f".输出.部分-{process.pid}"
    while process.poll() is None and not staging.exists():
        time.sleep(0.005)
    return time.monotonic() - start


@pytest.fixture(scope="module")
def plan_folder(tmp_path_factory) -> tuple[Path, float, float]:
    """A folder holding a complete plan set; how long its run took before it began writing the
    documents, and how long the writing took."""
    folder = tmp_path_factory.mktemp("kill") / "输出"
    process = start_plan(folder)
    computing = wait_for_writing(folder, process)
    start = time.monotonic()
    assert process.wait(timeout=600) == 0
    return folder, computing, time.monotonic() - start


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_a_plan_killed_at_any_moment_leaves_the_old_set_or_the_new_one(plan_folder, seed):
    # The kill moment is uniform (hypothesis' own floats favour 0 and tiny values) over one of
    # the run's two parts, measured first: a third of the runs die while computing, the others
    # while writing the documents or moving them in, where a mixture could arise.
    folder, computing, writing = plan_folder
    draw = random.Random(seed)
    process = start_plan(folder)
    if draw.random() < 1 / 3:
        time.sleep(draw.uniform(0.0, computing))
    else:
        wait_for_writing(folder, process)
        time.sleep(draw.uniform(0.0, 1.2 * writing))
    process.send_signal(signal.SIGKILL)
    process.wait()
    if read_manifest(folder) is None:
        # Killed among the final renames: its complete set waits beside the folder, and the
        # next run into the folder moves it in first.
        assert list(folder.parent.glob(".输出.提交-*")), sorted(p.name for p in folder.iterdir())
        recover(folder)
    manifest = assert_complete(folder)
    assert {f["path"] for f in manifest["files"]} == {
        "年度计划草案_2027.csv",
        f"{STEM}.xlsx",
        f"{STEM}.html",
        "请示_2027年度政务信息化项目计划（草案）.docx",
    }
    assert_workbook_opens(folder)


def test_two_runs_into_one_folder_take_turns(tmp_path):
    folder = tmp_path / "输出"
    args = workbench_command("plan", "--out", str(folder), "--no-pdf")
    runs = [
        subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=command_env())
        for _ in range(2)
    ]
    errors = [r.communicate(timeout=600)[1] for r in runs]
    assert [r.returncode for r in runs] == [0, 0], errors
    assert_complete(folder)
    assert_workbook_opens(folder)
    assert_complete(folder / PREVIOUS)  # the first run's set, moved aside whole


def test_a_run_that_cannot_get_the_folder_exits_2_and_writes_nothing(plan_folder):
    folder = plan_folder[0]
    before = assert_complete(folder)
    with FileLock(str(folder / LOCK_NAME)):
        done = run("plan", "--out", str(folder), "--no-pdf", WORKBENCH_LOCK_TIMEOUT="0.5")
    assert done.returncode == 2, done.stderr
    assert "正由另一次运行写入" in done.stderr and "WORKBENCH_LOCK_TIMEOUT" in done.stderr
    assert assert_complete(folder) == before


def test_compare_out_writes_its_manifest(tmp_path):
    folder = tmp_path / "对比"
    done = run("compare", "--scenario", "base", "cut20", "--out", str(folder))
    assert done.returncode == 0, done.stderr
    manifest = assert_complete(folder)
    assert manifest["kind"] == "compare"
    assert [f["path"] for f in manifest["files"]] == ["情景对比_2027.xlsx"]
    assert set(manifest["status"]) == {"基准", "压减20%"}
    assert [s["name"] for s in manifest["scenario"]] == ["基准", "压减20%"]
    tables = {i["table"] for i in manifest["inputs"]}
    assert {"candidates", "systems", "usage", "policy_pack", "scenario"} <= tables
    assert all(len(i["sha256"]) == 64 for i in manifest["inputs"])
