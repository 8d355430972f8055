"""The systems registry (已建系统) and monthly usage (月度使用情况), read with the same care as
the submissions: same readers, same rejection report, every row accounted for."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from workbench.intake.columns import load_contract
from workbench.intake.validate import IntakeResult, read_table
from workbench.labels import ROW_MESSAGES


def read_systems(inputs: Iterable[str | Path]) -> IntakeResult:
    return read_table(inputs, "systems")


def read_usage(inputs: Iterable[str | Path], systems: IntakeResult | None = None) -> IntakeResult:
    """Monthly usage; rows naming a system that is not in the accepted registry are rejected."""
    usage = read_table(inputs, "usage")
    if systems is not None:
        reject_unknown_systems(usage, set(systems.accepted["system_id"]))
    return usage


def reject_unknown_systems(usage: IntakeResult, known: set[str]) -> None:
    unknown = ~usage.accepted["system_id"].isin(known)
    usage.reject(
        unknown,
        load_contract("usage").label("system_id"),
        [
            ROW_MESSAGES["unknown_system"].format(value=v)
            for v in usage.accepted.loc[unknown, "system_id"]
        ],
    )
