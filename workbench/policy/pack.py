"""Loading and validating a policy pack (``models/policies/<id>.yaml``).

The pack says *what* each rule is (article, severity, thresholds with their boundary words,
Chinese message templates); :mod:`workbench.policy.rules` says *how* it is checked. Each rule's
section is a pydantic model, so a typo, a missing article or a threshold without its boundary
word is refused with the path of the offending key.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from workbench.labels import CATEGORIES, PACK_MESSAGES
from workbench.money import Relation
from workbench.yamlfile import explain_validation_error, load_model, resolve_path

DEFAULT_PACK = "ordos-2025"
Severity = Literal["exclude", "exclude_in_principle", "warn", "info"]
Category = Literal["建设类", "采购服务类", "运维服务类"]
ARTICLE_PATTERN = re.compile(
    r"^第[一二三四五六七八九十百]+条(第（[一二三四五六七八九十]+）项)?([、至]第[一二三四五六七八九十百]+条)*$"
)


class PolicyPackError(ValueError):
    """A pack that cannot be found, parsed or validated; the message is Chinese."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Threshold(_Model):
    """A number with the article's boundary word, e.g. ``{value: "30", relation: 低于}``."""

    value: Decimal
    relation: Relation

    def holds(self, value: Decimal) -> bool:
        return self.relation.holds(value, self.value)

    def holds_series(self, values):
        return self.relation.holds_series(values, self.value)


class LabelledThreshold(Threshold):
    label: str


class Rule(_Model):
    name: str = Field(min_length=1)  # the rule's Chinese name, what documents show (never the id)
    article: str
    severity: Severity = "info"
    reading: str = ""
    message: str = ""

    @field_validator("article")
    @classmethod
    def _article_named_as_the_measures_do(cls, value: str) -> str:
        if not ARTICLE_PATTERN.match(value):
            raise ValueError(PACK_MESSAGES["bad_article"].format(value=value))
        return value


class CategoryRule(Rule):
    categories: tuple[Category, ...] = CATEGORIES  # type: ignore[assignment]


class EffectiveCategory(Rule):
    upgrade_share: Threshold
    upgrade_amount: Threshold
    message_out_of_om: str
    exceeds_share: str
    exceeds_amount: str
    delivery_categories: dict[str, Category]
    default_category: Category


RouteBranch = Literal[
    "district",
    "om_plan",
    "filing",
    "filing_other_funds",
    "implementation_plan",
    "implementation_plan_mandated",
    "merged_study",
    "full_study",
]


class ApprovalRoute(Rule):
    filing_below: Threshold
    implementation_plan_max: Threshold
    merged_study_max: Threshold
    district_levels: tuple[str, ...]
    articles: dict[RouteBranch, str]
    reasons: dict[RouteBranch, str]

    @model_validator(mode="after")
    def _every_branch(self) -> ApprovalRoute:
        missing = set(RouteBranch.__args__) - set(self.articles) | set(RouteBranch.__args__) - set(
            self.reasons
        )
        if missing:
            raise ValueError(PACK_MESSAGES["missing"] + "：" + "、".join(sorted(missing)))
        return self

    merged_basis: dict[Literal["simple", "like_for_like"], str]


class OtherFunds(Rule):
    follows_measures_above: Threshold
    filing_below: Threshold
    outcome_filing: str
    outcome_measures: str
    outcome_gap: str
    gap_severity: Severity = "warn"


class Supervision(CategoryRule):
    threshold: Threshold


class ConstructionPeriod(CategoryRule):
    standard_months: Threshold
    extended_months: Threshold
    extension_investment: Threshold
    severities: dict[Literal["needs_review", "over_standard", "over_maximum"], Severity]
    messages: dict[Literal["needs_review", "over_standard", "over_maximum"], str]
    grounds: dict[Literal["investment", "cross_department"], str]


class DeploymentPeriod(CategoryRule):
    max_months: Threshold


class Warranty(CategoryRule):
    min_months: Threshold


class OmResponse(CategoryRule):
    limits: dict[
        Literal["om_response_hours", "om_general_fix_hours", "om_major_plan_hours"],
        LabelledThreshold,
    ]


class LowUsage(CategoryRule):
    computed_severity: Severity
    rate_below: Threshold
    consecutive_months: int = Field(ge=1)
    window_years: int = Field(ge=1)
    basis_computed: str
    basis_determined: str


class FailedEvaluation(CategoryRule):
    failed_values: tuple[str, ...]
    undated: str
    lookback_years: int = Field(ge=1)
    early_shutdown_years: Threshold
    unit_severity: Severity
    messages: dict[Literal["failed", "shutdown"], str]
    unit_messages: dict[Literal["failed", "shutdown"], str]
    verify: str


class ExAnteEvaluation(Rule):
    blocked: tuple[str, ...]
    missing: tuple[str, ...]
    messages: dict[Literal["blocked", "missing"], str]


class PreReview(Rule):
    passed: tuple[str, ...]
    messages: dict[str, str]


class ApplicantType(Rule):
    public_types: tuple[str, ...]
    big_data_center: str
    levels: tuple[str, ...]


class OneDepartmentOneSystem(Rule):
    max_new_systems_per_unit: Threshold


class DuplicateInvestment(Rule):
    """第五条: a project's ``top_k`` most similar projects of other units, each said with
    ``item``, and the number of the rest with ``more`` (so findings grow with the intake)."""

    similarity: Threshold
    stopwords: tuple[str, ...] = ()
    top_k: int = Field(ge=1)
    item: str
    more: str

    @model_validator(mode="after")
    def _a_lower_bar(self) -> DuplicateInvestment:
        bar = self.similarity
        lower = bar.relation.holds(bar.value + 1, bar.value)
        if not (lower and 0 <= bar.value <= 100):
            raise ValueError(
                PACK_MESSAGES["similarity_bar"].format(value=bar.value, relation=bar.relation)
            )
        return self


class ReviewPoint(_Model):
    severity: Severity
    message: str


class DistrictReview(Rule):
    levels: tuple[str, ...]
    point_article: str
    points: dict[
        Literal["necessity", "coordination", "intensive", "reuse", "data_sharing"], ReviewPoint
    ]
    infrastructure_words: dict[Literal["infrastructure", "platform"], str]


class Classified(Rule):
    values: tuple[str, ...]


class OmInterruption(Rule):
    """第二十五条 against a rule that excludes a continuing O&M: what must be done, per rule."""

    actions: dict[str, str]
    action_default: str


class Rules(_Model):
    effective_category: EffectiveCategory
    approval_route: ApprovalRoute
    other_funds: OtherFunds
    supervision: Supervision
    construction_period: ConstructionPeriod
    deployment_period: DeploymentPeriod
    warranty: Warranty
    om_response: OmResponse
    low_usage: LowUsage
    failed_evaluation: FailedEvaluation
    ex_ante_evaluation: ExAnteEvaluation
    pre_review: PreReview
    data_catalog: CategoryRule
    applicant_type: ApplicantType
    one_department_one_system: OneDepartmentOneSystem
    one_domain_one_platform: Rule
    duplicate_investment: DuplicateInvestment
    district_review: DistrictReview
    mandated: Rule
    om_continuity: Rule
    om_interruption: OmInterruption
    classified: Classified


class UsageWeights(_Model):
    logins: Decimal = Field(ge=0)
    business_volume: Decimal = Field(ge=0)
    satisfaction: Decimal = Field(ge=0)

    @model_validator(mode="after")
    def _sum_to_one(self) -> UsageWeights:
        total = self.logins + self.business_volume + self.satisfaction
        if total != 1:
            raise ValueError(PACK_MESSAGES["weights_sum"].format(total=total))
        return self


class Usage(_Model):
    weights: UsageWeights


class Adjustments(_Model):
    article: str
    self_managed_share: Threshold


class Article6Scope(_Model):
    """Who 第六条's exclusions bind: 市本级 projects; district ones by analogy or fully."""

    levels: tuple[str, ...]
    district_mode: Literal["reference", "full"] = "reference"
    district_severity: Severity = "warn"
    district_note: str
    reading: str = ""


class RegisterEvent(_Model):
    """An event the 项目库 records (issue #13): its key, the Chinese name users write in an event
    table, the article that names it, and whether it carries an amount (万元)."""

    key: str
    name: str
    article: str
    amount: Literal["required", "optional", "none"] = "none"


class Lifecycle(_Model):
    """The 项目库's vocabulary: events (and, declared beside them, the obligations they start)."""

    events: tuple[RegisterEvent, ...] = ()

    def event_by_name(self) -> dict[str, RegisterEvent]:
        return {e.name: e for e in self.events}

    def event_by_key(self) -> dict[str, RegisterEvent]:
        return {e.key: e for e in self.events}


class Defaults(_Model):
    reference_date: str = "{plan_year}-01-01"
    intake_deadline: str = "{intake_year}-07-31"


class PolicyPack(_Model):
    id: str
    title: str
    source: str = ""
    version: int = 1
    defaults: Defaults = Defaults()
    adjustments: Adjustments
    usage: Usage
    article_6_scope: Article6Scope
    rules: Rules
    lifecycle: Lifecycle = Lifecycle()
    path: str = ""

    def reference_date(self, plan_year: int) -> dt.date:
        """The date time windows are measured at, by default 1 January of the plan year."""
        text = self.defaults.reference_date.format(plan_year=plan_year, intake_year=plan_year - 1)
        return dt.date.fromisoformat(text)

    def rule(self, rule_id: str) -> Rule:
        return getattr(self.rules, rule_id)

    def rule_names(self) -> dict[str, str]:
        """Rule id → its Chinese name, for every document a user reads."""
        return {rule_id: self.rule(rule_id).name for rule_id in type(self.rules).model_fields}


MODELS_SHARE = Path("share") / "ordos-gov-it-workbench" / "models"


def models_dir() -> Path:
    """Where policy packs and scoring models live: ``$WORKBENCH_MODELS`` if set, else the
    checkout's ``models/`` beside the package (a clone or an editable install), else the copy a
    wheel installs under ``<prefix>/share`` (see pyproject's data-files)."""
    env = os.environ.get("WORKBENCH_MODELS")
    if env:
        return Path(env)
    checkout = Path(__file__).resolve().parents[2] / "models"
    if checkout.is_dir():
        return checkout
    return Path(sys.prefix) / MODELS_SHARE


def resolve_pack_path(name: str | os.PathLike[str] | None) -> Path:
    return resolve_path(name, DEFAULT_PACK, models_dir() / "policies")


def load_pack(name: str | os.PathLike[str] | None = None) -> PolicyPack:
    """Load a pack by id (``ordos-2025``) or path. Raises :class:`PolicyPackError`."""
    return load_model(resolve_pack_path(name), PolicyPack, PACK_MESSAGES, PolicyPackError)


__all__ = ["PolicyPack", "PolicyPackError", "explain_validation_error", "load_pack", "models_dir"]
