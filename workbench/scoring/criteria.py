"""The kinds of scoring criterion a model may declare, each a small vectorised function.

A criterion turns the candidate table into one number per project on 0–100 (NaN when the
criterion is absent for that project, see ``missing``). The model YAML says *what* counts and how
many points; these classes say *how* it is computed, column-wise over the whole table (no Python
loop over rows). Each also explains its raw value for one project, for the auditor's question
"why did project X score so low" (第三十九条、第四十一条).

Kinds:

- ``points``: base + Σ term points, clipped to 0–100; a term is a 第六条 priority area
  (``area``), a 是/否 column (``flag``) or an integer column counted per unit (``count``).
- ``map``: one column's answer → a value (e.g. 第三十四条 事前绩效评价 可行 → 100).
- ``track_record``: the unit's past performance evaluations in the systems registry (第三十六条).
- ``expert_scores``: the expert panel's score for a project (第八条), from the bureau's scores
  table (:mod:`workbench.scoring.bureau`), never from the applying unit's own form.
"""

from __future__ import annotations

import re
from abc import abstractmethod
from dataclasses import dataclass, field
from functools import cached_property
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from workbench.intake.columns import load_contract
from workbench.labels import PACK_MESSAGES, SCORING_LABELS
from workbench.policy.context import flag
from workbench.policy.pack import ARTICLE_PATTERN
from workbench.scoring.bureau import BureauScores

REDISTRIBUTE = "redistribute"
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


class StrictModel(BaseModel):
    """Frozen, and unknown keys are errors (a misspelt key must not be silently ignored)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _parse_missing(value: Any) -> float | str:
    """``redistribute`` or a neutral score on 0–100."""
    if value == REDISTRIBUTE:
        return REDISTRIBUTE
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if not 0 <= number <= 100:
        raise ValueError(SCORING_LABELS["bad_missing"].format(value=value))
    return number


Score = Annotated[float, Field(ge=0, le=100)]
Points = Annotated[float, Field(ge=-100, le=100)]
Missing = Annotated[float | str, BeforeValidator(_parse_missing)]


def _allowed(values: list[str] | tuple[str, ...]) -> str:
    return "、".join(values)


def _columns_of_type(*types: str) -> list[str]:
    return [c.key for c in load_contract("candidates").columns if c.type in types]


def _answers(column: str) -> tuple[str, ...]:
    col = load_contract("candidates").column(column)
    return ("是", "否") if col.type == "bool" else col.allowed


def _missing_text(missing: float | str) -> str:
    if missing == REDISTRIBUTE:
        return SCORING_LABELS["missing_redistribute"]
    return SCORING_LABELS["missing_fixed"].format(value=missing)


def _header(key: str) -> str:
    return load_contract("candidates").label(key)


@dataclass(frozen=True, eq=False)
class Inputs:
    """What criteria read: the candidates indexed by project_id, the systems registry, and the
    bureau's scores table."""

    table: pd.DataFrame
    systems: pd.DataFrame | None = None
    bureau: BureauScores | None = None
    _units: dict[tuple[str, str], pd.Series] = field(default_factory=dict, repr=False)

    @cached_property
    def areas(self) -> pd.DataFrame:
        """project × 第六条 area, True where the project declared that area (computed once)."""
        exploded = self.table["priority_areas"].explode().dropna()
        if exploded.empty:
            return pd.DataFrame(index=self.table.index)
        found = pd.crosstab(exploded.index, exploded.to_numpy())
        return found.reindex(self.table.index, fill_value=0).gt(0)

    @cached_property
    def evaluations(self) -> pd.DataFrame:
        """unit × performance_evaluation conclusion → number of the unit's systems (registry)."""
        if self.systems is None or self.systems.empty:
            return pd.DataFrame()
        conclusions = self.systems["performance_evaluation"]
        known = conclusions.notna()
        return pd.crosstab(self.systems.loc[known, "unit"], conclusions[known])

    @cached_property
    def expert_scores(self) -> pd.Series:
        """Each project's expert score from the bureau's table, NaN where it gives none."""
        if self.bureau is None:
            return pd.Series(np.nan, index=self.table.index, dtype=float)
        return self.bureau.expert_scores.reindex(self.table.index).astype(float)

    def units(self, selector: str, name: str) -> pd.Series:
        """How many units of a term each project has: 0/1 for an area or flag, the count for a
        count column (blank = 0). Cached, so explaining many projects stays linear."""
        cache_key = (selector, name)
        if cache_key not in self._units:
            if selector == "area":
                found = self.areas[name] if name in self.areas.columns else False
                units = pd.Series(found, index=self.table.index, dtype=float)
            elif selector == "flag":
                units = flag(self.table, name).astype(float)
            else:
                units = pd.to_numeric(self.table[name], errors="coerce").fillna(0).astype(float)
            self._units[cache_key] = units
        return self._units[cache_key]


class CriterionBase(StrictModel):
    key: str
    name: str = Field(min_length=1)
    article: str
    description: str = ""
    weight: float = Field(ge=0)

    @field_validator("key")
    @classmethod
    def _identifier(cls, value: str) -> str:
        if not _KEY.match(value):
            raise ValueError(SCORING_LABELS["bad_key"].format(value=value))
        return value

    @field_validator("article")
    @classmethod
    def _article_named_as_the_measures_do(cls, value: str) -> str:
        if not ARTICLE_PATTERN.match(value):
            raise ValueError(PACK_MESSAGES["bad_article"].format(value=value))
        return value

    @abstractmethod
    def evaluate(self, inputs: Inputs) -> pd.Series:
        """The criterion's 0–100 value for every candidate (vectorised)."""

    @abstractmethod
    def describe(self, inputs: Inputs, project_id: str) -> str:
        """What the criterion looked at for one project, in Chinese."""

    def run_note(self, inputs: Inputs) -> str | None:
        """A note on the whole run (e.g. the registry was not given), or None."""
        return None


class Term(StrictModel):
    """One way to earn points: exactly one of ``area``, ``flag``, ``count``."""

    area: str | None = None
    flag: str | None = None
    count: str | None = None
    points: Points

    @field_validator("area")
    @classmethod
    def _known_area(cls, value: str | None) -> str | None:
        areas = load_contract("candidates").column("priority_areas").allowed
        if value is not None and value not in areas:
            raise ValueError(
                SCORING_LABELS["unknown_area"].format(value=value, allowed=_allowed(areas))
            )
        return value

    @field_validator("flag")
    @classmethod
    def _bool_column(cls, value: str | None) -> str | None:
        columns = _columns_of_type("bool")
        if value is not None and value not in columns:
            raise ValueError(
                SCORING_LABELS["not_flag_column"].format(value=value, allowed=_allowed(columns))
            )
        return value

    @field_validator("count")
    @classmethod
    def _integer_column(cls, value: str | None) -> str | None:
        columns = _columns_of_type("integer")
        if value is not None and value not in columns:
            raise ValueError(
                SCORING_LABELS["not_count_column"].format(value=value, allowed=_allowed(columns))
            )
        return value

    @model_validator(mode="after")
    def _one_selector(self) -> Term:
        given = [k for k in ("area", "flag", "count") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(SCORING_LABELS["term_selector"].format(given=_allowed(given) or "无"))
        return self

    @property
    def selector(self) -> tuple[str, str]:
        for kind in ("area", "flag", "count"):
            name = getattr(self, kind)
            if name is not None:
                return kind, name
        raise AssertionError("validated: one selector")  # pragma: no cover

    def explain(self, units: float) -> str:
        kind, name = self.selector
        if kind == "area":
            return SCORING_LABELS["area_term"].format(area=name, points=self.points)
        if kind == "flag":
            return SCORING_LABELS["flag_term"].format(header=_header(name), points=self.points)
        return SCORING_LABELS["count_term"].format(
            header=_header(name), count=int(units), points=self.points, total=units * self.points
        )


class PointsCriterion(CriterionBase):
    """base + the points of every term that applies, clipped to 0–100."""

    kind: Literal["points"]
    base: Score = 0
    terms: tuple[Term, ...] = Field(min_length=1)

    def evaluate(self, inputs: Inputs) -> pd.Series:
        total = pd.Series(self.base, index=inputs.table.index, dtype=float)
        for term in self.terms:
            total = total + term.points * inputs.units(*term.selector)
        return total.clip(0, 100)

    def describe(self, inputs: Inputs, project_id: str) -> str:
        parts = [SCORING_LABELS["base"].format(points=self.base)] if self.base else []
        total = self.base
        for term in self.terms:
            units = float(inputs.units(*term.selector).at[project_id])
            if units:
                parts.append(term.explain(units))
                total += units * term.points
        if len(parts) == (1 if self.base else 0):
            parts.append(SCORING_LABELS["no_term"])
        text = "；".join(parts)
        if not 0 <= total <= 100:
            text += SCORING_LABELS["clipped"].format(total=total)
        return text


class MapCriterion(CriterionBase):
    """One column's answer → a value; blank or unlisted answers score ``otherwise``."""

    kind: Literal["map"]
    column: str
    values: dict[str, Score] = Field(min_length=1)
    otherwise: Score

    @field_validator("column")
    @classmethod
    def _answer_column(cls, value: str) -> str:
        columns = _columns_of_type("bool", "enum")
        if value not in columns:
            raise ValueError(
                SCORING_LABELS["not_map_column"].format(value=value, allowed=_allowed(columns))
            )
        return value

    @model_validator(mode="after")
    def _known_answers(self) -> MapCriterion:
        answers = _answers(self.column)
        for answer in self.values:
            if answer not in answers:
                raise ValueError(
                    SCORING_LABELS["not_allowed_answer"].format(
                        value=answer, header=_header(self.column), allowed=_allowed(answers)
                    )
                )
        return self

    def evaluate(self, inputs: Inputs) -> pd.Series:
        column = inputs.table[self.column]
        if load_contract("candidates").column(self.column).type == "bool":
            lookup: dict[Any, float] = {
                answer == "是": value for answer, value in self.values.items()
            }
            column = column.astype("boolean")
        else:
            lookup = dict(self.values)
        mapped = column.map(lookup)
        return pd.to_numeric(mapped, errors="coerce").astype(float).fillna(self.otherwise)

    def describe(self, inputs: Inputs, project_id: str) -> str:
        raw = inputs.table.at[project_id, self.column]
        if raw is None or raw is pd.NA or (isinstance(raw, float) and np.isnan(raw)):
            text = SCORING_LABELS["blank"]
        elif isinstance(raw, bool | np.bool_):
            text = "是" if raw else "否"
        else:
            text = str(raw)
        return SCORING_LABELS["answer"].format(header=_header(self.column), value=text)


class TrackRecordCriterion(CriterionBase):
    """第三十六条: the unit's systems' performance evaluations, mapped and combined per unit."""

    kind: Literal["track_record"]
    values: dict[str, Score] = Field(min_length=1)
    combine: Literal["mean", "worst"]
    missing: Missing

    @field_validator("values")
    @classmethod
    def _known_conclusions(cls, value: dict[str, float]) -> dict[str, float]:
        allowed = load_contract("systems").column("performance_evaluation").allowed
        for answer in value:
            if answer not in allowed:
                raise ValueError(
                    SCORING_LABELS["not_allowed_answer"].format(
                        value=answer,
                        header=load_contract("systems").label("performance_evaluation"),
                        allowed=_allowed(allowed),
                    )
                )
        return value

    def _per_unit(self, systems: pd.DataFrame | None) -> pd.Series:
        if systems is None or systems.empty:
            return pd.Series(dtype=float)
        mapped = pd.to_numeric(
            systems["performance_evaluation"].map(self.values), errors="coerce"
        ).astype(float)
        known = mapped.notna()
        grouped = mapped[known].groupby(systems.loc[known, "unit"])
        return grouped.mean() if self.combine == "mean" else grouped.min()

    def evaluate(self, inputs: Inputs) -> pd.Series:
        per_unit = self._per_unit(inputs.systems)
        values = inputs.table["unit"].map(per_unit).astype(float)
        return values if self.missing == REDISTRIBUTE else values.fillna(self.missing)

    def describe(self, inputs: Inputs, project_id: str) -> str:
        unit = inputs.table.at[project_id, "unit"]
        treatment = _missing_text(self.missing)
        systems = inputs.systems
        if systems is None or systems.empty:
            return SCORING_LABELS["track_record_no_registry"].format(treatment=treatment)
        table = inputs.evaluations
        counts = table.loc[unit] if unit in table.index else pd.Series(dtype=int)
        counted = [a for a in self.values if counts.get(a, 0) > 0]
        if not counted:
            return SCORING_LABELS["track_record_none"].format(unit=unit, treatment=treatment)
        text = "、".join(
            SCORING_LABELS["track_record_count"].format(value=answer, count=int(counts[answer]))
            for answer in counted
        )
        return SCORING_LABELS["track_record"].format(unit=unit, counts=text)

    def run_note(self, inputs: Inputs) -> str | None:
        if inputs.systems is None or inputs.systems.empty:
            return SCORING_LABELS["no_registry"].format(
                name=self.name, treatment=_missing_text(self.missing)
            )
        return None


class ExpertScoresCriterion(CriterionBase):
    """第八条 评审论证: the expert panel's score (0–100), from the bureau's scores table. A unit's
    own form does not score its project: 专家评分 columns in a submission are not read here."""

    kind: Literal["expert_scores"]
    missing: Missing

    def evaluate(self, inputs: Inputs) -> pd.Series:
        values = inputs.expert_scores
        return values if self.missing == REDISTRIBUTE else values.fillna(self.missing)

    def describe(self, inputs: Inputs, project_id: str) -> str:
        treatment = _missing_text(self.missing)
        if inputs.bureau is None:
            return SCORING_LABELS["experts_no_table"].format(treatment=treatment)
        value = inputs.expert_scores.at[project_id]
        if np.isnan(value):
            return SCORING_LABELS["experts_none"].format(treatment=treatment)
        return SCORING_LABELS["experts"].format(score=value, where=inputs.bureau.where(project_id))

    def run_note(self, inputs: Inputs) -> str | None:
        treatment = _missing_text(self.missing)
        if inputs.bureau is None:
            return SCORING_LABELS["no_experts"].format(name=self.name, treatment=treatment)
        if inputs.expert_scores.isna().all():
            return SCORING_LABELS["no_experts_in_table"].format(
                files=inputs.bureau.file_names, name=self.name, treatment=treatment
            )
        return None


Criterion = Annotated[
    PointsCriterion | MapCriterion | TrackRecordCriterion | ExpertScoresCriterion,
    Field(discriminator="kind"),
]
KINDS = ("points", "map", "track_record", "expert_scores")
