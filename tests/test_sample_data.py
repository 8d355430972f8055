"""The embedded sample (workbench/data/sample) is reproducible and as large as promised.

Reads the CSV files with pandas directly, not through the workbench readers.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from workbench.intake.columns import load_contract

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "make_sample.py"
SAMPLE = ROOT / "workbench" / "data" / "sample"
SCHEMA = ROOT / "workbench" / "intake" / "schema"
FILES = ["candidates.csv", "systems.csv", "usage.csv", "README.md"]
# The nine banners and districts, as the intake contract allows them (所属旗区).
BANNERS = set(load_contract("candidates").column("district").allowed)


def _load_generator():
    spec = importlib.util.spec_from_file_location("make_sample", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(SAMPLE / name, dtype=str, keep_default_na=False, encoding="utf-8")


@pytest.fixture(scope="module")
def candidates() -> pd.DataFrame:
    return _read("candidates.csv")


def test_generator_reproduces_committed_files(tmp_path: Path, capsys) -> None:
    generator = _load_generator()
    assert generator.main(["--out", str(tmp_path)]) == 0
    capsys.readouterr()
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), name


def test_headers_follow_the_contracts() -> None:
    for name in ("candidates", "systems", "usage"):
        contract = pd.read_csv(SCHEMA / f"{name}.csv", dtype=str)
        assert list(_read(f"{name}.csv").columns) == list(contract["header_zh"]), name


def test_candidate_counts(candidates: pd.DataFrame) -> None:
    assert candidates["项目编号"].is_unique
    city = candidates[candidates["层级"] == "市本级"]
    local = candidates[candidates["层级"].isin(["旗区", "园区"])]
    assert len(city) >= 150
    assert city["申报单位"].nunique() >= 30
    assert "市政务服务中心（市大数据中心）" in set(city["申报单位"])
    assert len(local) >= 40
    assert set(local["所属旗区"]) == BANNERS
    assert city["项目编号"].str.fullmatch(r"SB2027-\d{4}").all()
    assert local["项目编号"].str.fullmatch(r"QQ2027-\d{4}").all()


def test_amounts(candidates: pd.DataFrame) -> None:
    total = pd.to_numeric(candidates["总投资(万元)"])
    request = pd.to_numeric(candidates["本年度申请资金(万元)"])
    assert total.between(5, 5000).all()
    assert (request <= total).all() and (request > 0).all()
    assert (candidates["优先级得分"] == "").all()


def test_systems_and_usage() -> None:
    systems, usage = _read("systems.csv"), _read("usage.csv")
    assert len(systems) >= 60 and systems["系统编号"].is_unique
    assert set(usage["系统编号"]) <= set(systems["系统编号"])
    assert usage["月份"].nunique() >= 18
    assert usage["月份"].str.fullmatch(r"\d{4}-\d{2}").all()
    building = systems[systems["运行状态"] == "在建"]
    assert (building["终验日期"] == "").all()


def test_readme_marks_the_data_synthetic() -> None:
    text = (SAMPLE / "README.md").read_text(encoding="utf-8")
    assert "合成数据，非真实申报" in text and "数据说明" in text


def test_readme_leaves_rule_outcomes_to_the_engine() -> None:
    # Which rules fire is decided by the policy pack and engine only, and tested in test_cli.
    text = (SAMPLE / "README.md").read_text(encoding="utf-8")
    assert "`workbench check`" in text
    assert "tests/test_cli.py::test_every_rule_is_triggered_by_the_sample" in text
    cli_tests = (ROOT / "tests" / "test_cli.py").read_text(encoding="utf-8")
    assert "def test_every_rule_is_triggered_by_the_sample(" in cli_tests
    assert "expected_triggers" not in text and "该单位被限制" not in text
