"""The intake contract: every column declared once, in ``schema/*.csv``.

Each table (``candidates``, ``systems``, ``usage``, ``commitments``) is a CSV with one row per
column: its English key, Chinese header, type, unit, whether it is required (是 / 否 / 条件 =
required when another column says so), the allowed values (``|``-separated), the accepted
synonyms of those values, a default, bounds, a description and an example. The template, the
readers' header matching, the cell parsers, the validator and the report labels are all derived
from these tables (as PyPSA declares component attributes once in ``component_attrs/*.csv``).

Bounds: ``min`` is inclusive unless written ``0+`` (strictly greater than 0); ``max`` is inclusive.

Synonyms (``aliases``, enumerated columns only): ``alias=canonical`` pairs separated by ``;``,
e.g. ``未通过=不通过;已通过=通过``: a cell reading 未通过 is taken as 不通过, so the rules and the
scoring downstream only ever see the canonical word. Each canonical word must be one of the
column's allowed values, and an alias may be none of them (nor be listed twice): a word that could
mean two things is not declared at all, and such a cell is rejected with the allowed values.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources

TABLES = ("candidates", "systems", "usage", "commitments", "scores")

# The template's example row carries this id; a form returned with the example still in it
# has that row skipped (and counted), not accepted as a project.
EXAMPLE_ID = "示例"

# Columns that repeat by year or by expert: matched by pattern rather than declared one by one.
# `amount_2027` / `2027年度资金(万元)` carry a department's own spend profile (DESIGN §3).
YEAR_AMOUNT_KEY = "amount_{year}"
YEAR_AMOUNT_HEADER = "{year}年度资金(万元)"
_YEAR_AMOUNT_PATTERNS = (
    re.compile(r"^amount_(?P<year>20\d\d)$"),
    re.compile(r"^(?P<year>20\d\d)年度?资金(?:\(万元\))?$"),
)
# The separators of multi-choice cells (as cells.split_list splits them).
_LIST_SEPARATOR_CHARS = re.compile(r"[、;；,，/]")
EXPERT_SCORE_KEY = "expert_score_{n}"
_EXPERT_SCORE_PATTERNS = (
    re.compile(r"^expert_score_(?P<n>\d+)$"),
    re.compile(r"^专家评分(?P<n>\d+)(?:\(分\))?$"),
)


@dataclass(frozen=True)
class Column:
    key: str
    header_zh: str
    type: str
    unit: str
    required: str  # 是 / 否 / 条件
    allowed: tuple[str, ...]
    default: str
    min: Decimal | None
    min_exclusive: bool
    max: Decimal | None
    description: str
    example: str = ""
    aliases: tuple[tuple[str, str], ...] = ()  # (alias, canonical), as declared

    @property
    def is_required(self) -> bool:
        return self.required == "是"

    def canonical(self, text: str) -> str | None:
        """The allowed value ``text`` stands for (itself, or the value it is a synonym of), or
        None. ``text`` is compared after NFKC and with whitespace removed."""
        norm = normalise_value(text)
        if norm in self.allowed:
            return norm
        return dict(self.aliases).get(norm)


@dataclass(frozen=True)
class Contract:
    """One intake table's columns, with lookups by key and by any accepted header spelling."""

    table: str
    columns: tuple[Column, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        pattern = dynamic_column(key)
        if pattern is not None:
            return pattern
        raise KeyError(key)

    def label(self, key: str) -> str:
        """The Chinese header of ``key`` (what users see in messages and reports)."""
        try:
            return self.column(key).header_zh
        except KeyError:
            return key

    @property
    def required_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns if c.is_required)

    def match_header(self, header: object) -> str | None:
        """The key a header cell stands for (Chinese or English, tolerant of spacing and
        full-width punctuation, a trailing ``*`` required-marker), or None if unknown."""
        norm = normalise_header(header)
        if not norm:
            return None
        found = _header_index(self.table).get(norm)
        if found is not None:
            return found
        if self.table == "candidates":
            dyn = dynamic_column(norm)
            if dyn is not None:
                return dyn.key
        return None


def normalise_header(header: object) -> str:
    if header is None:
        return ""
    text = unicodedata.normalize("NFKC", str(header))
    text = re.sub(r"\s+", "", text).strip("*＊").lower()
    return text


def normalise_value(text: object) -> str:
    """An enumerated value as compared with the contract: NFKC, no whitespace anywhere."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))


def dynamic_column(name: str) -> Column | None:
    """A per-year amount or expert-score column recognised by its name, or None."""
    norm = normalise_header(name)
    for pattern in _YEAR_AMOUNT_PATTERNS:
        m = pattern.match(norm)
        if m:
            year = m.group("year")
            return Column(
                key=YEAR_AMOUNT_KEY.format(year=year),
                header_zh=YEAR_AMOUNT_HEADER.format(year=year),
                type="amount",
                unit="万元",
                required="否",
                allowed=(),
                default="",
                min=Decimal(0),
                min_exclusive=False,
                max=None,
                description=f"{year}年度计划支出（部门自报的分年度资金）",
            )
    for pattern in _EXPERT_SCORE_PATTERNS:
        m = pattern.match(norm)
        if m:
            n = m.group("n")
            return Column(
                key=EXPERT_SCORE_KEY.format(n=n),
                header_zh=f"专家评分{n}",
                type="number",
                unit="分",
                required="否",
                allowed=(),
                default="",
                min=Decimal(0),
                min_exclusive=False,
                max=Decimal(100),
                description=f"第{n}位专家的评分（0–100）",
            )
    return None


def _bound(text: str) -> tuple[Decimal | None, bool]:
    text = text.strip()
    if not text:
        return None, False
    if text.endswith("+"):
        return Decimal(text[:-1]), True
    return Decimal(text), False


def parse_aliases(
    table: str, key: str, text: str, kind: str, allowed: tuple[str, ...]
) -> tuple[tuple[str, str], ...]:
    """The ``aliases`` cell as (alias, canonical) pairs; a contract that declares a synonym which
    is unknown, ambiguous or shadows an allowed value is a programming error, raised at load."""
    pairs: list[tuple[str, str]] = []
    for item in text.split(";"):
        if not item.strip():
            continue
        alias, sep, canonical = (normalise_value(part) for part in item.partition("="))
        where = f"schema/{table}.csv, column {key}: alias {item.strip()!r}"
        if not sep or not alias or not canonical:
            raise ValueError(f"{where} is not written alias=canonical")
        if kind not in ("enum", "multi"):
            raise ValueError(f"{where}: aliases are declared for enum and multi columns only")
        if kind == "multi" and _LIST_SEPARATOR_CHARS.search(alias):
            raise ValueError(f"{where}: a list separator inside {alias!r} would split it")
        if canonical not in allowed:
            raise ValueError(f"{where}: {canonical!r} is not an allowed value")
        if alias in allowed:
            raise ValueError(f"{where}: {alias!r} is itself an allowed value")
        if alias in dict(pairs):
            raise ValueError(f"{where}: {alias!r} is declared twice")
        pairs.append((alias, canonical))
    return tuple(pairs)


@cache
def load_contract(table: str) -> Contract:
    """The contract of one intake table (``candidates``, ``systems`` or ``usage``)."""
    if table not in TABLES:
        raise KeyError(table)
    text = resources.files("workbench.intake").joinpath(f"schema/{table}.csv").read_text("utf-8")
    columns = []
    for row in csv.DictReader(text.splitlines()):
        lo, lo_exclusive = _bound(row["min"])
        hi, _ = _bound(row["max"])
        allowed = tuple(v for v in row["allowed"].split("|") if v)
        columns.append(
            Column(
                key=row["key"],
                header_zh=row["header_zh"],
                type=row["type"],
                unit=row["unit"],
                required=row["required"],
                allowed=allowed,
                default=row["default"],
                min=lo,
                min_exclusive=lo_exclusive,
                max=hi,
                description=row["description"],
                example=row.get("example") or "",
                aliases=parse_aliases(
                    table, row["key"], row.get("aliases") or "", row["type"], allowed
                ),
            )
        )
    return Contract(table=table, columns=tuple(columns))


@cache
def _header_index(table: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for col in load_contract(table).columns:
        for spelling in (col.key, col.header_zh):
            index[normalise_header(spelling)] = col.key
        # "总投资(万元)" is also recognised as "总投资" (units are 万元 either way).
        bare = re.sub(r"\(.*?\)$", "", normalise_header(col.header_zh))
        index.setdefault(bare, col.key)
    return index
