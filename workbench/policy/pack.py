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
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from workbench.labels import CATEGORIES, PACK_MESSAGES, REGISTER_LABELS
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


class EvaluationResults(Rule):
    """第三十六条: evaluation results as a basis for next year's money (a note on the projects
    that invest in an evaluated system)."""

    noted_values: tuple[str, ...]
    lookback_years: int = Field(ge=1)


class OverdueRectification(Rule):
    """第三十八条: a unit whose rectification is overdue (the register's 限期整改)."""

    own_message: str


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
    evaluation_results: EvaluationResults
    overdue_rectification: OverdueRectification
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
    # An evaluation's conclusion (结论): each spelling accepted → the conclusion recorded
    # (e.g. 合格 → 通过). Empty: the event takes no conclusion.
    results: dict[str, str] = {}


PeriodUnit = Literal["days", "working_days", "months", "years"]


def _article_name(value: str) -> str:
    if not ARTICLE_PATTERN.match(value):
        raise ValueError(PACK_MESSAGES["bad_article"].format(value=value))
    return value


ArticleName = Annotated[str, AfterValidator(_article_name)]


class Obligation(_Model):
    """A deadline the measures set (issue #13): the event that starts it, the events that meet
    it, the period and its unit, and the article's boundary words. The period is one of three:
    ``amount`` + ``unit`` counted from ``trigger``; a date written on the trigger event
    (``deadline: note``, 第三十八条's 限期整改); or ``same_period_as`` another obligation (trigger
    and period both, e.g. 第三十四条's half of the construction period). How periods are counted
    is :mod:`workbench.register.periods`; how statuses are drawn,
    :mod:`workbench.register.obligations`."""

    key: str = Field(min_length=1)
    name: str = Field(min_length=1)
    article: ArticleName
    boundary: str = Field(min_length=1)  # the article's own words for the period
    trigger: str = ""
    trigger_fallback: tuple[str, ...] = ()  # in order, when the trigger is not recorded
    trigger_later_of: tuple[str, ...] = ()  # recorded too: count from the latest of them
    same_period_as: str = ""
    met_by: tuple[str, ...] = Field(min_length=1)
    amount: int | None = Field(default=None, ge=0)
    unit: PeriodUnit | None = None
    period_from_facts: bool = False  # the project's approved construction_months wins
    max_amount: int | None = Field(default=None, ge=0)  # … but never beyond this
    opens_after: int | None = Field(default=None, ge=0)  # a window: met from this point on
    opens_at_share: Decimal | None = Field(default=None, gt=0, lt=1)  # … or after this share
    deadline: Literal["period", "note"] = "period"
    condition: Literal["surplus"] | None = None
    repeats: bool = False  # one instance per trigger event (else: from the first one)
    categories: tuple[Category, ...] = ()  # empty: every category
    reading: str = ""

    @model_validator(mode="after")
    def _one_kind_of_period(self) -> Obligation:
        labels, key = REGISTER_LABELS, self.key
        own_period = self.amount is not None and self.unit is not None
        kinds = [
            bool(self.trigger) and self.deadline == "period" and own_period,
            bool(self.trigger) and self.deadline == "note" and self.amount is None,
            bool(self.same_period_as) and not self.trigger and self.amount is None,
        ]
        timing = self.trigger_fallback or self.trigger_later_of or self.period_from_facts
        if kinds.count(True) != 1 or (self.same_period_as and (timing or self.unit)):
            raise ValueError(labels["obligation_shape"].format(key=key))
        if self.period_from_facts and self.unit != "months":
            raise ValueError(labels["obligation_months"].format(key=key))
        if self.max_amount is not None and self.max_amount < (self.amount or 0):
            raise ValueError(labels["obligation_max"].format(key=key))
        if self.opens_after is not None and self.opens_at_share is not None:
            raise ValueError(labels["obligation_window"].format(key=key))
        return self

    def event_keys(self) -> tuple[str, ...]:
        """Every event key this obligation names (each must be a declared event)."""
        keys = (self.trigger, *self.trigger_fallback, *self.trigger_later_of, *self.met_by)
        return tuple(k for k in keys if k)


class DueSoon(_Model):
    """临期: not met and due within this period of the day the list is drawn up for."""

    amount: int = Field(ge=0)
    unit: PeriodUnit = "days"
    reading: str = ""


class ChangeReview(_Model):
    """第二十八条: a 调整备案 above ``adjustments.self_managed_share`` of the approved amount is
    not the unit's to make; the templates may use amount, approved, share and limit (percent)."""

    article: ArticleName
    event: str
    message: str
    unchecked: str
    reading: str = ""


class Lifecycle(_Model):
    """The 项目库's vocabulary: events and the obligations (deadlines) they start and meet."""

    events: tuple[RegisterEvent, ...] = ()
    # How next July reads the register (workbench.register.july): the readings, for the docs.
    july: dict[str, str] = {}
    due_soon: DueSoon = DueSoon(amount=10)
    met_late_reading: str = ""
    change_review: ChangeReview | None = None
    obligations: tuple[Obligation, ...] = ()

    @model_validator(mode="after")
    def _keys_known_and_unique(self) -> Lifecycle:
        labels = REGISTER_LABELS
        for keys in ([e.key for e in self.events], [o.key for o in self.obligations]):
            repeated = sorted({k for k in keys if keys.count(k) > 1})
            if repeated:
                raise ValueError(labels["duplicate_key"].format(key="、".join(repeated)))
        events = self.event_by_key()
        named = [k for o in self.obligations for k in o.event_keys()]
        if self.change_review is not None:
            named.append(self.change_review.event)
        unknown = [k for k in named if k not in events]
        if unknown:
            raise ValueError(labels["unknown_event"].format(key=unknown[0]))
        own = {o.key for o in self.obligations if not o.same_period_as and o.deadline == "period"}
        for obligation in self.obligations:
            if obligation.same_period_as and obligation.same_period_as not in own:
                raise ValueError(labels["unknown_obligation"].format(key=obligation.same_period_as))
        return self

    def event_by_name(self) -> dict[str, RegisterEvent]:
        return {e.name: e for e in self.events}

    def event_by_key(self) -> dict[str, RegisterEvent]:
        return {e.key: e for e in self.events}

    def obligation_by_key(self) -> dict[str, Obligation]:
        return {o.key: o for o in self.obligations}


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
