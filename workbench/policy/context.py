"""What every rule is given besides the candidate table: the pack, the plan year, the reference
date, and the systems registry with its usage (from which low-usage systems are worked out once)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from workbench.intake.columns import load_contract
from workbench.policy.pack import PolicyPack
from workbench.policy.usage import LowUsage, low_usage_systems, usage_rates


def flag(frame: pd.DataFrame, key: str) -> pd.Series:
    """A yes/no column as plain booleans (a blank optional flag reads as no)."""
    return frame[key].fillna(False).astype(bool)


@dataclass
class RuleContext:
    pack: PolicyPack
    plan_year: int
    reference_date: dt.date
    systems: pd.DataFrame | None = None
    usage: pd.DataFrame | None = None
    # The register's overdue rectifications (第三十八条): unit, project_id, project_name,
    # notice_date, due_date, days_late (workbench.register.july); None without a register.
    rectifications: pd.DataFrame | None = None
    _low_usage: dict[str, LowUsage] | None = field(default=None, repr=False)

    def low_usage(self) -> dict[str, LowUsage]:
        """Systems judged "使用率不高" (第六条第（五）项), computed once per check."""
        if self._low_usage is None:
            if self.systems is None or self.systems.empty:
                self._low_usage = {}
            else:
                usage = self.usage
                if usage is None:
                    usage = pd.DataFrame(columns=list(load_contract("usage").keys))
                rates = usage_rates(usage, self.systems, self.pack)
                self._low_usage = low_usage_systems(self.systems, rates, self.pack)
        return self._low_usage
