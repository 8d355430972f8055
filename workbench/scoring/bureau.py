"""The bureau's scores table (审定评分表): what the bureau, not the applying unit, decides.

A department's form may carry 优先级得分 or 专家评分N columns, but a unit does not score its own
project: those values are shown, never used (:mod:`workbench.scoring.scores`). What the bureau
decides comes from a file it passes itself (``--scores FILE``, or a scenario's ``scores:``), an
intake table like the others (contract ``workbench/intake/schema/scores.csv``: xlsx or csv,
Chinese or English headers, every row accepted or rejected with file, sheet, row, column and a
Chinese reason), one row per project:

- 项目编号 (``project_id``): a project among the candidates. A row naming any other id is
  rejected, not silently ignored.
- 专家评分 (``expert_score``, 0–100): the expert panel's score (第八条 评审论证), what the
  model's ``expert_scores`` criterion reads.
- 审定优先级得分 (``approved_priority_score``, 0–100): when given, the project's value is this
  number, the bureau's decision; the model's value is kept beside it for the record.
- 说明 (``note``): the reason, shown with the project's explanation.

A row with neither score is rejected too: it gives the plan nothing, and the bureau should know
that its line was not used.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from workbench.intake import IntakeResult, read_table
from workbench.intake.columns import load_contract
from workbench.labels import CLI_LABELS, SCORING_LABELS
from workbench.provenance import file_sha256

SCORES_TABLE = "scores"
EXPERT_SCORE = "expert_score"
APPROVED_SCORE = "approved_priority_score"
NOTE = "note"
# What a BureauScores table keeps per project, beside where it came from.
FIELDS = (EXPERT_SCORE, APPROVED_SCORE, NOTE, "source_file", "source_sheet", "source_row")


@dataclass(frozen=True, eq=False)
class BureauScores:
    """The accepted rows of the bureau's scores table, indexed by ``project_id``, and the files
    they came from (by file name, SHA-256 and size: provenance never carries a folder).
    ``rejected`` counts the rows of the table that were not used."""

    table: pd.DataFrame
    files: tuple[dict[str, object], ...] = ()
    rejected: int = 0

    @classmethod
    def from_intake(cls, result: IntakeResult) -> BureauScores:
        files = tuple(
            {"file": Path(s.path).name, "sha256": s.sha256, "bytes": s.size} for s in result.sources
        )
        return cls(_indexed(result.accepted), files, result.rejected_row_count)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> BureauScores:
        """A table built in code (``project_id`` plus any of the contract's columns); its files
        are hashed when its ``source_file`` column names files that exist."""
        names = frame["source_file"].dropna().unique() if "source_file" in frame else []
        files = tuple(
            {"file": Path(str(n)).name, "sha256": file_sha256(n), "bytes": Path(n).stat().st_size}
            for n in names
            if Path(str(n)).is_file()
        )
        return cls(_indexed(frame), files)

    @property
    def expert_scores(self) -> pd.Series:
        return pd.to_numeric(self.table[EXPERT_SCORE], errors="coerce").astype(float)

    @property
    def approved(self) -> pd.Series:
        return pd.to_numeric(self.table[APPROVED_SCORE], errors="coerce").astype(float)

    @property
    def file_names(self) -> str:
        return "、".join(str(f["file"]) for f in self.files) or SCORING_LABELS["bureau_table"]

    def where(self, project_id: str) -> str:
        """``审定评分表.xlsx 第5行`` for the row that scored ``project_id``."""
        row = self.table.loc[project_id]
        parts = [Path(str(row["source_file"])).name] if pd.notna(row["source_file"]) else []
        if pd.notna(row["source_sheet"]) and row["source_sheet"]:
            parts.append(str(row["source_sheet"]))
        if pd.notna(row["source_row"]):
            parts.append(CLI_LABELS["row_at"].format(row=int(row["source_row"])))
        return " ".join(parts) or SCORING_LABELS["bureau_table"]


def _indexed(frame: pd.DataFrame) -> pd.DataFrame:
    table = frame.copy()
    for key in FIELDS:
        if key not in table:
            table[key] = None
    table["project_id"] = table["project_id"].astype(str)
    duplicated = table["project_id"].duplicated()
    if duplicated.any():
        first = table.loc[duplicated, "project_id"].iloc[0]
        raise ValueError(SCORING_LABELS["duplicate_project"].format(value=first))
    return table.set_index("project_id")[list(FIELDS)]


def read_scores(
    inputs: Iterable[str | Path], candidates: pd.DataFrame | Iterable[str] | None = None
) -> IntakeResult:
    """Read the bureau's scores table (the intake machinery: xlsx / csv, Chinese or English
    headers). With ``candidates`` (a table with ``project_id``, or the ids), rows naming a
    project that is not among them are moved to the rejections, as are rows with neither score.
    Missing files raise :class:`~workbench.intake.IntakeFileError`, as for submissions."""
    result = read_table(inputs, SCORES_TABLE)
    contract = load_contract(SCORES_TABLE)
    accepted = result.accepted
    empty = accepted[EXPERT_SCORE].isna() & accepted[APPROVED_SCORE].isna()
    _reject(
        result,
        empty,
        contract.label(APPROVED_SCORE),
        lambda _: SCORING_LABELS["bureau_row_empty"].format(
            expert=contract.label(EXPERT_SCORE), approved=contract.label(APPROVED_SCORE)
        ),
    )
    if candidates is not None:
        known = set(
            candidates["project_id"].astype(str)
            if isinstance(candidates, pd.DataFrame)
            else map(str, candidates)
        )
        unknown = ~result.accepted["project_id"].astype(str).isin(known)
        _reject(
            result,
            unknown,
            contract.label("project_id"),
            lambda pid: SCORING_LABELS["bureau_unknown_project"].format(value=pid),
        )
    return result


def _reject(result: IntakeResult, rows: pd.Series, column: str, reason) -> None:
    """Move the accepted ``rows`` to the rejections, each with ``reason(project_id)``."""
    ids = result.accepted.loc[rows, "project_id"] if rows.any() else []
    result.reject(rows, column, [reason(pid) for pid in ids])


def as_bureau_scores(
    value: BureauScores | IntakeResult | pd.DataFrame | None,
) -> BureauScores | None:
    if value is None or isinstance(value, BureauScores):
        return value
    if isinstance(value, IntakeResult):
        return BureauScores.from_intake(value)
    return BureauScores.from_frame(value)


def record_provenance(provenance: dict[str, object], bureau: BureauScores | None) -> None:
    """Name the bureau's scores files in a plan's provenance: in ``inputs`` (table ``scores``,
    file name, SHA-256, bytes; an entry an intake listing already made for the same table is
    replaced, so no folder is kept) and, with the projects whose value the bureau set, under
    ``scoring.bureau_scores``."""
    if bureau is None:
        return
    inputs = [
        i
        for i in provenance.get("inputs") or []  # type: ignore[union-attr]
        if not (isinstance(i, dict) and i.get("table") == SCORES_TABLE)
    ]
    provenance["inputs"] = [*inputs, *({"table": SCORES_TABLE, **f} for f in bureau.files)]
    scoring = provenance.setdefault("scoring", {})
    assert isinstance(scoring, dict)
    approved = bureau.approved.dropna()
    scoring["bureau_scores"] = {
        "files": [dict(f) for f in bureau.files],
        "approved": {pid: float(v) for pid, v in approved.items()},
        "expert_scores": int(bureau.expert_scores.notna().sum()),
        "rejected_rows": bureau.rejected,
    }
