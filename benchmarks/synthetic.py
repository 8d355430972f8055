"""Hard synthetic planning problems with every constraint family, for benchmarks.

``synthetic_problem(n, seed)``: n candidates over 12 pools and a 3-year horizon, values that are
weakly correlated with cost (the hard case for knapsack-type models), multi-year spend, O&M
tails, ~3 % forced in, ~10 % excluded, dependencies, one-platform domains, the system count,
an O&M envelope and unit caps. Ceilings are about 30 % of the requests, as in real intakes.

``near_identical_rows(n, seed)``: an intake of n rows (the embedded sample's rows, new ids) whose
names are near-identical, "XX系统运维服务项目" over a few dozen subjects: the hard case for the
第五条 similarity, where most projects resemble hundreds of others from other units.
"""

from __future__ import annotations

import numpy as np

from workbench.intake.columns import load_contract
from workbench.labels import LEVEL_CITY
from workbench.planner.model import Envelope, Problem

# The nine banners and districts come from the intake contract (the 所属旗区 allowed values).
BANNERS = load_contract("candidates").column("district").allowed
POOLS = (LEVEL_CITY, *BANNERS, "鄂尔多斯高新技术产业开发区", "自治区数字政府专项资金")
YEARS = (2027, 2028, 2029)


def synthetic_problem(n: int, seed: int = 0, share: float = 0.3) -> Problem:
    rng = np.random.default_rng(seed)
    ids = tuple(f"P{i:06d}" for i in range(n))
    pool_weights = np.array([0.7] + [0.3 / (len(POOLS) - 1)] * (len(POOLS) - 1))
    pools = rng.choice(len(POOLS), size=n, p=pool_weights)
    cost = np.round(np.exp(rng.normal(np.log(120), 1.0, size=n)).clip(5, 5000), 2)
    # Priority scores (0–100, two decimals) are not proportional to cost, as in real intakes.
    value = np.round(rng.beta(2.5, 2.5, size=n) * 100, 2)
    years = rng.choice([1, 2, 3], size=n, p=[0.6, 0.3, 0.1])
    om = np.where(rng.random(n) < 0.5, np.round(cost * rng.uniform(0.08, 0.15, n), 2), 0.0)
    spend: dict[tuple[str, str, int], float] = {}
    for k, pid in enumerate(ids):
        pool = POOLS[pools[k]]
        parts = np.full(years[k], round(cost[k] / years[k], 2))
        for j, amount in enumerate(parts):
            spend[(pid, pool, YEARS[j])] = float(amount)
        first_om = years[k] + 1
        for j in range(first_om, len(YEARS)):
            spend[(pid, pool, YEARS[j])] = spend.get((pid, pool, YEARS[j]), 0.0) + float(om[k])
    flags = rng.random(n)
    forced = frozenset(pid for pid, f in zip(ids, flags, strict=True) if f < 0.03)
    # Ceilings: a share of what the pool's candidates ask for, and never below what its forced
    # projects need (a synthetic instance is meant to be feasible).
    ceilings = {}
    for pool in POOLS:
        for year in YEARS:
            total = sum(a for (_, q, y), a in spend.items() if q == pool and y == year)
            needed = sum(
                a for (i, q, y), a in spend.items() if q == pool and y == year and i in forced
            )
            if total:
                ceilings[(pool, year)] = round(max(total * share, needed * 1.2), 2)
    excluded = frozenset(pid for pid, f in zip(ids, flags, strict=True) if 0.03 <= f < 0.13)
    # Forced projects stay out of dependencies and domains, so that the instance is feasible.
    dependencies = tuple(
        sorted(
            (ids[k], ids[j])
            for k in range(1, n)
            if rng.random() < 0.05
            for j in [int(rng.integers(0, k))]
            if ids[k] not in forced
        )
    )
    new = rng.choice([0, 1, 2], size=n, p=[0.6, 0.35, 0.05])
    retired = rng.choice([0, 1, 2, 3], size=n, p=[0.5, 0.3, 0.15, 0.05])
    domains: dict[str, tuple[str, ...]] = {}
    domain_of = rng.integers(0, max(n // 8, 1), size=n)
    for d in np.unique(domain_of):
        members = tuple(
            ids[k] for k in np.flatnonzero((domain_of == d) & (new > 0)) if ids[k] not in forced
        )
        if len(members) > 1:
            domains[f"领域{d}"] = members
    city = tuple(ids[k] for k in range(n) if pools[k] == 0)
    om_members = tuple(ids[k] for k in range(n) if pools[k] == 0 and rng.random() < 0.2)
    envelopes = (
        Envelope(
            key="e0",
            category="运维服务类",
            category_members=om_members,
            members=city,
            pool=POOLS[0],
            year=YEARS[0],
            min_share=0.05,
        ),
    )
    units = rng.integers(0, max(n // 6, 1), size=n)
    unit_caps = {}
    for u in np.unique(units)[:20]:
        members = tuple(ids[k] for k in np.flatnonzero(units == u))
        total = sum(
            spend.get((ids[k], POOLS[pools[k]], YEARS[0]), 0.0) for k in np.flatnonzero(units == u)
        )
        forced_total = sum(
            spend.get((ids[k], POOLS[pools[k]], YEARS[0]), 0.0)
            for k in np.flatnonzero(units == u)
            if ids[k] in forced
        )
        unit_caps[f"单位{u}"] = (members, round(max(total * 0.5, forced_total), 2))
    return Problem(
        ids=ids,
        value={pid: float(v) for pid, v in zip(ids, value, strict=True)},
        spend=spend,
        ceilings=ceilings,
        forced_in=forced,
        excluded=excluded - forced,
        dependencies=dependencies,
        domains=domains,
        system_delta={
            pid: int(a - b) for pid, a, b in zip(ids, new, retired, strict=True) if a != b
        },
        envelopes=envelopes,
        unit_caps=unit_caps,
        plan_year=YEARS[0],
    )


# "XX系统运维服务项目": what every bureau asks for each year, in few words.
SUBJECTS = (
    "政务外网", "视频会议", "电子证照", "协同办公", "一网通办", "政务热线", "网格化管理", "智慧党建",
    "数据共享交换", "电子档案", "公文交换", "政务云安全", "身份认证", "统一支付", "信用信息",
    "应急指挥", "视频监控联网", "不动产登记", "社保经办", "医保结算", "公积金管理", "财政预算",
    "国库集中支付", "非税收入", "政府采购", "公共资源交易", "市场监管", "食品安全追溯",
    "环境监测", "水资源监测", "林草防火", "矿山安全监管", "交通运输执法", "智慧停车",
    "城市运行管理", "数字城管", "智慧社区", "智慧教育", "智慧医疗", "卫生健康信息",
    "疾病预防控制", "养老服务", "民政救助", "退役军人服务", "就业服务", "人才服务",
    "招商引资", "统计数据采集", "审计数据分析", "机关事务管理", "政务服务评价", "12345热线",
    "营商环境监测", "数字乡村", "农牧业信息", "气象服务", "地震监测", "档案数字化",
    "党员教育", "纪检监察",
)  # fmt: skip


def near_identical_rows(
    n: int, seed: int = 0, prefix: str = "ND"
) -> tuple[list[str], list[list[str]]]:
    """n intake rows (the sample's header and rows, new ids, no dependencies) named
    "{subject}[{variant}]系统运维服务项目": ~1 in 4 carries a variant word, so that scores
    range from 100 (the same core name) down to the threshold and below."""
    from bench_intake import scaled_rows

    rng = np.random.default_rng(seed)
    header, rows = scaled_rows(n, prefix)
    name_col = header.index("项目名称")
    variants = ("一体化", "综合", "智能", "数据", "平台化")
    subjects = rng.integers(0, len(SUBJECTS), size=n)
    varied = rng.random(n) < 0.25
    chosen = rng.integers(0, len(variants), size=n)
    for i, row in enumerate(rows):
        extra = variants[chosen[i]] if varied[i] else ""
        row[name_col] = f"{SUBJECTS[subjects[i]]}{extra}系统运维服务项目"
    return header, rows
