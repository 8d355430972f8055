"""The planner: the annual plan as a selection model (PuLP), with a reason for every project."""

from workbench.planner.plan import Plan, Why, draft_plan, why, why_cuts

__all__ = ["Plan", "Why", "draft_plan", "why", "why_cuts"]
