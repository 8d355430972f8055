"""The Voilà apps' components (情景推演, 申报自查, 计划汇报): ordinary Python over
``workbench.session``, tested without a browser; ``voila_apps/*.ipynb`` only call ``show()``.

``workbench app`` passes the input folder, plan year and scenario to the apps' kernels in the
environment (``session_from_env``)."""

from __future__ import annotations

import os

from workbench.session import Session

ENV_INPUT = "WORKBENCH_APP_INPUT"
ENV_YEAR = "WORKBENCH_APP_YEAR"
ENV_SCENARIO = "WORKBENCH_APP_SCENARIO"


def session_from_env() -> Session:
    year = os.environ.get(ENV_YEAR)
    return Session.open(
        os.environ.get(ENV_INPUT) or None,
        plan_year=int(year) if year else None,
        scenario=os.environ.get(ENV_SCENARIO) or None,
    )
