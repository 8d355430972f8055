"""The pandera schema of an intake table, derived from the contract: per-column bounds and the
cross-column rules of the form (request ≤ total, district required unless 市本级, …). Failures
become problems with the Chinese header of the column to blame and a Chinese reason."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from workbench.intake.columns import Column, Contract
from workbench.labels import (
    CELL_MESSAGES,
    LEVEL_CITY,
    ROW_MESSAGES,
    SYSTEM_DISCONTINUED,
    SYSTEM_RUNNING,
)
from workbench.money import format_wan


@dataclass
class Problem:
    """One thing wrong with one row: position in the sheet's data rows, column header, reason."""

    row_index: int
    column: str
    reason: str


@dataclass(frozen=True)
class _RowRule:
    """A cross-column rule of one table: which rows fail, which column to blame, and why."""

    name: str
    column: str
    fails: Callable[[pd.DataFrame], pd.Series]
    message: Callable[[pd.Series], str]


def _present(frame: pd.DataFrame, key: str) -> pd.Series:
    return frame[key].notna()


def _candidate_rules() -> list[_RowRule]:
    return [
        _RowRule(
            "request_over_total",
            "request_amount",
            lambda f: (
                _present(f, "request_amount")
                & _present(f, "total_investment")
                & (
                    f["request_amount"].where(_present(f, "request_amount"), 0)
                    > f["total_investment"].where(_present(f, "total_investment"), 0)
                )
            ),
            lambda r: ROW_MESSAGES["request_over_total"].format(
                request=format_wan(r["request_amount"]), total=format_wan(r["total_investment"])
            ),
        ),
        _RowRule(
            "district_required",
            "district",
            lambda f: _present(f, "level") & (f["level"] != LEVEL_CITY) & ~_present(f, "district"),
            lambda r: ROW_MESSAGES["district_required"].format(level=r["level"]),
        ),
        _RowRule(
            "district_for_city",
            "district",
            lambda f: (f["level"] == LEVEL_CITY) & _present(f, "district"),
            lambda r: ROW_MESSAGES["district_for_city"].format(district=r["district"]),
        ),
        _RowRule(
            "original_required",
            "original_investment",
            lambda f: (
                f["is_upgrade"].fillna(False).astype(bool) & ~_present(f, "original_investment")
            ),
            lambda r: ROW_MESSAGES["original_required"],
        ),
        _RowRule(
            "self_dependency",
            "depends_on",
            lambda f: pd.Series(
                [
                    bool(deps) and pid in deps
                    for pid, deps in zip(f["project_id"], f["depends_on"], strict=True)
                ],
                index=f.index,
            ),
            lambda r: ROW_MESSAGES["self_dependency"],
        ),
    ]


def _system_rules() -> list[_RowRule]:
    return [
        _RowRule(
            "discontinued_required",
            "discontinued_date",
            lambda f: (f["status"] == SYSTEM_DISCONTINUED) & ~_present(f, "discontinued_date"),
            lambda r: ROW_MESSAGES["discontinued_required"],
        ),
        _RowRule(
            "acceptance_required",
            "final_acceptance_date",
            lambda f: (
                f["status"].isin([SYSTEM_RUNNING, SYSTEM_DISCONTINUED])
                & ~_present(f, "final_acceptance_date")
            ),
            lambda r: ROW_MESSAGES["acceptance_required"].format(status=r["status"]),
        ),
    ]


def _usage_rules() -> list[_RowRule]:
    components = ["logins", "business_volume", "satisfaction"]
    return [
        _RowRule(
            "usage_incomplete",
            "usage_rate",
            lambda f: ~_present(f, "usage_rate") & ~f[components].notna().all(axis=1),
            lambda r: ROW_MESSAGES["usage_incomplete"],
        )
    ]


ROW_RULES: dict[str, Callable[[], list[_RowRule]]] = {
    "candidates": _candidate_rules,
    "systems": _system_rules,
    "usage": _usage_rules,
    "commitments": list,
    "scores": list,
}


def _bound_checks(column: Column) -> list[pa.Check]:
    checks = []
    if column.min is not None:
        lo = column.min
        if column.min_exclusive:
            checks.append(
                pa.Check(
                    lambda v, lo=lo: v > lo, element_wise=True, name=f"gt:{lo}", ignore_na=True
                )
            )
        else:
            checks.append(
                pa.Check(
                    lambda v, lo=lo: v >= lo, element_wise=True, name=f"ge:{lo}", ignore_na=True
                )
            )
    if column.max is not None:
        hi = column.max
        checks.append(
            pa.Check(lambda v, hi=hi: v <= hi, element_wise=True, name=f"le:{hi}", ignore_na=True)
        )
    return checks


def build_schema(contract: Contract, columns: Iterable[Column] | None = None) -> pa.DataFrameSchema:
    """The pandera schema of a contract table: per-column bounds and the table's row rules."""
    cols = list(columns) if columns is not None else list(contract.columns)
    schema_columns = {
        c.key: pa.Column(checks=_bound_checks(c), nullable=True, required=False) for c in cols
    }
    frame_checks = [
        pa.Check(lambda f, rule=rule: ~rule.fails(f), name=f"row:{rule.name}")
        for rule in ROW_RULES[contract.table]()
    ]
    return pa.DataFrameSchema(schema_columns, checks=frame_checks)


def schema_problems(
    frame: pd.DataFrame, contract: Contract, columns: list[Column]
) -> list[Problem]:
    if frame.empty:
        return []
    try:
        build_schema(contract, columns).validate(frame, lazy=True)
    except SchemaErrors as err:
        return _explain_failures(err.failure_cases, frame, contract)
    return []


def _explain_failures(
    failures: pd.DataFrame, frame: pd.DataFrame, contract: Contract
) -> list[Problem]:
    rules = {f"row:{r.name}": r for r in ROW_RULES[contract.table]()}
    problems: list[Problem] = []
    seen: set[tuple[int, str]] = set()
    for failure in failures.itertuples(index=False):
        index = failure.index
        if index is None or pd.isna(index):
            continue
        index = int(index)
        check = str(failure.check)
        if check in rules:
            rule = rules[check]
            if (index, check) in seen:
                continue
            seen.add((index, check))
            problems.append(
                Problem(index, contract.label(rule.column), rule.message(frame.loc[index]))
            )
            continue
        kind, _, bound = check.partition(":")
        message = {"ge": "below_min", "gt": "not_above_min", "le": "above_max"}[kind]
        problems.append(
            Problem(
                index,
                contract.label(str(failure.column)),
                CELL_MESSAGES[message].format(value=failure.failure_case, bound=bound),
            )
        )
    return problems
