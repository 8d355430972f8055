"""Scoring the candidates: each project's priority value on 0–100, explained per criterion.

第九条 has the annual plan drafted "按轻重缓急"; the planner maximises the sum of these values
under the ceilings. A project's value is Σ weight × criterion value, so its contributions add up
to it and an auditor (第三十九条、第四十一条) can be shown what each criterion gave.

Missing data. A criterion may be absent for a project (``missing: redistribute``, e.g. no expert
scored it): its weight is then shared among that project's other criteria in proportion to their
weights, so the value is the weighted mean of what is known. ``Scores.effective_weights`` holds
the weights each project was actually scored with.

Whose score. The bureau scores; a unit does not score its own project. A department's form may
carry 优先级得分 (``priority_score``): it is the unit's self-assessment, kept in
``Scores.self_assessed`` and shown beside the value, never used as the value, and the model
scores every project. Expert scores (第八条) come from the bureau's scores table, not from the
form (:mod:`workbench.scoring.bureau`). Where that table gives a project a 审定优先级得分, that is
the project's value, the bureau's decision: ``given`` marks it, the per-project source is
``bureau``, its contributions carry it in an ``approved_priority_score`` column, and the model's
own value stays in ``computed`` for the record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.intake import IntakeResult
from workbench.intake.columns import EXPERT_SCORE_KEY, load_contract
from workbench.labels import PLAN_COLUMNS, SCORING_LABELS
from workbench.scoring.ahp import Consistency
from workbench.scoring.bureau import (
    APPROVED_SCORE,
    NOTE,
    SCORES_TABLE,
    BureauScores,
    as_bureau_scores,
)
from workbench.scoring.criteria import Inputs
from workbench.scoring.model import ScoringModel, Source, load_scoring, model_weights

# The department's own 优先级得分 (candidates contract): shown, never the value.
PRIORITY_SCORE = "priority_score"
SELF_ASSESSED = "self_assessed"
# The bureau's 审定优先级得分: the column that carries it in criteria and contributions.
OVERRIDE = APPROVED_SCORE
BUREAU_SOURCE = "bureau"
# 第九条: the bureau drafts the plan 按轻重缓急; a value it sets rests on that article.
OVERRIDE_ARTICLE = "第九条"
# Values, criterion values and contributions are shown to two decimals (a 0–100 score); the
# contributions are rounded so that they still add up exactly to the rounded value.
DECIMALS = 2
_SUBMITTED_EXPERT = re.compile("^" + EXPERT_SCORE_KEY.format(n=r"\d+") + "$")


@dataclass(frozen=True, eq=False)
class Scores:
    """The priority value of every candidate and how it was made.

    ``value``: project_id → 0–100. ``criteria``: project_id × criterion key, each on 0–100 (NaN
    where absent), computed for every project. ``contributions``: effective weight × criterion
    value, rows summing to ``value`` (an ``approved_priority_score`` column carries the values
    the bureau set). ``weights``: the model's weights, summing to 1. ``source``: where the
    weights came from, ``model`` | ``ahp``. ``consistency``: the AHP matrix's CR etc., or None.
    ``given``: True where the bureau's 审定优先级得分 is the value. ``computed``: the model's
    value of every project (equal to ``value`` where not given). ``self_assessed``: the unit's
    own 优先级得分 (NaN where blank), for display only. ``bureau``: the bureau's scores table.
    """

    value: pd.Series
    criteria: pd.DataFrame
    contributions: pd.DataFrame
    weights: dict[str, float]
    source: Source
    consistency: Consistency | None
    model: ScoringModel
    effective_weights: pd.DataFrame
    given: pd.Series
    notes: tuple[str, ...]
    inputs: Inputs
    computed: pd.Series
    self_assessed: pd.Series
    bureau: BureauScores | None

    def __repr__(self) -> str:
        return (
            f"Scores(source={self.source!r}, model={self.model.id!r}, projects={len(self.value)}, "
            f"given={int(self.given.sum())}, notes={len(self.notes)})"
        )

    def explain(self, project_id: str, *, chinese: bool = False) -> pd.DataFrame:
        """One row per criterion: key, Chinese name, article, raw value (what the criterion
        looked at, in Chinese), normalised value, weight used for this project, contribution.
        A value the bureau set comes first (weight 1, the criteria then weigh 0); the unit's
        self-assessment, when its form gave one, comes last (weight 0). ``chinese=True`` gives
        the columns Chinese headers for a report."""
        if project_id not in self.value.index:
            raise KeyError(project_id)
        rows = []
        if self.given.at[project_id]:
            rows.append(self._override_row(project_id))
        rows += [
            {
                "criterion": c.key,
                "name": c.name,
                "article": c.article,
                "raw": c.describe(self.inputs, project_id),
                "value": self.criteria.at[project_id, c.key],
                "weight": float(self.effective_weights.at[project_id, c.key]),
                "contribution": float(self.contributions.at[project_id, c.key]),
            }
            for c in self.model.criteria
        ]
        own = self.self_assessed.at[project_id]
        if not np.isnan(own):
            rows.append(
                {
                    "criterion": SELF_ASSESSED,
                    "name": SCORING_LABELS["self_assessed"],
                    "article": "",
                    "raw": SCORING_LABELS["self_assessed_raw"].format(
                        header=load_contract("candidates").label(PRIORITY_SCORE), value=own
                    ),
                    "value": np.nan,
                    "weight": 0.0,
                    "contribution": 0.0,
                }
            )
        frame = pd.DataFrame(rows)
        return frame.rename(columns=SCORING_LABELS) if chinese else frame

    def _override_row(self, project_id: str) -> dict[str, object]:
        assert self.bureau is not None
        approved = float(self.value.at[project_id])
        note = self.bureau.table.at[project_id, NOTE]
        raw = SCORING_LABELS["approved_raw"].format(
            where=self.bureau.where(project_id),
            header=load_contract(SCORES_TABLE).label(OVERRIDE),
            value=approved,
            computed=float(self.computed.at[project_id]),
        )
        if isinstance(note, str) and note:
            raw += SCORING_LABELS["approved_note"].format(note=note)
        return {
            "criterion": OVERRIDE,
            "name": load_contract(SCORES_TABLE).label(OVERRIDE),
            "article": OVERRIDE_ARTICLE,
            "raw": raw,
            "value": approved,
            "weight": 1.0,
            "contribution": approved,
        }

    def to_frame(self, *, chinese: bool = False) -> pd.DataFrame:
        """project_id → value, its source (``model`` / ``ahp``, or ``bureau`` where the bureau
        set it), rank (1 = highest), the model's value beside a value the bureau set, the unit's
        self-assessment where a form gave one, then each criterion's value and
        ``<key>_contribution``."""
        source = pd.Series(self.source, index=self.value.index).where(~self.given, BUREAU_SOURCE)
        frame = pd.DataFrame(
            {
                "score": self.value,
                "source": source,
                "rank": self.value.rank(method="min", ascending=False).astype("Int64"),
            }
        )
        if self.given.any():
            frame["computed"] = self.computed
        if self.self_assessed.notna().any():
            frame[SELF_ASSESSED] = self.self_assessed
        keys = [k for k in self.criteria.columns if k != OVERRIDE]
        frame = frame.join(self.criteria[keys]).join(
            self.contributions[keys].add_suffix("_contribution")
        )
        if chinese:
            names = {c.key: c.name for c in self.model.criteria}
            contribution = SCORING_LABELS["contribution"]
            frame["source"] = frame["source"].map(lambda s: SCORING_LABELS[f"source_{s}"])
            frame = frame.rename(
                columns={
                    **{k: SCORING_LABELS[k] for k in ("score", "source", "rank", "computed")},
                    SELF_ASSESSED: SCORING_LABELS["self_assessed_column"],
                    **names,
                    **{f"{k}_contribution": f"{n}{contribution}" for k, n in names.items()},
                }
            )
            frame.index.name = PLAN_COLUMNS["project_id"]
        return frame


def score(
    candidates: pd.DataFrame,
    model: ScoringModel | None = None,
    *,
    systems: pd.DataFrame | None = None,
    bureau_scores: BureauScores | IntakeResult | pd.DataFrame | None = None,
) -> Scores:
    """Score ``candidates`` (``CheckResult.candidates``) with ``model`` (default: the
    ``default`` model). ``systems`` is the registry of built systems, read by 第三十六条's
    past-performance criterion; without it that criterion takes its ``missing`` treatment.
    ``bureau_scores`` is the bureau's scores table (:func:`~workbench.scoring.read_scores`'s
    result, or its accepted rows): the expert scores, and the values the bureau set. A unit's
    own 优先级得分 never sets the value."""
    model = model if model is not None else load_scoring()
    table = _by_project(candidates)
    bureau = as_bureau_scores(bureau_scores)
    inputs = Inputs(table=table, systems=systems, bureau=bureau)

    weights, source, consistency = model_weights(model)
    values = pd.DataFrame(
        {c.key: c.evaluate(inputs) for c in model.criteria}, index=table.index, dtype=float
    )
    present = values.notna().astype(float)
    effective = present.mul(pd.Series(weights), axis=1)
    effective = effective.div(effective.sum(axis=1).where(lambda s: s > 0), axis=0).fillna(0.0)
    contributions = _round_parts(effective * values.fillna(0.0))
    computed = contributions.sum(axis=1).round(DECIMALS).rename("computed")
    criteria = values.round(DECIMALS)

    approved = _approved(bureau, table.index)
    given = approved.notna()
    if given.any():
        effective.loc[given, :] = 0.0
        contributions.loc[given, :] = 0.0
        effective[OVERRIDE] = given.astype(float)
        contributions[OVERRIDE] = approved.round(DECIMALS).where(given, 0.0)
        criteria[OVERRIDE] = approved.round(DECIMALS)
    value = contributions.sum(axis=1).round(DECIMALS).rename("score")

    self_assessed = _self_assessed(table)
    notes = [n for c in model.criteria if (n := c.run_note(inputs))]
    if consistency is not None and consistency.warning:
        notes.insert(0, consistency.warning)
    notes += _whose_notes(table, bureau, given, self_assessed)
    return Scores(
        value=value,
        criteria=criteria,
        contributions=contributions,
        weights=weights,
        source=source,
        consistency=consistency,
        model=model,
        effective_weights=effective,
        given=given,
        notes=tuple(notes),
        inputs=inputs,
        computed=computed,
        self_assessed=self_assessed,
        bureau=bureau,
    )


def _approved(bureau: BureauScores | None, index: pd.Index) -> pd.Series:
    """The bureau's 审定优先级得分 per candidate, NaN where it set none."""
    if bureau is None:
        return pd.Series(np.nan, index=index, dtype=float)
    return bureau.approved.reindex(index).astype(float)


def _self_assessed(table: pd.DataFrame) -> pd.Series:
    """The unit's own 优先级得分 as float, NaN where not given."""
    if PRIORITY_SCORE not in table.columns:
        return pd.Series(np.nan, index=table.index, dtype=float)
    return pd.to_numeric(table[PRIORITY_SCORE], errors="coerce").astype(float)


def _whose_notes(
    table: pd.DataFrame,
    bureau: BureauScores | None,
    given: pd.Series,
    self_assessed: pd.Series,
) -> list[str]:
    """What the run took from the bureau, and what it did not take from the forms."""
    notes = []
    if given.any():
        notes.append(
            SCORING_LABELS["approved_some"].format(
                count=int(given.sum()),
                files=bureau.file_names if bureau is not None else "",
                header=load_contract(SCORES_TABLE).label(OVERRIDE),
            )
        )
    if bureau is not None:
        unknown = bureau.table.index.difference(table.index)
        if len(unknown):
            notes.append(
                SCORING_LABELS["bureau_unknown_ids"].format(
                    count=len(unknown),
                    ids="、".join(f"{pid}（{bureau.where(pid)}）" for pid in unknown),
                )
            )
        if bureau.rejected:
            notes.append(
                SCORING_LABELS["bureau_rejected"].format(
                    files=bureau.file_names, count=bureau.rejected
                )
            )
    if self_assessed.notna().any():
        notes.append(
            SCORING_LABELS["self_assessed_note"].format(
                count=int(self_assessed.notna().sum()),
                header=load_contract("candidates").label(PRIORITY_SCORE),
            )
        )
    submitted = [c for c in table.columns if _SUBMITTED_EXPERT.match(str(c))]
    if submitted:
        filled = table[submitted].notna().any(axis=1)
        if filled.any():
            notes.append(SCORING_LABELS["submitted_experts"].format(count=int(filled.sum())))
    return notes


def _by_project(candidates: pd.DataFrame) -> pd.DataFrame:
    duplicated = candidates["project_id"].duplicated()
    if duplicated.any():
        first = candidates.loc[duplicated, "project_id"].iloc[0]
        raise ValueError(SCORING_LABELS["duplicate_project"].format(value=first))
    return candidates.set_index("project_id")


def _round_parts(parts: pd.DataFrame) -> pd.DataFrame:
    """Round each row's parts to ``DECIMALS`` so that they sum exactly to the rounded row total
    (largest-remainder rounding), keeping every value within 0–100."""
    scale = 10**DECIMALS
    scaled = parts.to_numpy(dtype=float) * scale
    floors = np.floor(scaled + 1e-9)
    short = (np.round(scaled.sum(axis=1)) - floors.sum(axis=1)).astype(int)
    order = np.argsort(-(scaled - floors), axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(scaled.shape[1])[None, :], axis=1)
    floors += ranks < short[:, None]
    return pd.DataFrame(floors / scale, index=parts.index, columns=parts.columns)
