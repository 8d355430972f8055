"""The rules of the measures, one function per rule, each vectorised over the candidate table.

Every rule takes the candidate table (with the derived columns ``category_effective``,
``approval_route``, ``funding_pool`` of :mod:`workbench.policy.derive`) and a
:class:`~workbench.policy.context.RuleContext`, and returns findings
(:mod:`workbench.policy.findings`). The pack says what each rule is; these functions say how it
is checked. A rule's function has the name of its section in the pack; :data:`RULES` gives the
order findings are produced in.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from workbench.policy.context import RuleContext
from workbench.policy.rules.eligibility import (
    applicant_type,
    data_catalog,
    ex_ante_evaluation,
    pre_review,
)
from workbench.policy.rules.notes import classified, district_review, mandated, om_continuity
from workbench.policy.rules.periods import (
    construction_period,
    deployment_period,
    om_response,
    warranty,
)
from workbench.policy.rules.portfolio import (
    duplicate_investment,
    one_department_one_system,
    one_domain_one_platform,
)
from workbench.policy.rules.track_record import (
    evaluation_results,
    failed_evaluation,
    low_usage,
    overdue_rectification,
)

Rule = Callable[[pd.DataFrame, RuleContext], pd.DataFrame]

RULES: tuple[Rule, ...] = (
    pre_review,
    ex_ante_evaluation,
    data_catalog,
    low_usage,
    failed_evaluation,
    evaluation_results,
    overdue_rectification,
    construction_period,
    deployment_period,
    warranty,
    om_response,
    applicant_type,
    one_department_one_system,
    one_domain_one_platform,
    duplicate_investment,
    district_review,
    mandated,
    om_continuity,
    classified,
)

__all__ = ["RULES", "Rule", "RuleContext"]
