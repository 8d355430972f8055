"""Scoring the candidates: each project's priority value on 0–100, explained per criterion.

第九条 has the annual plan drafted "按轻重缓急"; the planner maximises the sum of these values
under the ceilings. A project's value is Σ weight × criterion value, so its contributions add up
to it and an auditor (第三十九条、第四十一条) can be shown what each criterion gave.

Missing data. A criterion may be absent for a project (``missing: redistribute``, e.g. no expert
scored it): its weight is then shared among that project's other criteria in proportion to their
weights, so the value is the weighted mean of what is known. ``Scores.effective_weights`` holds
the weights each project was actually scored with.

``priority_score`` (优先级得分, DESIGN §7 and the intake contract: "填写后作为项目价值，不再计算
评分"). The contract reads per project, so: a project with a ``priority_score`` takes it as its
value and is not scored; projects without one are scored by the model. When every project has one,
no criterion is evaluated at all and ``source`` is ``"priority_score"``; when only some have it,
``source`` is the model's (``"model"`` or ``"ahp"``), ``given`` marks the others and a note warns
that a given value and a computed score may not be on the same footing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.intake.columns import load_contract
from workbench.labels import PLAN_COLUMNS, SCORING_LABELS
from workbench.scoring.ahp import Consistency
from workbench.scoring.criteria import Inputs
from workbench.scoring.model import ScoringModel, Source, load_scoring, model_weights

PRIORITY_SCORE = "priority_score"
# Values, criterion values and contributions are shown to two decimals (a 0–100 score); the
# contributions are rounded so that they still add up exactly to the rounded value.
DECIMALS = 2


@dataclass(frozen=True, eq=False)
class Scores:
    """The priority value of every candidate and how it was made.

    ``value``: project_id → 0–100. ``criteria``: project_id × criterion key, each on 0–100 (NaN
    where absent or where the value was given). ``contributions``: effective weight × criterion
    value, rows summing to ``value`` (a ``priority_score`` column carries given values).
    ``weights``: the model's weights, summing to 1. ``source``: ``model`` | ``ahp`` |
    ``priority_score``. ``consistency``: the AHP matrix's CR etc., or None.
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

    def __repr__(self) -> str:
        return (
            f"Scores(source={self.source!r}, model={self.model.id!r}, projects={len(self.value)}, "
            f"given={int(self.given.sum())}, notes={len(self.notes)})"
        )

    def explain(self, project_id: str, *, chinese: bool = False) -> pd.DataFrame:
        """One row per criterion: key, Chinese name, article, raw value (what the criterion
        looked at, in Chinese), normalised value, weight used for this project, contribution.
        ``chinese=True`` gives the columns Chinese headers for a report."""
        if project_id not in self.value.index:
            raise KeyError(project_id)
        if self.given.at[project_id]:
            header = load_contract("candidates").label(PRIORITY_SCORE)
            given = float(self.value.at[project_id])
            rows = [
                {
                    "criterion": PRIORITY_SCORE,
                    "name": header,
                    "article": "",
                    "raw": SCORING_LABELS["given"].format(header=header),
                    "value": given,
                    "weight": 1.0,
                    "contribution": given,
                }
            ]
        else:
            rows = [
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
        frame = pd.DataFrame(rows)
        return frame.rename(columns=SCORING_LABELS) if chinese else frame

    def to_frame(self, *, chinese: bool = False) -> pd.DataFrame:
        """project_id → value, its source, rank (1 = highest), then each criterion's value and
        ``<key>_contribution``."""
        source = pd.Series(self.source, index=self.value.index).where(~self.given, PRIORITY_SCORE)
        frame = pd.DataFrame(
            {
                "score": self.value,
                "source": source,
                "rank": self.value.rank(method="min", ascending=False).astype("Int64"),
            }
        )
        keys = [k for k in self.criteria.columns if k != PRIORITY_SCORE]
        frame = frame.join(self.criteria[keys]).join(
            self.contributions[keys].add_suffix("_contribution")
        )
        if chinese:
            names = {c.key: c.name for c in self.model.criteria}
            contribution = SCORING_LABELS["contribution"]
            frame["source"] = frame["source"].map(lambda s: SCORING_LABELS[f"source_{s}"])
            frame = frame.rename(
                columns={
                    **{k: SCORING_LABELS[k] for k in ("score", "source", "rank")},
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
) -> Scores:
    """Score ``candidates`` (``CheckResult.candidates``) with ``model`` (default: the
    ``default`` model). ``systems`` is the registry of built systems, read by 第三十六条's
    past-performance criterion; without it that criterion takes its ``missing`` treatment."""
    model = model if model is not None else load_scoring()
    table = _by_project(candidates)
    inputs = Inputs(table=table, systems=systems)
    given_values = _given(table)
    given = given_values.notna()
    header = load_contract("candidates").label(PRIORITY_SCORE)

    if len(table) and given.all():
        value = given_values.round(DECIMALS)
        frame = value.to_frame(PRIORITY_SCORE)
        return Scores(
            value=value.rename("score"),
            criteria=frame,
            contributions=frame.copy(),
            weights={PRIORITY_SCORE: 1.0},
            source="priority_score",
            consistency=None,
            model=model,
            effective_weights=pd.DataFrame(1.0, index=table.index, columns=[PRIORITY_SCORE]),
            given=given,
            notes=(SCORING_LABELS["given_all"].format(count=len(table), header=header),),
            inputs=inputs,
        )

    weights, source, consistency = model_weights(model)
    values = pd.DataFrame(
        {c.key: c.evaluate(inputs) for c in model.criteria}, index=table.index, dtype=float
    )
    values.loc[given, :] = np.nan
    present = values.notna().astype(float)
    effective = present.mul(pd.Series(weights), axis=1)
    effective = effective.div(effective.sum(axis=1).where(lambda s: s > 0), axis=0).fillna(0.0)
    contributions = _round_parts(effective * values.fillna(0.0))

    notes = [n for c in model.criteria if (n := c.run_note(inputs))]
    if consistency is not None and consistency.warning:
        notes.insert(0, consistency.warning)
    criteria = values.round(DECIMALS)
    if given.any():
        criteria[PRIORITY_SCORE] = given_values.round(DECIMALS)
        contributions[PRIORITY_SCORE] = given_values.round(DECIMALS).fillna(0.0)
        effective[PRIORITY_SCORE] = given.astype(float)
        notes.insert(
            0,
            SCORING_LABELS["given_some"].format(
                count=int(given.sum()),
                header=header,
                rest=int((~given).sum()),
                model=model.title,
            ),
        )
    value = contributions.sum(axis=1).round(DECIMALS).rename("score")
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
    )


def _by_project(candidates: pd.DataFrame) -> pd.DataFrame:
    duplicated = candidates["project_id"].duplicated()
    if duplicated.any():
        first = candidates.loc[duplicated, "project_id"].iloc[0]
        raise ValueError(SCORING_LABELS["duplicate_project"].format(value=first))
    return candidates.set_index("project_id")


def _given(table: pd.DataFrame) -> pd.Series:
    """The ``priority_score`` of each project as float, NaN where not given."""
    if PRIORITY_SCORE not in table.columns:
        return pd.Series(np.nan, index=table.index, dtype=float)
    return pd.to_numeric(table[PRIORITY_SCORE], errors="coerce").astype(float)


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
