"""The systems registry (已建系统) and monthly usage (月度使用情况), read with the same care as
the submissions: same readers, same rejection report, every row accounted for."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from workbench.intake.columns import load_contract
from workbench.intake.validate import REJECTION_COLUMNS, IntakeResult, read_table
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
    accepted = usage.accepted
    unknown = ~accepted["system_id"].isin(known)
    if not unknown.any():
        return
    label = load_contract("usage").label("system_id")
    moved = pd.DataFrame(
        {
            "file": accepted.loc[unknown, "source_file"],
            "sheet": accepted.loc[unknown, "source_sheet"],
            "row": accepted.loc[unknown, "source_row"].astype("Int64"),
            "column": label,
            "reason": [
                ROW_MESSAGES["unknown_system"].format(value=v)
                for v in accepted.loc[unknown, "system_id"]
            ],
        },
        columns=list(REJECTION_COLUMNS),
    )
    usage.rejections = (
        pd.concat([usage.rejections, moved], ignore_index=True)
        .sort_values(["file", "sheet", "row"], kind="stable")
        .reset_index(drop=True)
    )
    usage.accepted = accepted[~unknown].reset_index(drop=True)
