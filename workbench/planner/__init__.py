"""The planner: the annual plan as a selection model (PuLP), with a reason for every project."""

from workbench.planner.displacement import Why, why, why_cuts
from workbench.planner.plan import Plan, draft_plan

__all__ = ["Plan", "Why", "draft_plan", "why", "why_cuts"]
