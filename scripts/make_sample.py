"""Generate the embedded sample: a synthetic Ordos (鄂尔多斯市) intake for plan year 2027.

合成数据，非真实申报。Unit names, banners, parks and the kind of projects are realistic; every
project, system, amount, date, conclusion and usage figure is invented by this script.

Writes, into ``workbench/data/sample`` (or ``--out``):

* ``candidates.csv`` the July 2026 submissions (contract ``workbench/intake/schema/candidates.csv``)
* ``systems.csv``    the registry of built systems (contract ``.../schema/systems.csv``)
* ``usage.csv``      monthly usage 2025-01..2026-09 (contract ``.../schema/usage.csv``)
* ``register_events.csv`` the 项目库's history 2024–2026 of some 市本级 projects, an event table
  as ``workbench db events`` reads it, behind ``workbench db demo`` (drawn from a random stream
  of its own, so the three files above are drawn as they were before it existed)
* ``README.md``      what the data is, how it was made, what it contains, which rows are pinned

The hand-written content (units, their systems and project lines, banners, parks, and the rows
pinned to boundary values so that every rule has examples) is ``scripts/sample_spec.yaml``; this
script draws the rest. It does not decide which rules the rows trigger: the policy pack and the
engine do, through ``workbench check`` (``tests/test_cli.py`` asserts that every rule fires).

Headers are the contracts' Chinese ``header_zh``; values are written as a department would fill
in the form. The output is deterministic: ``numpy.random.default_rng(seed)`` drives every random
choice in the order of the spec, rows are written in id order, so two runs with the same seed
give byte-identical files.

    python scripts/make_sample.py [--seed 20260731] [--out workbench/data/sample]
"""

from __future__ import annotations

import argparse
import csv
import re
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal as D
from pathlib import Path

import numpy as np
import yaml

SEED = 20260731
PLAN_YEAR = 2027
LAST_USAGE_MONTH = (2026, 9)  # usage compiled by the data bureau for the autumn plan review
ROOT = Path(__file__).resolve().parents[1]
SCHEMA_DIR = ROOT / "workbench" / "intake" / "schema"
DEFAULT_OUT = ROOT / "workbench" / "data" / "sample"
SPEC_PATH = Path(__file__).resolve().with_name("sample_spec.yaml")
# The sample README, a str.format template: its {fields} are filled in by ``summarize``.
README_TEMPLATE = SPEC_PATH.with_name("sample_readme.md")
YES, NO = "是", "否"

SPEC = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
DC = SPEC["data_centre"]
CITY, DISTRICTS, PARKS = SPEC["city"], SPEC["districts"], SPEC["parks"]
DISTRICT_DOMAIN = SPEC["district_domains"]
PINNED_PROJECTS, PINNED_SYSTEMS = SPEC["pinned_projects"], SPEC["pinned_systems"]
FEATURES, AREAS = SPEC["features"], SPEC["priority_areas"]
BLANK_ROW, SUMMARIES = SPEC["blank_row"], SPEC["summaries"]
USAGE_PROFILES, DEFECTS = SPEC["usage_profiles"], SPEC["defects"]
USAGE_RANGES = ("logins", "business_volume", "satisfaction")
# A project line of the spec: "<code> <name> [#domain] [@project_type]" (see the spec's header).
LINE = re.compile(r"^([BUS])(\+\d?)?(?:\^(\d))?(-\d)?\s+(\S+)(?:\s+#(\S+))?(?:\s+@(\S+))?$")


def money(x: object) -> str:
    """万元 as a department writes it: plain number, up to two decimals."""
    return f"{float(x):.2f}".rstrip("0").rstrip(".")


def draw_amount(
    rng: np.random.Generator, median: float, sigma: float, lo: float, hi: float
) -> float:
    x = float(rng.lognormal(np.log(median), sigma))
    while not lo <= x <= hi:  # redraw instead of clipping: no pile-up at the bounds
        x = float(rng.lognormal(np.log(median), sigma))
    style = rng.random()
    x = round(x) if style < 0.5 and x >= 10 else round(x, 1 if style < 0.75 else 2)
    return min(max(x, lo), hi)


def add_months(d: date, n: int) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 + n, 12)
    return date(y, m + 1, min(d.day, 28))


def month_range(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    out, (y, m) = [], first
    while (y, m) <= last:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def submitters() -> list[dict]:
    """Every submitting unit of the spec, in its order: where it sits, domain, systems, lines."""
    city = [{**c, "level": "市本级", "district": "", "park": ""} for c in CITY]
    banners = [
        {
            **u,
            "unit": d + suffix,
            "level": "旗区",
            "district": d,
            "park": "",
            "domain": DISTRICT_DOMAIN[suffix],
        }
        for d, units in DISTRICTS.items()
        for suffix, u in units.items()
    ]
    parks = [
        {
            **p,
            "unit": f"{park}管理委员会",
            "level": "园区",
            "district": p["host"],
            "park": park,
            "domain": "园区管理",
        }
        for park, p in PARKS.items()
    ]
    return city + banners + parks


# ------------------------------------------------------------------------------- systems, usage
def make_systems(rng: np.random.Generator) -> list[dict[str, str]]:
    owners = [(u["unit"], n) for u in submitters() for n in u.get("systems", [])]
    span = (date(2025, 9, 30) - date(2019, 3, 1)).days
    rows = []
    for i, (unit, name) in enumerate(owners, start=1):
        sp = PINNED_SYSTEMS.get(name, {})
        acc = date(2019, 3, 1) + timedelta(days=int(rng.integers(span)))
        acc_s = sp.get("final_acceptance_date", acc.isoformat())
        status = sp.get("status", "运行")
        perf, eval_date = "未评价", ""
        if "performance_evaluation" in sp:
            perf, eval_date = sp["performance_evaluation"], sp["evaluation_date"]
        elif status != "在建" and rng.random() < 0.8:
            when = add_months(date.fromisoformat(acc_s), int(rng.integers(12, 25)))
            if when <= date(2026, 6, 30):
                perf, eval_date = "通过", when.isoformat()
        rows.append(
            {
                "system_id": f"XT-{i:04d}",
                "name": name,
                "unit": unit,
                "status": status,
                "final_acceptance_date": "" if status == "在建" else acc_s,
                "discontinued_date": sp.get("discontinued_date", ""),
                "performance_evaluation": perf,
                "evaluation_date": eval_date,
                "designed_monthly_logins": str(int(rng.integers(8, 300)) * 100),
                "designed_monthly_volume": str(int(rng.integers(4, 300)) * 50),
                "low_usage_determination": sp.get("low_usage_determination", ""),
                "determination_date": sp.get("determination_date", ""),
            }
        )
    return rows


def usage_month(rng: np.random.Generator, kind: str, k: int, base: tuple[int, int]) -> dict:
    """One month of usage; k is the month's index after acceptance (0 = first month)."""
    if kind == "given":
        return {"usage_rate": f"{rng.uniform(55, 95):.1f}"}
    if kind == "exact30":
        rates = USAGE_PROFILES["exact30"]
        return {"usage_rate": money(rates[k % len(rates)])}
    pick = "normal" if kind == "break" and k == 3 else ("low" if kind == "break" else kind)
    (l0, l1), (v0, v1), (s0, s1) = (USAGE_PROFILES[pick][key] for key in USAGE_RANGES)
    return {
        "logins": str(round(base[0] * rng.uniform(l0, l1))),
        "business_volume": str(round(base[1] * rng.uniform(v0, v1))),
        "satisfaction": f"{rng.uniform(s0, s1):.1f}",
    }


def make_usage(rng: np.random.Generator, systems: list[dict[str, str]]) -> list[dict[str, str]]:
    rows = []
    for s in systems:
        if not s["final_acceptance_date"]:
            continue
        acc = date.fromisoformat(s["final_acceptance_date"])
        last = LAST_USAGE_MONTH
        if s["discontinued_date"]:
            disc = date.fromisoformat(s["discontinued_date"])
            last = min(last, (disc.year, disc.month - 1) if disc.month > 1 else (disc.year - 1, 12))
        after = (acc.year + (acc.month == 12), acc.month % 12 + 1)
        kind = PINNED_SYSTEMS.get(s["name"], {}).get("usage", "normal")
        base = (int(s["designed_monthly_logins"]), int(s["designed_monthly_volume"]))
        for k, (y, m) in enumerate(month_range(max((2025, 1), after), last)):
            rows.append(
                {
                    "system_id": s["system_id"],
                    "month": f"{y}-{m:02d}",
                    **usage_month(rng, kind, k, base),
                }
            )
    return rows


# ------------------------------------------------------------------------------------ projects
def summary_of(rng: np.random.Generator, name: str, code: str, domain: str, months: int) -> str:
    what = re.sub("项目$", "", name)
    feats = "、".join(rng.choice(FEATURES, size=3, replace=False))
    return SUMMARIES[code].format(what=what, feats=feats, domain=domain, months=months)


def priority_areas(rng: np.random.Generator, r: dict[str, str]) -> str:
    areas = {"公共基础设施类": ["政务信息基础设施"], "公共支撑平台类": ["公共支撑"]}.get(
        r["project_type"], []
    )
    if r["domain"] in ("数据资源", "社会信用") or "数据" in r["name"]:
        areas.append("数据资源")
    if r["domain"] == "政务服务":
        areas.append("政务服务")
    if r["cross_department"] == YES:
        areas.append("跨部门跨层级共建共享")
    if r["retired_systems"] != "0":
        areas.append("整合分级分散业务系统")
    if not areas and rng.random() < 0.3:
        areas.append("共性应用")
    return "、".join(sorted(set(areas), key=AREAS.index)[:3])


def make_project(
    rng: np.random.Generator,
    line: str,
    place: dict[str, str],
    domain: str,
    unit_systems: list[dict[str, str]],
) -> dict[str, str]:
    """One project of a project line; place is the unit, level, district and park."""
    match = LINE.match(line)
    assert match, line
    code, plus, sys_k, minus, name, dom, ptype = match.groups()
    sp = PINNED_PROJECTS.get(name, {})
    small = place["level"] != "市本级"
    category = "采购服务类" if code == "S" else "建设类"
    if code == "S":
        total = draw_amount(rng, 60 if small else 100, 1.1, 5, 1500)
        months = int(rng.choice([3, 3, 4, 5, 6, 6]))
    else:
        total = draw_amount(rng, 110 if small else 220, 1.45, 5, 5000)
        months = int(
            rng.choice(
                [3, 4, 6, 6, 8]
                if total <= 100
                else [6, 8, 10, 12, 12, 18]
                if total <= 800
                else [12, 18, 18, 24]
            )
        )
    total = float(sp.get("total_investment", total))
    months = int(sp.get("construction_months", months))
    request = total if months <= 12 else round(total * rng.uniform(0.5, 0.8), int(rng.integers(3)))
    om_share = rng.uniform(0.08, 0.15) if code != "S" else rng.choice([0, rng.uniform(0.03, 0.08)])
    simple = total <= 1000 and rng.random() < (0.5 if code == "S" else 0.3)
    ptype = ptype or (
        "安全类"
        if re.search("安全防护|密码|网络安全|安全风险评估", name)
        else "其他"
        if code == "S" or rng.random() < 0.2
        else "业务平台类"
    )
    original = money(round(total / rng.uniform(0.2, 0.8))) if code == "U" else ""
    related = [s["system_id"] for s in unit_systems[int(sys_k) - 1 : int(sys_k)]] if sys_k else []
    row = {
        **BLANK_ROW,
        "name": name,
        **place,
        "category": category,
        "is_upgrade": YES if code == "U" else NO,
        "original_investment": original,
        "total_investment": money(total),
        "request_amount": money(sp.get("request_amount", request)),
        "construction_months": str(months),
        "annual_om_cost": money(total * om_share),
        "cross_department": YES if rng.random() < 0.12 else NO,
        "simple_content": YES if simple else NO,
        "domain": dom or domain,
        "new_systems": (plus[1:] or "1") if plus else "0",
        "retired_systems": minus[1:] if minus else "0",
        "project_type": ptype,
        "warranty_months": str(
            rng.choice([12, 12, 24, 24, 24, 36, 36] if code != "S" else [12, 12, 12, 24])
        ),
        "related_systems": "、".join(related),
        "summary": summary_of(rng, name, code, dom or domain, months),
    }
    for key, value in sp.items():
        if key in row:
            row[key] = (
                money(value) if key in ("total_investment", "original_investment") else str(value)
            )
    row["priority_areas"] = priority_areas(rng, row)
    row["_deps"] = sp.get("depends_on", [])
    return row


def make_om(
    rng: np.random.Generator, system: dict[str, str], place: dict[str, str], domain: str
) -> dict[str, str]:
    """The O&M project of a running system: a renewal, or the first O&M after warranty."""
    name = f"{system['name']}运维服务项目"
    total = float(PINNED_SYSTEMS.get(system["name"], {}).get("om_total", 0)) or draw_amount(
        rng, 45, 0.75, 10, 300
    )
    hours = (
        PINNED_PROJECTS.get(name, {}).get("hours")
        or [(2, 24, 48), (2, 24, 48), (2, 24, 48), (1, 12, 24), (0.5, 8, 24)][rng.integers(5)]
    )
    renewal = system["final_acceptance_date"] < "2024-01-01"
    return {
        **BLANK_ROW,
        "name": name,
        **place,
        "category": "运维服务类",
        "total_investment": money(total),
        "request_amount": money(total),
        "construction_months": "12",
        "annual_om_cost": "0",
        "domain": domain,
        "existing_om": YES if renewal else NO,
        "project_type": om_project_type(system),
        "om_response_hours": money(hours[0]),
        "om_general_fix_hours": money(hours[1]),
        "om_major_plan_hours": money(hours[2]),
        "related_systems": system["system_id"],
        "_deps": [],
        "summary": SUMMARIES["renewal" if renewal else "first_om"].format(
            system=system["name"], year=PLAN_YEAR
        ),
    }


def om_project_type(s: dict[str, str]) -> str:
    """The data centre's systems are shared infrastructure or platforms; the others business."""
    if s["unit"] != DC:
        return "业务平台类"
    return "公共基础设施类" if re.search("政务云|外网", s["name"]) else "公共支撑平台类"


def needs_om(rng: np.random.Generator, s: dict[str, str]) -> bool:
    if s["status"] != "运行":
        return False
    forced = f"{s['name']}运维服务项目" in PINNED_PROJECTS or "om_total" in PINNED_SYSTEMS.get(
        s["name"], {}
    )
    return forced or (s["final_acceptance_date"] < "2025-01-01" and rng.random() < 0.85)


def make_candidates(rng: np.random.Generator, systems: list[dict[str, str]]) -> list[dict]:
    by_unit: dict[str, list[dict[str, str]]] = defaultdict(list)
    for s in systems:
        by_unit[s["unit"]].append(s)
    city, local = [], []
    for u in submitters():
        place = {key: u[key] for key in ("unit", "level", "district", "park")}
        owned = by_unit[u["unit"]]
        rows = [make_project(rng, ln, place, u["domain"], owned) for ln in u["projects"]]
        rows += [make_om(rng, s, place, u["domain"]) for s in owned if needs_om(rng, s)]
        (city if u["level"] == "市本级" else local).extend(rows)
    for prefix, rows in (("SB", city), ("QQ", local)):
        for i, row in enumerate(rows, start=1):
            row["project_id"] = f"{prefix}{PLAN_YEAR}-{i:04d}"
    ids = {r["name"]: r["project_id"] for r in city + local}
    for r in city + local:
        deps = [ids[n] for n in r.pop("_deps")]
        assert all(d < r["project_id"] or d[:2] != r["project_id"][:2] for d in deps), r["name"]
        r["depends_on"] = "、".join(deps)
    add_defects(rng, city + local, systems)
    return city + local


def add_defects(rng: np.random.Generator, rows: list[dict], systems: list[dict]) -> None:
    """About a third of the rows fail pre-review, ex-ante evaluation or lack a data catalog."""
    pinned_units = {
        s["unit"]
        for s in systems
        if {"usage", "performance_evaluation", "discontinued_date"}
        & set(PINNED_SYSTEMS.get(s["name"], {}))
        and PINNED_SYSTEMS[s["name"]].get("usage") != "given"
    }
    weights = [d["weight"] for d in DEFECTS]
    for r in rows:
        om = r["category"] == "运维服务类"
        if (
            r["name"] in PINNED_PROJECTS
            or r["mandated"] == YES
            or (r["unit"] in pinned_units and not om)
        ):
            continue  # rows pinned for a rule, force-in candidates, 第六条 test rows stay clean
        if rng.random() >= (0.3 if om else 0.68):
            continue
        defect = DEFECTS[int(rng.choice(len(DEFECTS), p=weights))]
        key, value = defect["field"], defect["value"]
        if key == "pending" or (om and key == "has_data_catalog"):
            r["pre_review"], r["ex_ante_evaluation"] = "未审核", "未评价"
        else:
            r[key] = value


def check_pinned(rows: list[dict], systems: list[dict]) -> None:
    """A misspelt name or key among the spec's pinned rows would silently pin nothing."""
    problems: list[str] = []
    for pinned, made, extra in (
        (PINNED_PROJECTS, rows, {"note", "hours"}),
        (PINNED_SYSTEMS, systems, {"note", "usage", "om_total"}),
    ):
        known = set().union(*made) | extra
        problems += sorted(set(pinned) - {r["name"] for r in made})
        problems += [
            f"{name}.{key}" for name, sp in pinned.items() for key in sp if key not in known
        ]
    if problems:
        raise ValueError(f"{SPEC_PATH.name}: pinned names or keys not generated: {problems}")


# ---------------------------------------------------------------------------- register history
REGISTER = SPEC["register"]
REGISTER_FILE = "register_events.csv"


def draw_day(rng: np.random.Generator, first: str, last: str) -> date:
    lo, hi = date.fromisoformat(first), date.fromisoformat(last)
    return lo + timedelta(days=int(rng.integers((hi - lo).days + 1)))


def weekday(d: date) -> date:
    """A drawn date on a Saturday or Sunday moves to the Monday."""
    return d + timedelta(days=(7 - d.weekday()) % 7 if d.weekday() >= 5 else 0)


def step_gap(rng: np.random.Generator, step: dict, anchor: date, months: int) -> date:
    if "days" in step:
        return anchor + timedelta(days=int(rng.integers(step["days"][0], step["days"][1] + 1)))
    if "months" in step:
        return add_months(anchor, int(rng.integers(step["months"][0], step["months"][1] + 1)))
    span = (add_months(anchor, months) - anchor).days
    return anchor + timedelta(days=round(span * rng.uniform(*step["period"])))


def share_of(approved: D, share: float) -> D:
    return D(f"{float(approved) * share:.2f}")


def story_events(
    rng: np.random.Generator, project: dict, story: dict, pinned: dict
) -> list[tuple[date, str, str, str]]:
    """One project's story as (date, event, amount, note), steps in order; see the spec."""
    until = date.fromisoformat(REGISTER["until"])
    fixed = {name: date.fromisoformat(day) for name, day in pinned.get("dates", {}).items()}
    approved, months = D(project["total_investment"]), int(project["construction_months"])
    dated: dict[str, date] = {}
    found: list[tuple[date, str, str, str]] = []
    previous, actual = None, None
    for step in story["steps"]:
        name = step["event"]
        if name == pinned.get("stop_before"):
            break
        side = "chance" in step
        if side and rng.random() >= step["chance"]:
            continue
        if name in fixed:
            when = fixed[name]
        elif previous is None:
            when = weekday(draw_day(rng, *story["start"]))
        else:
            when = weekday(step_gap(rng, step, dated[step.get("after", previous)], months))
        if not side and previous is not None and when < dated[previous]:
            raise ValueError(f"{SPEC_PATH.name}: {project['name']} {name} before {previous}")
        if when > until:
            if side:
                continue
            break
        amount = step.get("amount")
        if amount == "approved":
            value = approved
        elif amount == "surplus":
            value = approved - actual  # type: ignore[operator]  # a story has 竣工验收 first
        elif amount is not None:
            value = share_of(approved, rng.uniform(*REGISTER["shares"][amount]))
            actual = value if amount == "actual" else actual
        dated[name] = when
        previous = previous if side else name
        found.append((when, name, "" if amount is None else money(value), step.get("note", "")))
    for extra in pinned.get("extra", []):
        when = date.fromisoformat(extra["date"])
        if when > until:
            raise ValueError(f"{SPEC_PATH.name}: {project['name']} {extra} after {until}")
        value = money(share_of(approved, extra["share"])) if "share" in extra else ""
        found.append((when, extra["event"], value, extra.get("note", "")))
    return found


def make_register(seed: int, rows: list[dict]) -> list[list[str]]:
    """The register's history (spec ``register``): pinned stories, then drawn ones, as event
    table rows in project and date order."""
    rng = np.random.default_rng([seed, REGISTER["stream"]])
    stories = REGISTER["stories"]
    city = [r for r in rows if r["level"] == "市本级"]
    by_name = {r["name"]: r for r in city}
    told: list[tuple[dict, list]] = []
    for pinned in REGISTER["pinned"]:
        steps = {step["event"] for step in stories[pinned["story"]]["steps"]}
        named = {*pinned.get("dates", {}), pinned.get("stop_before", next(iter(steps)))}
        if pinned["project"] not in by_name or not named <= steps:
            raise ValueError(f"{SPEC_PATH.name}: register.pinned names nothing: {pinned}")
        project = by_name[pinned["project"]]
        told.append((project, story_events(rng, project, stories[pinned["story"]], pinned)))
    taken = {pinned["project"] for pinned in REGISTER["pinned"]}
    for group in REGISTER["drawn"]:
        eligible = [
            r for r in city if r["category"] == group["category"] and r["name"] not in taken
        ]
        picks = sorted(rng.choice(len(eligible), size=group["count"], replace=False))
        for project in (eligible[int(i)] for i in picks):
            total = D(project["total_investment"])
            names = [
                name
                for name in group["stories"]
                if total <= D(str(stories[name].get("max_total", total)))
            ]
            weights = np.array([group["stories"][name] for name in names], dtype=float)
            name = names[int(rng.choice(len(names), p=weights / weights.sum()))]
            told.append((project, story_events(rng, project, stories[name], {})))
    out = []
    for project, found in sorted(told, key=lambda item: item[0]["project_id"]):
        ordered = sorted(enumerate(found), key=lambda item: (item[1][0], item[0]))
        for _, (when, event, amount, note) in ordered:
            out.append(
                [project["project_id"], project["name"], event, when.isoformat(), amount, note]
            )
    return out


def write_register(path: Path, events: list[list[str]]) -> None:
    """An event table with a title row above the header that says what the data is."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow([REGISTER["title"]])
        writer.writerow(REGISTER["columns"])
        writer.writerows(events)


EARLIER_FILE = "candidates_2026.csv"


def make_earlier_intake(rows: list[dict], events: list[list[str]]) -> list[dict]:
    """The 2026 intake behind the demo's adopted 2026 plan (spec ``register.earlier``): the
    register's projects whose story starts within the 2026 plan's window (the same projects,
    resubmitted in 2027), 2027's first 市本级 O&M services outside the stories (renewed yearly,
    so in 2026 too), and 2027's 市本级 multi-year builds outside the stories as their first
    phases (一期, numbered for 2026), whose later years the 2026 plan commits. Every row passed
    its pre-review and ex-ante evaluation (it was adopted). Deterministic: no draws."""
    spec = REGISTER["earlier"]
    first: dict[str, str] = {}
    for pid, _, _, day, _, _ in events:
        first[pid] = min(first.get(pid, day), day)
    window = spec["window"]
    passed = {"pre_review": "通过", "ex_ante_evaluation": "可行"}
    again = [
        {**r, **passed} for r in rows if window[0] <= first.get(r["project_id"], "") <= window[1]
    ]
    phases = [
        r
        for r in rows
        if r["level"] == "市本级"
        and r["project_id"] not in first
        and r["category"] == "建设类"
        and int(r["construction_months"] or 0) > 12
        and D(r["total_investment"]) > D(r["request_amount"])
    ][: spec["first_phases"]]
    renewals = [
        {**r, **passed}
        for r in rows
        if r["level"] == "市本级" and r["project_id"] not in first and r["category"] == "运维服务类"
    ][: spec["om_renewals"]]
    earlier = [
        {
            **r,
            **passed,
            "project_id": r["project_id"].replace("2027", "2026", 1),
            "name": r["name"] + spec["phase_suffix"],
            "depends_on": "",
        }
        for r in phases
    ]
    return sorted(again + renewals + earlier, key=lambda r: r["project_id"])


# --------------------------------------------------------------------------------------- output
def write_csv(path: Path, contract: str, rows: list[dict]) -> None:
    with (SCHEMA_DIR / f"{contract}.csv").open(encoding="utf-8", newline="") as fh:
        spec = list(csv.DictReader(fh))
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow([c["header_zh"] for c in spec])
        writer.writerows([[r.get(c["key"], "") for c in spec] for r in rows])


def summarize(
    rows: list[dict], systems: list[dict], usage: list[dict], seed: int
) -> tuple[str, str]:
    """The content summary (counts, totals) and the README; no rule outcomes."""
    city = [r for r in rows if r["level"] == "市本级"]
    total = sum(D(r["total_investment"]) for r in rows)
    request = sum(D(r["request_amount"]) for r in rows)
    clean = sum(
        r["pre_review"] == "通过"
        and r["ex_ante_evaluation"] == "可行"
        and (r["has_data_catalog"] == YES)
        for r in rows
    )
    cats = {
        c: sum(r["category"] == c for r in rows) for c in ("建设类", "采购服务类", "运维服务类")
    }
    share = clean * 100 // len(rows)
    stats = (
        f"- 申报项目 candidates: {len(rows)}（市本级 {len(city)}，来自 "
        f"{len({r['unit'] for r in city})} 个市直单位；旗区 "
        f"{sum(r['level'] == '旗区' for r in rows)}，"
        f"园区 {sum(r['level'] == '园区' for r in rows)}）\n"
        f"- 项目类型: " + "，".join(f"{k} {v}" for k, v in cats.items()) + "\n"
        f"- 总投资 total investment: {money(total)} 万元；本年度申请 total request: "
        f"{money(request)} 万元（市本级 {money(sum(D(r['request_amount']) for r in city))} 万元）\n"
        f"- 前置审核通过、事前评价可行且有数据资源目录 clean: {clean}（{share}%）\n"
        f"- 已建系统 systems: {len(systems)}；月度使用记录 usage rows: {len(usage)}，"
        f"{len({u['month'] for u in usage})} 个月（{min(u['month'] for u in usage)}"
        f"..{max(u['month'] for u in usage)}）\n"
    )
    ids = {r["name"]: r["project_id"] for r in rows}
    pinned_projects = "\n".join(
        f"| {ids[name]} | {name} | {sp.get('note', '')} |" for name, sp in PINNED_PROJECTS.items()
    )
    pinned_systems = "\n".join(
        f"| {s['system_id']} | {s['name']} | {s['unit']} | {s['final_acceptance_date']} | "
        f"{PINNED_SYSTEMS[s['name']]['note']} |"
        for s in systems
        if "note" in PINNED_SYSTEMS.get(s["name"], {})
    )
    readme = README_TEMPLATE.read_text(encoding="utf-8").format(
        seed=seed,
        stats=stats,
        plan_year=PLAN_YEAR,
        pinned_projects=pinned_projects,
        pinned_systems=pinned_systems,
    )
    return stats, readme


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    systems = make_systems(rng)
    usage = make_usage(rng, systems)
    rows = make_candidates(rng, systems)
    check_pinned(rows, systems)
    args.out.mkdir(parents=True, exist_ok=True)
    rows.sort(key=lambda r: r["project_id"])
    write_csv(args.out / "candidates.csv", "candidates", rows)
    write_csv(args.out / "systems.csv", "systems", systems)
    write_csv(args.out / "usage.csv", "usage", usage)
    stats, readme = summarize(rows, systems, usage, args.seed)
    (args.out / "README.md").write_text(readme, encoding="utf-8")
    events = make_register(args.seed, rows)
    write_register(args.out / REGISTER_FILE, events)
    earlier = make_earlier_intake(rows, events)
    write_csv(args.out / EARLIER_FILE, "candidates", earlier)
    print(stats)
    print(
        f"- 项目库示例事件 register events: {len(events)}（{len({e[0] for e in events})} 个项目）"
    )
    print(f"- 项目库示例2026年度申报 earlier intake: {len(earlier)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
