"""Benchmark: the 项目库 at 10 years × 2 000 projects × 20 events (issue #13, item 9).

A register of the plan years 2018–2027 (``--years``, ending at 2027), each with a July intake of
2 000 candidates (``--projects``): the embedded sample's rows as templates with new ids, a fifth
of them resubmitted from the year before under the same 项目编号; a registry of built systems and
its monthly usage with each intake (the sample's, its dates moved to the plan year: each year's
rows supersede the last, usage months accumulate); a plan adopted each year under a scenario
written for that intake (ceilings at 30 % of what its candidates ask of each pool and year, never
below 1.2 × what its forced projects need, as ``bench_planner.scenario_for``); and, for every
submission, a life of 20 lifecycle events (``--events``) in the pack's order, from 建议书批复 to
绩效后评价 (three contracts, two 调整备案, two rectifications each with its 限期 in 说明, a few
late), in one event table per plan year (split by ``intake_limits`` when a year's rows exceed
them). Lives that would run past 2027-07-31 are compressed to end by then, so that no event lies
in the future of the last case's day. Inputs are built under ``benchmarks/.data/`` (not
committed) and reused.

Cases, each a command run as a user runs it (``python -m workbench …``, a fresh process started
by a small wrapper; wall time, CPU time and peak RSS of that process, from ``os.wait4``; the
database server's own CPU and memory are not counted), on SQLite (a file under
``benchmarks/.data``, left there) and, with ``--pg``, on PostgreSQL (a fresh database, dropped
afterwards):

1. building the register: ``db init``, then for each year ``db import`` (intake, registry,
   usage), ``db adopt --year Y --scenario S`` and ``db events`` of its event files; the row
   counts at the end;
2. ``db events`` of the last year's event files again (adds nothing);
3. ``db due --as-of 2027-07-31 --format json`` on the whole register;
4. ``plan`` of the 2027 intake (``--scenario``, ``--format json``) with the registry and usage
   files, and with ``--db`` instead (commitments, registry, usage, rectifications and history
   from the register, as of the day it runs). Both use the 2027 scenario with the register's
   commitments for 2027–2029 added to its ceilings, so that the plan with ``--db`` stays
   feasible (without ``--db`` the same ceilings are simply larger).

Cases 2–4 are repeated (``--repeat``): best and median.

    python benchmarks/bench_register.py                              # SQLite, the full size
    python benchmarks/bench_register.py --pg                         # and PostgreSQL
    python benchmarks/bench_register.py --years 2 --projects 100    # a smoke run

PostgreSQL: ``WORKBENCH_BENCH_PG_URL`` (else ``WORKBENCH_TEST_PG_URL``), a role that may create
databases, e.g. ``postgresql+psycopg://workbench:workbench@127.0.0.1:55433/workbench``; without
either, ``--pg`` says so and skips it. Figures go into ``benchmarks/README.md`` by hand.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import uuid
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / ".data"
sys.path.insert(0, str(HERE))

LAST_YEAR = 2027
AS_OF = dt.date(2027, 7, 31)  # `db due --as-of`, and the last day any event is dated
SHARE = Decimal("0.3")  # ceilings: this share of what the candidates ask of a pool and year
RESUBMITTED = 0.2  # share of an intake resubmitted from the year before, same 项目编号
FEN = Decimal("0.01")
PG_ENVS = ("WORKBENCH_BENCH_PG_URL", "WORKBENCH_TEST_PG_URL")
BY = "基准测试（合成数据）"


# -- inputs -----------------------------------------------------------------------------------


def input_dir(years: int, projects: int, events: int) -> Path:
    return DATA / f"register_{years}y_{projects}p_{events}e"


def build_inputs(years: int, projects: int, events: int) -> dict:
    """Write (once) every input file of the register; the manifest says which is which."""
    folder = input_dir(years, projects, events)
    manifest_path = folder / "manifest.json"
    if manifest_path.exists():
        return json.loads(manifest_path.read_text(encoding="utf-8"))
    import numpy as np
    from bench_intake import sample_rows

    from workbench.data import sample_systems, sample_usage
    from workbench.intake.limits import load_limits

    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    header, templates = sample_rows()
    col = {name: header.index(name) for name in header}
    limits = load_limits()
    first = LAST_YEAR - years + 1
    manifest: dict = {"years": {}, "projects": projects, "events": events}
    previous: list[tuple[str, int]] = []  # (项目编号, template) of the year before
    counter = 0
    for year in range(first, LAST_YEAR + 1):
        t0 = time.perf_counter()
        again = []
        if previous:
            picked = rng.choice(len(previous), size=int(projects * RESUBMITTED), replace=False)
            again = [previous[i] for i in sorted(picked)]
        fresh = []
        for k in range(projects - len(again)):
            fresh.append((f"XM{year}-{k + 1:05d}", counter % len(templates)))
            counter += 1
        submitted = again + fresh
        rows = []
        for pid, t in submitted:
            row = list(templates[t])
            row[col["项目编号"]] = pid
            row[col["依赖项目编号"]] = ""  # renumbered: the sample's dependencies would dangle
            rows.append(row)
        intake = folder / f"intake_{year}.csv"
        _write_csv(intake, [header, *rows])
        systems = folder / f"systems_{year}.csv"
        usage = folder / f"usage_{year}.csv"
        _shifted_table(sample_systems(), systems, year - LAST_YEAR, month_column=None)
        _shifted_table(sample_usage(), usage, year - LAST_YEAR, month_column="月份")
        event_rows = []
        for row in rows:
            event_rows += _life_rows(rng, year, row, col, events)
        event_rows.sort(key=lambda r: (r[2], r[0]))
        groups = _event_files(folder, year, event_rows, limits)
        scenario = _write_scenario(folder, year, intake, systems, usage)
        manifest["years"][str(year)] = {
            "intake": str(intake),
            "systems": str(systems),
            "usage": str(usage),
            "scenario": str(scenario),
            "event_groups": groups,
            "submissions": len(rows),
            "resubmitted": len(again),
            "events": len(event_rows),
        }
        print(
            f"  inputs {year}: {len(rows)} rows ({len(again)} resubmitted), "
            f"{len(event_rows)} events in {sum(len(g) for g in groups)} file(s), "
            f"{time.perf_counter() - t0:.1f} s",
            flush=True,
        )
        previous = submitted
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)


def _shift(text: str, years: int) -> str:
    """A date (YYYY-MM-DD) or month (YYYY-MM) moved by whole years (29 February → 28th)."""
    if not text:
        return text
    parts = text.split("-")
    year = int(parts[0]) + years
    if len(parts) == 2:
        return f"{year:04d}-{parts[1]}"
    month, day = int(parts[1]), int(parts[2])
    if month == 2 and day == 29:
        day = 28
    return dt.date(year, month, day).isoformat()


def _shifted_table(source: Path, target: Path, years: int, month_column: str | None) -> None:
    """The sample's registry (its dates) or usage (its months) moved to another plan year."""
    with source.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    if month_column:
        columns = [header.index(month_column)]
    else:
        columns = [i for i, h in enumerate(header) if h.endswith("日期")]
    out = [header]
    for row in rows[1:]:
        row = list(row)
        for i in columns:
            row[i] = _shift(row[i], years)
        out.append(row)
    _write_csv(target, out)


def _amount(value: float) -> Decimal:
    return max(Decimal(str(value)).quantize(FEN, rounding=ROUND_HALF_UP), FEN)


def _life(rng, months: int, investment: float) -> list[list]:
    """One submission's 20 events, in the pack's order of a life: [事件, day offset, amount,
    说明, 结论, deadline offset (整改通知)], sorted by offset. Timings mostly within the pack's
    periods; a few late (approval application, opinion, acceptance, application, surplus
    return, rectification), a few changes above 第二十八条's 15 %, a tenth of post-evaluations
    failed."""

    def u(a: float, b: float) -> float:
        return float(rng.uniform(a, b))

    def late(p: float) -> bool:
        return bool(rng.random() < p)

    out: list[list] = []

    def add(name, at, amount=None, note="", result="", deadline=None):
        out.append([name, at, amount, note, result, deadline])

    add("建议书批复", 0.0)
    t = u(31, 45) if late(0.05) else u(5, 28)
    add("审批申请", t)
    t += u(16, 40) if late(0.03) else u(2, 12)
    approved = _amount(investment * u(0.85, 1.0))
    add("审核意见", t, approved)
    t += u(20, 60)
    add("合同签订", t, _amount(float(approved) * u(0.55, 0.7)), "建设合同")
    started = t + u(5, 20)
    add("开工", started)
    span = months * 30.44
    add("合同签订", started + u(5, 40), _amount(float(approved) * u(0.02, 0.04)), "监理合同")
    for lo, hi in ((0.2, 0.4), (0.7, 0.85)):
        share = u(0.16, 0.25) if late(0.05) else u(0.02, 0.12)
        add(
            "调整备案",
            started + span * u(lo, hi),
            _amount(float(approved) * share),
            "部分建设内容调整",
        )
    add("中期绩效自评", started + span * u(0.52, 0.7), result=str(rng.choice(["通过", "良好"])))
    add(
        "合同签订",
        started + span * u(0.8, 0.9),
        _amount(float(approved) * u(0.01, 0.02)),
        "测评合同",
    )
    preliminary = started + span * (u(1.02, 1.25) if late(0.05) else u(0.85, 1.0))
    add("初步验收", preliminary)
    running = preliminary + u(0, 20)
    add("投入运行", running)
    for notice in (started + span * u(0.3, 0.6), running + u(10, 60)):
        days = u(30, 60)
        add("整改通知", notice, deadline=notice + days)
        add("整改完成", notice + (days + u(5, 30) if late(0.005) else u(5, days)))
    applied = preliminary + (u(185, 240) if late(0.05) else u(30, 170))
    add("竣工验收申请", applied)
    accepted = applied + (u(32, 60) if late(0.05) else u(7, 28))
    actual = min(_amount(float(approved) * u(0.9, 0.99)), approved - FEN)
    add("竣工验收", accepted, max(actual, FEN))
    surplus = max(approved - actual, FEN)
    add("结余资金退回", accepted + (u(31, 50) if late(0.05) else u(5, 28)), surplus)
    conclusion = "不通过" if late(0.1) else str(rng.choice(["通过", "良好", "优秀"]))
    add("绩效后评价", max(accepted, running) + u(370, 700), result=conclusion)
    out.sort(key=lambda e: e[1])
    return out


def _life_rows(rng, year: int, row: list[str], col: dict[str, int], events: int) -> list[list]:
    """The event table's rows of one submission: 项目编号, 事件, 日期, 金额(万元), 说明, 结论."""
    try:
        months = int(row[col["建设周期(月)"]] or 12)
    except ValueError:
        months = 12
    try:
        investment = float(row[col["总投资(万元)"]] or 0) or 10.0
    except ValueError:
        investment = 10.0
    life = _life(rng, min(max(months, 3), 36), investment)[:events]
    window = (dt.date(year, 3, 31) - dt.date(year - 1, 8, 1)).days
    start = dt.date(year - 1, 8, 1) + dt.timedelta(days=int(rng.integers(0, window + 1)))
    end = max(e[1] for e in life)
    # Compressed to end by AS_OF, or some weeks before it (not every life ends on one day).
    room = (AS_OF - start).days - int(rng.integers(0, 91))
    factor = min(1.0, max(room, 1) / end) if end > 0 else 1.0

    def day(offset: float) -> dt.date:
        return start + dt.timedelta(days=int(offset * factor))

    out = []
    pid = row[col["项目编号"]]
    for name, at, amount, note, result, deadline in life:
        if deadline is not None:
            note = f"限期{day(deadline).isoformat()}整改"
        out.append(
            [pid, name, day(at).isoformat(), "" if amount is None else str(amount), note, result]
        )
    return out


def _event_files(folder: Path, year: int, rows: list[list], limits) -> list[list[str]]:
    """The year's event table in files of at most ``rows_per_file`` rows (header included),
    grouped so that one ``db events`` reads at most ``rows_total`` rows."""
    header = ["项目编号", "事件", "日期", "金额(万元)", "说明", "结论"]
    per_file = min(limits.rows_per_file, limits.rows_total) - 1
    groups: list[list[str]] = []
    group_rows = 0
    for k, at in enumerate(range(0, len(rows), per_file)):
        chunk = rows[at : at + per_file]
        path = folder / f"events_{year}_{k + 1:02d}.csv"
        _write_csv(path, [header, *chunk])
        if not groups or group_rows + len(chunk) + 1 > limits.rows_total:
            groups.append([])
            group_rows = 0
        groups[-1].append(str(path))
        group_rows += len(chunk) + 1
    return groups


def _write_scenario(folder: Path, year: int, intake: Path, systems: Path, usage: Path) -> Path:
    """The base scenario moved to ``year`` with ceilings written for this intake."""
    from workbench.scenario import load_scenario

    base = load_scenario("base").for_year(year)
    ceilings = _ceilings(year, intake, systems, usage, base)
    path = folder / f"scenario_{year}.yaml"
    _dump_scenario(base, ceilings, path, f"基准测试{year}", "基准测试情景（合成数据）")
    return path


def _dump_scenario(base, ceilings: dict, path: Path, name: str, description: str) -> None:
    import yaml

    data = base.model_dump(mode="json", exclude={"path"})
    data.update(name=name, description=description, sample=False)
    data["ceilings"] = {
        pool: {int(y): str(a) for y, a in by_year.items()} for pool, by_year in ceilings.items()
    }
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _check(year: int, intake: Path, systems: Path, usage: Path):
    from workbench.intake import read_table
    from workbench.intake.registry import read_systems, read_usage
    from workbench.policy import check

    candidates = read_table([str(intake)])
    registry = read_systems([str(systems)])
    used = read_usage([str(usage)], registry)
    return check(
        candidates.accepted, plan_year=year, systems=registry.accepted, usage=used.accepted
    )


def _ceilings(year: int, intake: Path, systems: Path, usage: Path, base) -> dict:
    """``bench_planner.scenario_for``'s rule: 30 % of each pool-year's requests, never below
    1.2 × what the forced projects need there."""
    import pandas as pd

    from workbench.planner.prepare import prepare
    from workbench.planner.spend import spend_profile

    result = _check(year, intake, systems, usage)
    profile = spend_profile(result.candidates, base)
    total = profile.groupby(["pool", "year"])["amount"].sum()
    empty = pd.Series(dtype=float)
    forced = prepare(result, empty, base.model_copy(update={"ceilings": {}})).problem.forced_in
    needed = profile[profile["project_id"].isin(forced)].groupby(["pool", "year"])["amount"].sum()
    ceilings: dict[str, dict[int, Decimal]] = {}
    for (pool, y), amount in total.items():
        ceiling = max(Decimal(amount) * SHARE, Decimal(needed.get((pool, y), 0)) * Decimal("1.2"))
        ceilings.setdefault(str(pool), {})[int(y)] = ceiling.quantize(FEN, rounding=ROUND_CEILING)
    return ceilings


def plan_scenario_with_commitments(manifest: dict, url: str) -> tuple[Path, dict]:
    """Case 4's scenario: the last year's, with what the register commits of each pool and year
    of its horizon (as ``plan --db`` will read it today) added to the ceilings."""
    from workbench.register.july import register_inputs
    from workbench.scenario import load_scenario

    year = manifest["years"][str(LAST_YEAR)]
    scenario = load_scenario(year["scenario"])
    result = _check(LAST_YEAR, Path(year["intake"]), Path(year["systems"]), Path(year["usage"]))
    held = register_inputs(url, LAST_YEAR).commitments(scenario, result.candidates)
    added: dict[tuple[str, int], Decimal] = {}
    for pool, y, amount in zip(held["pool"], held["year"], held["amount"], strict=True):
        key = (str(pool), int(y))
        added[key] = added.get(key, Decimal(0)) + Decimal(str(amount))
    ceilings = {p: dict(by_year) for p, by_year in scenario.ceilings.items()}
    for (pool, y), amount in added.items():
        if pool in ceilings and y in ceilings[pool]:
            ceilings[pool][y] = (ceilings[pool][y] + amount).quantize(FEN, rounding=ROUND_CEILING)
    path = Path(year["scenario"]).with_name(f"scenario_{LAST_YEAR}_plan.yaml")
    _dump_scenario(
        scenario, ceilings, path, f"基准测试{LAST_YEAR}（含项目库承诺）", "基准测试情景（合成数据）"
    )
    summary = {
        "commitment_rows": len(held),
        "committed": str(sum(added.values(), Decimal(0)).quantize(FEN)),
    }
    return path, summary


# -- running a command ------------------------------------------------------------------------


def run(args: list[str], out: Path | None = None) -> dict:
    """``python -m workbench ARGS`` as a user runs it, stdout to ``out`` (else discarded): wall
    seconds, CPU seconds and peak RSS of that process, and its exit status.

    The command is started by a small wrapper process (this file, standard library only), not
    by this one: on Linux a child's peak RSS starts from that of the process that spawned it
    (``exec`` keeps the high-water mark of the memory it replaces), and this process holds the
    inputs and the parsed outputs."""
    wrapper = [sys.executable, str(Path(__file__).resolve()), COMMAND_FLAG, str(out or os.devnull)]
    done = subprocess.run([*wrapper, *args], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


COMMAND_FLAG = "--run-command"


def run_command(out: str, args: list[str]) -> dict:
    """In the wrapper: run the command, wait for it with ``os.wait4`` (its own resource use)."""
    command = [sys.executable, "-m", "workbench", *args]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # As Python runs by default: with the compiled modules kept (this machine sets
    # PYTHONDONTWRITEBYTECODE, which recompiles the workbench's own modules each run).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with open(out, "wb") as stdout:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=stdout, stderr=subprocess.PIPE, env=env, cwd=ROOT)
        stderr = child.stderr.read()  # drained while it runs (a long rejection summary)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    child.stderr.close()
    return {
        "exit": child.returncode,
        "s": seconds,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "rss_mb": usage.ru_maxrss / 1024,
        "stderr": stderr.decode("utf-8", "replace").strip()[-600:],
    }


def must(result: dict, what: str) -> dict:
    if result["exit"] != 0:
        raise SystemExit(f"{what}: exit {result['exit']}\n{result['stderr']}")
    return result


# -- backends ---------------------------------------------------------------------------------


class Backend:
    """Where the register is: an SQLite file, or a fresh PostgreSQL database."""

    def __init__(self, name: str, url: str, admin=None, database: str = "") -> None:
        self.name, self.url, self.admin, self.database = name, url, admin, database

    @classmethod
    def sqlite(cls, folder: Path) -> Backend:
        path = folder / "项目库.sqlite"
        for stale in folder.glob("项目库.sqlite*"):
            stale.unlink()
        return cls("SQLite", str(path))

    @classmethod
    def postgres(cls, admin_url: str) -> Backend:
        import sqlalchemy as sa

        from workbench.register.db import database_url

        url = database_url(admin_url)
        name = f"wb_bench_{uuid.uuid4().hex[:12]}"
        admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
            version = conn.exec_driver_sql("SHOW server_version").scalar()
        backend = cls(
            f"PostgreSQL {str(version).split()[0]}",
            url.set(database=name).render_as_string(hide_password=False),
            admin,
            name,
        )
        return backend

    def close(self) -> None:
        if self.admin is not None:
            with self.admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            self.admin.dispose()


def row_counts(url: str) -> dict[str, int]:
    import sqlalchemy as sa

    from workbench.register.db import create_database_engine, database_url
    from workbench.register.schema import Base

    engine = create_database_engine(database_url(url))
    try:
        with engine.connect() as conn:
            return {
                t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                for t in Base.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def database_mb(backend: Backend) -> float | None:
    if backend.admin is None:
        return (
            sum(p.stat().st_size for p in Path(backend.url).parent.glob("项目库.sqlite*")) / 2**20
        )
    import sqlalchemy as sa

    with backend.admin.connect() as conn:
        size = conn.execute(
            sa.text("SELECT pg_database_size(:name)"), {"name": backend.database}
        ).scalar_one()
    return size / 2**20


# -- the cases --------------------------------------------------------------------------------


def build_register(backend: Backend, manifest: dict) -> dict:
    db = ["--db", backend.url]
    init = must(run(["db", "init", *db]), "db init")
    years = {}
    for year, files in manifest["years"].items():
        steps = {}
        registry = ["--systems", files["systems"], "--usage", files["usage"]]
        as_json = ["--by", BY, "--format", "json"]
        steps["import"] = must(
            run(["db", "import", files["intake"], "--year", year, *db, "--by", BY, *registry]),
            f"db import {year}",
        )
        adopt = ["db", "adopt", "--year", year, "--scenario", files["scenario"]]
        steps["adopt"] = must(
            run([*adopt, *db, *registry, *as_json], out=DATA / "bench_register_adopt.json"),
            f"db adopt {year}",
        )
        adopted = json.loads((DATA / "bench_register_adopt.json").read_text(encoding="utf-8"))
        events = []
        for group in files["event_groups"]:
            out = DATA / "bench_register_events.json"
            args = ["db", "events", *group, *db, "--by", BY, "--format", "json"]
            done = must(run(args, out), f"db events {year}")
            read = json.loads(out.read_text(encoding="utf-8"))
            events.append({**done, "added": read["added"], "already": read["already_present"]})
        steps["events"] = {
            "s": sum(e["s"] for e in events),
            "cpu_s": sum(e["cpu_s"] for e in events),
            "rss_mb": max(e["rss_mb"] for e in events),
        }
        years[year] = {
            **steps,
            "s": sum(s["s"] for s in steps.values()),
            "cpu_s": sum(s["cpu_s"] for s in steps.values()),
            "selected": _adopted_count(adopted),
            "added": sum(e["added"] for e in events),
            "already": sum(e["already"] for e in events),
        }
        r = years[year]
        print(
            f"  {backend.name} {year}: import {r['import']['s']:.1f} s, adopt {r['adopt']['s']:.1f} s "
            f"({r['selected']} taken in), events {r['events']['s']:.1f} s "
            f"({r['added']} added, {r['already']} already there), "
            f"total {r['s']:.1f} s",
            flush=True,
        )
    return {
        "init": init,
        "years": years,
        "total_s": init["s"] + sum(y["s"] for y in years.values()),
    }


def _adopted_count(adopted: dict) -> str:
    decisions = adopted.get("decisions", [])
    taken = sum(d.get("status") in ("selected", "forced_in") for d in decisions)
    return f"{taken}/{len(decisions)}"


def repeated(repeat: int, once) -> dict:
    runs = [once() for _ in range(repeat)]
    best = min(runs, key=lambda r: r["s"])
    return {
        **best,
        "median_s": statistics.median(r["s"] for r in runs),
        "runs_s": [round(r["s"], 2) for r in runs],
        "max_rss_mb": max(r["rss_mb"] for r in runs),
    }


def reimport(backend: Backend, manifest: dict, repeat: int) -> dict:
    files = manifest["years"][str(LAST_YEAR)]["event_groups"]
    out = DATA / "bench_register_events.json"

    def once() -> dict:
        runs = []
        for group in files:
            r = must(
                run(["db", "events", *group, "--db", backend.url, "--format", "json"], out),
                "re-import",
            )
            done = json.loads(out.read_text(encoding="utf-8"))
            runs.append({**r, "added": done["added"], "already": done["already_present"]})
        return {
            "s": sum(r["s"] for r in runs),
            "cpu_s": sum(r["cpu_s"] for r in runs),
            "rss_mb": max(r["rss_mb"] for r in runs),
            "added": sum(r["added"] for r in runs),
            "already": sum(r["already"] for r in runs),
        }

    return repeated(repeat, once)


def due(backend: Backend, repeat: int) -> dict:
    out = DATA / "bench_register_due.json"

    def once() -> dict:
        args = ["db", "due", "--as-of", AS_OF.isoformat(), "--format", "json", "--db", backend.url]
        r = must(run(args, out), "db due")
        listing = json.loads(out.read_text(encoding="utf-8"))
        statuses: dict[str, int] = {}
        for o in listing["obligations"]:
            statuses[o["status"]] = statuses.get(o["status"], 0) + 1
        return {
            **r,
            "obligations": len(listing["obligations"]),
            "statuses": statuses,
            "findings": len(listing["findings"]),
            "json_mb": out.stat().st_size / 2**20,
        }

    return repeated(repeat, once)


def plan_overhead(backend: Backend, manifest: dict, repeat: int) -> dict:
    year = manifest["years"][str(LAST_YEAR)]
    scenario, committed = plan_scenario_with_commitments(manifest, backend.url)
    out = DATA / "bench_register_plan.json"
    common = ["plan", year["intake"], "--year", str(LAST_YEAR), "--scenario", str(scenario)]
    common += ["--format", "json"]
    variants = {
        "files": [*common, "--systems", year["systems"], "--usage", year["usage"]],
        "db": [*common, "--db", backend.url],
    }
    found = {}
    for key, args in variants.items():

        def once(args: list[str] = args, key: str = key) -> dict:
            r = must(run(args, out), f"plan ({key})")
            plan = json.loads(out.read_text(encoding="utf-8"))
            statuses: dict[str, int] = {}
            for p in plan["projects"]:
                statuses[p["status"]] = statuses.get(p["status"], 0) + 1
            return {**r, "status": plan["status"], "statuses": statuses}

        found[key] = repeated(repeat, once)
    return {**found, **committed}


# -- the parent -------------------------------------------------------------------------------


def pg_admin_url() -> str | None:
    for name in PG_ENVS:
        if os.environ.get(name):
            return os.environ[name]
    return None


def bench(backend: Backend, manifest: dict, repeat: int) -> dict:
    print(f"{backend.name}: building the register", flush=True)
    built = build_register(backend, manifest)
    counts = row_counts(backend.url)
    size = database_mb(backend)
    print(f"  rows: {counts}; database {size:.0f} MB", flush=True)
    again = reimport(backend, manifest, repeat)
    print(f"{backend.name}: events again {again['runs_s']} s, added {again['added']}", flush=True)
    listed = due(backend, repeat)
    print(
        f"{backend.name}: due {listed['runs_s']} s, {listed['obligations']} obligations", flush=True
    )
    planned = plan_overhead(backend, manifest, repeat)
    print(
        f"{backend.name}: plan {planned['files']['runs_s']} s, "
        f"with --db {planned['db']['runs_s']} s",
        flush=True,
    )
    return {
        "backend": backend.name,
        "build": built,
        "counts": counts,
        "database_mb": size,
        "reimport": again,
        "due": listed,
        "plan": planned,
    }


def report(r: dict) -> list[str]:
    lines = [f"### {r['backend']}", ""]
    lines += [
        "| year | `db import` (s) | `db adopt` (s) | taken in / candidates | `db events` (s) "
        "| year total (s, CPU s) | peak RSS import / adopt / events (MB) |",
        "|---|---|---|---|---|---|---|",
    ]
    for year, y in r["build"]["years"].items():
        lines.append(
            f"| {year} | {y['import']['s']:.1f} | {y['adopt']['s']:.1f} | {y['selected']} "
            f"| {y['events']['s']:.1f} | {y['s']:.1f} ({y['cpu_s']:.1f}) "
            f"| {y['import']['rss_mb']:.0f} / "
            f"{y['adopt']['rss_mb']:.0f} / {y['events']['rss_mb']:.0f} |"
        )
    b = r["build"]
    lines.append(
        f"| all (with `db init` {b['init']['s']:.1f} s) | "
        f"{sum(y['import']['s'] for y in b['years'].values()):.1f} "
        f"| {sum(y['adopt']['s'] for y in b['years'].values()):.1f} | "
        f"| {sum(y['events']['s'] for y in b['years'].values()):.1f} | {b['total_s']:.1f} "
        f"({b['init']['cpu_s'] + sum(y['cpu_s'] for y in b['years'].values()):.1f}) | |"
    )
    lines += ["", "Rows: " + ", ".join(f"{k} {v:,}" for k, v in r["counts"].items())]
    lines.append(
        f"Database size: {r['database_mb']:.0f} MB",
    )
    a, d, p = r["reimport"], r["due"], r["plan"]
    lines += [
        "",
        "| case | best (s) | median (s) | CPU (s) | peak RSS (MB) | result |",
        "|---|---|---|---|---|---|",
        f"| `db events` of {LAST_YEAR}'s table again | {a['s']:.2f} | {a['median_s']:.2f} "
        f"| {a['cpu_s']:.2f} | {a['rss_mb']:.0f} | added {a['added']}, already {a['already']:,} |",
        f"| `db due --as-of {AS_OF} --format json` | {d['s']:.2f} | {d['median_s']:.2f} "
        f"| {d['cpu_s']:.2f} | {d['rss_mb']:.0f} | {d['obligations']:,} obligations "
        f"({', '.join(f'{k} {v:,}' for k, v in sorted(d['statuses'].items()))}), "
        f"{d['findings']:,} findings, {d['json_mb']:.1f} MB JSON |",
    ]
    for key, label in (("files", "with --systems/--usage files"), ("db", "with `--db`")):
        q = p[key]
        lines.append(
            f"| `plan` {LAST_YEAR} {label} | {q['s']:.2f} | {q['median_s']:.2f} | {q['cpu_s']:.2f} "
            f"| {q['rss_mb']:.0f} | {q['status']}; "
            f"{', '.join(f'{k} {v:,}' for k, v in sorted(q['statuses'].items()))} |"
        )
    lines.append(
        f"| `--db` overhead | {p['db']['s'] - p['files']['s']:+.2f} "
        f"| {p['db']['median_s'] - p['files']['median_s']:+.2f} "
        f"| {p['db']['cpu_s'] - p['files']['cpu_s']:+.2f} "
        f"| {p['db']['rss_mb'] - p['files']['rss_mb']:+.0f} "
        f"| {p['commitment_rows']:,} commitment rows, {p['committed']} 万元 added to the ceilings |"
    )
    return lines


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == COMMAND_FLAG:
        print(json.dumps(run_command(sys.argv[2], sys.argv[3:])))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10, help="plan years, ending at 2027")
    parser.add_argument("--projects", type=int, default=2000, help="candidates per year")
    parser.add_argument("--events", type=int, default=20, choices=range(1, 21), metavar="1-20")
    parser.add_argument("--repeat", type=int, default=3, help="runs of cases 2-4")
    parser.add_argument("--pg", action="store_true", help="PostgreSQL too (WORKBENCH_*_PG_URL)")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    args = parser.parse_args()
    if not 1 <= args.years <= LAST_YEAR - 2000:
        parser.error("--years: 1 to 27")
    import numpy
    import pandas
    import sqlalchemy

    import workbench

    print(
        f"python {platform.python_version()}, workbench {workbench.__version__}, "
        f"pandas {pandas.__version__}, numpy {numpy.__version__}, "
        f"SQLAlchemy {sqlalchemy.__version__}; {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f} at the start; {dt.date.today()}",
        flush=True,
    )
    t0 = time.perf_counter()
    manifest = build_inputs(args.years, args.projects, args.events)
    print(f"inputs ready ({time.perf_counter() - t0:.0f} s)", flush=True)
    folder = input_dir(args.years, args.projects, args.events)
    backends = []
    if not args.no_sqlite:
        backends.append(lambda: Backend.sqlite(folder))
    if args.pg:
        admin = pg_admin_url()
        if admin is None:
            print(f"PostgreSQL skipped: set {' or '.join(PG_ENVS)} to run it", flush=True)
        else:
            backends.append(lambda: Backend.postgres(admin))
    results = []
    for make in backends:
        backend = make()
        try:
            results.append(bench(backend, manifest, args.repeat))
        finally:
            backend.close()
        print(f"load average {os.getloadavg()[0]:.1f}", flush=True)
    raw = DATA / f"bench_register_{args.years}y_{args.projects}p_{args.events}e.json"
    raw.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print()
    for r in results:
        print("\n".join(report(r)))
        print()


if __name__ == "__main__":
    main()
