"""The 请示 draft that carries the annual plan to the municipal government (第九条: the data bureau
and the finance bureau draft the plan "按轻重缓急" and 报市人民政府审定), as a Word document laid
out as a 公文 per GB/T 9704-2012 as far as a draft goes.

What it says comes from the plan's summary (workbench.report.summary), so its figures are the
report's first page's and cannot disagree with the plan's tables; which articles it cites are the
articles the summary's groups cite. What it leaves to the bureau is what only the bureau can
give: the 版头 (发文机关标志, 发文字号, 签发人: the bureau's own red-header template), the seal,
the date and the contact person (placeholders, GB/T 9704 7.3.5 / 7.3.6).

The layout is workbench.report.gongwen's (GB/T 9704-2012: A4, 22 lines of 28 characters of
3号仿宋, the title in 2号小标宋 wrapped into two symmetric lines, named paragraph styles that WPS
and Word users restyle, page numbers "— 1 —"); this module writes what the draft says, each
paragraph with the role that picks its style.

Editions: the summary holds counts and amounts, and no project of its own, so the internal and
the distribution editions say the same; the internal one is marked 内部版 where GB/T 9704 puts
the 密级 (top left of every page), so that it is not sent out with the distribution set. The
summary's risk sentence names a pool, never a project; an infeasible plan gets no 请示
(workbench.report.outputs says why instead).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from workbench.labels import LEVEL_CITY, QINGSHI_LABELS, REPORT_LABELS, SUMMARY_LABELS
from workbench.money import format_wan
from workbench.report.gongwen import Line, write_gongwen
from workbench.report.narrative import percent
from workbench.report.summary import Group, PlanSummary, PoolLine

Q = QINGSHI_LABELS
ZERO = Decimal(0)


def plan_title(year: int) -> str:
    """The plan's own title, as the workbook and the report carry it (the 请示 reports it)."""
    return REPORT_LABELS["title"].format(year=year)


def qingshi_title(year: int) -> str:
    return Q["title"].format(plan=plan_title(year))


def qingshi_file_name(summary: PlanSummary) -> str:
    return Q["file_name"].format(year=summary.plan_year)


def _wrapped_title(title: str) -> str:
    """The title in two lines, broken before the phrase the labels name (GB/T 9704 7.3.3)."""
    at = title.find(Q["title_break_before"])
    return title if at <= 0 else f"{title[:at]}\n{title[at:]}"


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 21 → 二十一: heading numbers (一、 （一）)."""
    digits, ten = Q["numerals"][:9], Q["numerals"][9]
    if n <= 10:
        return Q["numerals"][n - 1]
    tens, units = divmod(n, 10)
    return (digits[tens - 1] if tens > 1 else "") + ten + (digits[units - 1] if units else "")


def _article_key(article: str) -> tuple[int, ...]:
    """第六条第（五）项 → (6, 5), 第三十四条 → (34,): the measures' order for the basis."""
    numbers: list[int] = []
    value = current = 0
    inside = False
    for ch in [*article, ""]:
        index = Q["numerals"].find(ch) if ch else -1
        if index == 9:
            value, current, inside = value + (current or 1) * 10, 0, True
        elif index >= 0:
            current, inside = index + 1, True
        elif inside:
            numbers.append(value + current)
            value = current = 0
            inside = False
    return tuple(numbers)


def cited_articles(summary: PlanSummary) -> list[str]:
    """The articles the summary's groups cite, once each, in the measures' order."""
    articles = {g.article for g in (*summary.left_out, *summary.forced_groups) if g.article}
    return sorted(articles, key=lambda a: (_article_key(a), a))


def _with_article(text: str, article: str) -> str:
    return Q["with_article"].format(text=text, article=article) if article else text


def _items(groups: Iterable[Group], *, amounts: bool = False) -> str:
    template = Q["forced_item"] if amounts else SUMMARY_LABELS["group_item"]
    ordered = sorted(groups, key=lambda g: -g.count)  # the main reasons first
    return Q["item_sep"].join(
        _with_article(
            template.format(label=g.label, count=g.count, amount=format_wan(g.amount)), g.article
        )
        for g in ordered
    )


def _scale(s: PlanSummary) -> list[str]:
    share = percent(float(s.amount / s.requested)) if s.requested > 0 else ""
    key = "scale" if share else "scale_no_share"
    out = Q[key].format(
        selected=s.selected, year=s.plan_year, amount=format_wan(s.amount), share=share
    )
    if s.forced:
        out += Q["forced"].format(
            forced=s.forced,
            forced_amount=format_wan(s.forced_amount),
            items=_items(s.forced_groups, amounts=True),
        )
    return [out]


def _city_pool(p: PoolLine, year: int) -> str:
    planned = format_wan(p.planned)
    if p.ceiling is None:
        return Q["pool_city_unlimited"].format(pool=p.pool, year=year, planned=planned)
    spent = (
        Q["pool_city_spent_carried"].format(
            carried=format_wan(p.carried), planned=planned, used=format_wan(p.used)
        )
        if p.carried
        else Q["pool_city_spent"].format(planned=planned)
    )
    values = {"pool": p.pool, "year": year, "ceiling": format_wan(p.ceiling), "spent": spent}
    headroom = p.ceiling - p.used
    if headroom < 0:
        return Q["pool_city_over"].format(**values, over=format_wan(-headroom))
    if p.share is None:  # a ceiling of 0: no share to give
        return Q["pool_city_no_share"].format(**values, headroom=format_wan(headroom))
    return Q["pool_city"].format(**values, share=percent(p.share), headroom=format_wan(headroom))


def _other_pools(pools: Sequence[PoolLine]) -> str:
    planned = sum((p.planned for p in pools), ZERO)
    clauses = [Q["pool_others"].format(count=len(pools), planned=format_wan(planned))]
    kinds = (
        ("pool_others_full", [p for p in pools if p.headroom is not None and p.headroom == 0]),
        ("pool_others_over", [p for p in pools if p.headroom is not None and p.headroom < 0]),
        ("pool_others_unlimited", [p for p in pools if p.ceiling is None]),
    )
    for key, chosen in kinds:
        if chosen:
            clauses.append(Q[key].format(names=Q["name_sep"].join(p.pool for p in chosen)))
    return Q["clause_sep"].join(clauses) + Q["sentence_end"]


def _pools(s: PlanSummary) -> list[str]:
    city = s.pool(LEVEL_CITY)
    others = [p for p in s.pools if p.pool != LEVEL_CITY]
    out = [] if city is None else [_city_pool(city, s.plan_year)]
    if others:
        out.append(_other_pools(others))
    return out


def _left_out(s: PlanSummary) -> list[str]:
    out = []
    excluded = [g for g in s.left_out if g.status == "excluded"]
    others = [g for g in s.left_out if g.status != "excluded"]
    if s.excluded:
        out.append(
            Q["excluded"].format(
                count=s.excluded, amount=format_wan(s.excluded_amount), items=_items(excluded)
            )
        )
    if s.not_selected:
        out.append(
            Q["not_selected"].format(
                count=s.not_selected, amount=format_wan(s.not_selected_amount), items=_items(others)
            )
        )
    return out


def _out_years(s: PlanSummary) -> list[str]:
    if s.commitment_sentence:
        return [s.commitment_sentence]
    if s.out_years and s.last_year > s.plan_year:
        return [
            Q["out_years"].format(
                first=s.plan_year + 1, last=s.last_year, amount=format_wan(s.out_years)
            )
        ]
    return []


@dataclass(frozen=True)
class _Section:
    heading: str
    paragraphs: list[str]
    subsections: list[tuple[str, list[str]]] = field(default_factory=list)


def _sections(s: PlanSummary) -> list[_Section]:
    articles = cited_articles(s)
    figures = {"year": s.plan_year, "candidates": s.candidates}
    requested = format_wan(s.requested)
    basis = (
        Q["basis"].format(
            **figures, requested=requested, articles=Q["article_list_sep"].join(articles)
        )
        if articles
        else Q["basis_no_articles"].format(**figures, requested=requested)
    )
    content_intro = (
        [Q["infeasible"].format(diagnosis=s.diagnosis)] if not s.feasible and s.diagnosis else []
    )
    subsections = [
        (Q["h_scale"], _scale(s)),
        (Q["h_pools"], _pools(s)),
        (Q["h_left_out"], _left_out(s)),
        (Q["h_out_years"], _out_years(s)),
        (Q["h_risk"], list(s.risk_sentences)),
    ]
    return [
        _Section(Q["h_basis"], [basis]),
        _Section(Q["h_content"], content_intro, [(h, ps) for h, ps in subsections if ps]),
        _Section(Q["h_request"], [Q["request"].format(plan=plan_title(s.plan_year))]),
    ]


def _attachments(attachments: Sequence[str]) -> list[Line]:
    names = [a for a in attachments if a]
    if len(names) == 1:
        return [Line("attachment", Q["attachments_single"].format(name=names[0]))]
    return [
        Line(
            "attachment",
            Q["attachments_first" if n == 1 else "attachments_next"].format(number=n, name=name),
        )
        for n, name in enumerate(names, start=1)
    ]


def qingshi_paragraphs(summary: PlanSummary, attachments: Sequence[str] = ()) -> list[Line]:
    """The draft, paragraph by paragraph, each with the role that picks its style."""
    title = plan_title(summary.plan_year)
    lines = [
        Line("title", _wrapped_title(qingshi_title(summary.plan_year))),
        Line("addressee", Q["addressee"]),
        Line("body", Q["opening"].format(plan=title)),
    ]
    for n, section in enumerate(_sections(summary), start=1):
        lines.append(
            Line("heading1", Q["heading1"].format(number=chinese_number(n), text=section.heading))
        )
        lines += [Line("body", text) for text in section.paragraphs]
        for m, (heading, paragraphs) in enumerate(section.subsections, start=1):
            lines.append(
                Line("heading2", Q["heading2"].format(number=chinese_number(m), text=heading))
            )
            lines += [Line("body", text) for text in paragraphs]
    lines.append(Line("body", Q["closing"]))
    if any(attachments):
        lines += [Line("body"), *_attachments(attachments)]  # 附件说明: 正文下空一行 (7.3.4)
    # 落款 (7.3.5): room for the seal, the drafting bodies of 第九条, the date; 附注 (7.3.6)
    # on the line under the date: the contact a 请示 must give.
    lines += [Line("body"), Line("body")]
    lines += [Line("signer", Q[k]) for k in ("signer_data", "signer_finance", "seal")]
    lines += [Line("date", Q["date"]), Line("note", Q["note"])]
    return lines


def write_qingshi(
    summary: PlanSummary,
    path: str | Path,
    *,
    attachments: Sequence[str],
    internal: bool = False,
) -> Path:
    """Write the 请示 draft to ``path`` (a .docx file); ``attachments`` are the names of what
    goes with it (the plan workbook's title …), listed under 附件 in that order. ``internal``
    marks the internal edition (内部版, top left); the text is the same (module docstring)."""
    return write_gongwen(
        qingshi_paragraphs(summary, attachments),
        path,
        title=qingshi_title(summary.plan_year),
        mark=Q["internal_mark"] if internal else "",
    )


__all__ = [
    "cited_articles",
    "plan_title",
    "qingshi_file_name",
    "qingshi_paragraphs",
    "qingshi_title",
    "write_qingshi",
]
