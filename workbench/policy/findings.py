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


# Values that read as they are (plain() returns them unchanged).
_PLAIN = (str, int, bool, type(None))


def empty_findings() -> pd.DataFrame:
    return pd.DataFrame(columns=list(FINDING_COLUMNS))


def plain(value: object) -> object:
    """A value as it should read in a message and in JSON evidence: ``120.50`` → ``"120.5"``."""
    if type(value) is str or type(value) is int:
        return value
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
        if any(isinstance(v, Mapping) for v in value):  # structured evidence: a list of records
            if all(type(x) in _PLAIN for v in value for x in v.values()):
                return value
            return [{k: plain(x) for k, x in v.items()} for v in value]
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


def _plain_column(values: list[object]) -> list[object]:
    """:func:`plain` of each value, computed once per distinct value (a column of findings
    repeats the same units, amounts and thresholds thousands of times)."""
    if all(type(value) in _PLAIN for value in values):
        return values
    seen: dict[tuple[object, object], object] = {}
    out = []
    for value in values:
        try:
            key: tuple[object, object] = (type(value), value)
            hash(key)
        except TypeError:  # unhashable (a list): the same object is made plain once
            key = (list, id(value))
        shown = seen[key] if key in seen else seen.setdefault(key, plain(value))
        out.append(shown)
    return out


def _aligned(rows: pd.DataFrame, source: str | pd.Series) -> pd.Series:
    """A column of ``rows``, or a Series given for them, in their order."""
    if isinstance(source, str):
        return rows[source]
    return source if source.index.equals(rows.index) else source.loc[rows.index]


def _per_row(value: object, rows: pd.DataFrame) -> list[object]:
    return _aligned(rows, value).tolist() if isinstance(value, pd.Series) else [value] * len(rows)


def make_findings(
    rows: pd.DataFrame,
    *,
    rule: str,
    article: str | pd.Series,
    severity: str | pd.Series,
    template: str | Callable[[Mapping[str, object]], str] | pd.Series,
    evidence: Mapping[str, str | pd.Series] | list[str],
) -> pd.DataFrame:
    """One finding per row of ``rows`` (already filtered to the rows the rule hits).

    ``article`` and ``severity`` are one value for all, or a Series aligned with ``rows`` (a
    finding cites the article, and item, its message applies). ``evidence`` names the columns
    (or gives computed Series aligned with ``rows``) the rule used; the message template is
    filled from the same values, or ``template`` is a Series of the messages already written.
    Built column by column: each distinct evidence value is made plain once.
    """
    if rows.empty:
        return empty_findings()
    if isinstance(evidence, list):
        evidence = {name: name for name in evidence}
    names = list(evidence)
    columns = [_plain_column(_aligned(rows, source).tolist()) for source in evidence.values()]
    values = (
        [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]
        if columns
        else [{} for _ in range(len(rows))]
    )
    if isinstance(template, pd.Series):
        messages = _aligned(rows, template).tolist()
    elif callable(template):
        messages = [template(v) for v in values]
    else:
        messages = [template.format_map(v) for v in values]
    return pd.DataFrame(
        {
            "project_id": rows["project_id"].tolist(),
            "rule": rule,
            "article": _per_row(article, rows),
            "severity": _per_row(severity, rows),
            "message": messages,
            "evidence": values,
        },
        columns=list(FINDING_COLUMNS),
    )


def rule_findings(
    rule: str,
    spec: Rule,
    rows: pd.DataFrame,
    evidence: Mapping[str, str | pd.Series] | list[str],
    *,
    severity: str | pd.Series | None = None,
    template: str | Callable[[Mapping[str, object]], str] | pd.Series | None = None,
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
