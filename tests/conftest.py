"""Tiny intakes built in code: one valid project by default, changed by keyword."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pytest

from workbench.intake import read_table
from workbench.intake.registry import read_systems, read_usage
from workbench.policy import check, load_pack

VALID_PROJECT: dict[str, object] = {
    "project_id": "P1",
    "name": "智慧教育资源公共服务平台建设项目",
    "unit": "市教育局",
    "level": "市本级",
    "district": "",
    "category": "建设类",
    "is_upgrade": "否",
    "original_investment": "",
    "total_investment": "500",
    "request_amount": "300",
    "construction_months": "12",
    "annual_om_cost": "50",
    "is_infrastructure": "否",
    "cross_department": "否",
    "mandated": "否",
    "simple_content": "否",
    "pre_review": "通过",
    "ex_ante_evaluation": "可行",
    "has_data_catalog": "是",
    "priority_areas": "政务服务",
    "domain": "教育",
    "new_systems": "0",
    "retired_systems": "0",
    "existing_om": "否",
    "depends_on": "",
}


def write_csv(path: Path, rows: Iterable[dict[str, object]], encoding: str = "utf-8") -> Path:
    rows = list(rows)
    keys: list[str] = []
    for row in rows:
        keys += [k for k in row if k not in keys]
    with path.open("w", newline="", encoding=encoding) as fh:
        writer = csv.DictWriter(fh, fieldnames=keys)
        writer.writeheader()
        writer.writerows(rows)
    return path


def project(**changes: object) -> dict[str, object]:
    return {
        **VALID_PROJECT,
        **{k: str(v) if not isinstance(v, str) else v for k, v in changes.items()},
    }


@pytest.fixture
def intake(tmp_path: Path):
    """``intake(*rows)`` → IntakeResult of those candidate rows, read through the real readers."""
    counter = iter(range(10**6))

    def build(*rows: dict[str, object]):
        path = write_csv(tmp_path / f"intake{next(counter)}.csv", rows)
        return read_table([path])

    return build


@pytest.fixture
def checked(tmp_path: Path):
    """``checked(rows, systems=[...], usage=[...], plan_year=2027)`` → CheckResult."""

    def build(
        rows, systems=None, usage=None, plan_year: int = 2027, reference_date: dt.date | None = None
    ):
        cand = read_table([write_csv(tmp_path / "c.csv", rows)])
        assert cand.rejections.empty, cand.rejections.to_dict("records")
        sys_frame = use_frame = None
        if systems is not None:
            sys_result = read_systems([write_csv(tmp_path / "s.csv", systems)])
            assert sys_result.rejections.empty, sys_result.rejections.to_dict("records")
            sys_frame = sys_result.accepted
            if usage is not None:
                use_result = read_usage([write_csv(tmp_path / "u.csv", usage)], sys_result)
                assert use_result.rejections.empty, use_result.rejections.to_dict("records")
                use_frame = use_result.accepted
        return check(
            cand.accepted,
            pack=load_pack(),
            plan_year=plan_year,
            reference_date=reference_date,
            systems=sys_frame,
            usage=use_frame,
        )

    return build


def rules_of(result, project_id: str = "P1") -> dict[str, list[str]]:
    """rule id → severities of the findings of one project."""
    out: dict[str, list[str]] = {}
    for f in result.findings_for(project_id).itertuples():
        out.setdefault(f.rule, []).append(f.severity)
    return out


def column(result, key: str, project_id: str = "P1"):
    frame: pd.DataFrame = result.candidates
    return frame.loc[frame.project_id == project_id, key].iloc[0]
