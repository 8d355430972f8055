"""Findings (审核发现): the shape every rule returns, and the helpers that build it.

A finding is one row: project, rule id, article, severity, Chinese message, and the evidence the
rule looked at (a dict of plain values, kept so an auditor can see why).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from workbench.money import to_decimal
from workbench.policy.pack import Rule

FINDING_COLUMNS = ("project_id", "rule", "article", "severity", "message", "evidence")
SEVERITY_ORDER = ("exclude", "exclude_in_principle", "warn", "info")


def empty_findings() -> pd.DataFrame:
    return pd.DataFrame(columns=list(FINDING_COLUMNS))


def plain(value: object) -> object:
    """A value as it should read in a message and in JSON evidence: ``120.50`` → ``"120.5"``."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, Decimal | float) and not isinstance(value, bool):
        number = to_decimal(value).normalize()
        return format(number, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return "、".join(str(v) for v in value)
    if hasattr(value, "item"):  # numpy scalars
        return plain(value.item())
    return value


def figure_beside(value: object, thresholds: tuple[Decimal, ...], places: int = 2) -> str:
    """``value`` with ``places`` decimals, or more where fewer would put it on the other side
    of (or onto) one of ``thresholds``: 14.999 beside 15 % reads 14.999, never 15.00."""
    exact = to_decimal(value)
    for digits in range(places, 13):
        shown = exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
        if all((shown > t) - (shown < t) == (exact > t) - (exact < t) for t in thresholds):
            return format(shown.normalize(), "f")
    return format(exact.normalize(), "f")


def make_findings(
    rows: pd.DataFrame,
    *,
    rule: str,
    article: str | pd.Series,
    severity: str | pd.Series,
    template: str | Callable[[Mapping[str, object]], str],
    evidence: Mapping[str, str | pd.Series] | list[str],
) -> pd.DataFrame:
    """One finding per row of ``rows`` (already filtered to the rows the rule hits).

    ``article`` and ``severity`` are one value for all, or a Series aligned with ``rows`` (a
    finding cites the article, and item, its message applies). ``evidence`` names the columns (or gives computed Series aligned with ``rows``) the rule
    used; the message template is filled from the same values.
    """
    if rows.empty:
        return empty_findings()
    if isinstance(evidence, list):
        evidence = {name: name for name in evidence}
    columns = {
        name: (rows[source] if isinstance(source, str) else source.loc[rows.index]).tolist()
        for name, source in evidence.items()
    }
    severities = (
        severity.loc[rows.index].tolist()
        if isinstance(severity, pd.Series)
        else [severity] * len(rows)
    )
    articles = (
        article.loc[rows.index].tolist()
        if isinstance(article, pd.Series)
        else [article] * len(rows)
    )
    records = []
    for position, project_id in enumerate(rows["project_id"].tolist()):
        values = {name: plain(col[position]) for name, col in columns.items()}
        text = template(values) if callable(template) else template.format(**values)
        records.append(
            {
                "project_id": project_id,
                "rule": rule,
                "article": articles[position],
                "severity": severities[position],
                "message": text,
                "evidence": values,
            }
        )
    return pd.DataFrame.from_records(records, columns=list(FINDING_COLUMNS))


def rule_findings(
    rule: str,
    spec: Rule,
    rows: pd.DataFrame,
    evidence: Mapping[str, str | pd.Series] | list[str],
    *,
    severity: str | pd.Series | None = None,
    template: str | Callable[[Mapping[str, object]], str] | None = None,
    article: str | pd.Series | None = None,
) -> pd.DataFrame:
    """:func:`make_findings` with the article, severity and message of the rule's pack section
    (each may be given instead, e.g. the item of the article a branch applies)."""
    return make_findings(
        rows,
        rule=rule,
        article=spec.article if article is None else article,
        severity=spec.severity if severity is None else severity,
        template=spec.message if template is None else template,
        evidence=evidence,
    )


def concat_findings(parts: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [p for p in parts if not p.empty]
    if not parts:
        return empty_findings()
    return pd.concat(parts, ignore_index=True)[list(FINDING_COLUMNS)]


def sort_findings(findings: pd.DataFrame, project_order: list[str]) -> pd.DataFrame:
    if findings.empty:
        return empty_findings()
    order = {pid: i for i, pid in enumerate(project_order)}
    rank = {s: i for i, s in enumerate(SEVERITY_ORDER)}
    keyed = findings.assign(_p=findings["project_id"].map(order), _s=findings["severity"].map(rank))
    return (
        keyed.sort_values(["_p", "_s", "rule"], kind="stable")
        .drop(columns=["_p", "_s"])
        .reset_index(drop=True)
    )
