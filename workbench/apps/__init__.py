"""The Voilà apps' components (情景推演, 申报自查, 计划汇报, 项目库): ordinary Python over
``workbench.session`` and ``workbench.register``, tested without a browser;
``voila_apps/*.ipynb`` only call ``show()``.

``workbench app`` passes the input folder, plan year, scenario, edition and register (``--db``)
to the apps' kernels in the environment (``session_from_env``, ``internal_from_env``)."""

from __future__ import annotations

import os

from workbench.session import Session

ENV_INPUT = "WORKBENCH_APP_INPUT"
ENV_YEAR = "WORKBENCH_APP_YEAR"
ENV_SCENARIO = "WORKBENCH_APP_SCENARIO"
ENV_INTERNAL = "WORKBENCH_APP_INTERNAL"
ENV_DB = "WORKBENCH_APP_DB"  # the register (项目库) as ``--db`` names it; empty: none given
# 情景推演 saves scenarios here (``--scenarios-dir``, an absolute path); empty: none given.
ENV_SCENARIOS_DIR = "WORKBENCH_APP_SCENARIOS_DIR"

# One upload, the checker's files together, travels to the kernel as one websocket message:
# the page refuses a larger selection before sending it, the kernel refuses a larger file, and
# the server's websocket limit (``server.WEBSOCKET_LIMIT_BYTES``) sits just above it.
UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024


def session_from_env() -> Session:
    year = os.environ.get(ENV_YEAR)
    return Session.open(
        os.environ.get(ENV_INPUT) or None,
        plan_year=int(year) if year else None,
        scenario=os.environ.get(ENV_SCENARIO) or None,
        db=os.environ.get(ENV_DB) or None,  # the July loop (workbench.register.july)
    )


def internal_from_env() -> bool:
    """``workbench app --internal``: classified (涉密) projects' names and contents are shown;
    without it the apps withhold them as the distribution edition does."""
    return os.environ.get(ENV_INTERNAL) == "1"
