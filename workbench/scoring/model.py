"""Loading and validating a scoring model (``models/scoring/<id>.yaml``).

The model says which criteria count, on which article each rests, how many points each thing
earns and how much each criterion weighs (directly, or through an AHP pairwise-comparison
matrix). It is validated with pydantic like the policy pack (:mod:`workbench.policy.pack`): a
typo, an unknown column or area, a score outside 0–100 or a malformed matrix is refused with a
Chinese message naming the key, e.g. ``criteria[data_sharing].terms.1.area``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from workbench.labels import PACK_MESSAGES, SCORING_LABELS
from workbench.policy.pack import models_dir
from workbench.scoring.ahp import AhpBlock, Consistency, ahp_weights
from workbench.scoring.criteria import KINDS, Criterion, StrictModel
from workbench.yamlfile import read_mapping, resolve_path

DEFAULT_SCORING = "default"
Source = Literal["model", "ahp"]


class ScoringModelError(ValueError):
    """A scoring model that cannot be found, parsed or validated; the message is Chinese."""


class ScoringModel(StrictModel):
    id: str
    title: str
    version: int = 1
    source: str = ""
    description: str = ""
    criteria: tuple[Criterion, ...] = Field(min_length=1)
    ahp: AhpBlock | None = None
    path: str = ""

    @field_validator("criteria")
    @classmethod
    def _unique_keys(cls, value: tuple[Any, ...]) -> tuple[Any, ...]:
        keys = [c.key for c in value]
        for key in keys:
            if keys.count(key) > 1:
                raise ValueError(SCORING_LABELS["duplicate_key"].format(value=key))
        if sum(c.weight for c in value) <= 0:
            raise ValueError(SCORING_LABELS["weights_zero"])
        return value

    @model_validator(mode="after")
    def _ahp_names_every_criterion(self) -> ScoringModel:
        if self.ahp is not None:
            keys, named = set(self.keys), set(self.ahp.criteria)
            if keys != named:
                raise ValueError(
                    SCORING_LABELS["ahp_keys"].format(
                        missing="、".join(sorted(keys - named)) or "无",
                        extra="、".join(sorted(named - keys)) or "无",
                    )
                )
        return self

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.criteria)

    def criterion(self, key: str) -> Criterion:
        for c in self.criteria:
            if c.key == key:
                return c
        raise KeyError(key)

    def with_weights(self, weights: Mapping[str, float]) -> ScoringModel:
        """The same model with some criteria reweighted and without its AHP block (a scenario's
        weights replace both). Unknown keys raise :class:`ScoringModelError`."""
        unknown = set(weights) - set(self.keys)
        if unknown:
            raise ScoringModelError(
                SCORING_LABELS["unknown_criteria"].format(
                    model=self.id, keys="、".join(sorted(unknown))
                )
            )
        data = self.model_dump()
        data["ahp"] = None
        for item in data["criteria"]:
            item["weight"] = weights.get(item["key"], item["weight"])
        return _validate(data, self.path or self.id)


def model_weights(model: ScoringModel) -> tuple[dict[str, float], Source, Consistency | None]:
    """Normalised weights (summing to 1, in criterion order), where they came from, and the AHP
    consistency when an ``ahp:`` block gave them."""
    if model.ahp is not None:
        vector, consistency = ahp_weights(
            model.ahp.full_matrix(), max_cr=model.ahp.max_consistency_ratio
        )
        by_key = dict(zip(model.ahp.criteria, (float(w) for w in vector), strict=True))
        return {key: by_key[key] for key in model.keys}, "ahp", consistency
    total = sum(c.weight for c in model.criteria)
    return {c.key: c.weight / total for c in model.criteria}, "model", None


def resolve_scoring_path(name: str | os.PathLike[str] | None) -> Path:
    """A model id (``default``) → ``<models_dir>/scoring/<id>.yaml``; a ``.yaml`` path as is."""
    return resolve_path(name, DEFAULT_SCORING, models_dir() / "scoring")


def load_scoring(name_or_path: str | os.PathLike[str] | None = None) -> ScoringModel:
    """Load a scoring model by id or path. Raises :class:`ScoringModelError`."""
    path = resolve_scoring_path(name_or_path)
    data = read_mapping(path, SCORING_LABELS, ScoringModelError)
    return _validate({**data, "path": str(path)}, path)


def _validate(data: dict[str, Any], where: object) -> ScoringModel:
    try:
        return ScoringModel.model_validate(data)
    except ValidationError as exc:
        raise ScoringModelError(
            SCORING_LABELS["invalid"].format(path=where, errors=_explain(exc, data))
        ) from exc


def _location(loc: tuple[int | str, ...], data: dict[str, Any]) -> str:
    """``('criteria', 2, 'points', 'terms', 0)`` → ``criteria[data_sharing].terms.0``: the
    criterion named by its key, the kind tag pydantic inserts dropped."""
    parts: list[str] = []
    items = list(loc)
    if len(items) >= 2 and items[0] == "criteria" and isinstance(items[1], int):
        criteria = data.get("criteria")
        key = None
        if isinstance(criteria, list) and items[1] < len(criteria):
            entry = criteria[items[1]]
            key = entry.get("key") if isinstance(entry, dict) else None
        parts.append(f"criteria[{key}]" if key else f"criteria.{items[1]}")
        items = items[2:]
        if items and items[0] in KINDS:
            items = items[1:]
    parts += [str(p) for p in items]
    return ".".join(parts)


def _explain(exc: ValidationError, data: dict[str, Any]) -> str:
    parts = []
    for error in exc.errors():
        kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
        if kind == "missing" or kind == "union_tag_not_found":
            what = PACK_MESSAGES["missing"] + ("（kind）" if kind == "union_tag_not_found" else "")
        elif kind == "extra_forbidden":
            what = PACK_MESSAGES["unknown_key"]
        elif kind == "union_tag_invalid":
            what = SCORING_LABELS["bad_choice"].format(
                value=ctx.get("tag"), allowed="、".join(KINDS)
            )
        elif kind == "literal_error":
            what = SCORING_LABELS["bad_choice"].format(value=value, allowed=ctx.get("expected"))
        elif kind.startswith(("float_", "int_", "decimal_")):
            what = SCORING_LABELS["not_number"].format(value=value)
        elif kind == "string_type":
            what = SCORING_LABELS["not_text"]
        elif kind in ("tuple_type", "list_type"):
            what = SCORING_LABELS["not_list"]
        elif kind in ("dict_type", "model_type", "model_attributes_type"):
            what = SCORING_LABELS["not_mapping"]
        elif kind == "too_short":
            what = SCORING_LABELS["too_short"].format(min=ctx.get("min_length"))
        elif kind == "greater_than_equal":
            what = SCORING_LABELS["at_least"].format(value=value, bound=ctx.get("ge"))
        elif kind == "greater_than":
            what = SCORING_LABELS["above"].format(value=value, bound=ctx.get("gt"))
        elif kind == "less_than_equal":
            what = SCORING_LABELS["at_most"].format(value=value, bound=ctx.get("le"))
        else:
            what = error["msg"].removeprefix("Value error, ")
        where = _location(error["loc"], data)
        parts.append(f"{where}: {what}" if where else what)
    return "；".join(parts)
