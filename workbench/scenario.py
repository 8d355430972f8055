"""Scenario files (``scenarios/*.yaml``): what the planner is asked to do.

A scenario names the plan year and horizon, the policy pack and scoring model, the ceiling of
each funding pool in each year, category envelopes and unit caps, the projects forced in or out
and the in-principle exclusions overridden (each with a written reason, kept in the plan's audit
trail), rule toggles, the O&M assumptions and the solver options. Unknown keys are refused, and
errors are Chinese with the key's path, as for policy packs.
"""

from __future__ import annotations

import os
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from workbench.labels import CATEGORIES, SCENARIO_MESSAGES
from workbench.policy.pack import models_dir
from workbench.yamlfile import explain_validation_error, read_mapping, resolve_path

DEFAULT_SCENARIO = "base"
# The shipped scenarios a comparison lines up by default (the sample's; base first).
SHIPPED_COMPARISON = ("base", "cut20", "om_first", "data_sharing", "rolling3")


class ScenarioError(ValueError):
    """A scenario that cannot be found, parsed or validated; the message is Chinese."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Decision(_Model):
    """A project named by the user with the reason that goes into the audit trail."""

    project_id: str
    reason: str = Field(min_length=2)


class Envelope(_Model):
    """A category's share of (or amount in) a pool's year: e.g. O&M at least 15 % of 市本级 2027."""

    category: Literal["建设类", "采购服务类", "运维服务类"]
    pool: str | None = None  # None: every pool together
    year: int | None = None  # None: the plan year
    min_amount: Decimal | None = Field(default=None, ge=0)
    max_amount: Decimal | None = Field(default=None, ge=0)
    min_share: Decimal | None = Field(default=None, ge=0, le=1)
    max_share: Decimal | None = Field(default=None, ge=0, le=1)

    @model_validator(mode="after")
    def _has_a_bound(self) -> Envelope:
        if all(
            v is None for v in (self.min_amount, self.max_amount, self.min_share, self.max_share)
        ):
            raise ValueError(SCENARIO_MESSAGES["envelope_without_bound"])
        return self


class Toggles(_Model):
    """Rules the scenario may switch off (each is on by default)."""

    system_count: bool = True  # 第三条 只减不增 (in principle: a scenario may relax it)
    one_domain_one_platform: bool = True  # 第三条
    dependencies: bool = True
    force_in_mandated: bool = True  # 第十一条
    force_in_existing_om: bool = True  # 第二十五条


class OmAssumptions(_Model):
    include_tail: bool = True  # count the O&M after warranty in later years of the horizon
    warranty_months: int = Field(
        default=12, ge=12
    )  # when a project gives none (第二十三、二十四条)


class Deferral(_Model):
    """三年滚动: the model may start a project a year later instead of leaving it out; a later
    start is worth ``value_factor`` of a start in the plan year."""

    allowed: bool = False
    value_factor: float = Field(default=0.9, gt=0, le=1)


class RiskOptions(_Model):
    """How much costs, schedules and ceilings move in the Monte Carlo (judgement, not policy;
    the overrun a unit may absorb itself comes from the policy pack, 第二十八条)."""

    tail_probability: float = Field(default=0.05, ge=0, le=1)  # overrun beyond the bound
    tail_max: float = Field(default=0.5, ge=0, le=5)  # largest such overrun, share of estimate
    slip_probability: float = Field(default=0.15, ge=0, le=1)  # a start a year late
    ceiling_sd: float = Field(default=0.05, ge=0, le=1)  # spread of later years' ceilings


class SolverOptions(_Model):
    name: Literal["highs", "cbc"] = "highs"
    time_limit: float | None = Field(default=None, gt=0)
    gap_rel: float = Field(default=0, ge=0)
    gap_abs: float = Field(default=0, ge=0)
    threads: int = Field(default=1, ge=1)


class Scenario(_Model):
    name: str
    description: str = ""
    plan_year: int = Field(ge=2000, le=2100)
    horizon: int = Field(default=1, ge=1, le=10)
    policy: str = "ordos-2025"
    scoring: str = "default"
    weights: dict[str, float] = Field(default_factory=dict)  # scoring weights overridden
    # The bureau's scores table (审定评分表: expert scores, values the bureau sets), keyed by
    # 项目编号; a relative path is read from the folder of the scenario file that names it.
    scores: str = ""
    inherits: str = ""  # the scenario this one was derived from (resolved at load time)
    # Written for the embedded sample (the shipped scenarios): never applied to other input,
    # whose pools and ceilings are the user's own (workbench.planner.coverage).
    sample: bool = False
    # pool → year → ceiling in 万元. A pool missing here is not limited (the plan says so).
    ceilings: dict[str, dict[int, Decimal]] = Field(default_factory=dict)
    # Inherited ceilings multiplied by this (0.8 for "压减20%"), applied when loading; ceilings
    # the file writes itself are taken as written.
    ceiling_scale: Decimal = Field(default=Decimal(1), gt=0)
    # pool → year → projected fiscal capacity for informatization (万元), for the out-year view.
    capacity: dict[str, dict[int, Decimal]] = Field(default_factory=dict)
    envelopes: tuple[Envelope, ...] = ()
    unit_caps: dict[str, Decimal] = Field(default_factory=dict)  # unit → plan-year 万元
    force_in: tuple[Decision, ...] = ()
    force_out: tuple[Decision, ...] = ()
    overrides: tuple[Decision, ...] = ()  # exclude_in_principle findings set aside
    toggles: Toggles = Toggles()
    om: OmAssumptions = OmAssumptions()
    deferral: Deferral = Deferral()
    risk: RiskOptions = RiskOptions()
    solver: SolverOptions = SolverOptions()
    path: str = ""

    @classmethod
    def bare(cls, plan_year: int, horizon: int = 1) -> Scenario:
        """A scenario with no ceiling, envelope or cap of anyone's: what a plan on one's own
        intake starts from when no scenario is named (``--ceiling`` then gives 市本级's)."""
        return cls(name=SCENARIO_MESSAGES["bare_name"], plan_year=plan_year, horizon=horizon)

    @model_validator(mode="before")
    @classmethod
    def _blank_ceilings_are_not_given(cls, data: Any) -> Any:
        # A skeleton's ceiling left blank (null) is not a ceiling of 0: it is not given, and
        # the coverage check names it.
        if isinstance(data, dict) and isinstance(data.get("ceilings"), dict):
            data = {
                **data,
                "ceilings": {
                    pool: (
                        {y: v for y, v in by_year.items() if v is not None}
                        if isinstance(by_year, dict)
                        else by_year
                    )
                    for pool, by_year in data["ceilings"].items()
                    if by_year is not None
                },
            }
        return data

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.plan_year, self.plan_year + self.horizon))

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        for pool, by_year in self.ceilings.items():
            for year, amount in by_year.items():
                if amount < 0:
                    raise ValueError(
                        SCENARIO_MESSAGES["negative_ceiling"].format(pool=pool, year=year)
                    )
                if year not in self.years:
                    raise ValueError(
                        SCENARIO_MESSAGES["year_outside_horizon"].format(
                            pool=pool, year=year, first=self.years[0], last=self.years[-1]
                        )
                    )
        forced_in = {d.project_id for d in self.force_in}
        both = sorted(forced_in & {d.project_id for d in self.force_out})
        if both:
            raise ValueError(SCENARIO_MESSAGES["in_and_out"].format(ids="、".join(both)))
        return self

    def with_ceiling(self, amount: Decimal, pool: str, year: int | None = None) -> Scenario:
        """The same scenario with one pool's ceiling in one year (default: the plan year) set."""
        year = year or self.plan_year
        ceilings = {p: dict(by_year) for p, by_year in self.ceilings.items()}
        ceilings.setdefault(pool, {})[year] = amount
        return self.model_copy(update={"ceilings": ceilings})

    def variant(self, name: str) -> Scenario:
        """This scenario changed as the shipped variant ``name`` changes the sample's base:
        its weights, toggles, deferral, envelopes, caps, O&M, risk and solver settings, and its
        ``ceiling_scale`` applied to *this* scenario's ceilings. The variant's own pools and
        amounts are the sample's and are never taken (so 压减20% scales every pool here)."""
        path = resolve_scenario_path(name)
        data = read_mapping(path, SCENARIO_MESSAGES, ScenarioError)
        changes = {k: v for k, v in data.items() if k in VARIANT_KEYS}
        merged = _merge(self.model_dump(mode="json", exclude={"path"}), changes)
        scale = Decimal(str(data.get("ceiling_scale", 1)))
        merged["ceilings"] = {
            pool: {int(y): Decimal(str(v)) * scale for y, v in by_year.items()}
            for pool, by_year in self.ceilings.items()
        }
        merged.update(
            name=str(data.get("name", name)),
            description=SCENARIO_MESSAGES["variant_description"].format(
                base=self.name, description=data.get("description", "")
            ),
            path=str(path),
            sample=False,
        )
        try:
            return Scenario.model_validate(merged)
        except ValidationError as exc:
            raise ScenarioError(
                SCENARIO_MESSAGES["invalid"].format(path=path, errors=explain_validation_error(exc))
            ) from exc

    def for_year(self, plan_year: int) -> Scenario:
        """The same scenario moved to another plan year: every year it names (ceilings,
        capacity, envelopes) moves by the same number of years. Next July's analyst starts from
        this year's scenario and then edits its amounts."""
        shift = plan_year - self.plan_year
        if shift == 0:
            return self

        def moved(table: dict[str, dict[int, Decimal]]) -> dict[str, dict[int, Decimal]]:
            return {p: {y + shift: a for y, a in by_year.items()} for p, by_year in table.items()}

        envelopes = tuple(
            e if e.year is None else e.model_copy(update={"year": e.year + shift})
            for e in self.envelopes
        )
        return self.model_copy(
            update={
                "plan_year": plan_year,
                "ceilings": moved(self.ceilings),
                "capacity": moved(self.capacity),
                "envelopes": envelopes,
            }
        )


# What a shipped variant changes that can be laid over anyone's scenario (never pools or amounts).
VARIANT_KEYS = ("weights", "toggles", "deferral", "envelopes", "unit_caps", "om", "risk", "solver")


def scenarios_dir() -> Path:
    """``scenarios/`` beside ``models/`` (a checkout), or the installed copy."""
    return models_dir().parent / "scenarios"


def resolve_scenario_path(name: str | os.PathLike[str] | None) -> Path:
    return resolve_path(name, DEFAULT_SCENARIO, scenarios_dir())


def is_scenario_name(name: str) -> bool:
    """A shipped scenario's name (``cut20``), as older command lines gave them positionally."""
    return (scenarios_dir() / f"{name}.yaml").is_file()


def _merge(base: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """``child`` over ``base``: mappings merge key by key (a pool's ceilings year by year),
    everything else (lists of decisions, envelopes, numbers, text) is replaced."""
    merged = dict(base)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read_with_parents(path: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The scenario's mapping with every ``inherits`` resolved (same folder first, then by
    name), refusing cycles."""
    if path.resolve() in seen:
        chain = " → ".join(p.name for p in (*seen, path.resolve()))
        raise ScenarioError(SCENARIO_MESSAGES["inherit_cycle"].format(chain=chain))
    data = _scores_beside(read_mapping(path, SCENARIO_MESSAGES, ScenarioError), path)
    try:
        scale = Decimal(str(data.get("ceiling_scale", 1)))
        if not scale > 0:
            raise InvalidOperation
    except (InvalidOperation, TypeError):
        raise ScenarioError(
            SCENARIO_MESSAGES["invalid"].format(path=path, errors=SCENARIO_MESSAGES["bad_scale"])
        ) from None
    parent = data.get("inherits")
    if parent:
        # The scale applies to what is inherited; ceilings the file writes are meant as written.
        beside = path.parent / f"{parent}.yaml"
        parent_path = beside if beside.exists() else resolve_scenario_path(parent)
        inherited = _read_with_parents(parent_path, (*seen, path.resolve()))
        inherited["ceilings"] = _scaled(inherited.get("ceilings", {}), scale, path)
        merged = _merge(inherited, data)
    else:
        merged = {**data, "ceilings": _scaled(data.get("ceilings", {}), scale, path)}
    merged["ceiling_scale"] = 1
    return merged


def _scores_beside(data: dict[str, Any], path: Path) -> dict[str, Any]:
    """A relative ``scores:`` is relative to the folder of the file that names it (also when a
    child scenario inherits it), not to the working folder."""
    scores = data.get("scores")
    if isinstance(scores, str) and scores and not Path(scores).is_absolute():
        return {**data, "scores": str(path.parent / scores)}
    return data


def _scaled(ceilings: object, scale: Decimal, path: Path) -> object:
    if scale == 1 or not isinstance(ceilings, dict):
        return ceilings
    try:
        return {
            pool: {year: Decimal(str(v)) * scale for year, v in by_year.items()}
            for pool, by_year in ceilings.items()
        }
    except (InvalidOperation, TypeError, AttributeError):
        raise ScenarioError(
            SCENARIO_MESSAGES["invalid"].format(path=path, errors=SCENARIO_MESSAGES["bad_scale"])
        ) from None


def load_scenario(name: str | os.PathLike[str] | None = None) -> Scenario:
    """Load a scenario by name (``base``) or path, with what it inherits. Raises
    :class:`ScenarioError`."""
    path = resolve_scenario_path(name)
    data = _read_with_parents(path)
    try:
        return Scenario.model_validate({**data, "path": str(path)})
    except ValidationError as exc:
        raise ScenarioError(
            SCENARIO_MESSAGES["invalid"].format(path=path, errors=explain_validation_error(exc))
        ) from exc


__all__ = ["CATEGORIES", "Decision", "Envelope", "Scenario", "ScenarioError", "load_scenario"]
