"""The selection model, and the only module that speaks PuLP.

Build → solve → extract, as separate steps. :class:`Problem` is plain data (no PuLP in it);
:func:`build` turns it into a PuLP model, one small function per constraint family, every
constraint named deterministically from ids and registered in a *group* (the unit in which
infeasibility is diagnosed); :func:`solve` runs HiGHS or CBC with a zero MIP gap by default and
reports a plan as optimal only when the solver proved it.

The PuLP calls used (``LpProblem.add_variable_dict``, ``lpSum``, ``+=`` with a name, ``HiGHS``,
``COIN_CMD``) are common to PuLP 3.3 and 4.x. PuLP 4 no longer bundles CBC: ``cbc`` then needs a
``cbc`` on the PATH (``pip install pulp[cbc]``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from importlib.metadata import PackageNotFoundError, version

import highspy
import numpy as np
import pulp

# A binary is read as 1 above this threshold (solvers return 0.9999999 or 1e-9, not 1 or 0).
BINARY_THRESHOLD = 0.5
# HiGHS's ``large_matrix_value``: a model with an entry this large is refused.
LARGEST_ENTRY = 1e15
_log = logging.getLogger(__name__)
_log.addHandler(logging.NullHandler())
_NAME_SAFE = re.compile(r"[^A-Za-z0-9_]")


@dataclass(frozen=True)
class Envelope:
    """A category envelope over ``members`` (all candidates of the pool/year in scope)."""

    key: str
    category: str
    category_members: tuple[str, ...]
    members: tuple[str, ...]
    pool: str | None
    year: int
    min_amount: float | None = None
    max_amount: float | None = None
    min_share: float | None = None
    max_share: float | None = None


@dataclass(frozen=True)
class Problem:
    """Everything the model needs, in plain Python. ``ids`` are sorted, so that the same input
    in any row order builds the same model (and a deterministic solver gives the same plan)."""

    ids: tuple[str, ...]
    value: dict[str, float]
    spend: dict[tuple[str, str, int], float]  # (id, pool, year) → 万元
    ceilings: dict[tuple[str, int], float]  # (pool, year) → 万元
    forced_in: frozenset[str] = frozenset()
    excluded: frozenset[str] = frozenset()  # by a finding that is not set aside
    forced_out: frozenset[str] = frozenset()
    dependencies: tuple[tuple[str, str], ...] = ()  # (dependent, required)
    domains: dict[str, tuple[str, ...]] = field(default_factory=dict)  # one platform per domain
    system_delta: dict[str, int] | None = None  # new − retired systems; None: not limited
    envelopes: tuple[Envelope, ...] = ()
    unit_caps: dict[str, tuple[tuple[str, ...], float]] = field(default_factory=dict)
    plan_year: int = 0
    # A rolling plan may start these projects a year later (三年滚动): their spend moves one
    # year on (what passes ``last_year`` leaves the horizon) and their value counts at
    # ``defer_factor``.
    deferrable: frozenset[str] = frozenset()
    defer_factor: float = 1.0
    last_year: int = 0

    def spend_in_year(self, pid: str, year: int) -> float:
        return sum(a for (i, _, y), a in self.spend.items() if i == pid and y == year)

    def deferred_spend(self) -> dict[tuple[str, str, int], float]:
        """The spend of the deferrable projects if they start a year later."""
        return {
            (i, pool, year + 1): a
            for (i, pool, year), a in self.spend.items()
            if i in self.deferrable and (not self.last_year or year + 1 <= self.last_year)
        }


@dataclass
class Built:
    problem: Problem
    lp: pulp.LpProblem
    x: dict[str, pulp.LpVariable]
    groups: dict[tuple, list[str]]  # group → constraint names
    seconds: float
    y: dict[str, pulp.LpVariable] = field(default_factory=dict)  # start a year later

    def spend_terms(
        self, keep: Callable[[str, str, int], bool]
    ) -> list[tuple[float, pulp.LpVariable]]:
        """(amount, variable) for every spend entry ``keep(id, pool, year)`` accepts, a deferred
        start's shifted spend included."""
        p = self.problem
        terms = [
            (a, self.x[i]) for (i, pool, year), a in sorted(p.spend.items()) if keep(i, pool, year)
        ]
        if self.y:
            terms += [
                (a, self.y[i])
                for (i, pool, year), a in sorted(p.deferred_spend().items())
                if keep(i, pool, year)
            ]
        return terms

    def chosen(self, i: str) -> pulp.LpAffineExpression:
        """1 when the project is in the plan, starting now or a year later."""
        return self.x[i] + self.y[i] if i in self.y else self.x[i]


@dataclass(frozen=True)
class Solution:
    status: str  # "optimal" | "time_limit" | "infeasible" | "error"
    selected: frozenset[str]
    objective: float | None
    gap: float | None  # proven relative gap, when the solver reports it
    bound: float | None
    solver: str
    solver_version: str
    build_seconds: float
    solve_seconds: float
    deferred: frozenset[str] = frozenset()  # started a year later (rolling plans)
    # What went wrong when the solver raised (for the programmer's log; status "error").
    failure: str = ""


def _name(*parts: object) -> str:
    return "_".join(_NAME_SAFE.sub("_", str(p)) for p in parts)


class _Namer:
    """ASCII constraint names from ids; pools and domains (Chinese) become their sorted index."""

    def __init__(self, problem: Problem) -> None:
        pools = sorted({p for _, p, _ in problem.spend} | {p for p, _ in problem.ceilings})
        self.pool = {p: f"p{i}" for i, p in enumerate(pools)}
        self.domain = {d: f"d{i}" for i, d in enumerate(sorted(problem.domains))}
        self.unit = {u: f"u{i}" for i, u in enumerate(sorted(problem.unit_caps))}


def _register(built: Built, group: tuple, name: str, constraint: pulp.LpConstraint) -> None:
    built.lp += constraint, name
    built.groups.setdefault(group, []).append(name)


def _enabled(group: tuple, enabled: set[tuple] | None) -> bool:
    return enabled is None or group in enabled


def _expression(terms: Iterable[tuple[float, pulp.LpVariable]]) -> pulp.LpAffineExpression:
    """Σ a·x in one step: PuLP's ``a * x`` and ``lpSum`` make and merge an expression per term,
    which at 10 000 candidates took most of the build."""
    coefficients: dict[pulp.LpVariable, float] = {}
    for a, var in terms:
        coefficients[var] = coefficients.get(var, 0) + a
    return pulp.LpAffineExpression(coefficients)


def add_objective(built: Built) -> None:
    p = built.problem
    built.lp += _expression(
        [(p.value[i], built.x[i]) for i in p.ids]
        + [(p.defer_factor * p.value[i], built.y[i]) for i in sorted(built.y)]
    )


def add_ceilings(built: Built, namer: _Namer, enabled: set[tuple] | None) -> None:
    """One ceiling per funding pool and year (第九条: 最大限度地考虑财力状况)."""
    p = built.problem
    by_pool_year: dict[tuple[str, int], list[tuple[float, pulp.LpVariable]]] = {}
    for (pid, pool, year), amount in sorted(p.spend.items()):
        by_pool_year.setdefault((pool, year), []).append((amount, built.x[pid]))
    if built.y:
        for (pid, pool, year), amount in sorted(p.deferred_spend().items()):
            by_pool_year.setdefault((pool, year), []).append((amount, built.y[pid]))
    for (pool, year), ceiling in sorted(p.ceilings.items()):
        group = ("ceiling", pool, year)
        if not _enabled(group, enabled):
            continue
        terms = by_pool_year.get((pool, year), [])
        _register(
            built,
            group,
            _name("ceiling", namer.pool[pool], year),
            _expression(terms) <= ceiling,
        )


def _chosen_terms(
    built: Built, ids: Iterable[str], coefficient: float = 1
) -> list[tuple[float, pulp.LpVariable]]:
    """The terms of :meth:`Built.chosen` (now or a year later) for ``ids``."""
    terms = []
    for i in ids:
        terms.append((coefficient, built.x[i]))
        if i in built.y:
            terms.append((coefficient, built.y[i]))
    return terms


def add_fixings(built: Built, enabled: set[tuple] | None) -> None:
    """Force-in (第十一条, 第二十五条, the user's list), force-out and exclusions by finding."""
    p = built.problem
    for group, ids, rhs in (
        (("force_in",), p.forced_in, 1),
        (("exclusion",), p.excluded, 0),
        (("force_out",), p.forced_out, 0),
    ):
        if not _enabled(group, enabled):
            continue
        for pid in sorted(ids):
            _register(built, group, _name(group[0], pid), built.x[pid] == rhs)


def add_dependencies(built: Built, enabled: set[tuple] | None) -> None:
    """A project that needs another is selected only with it; starting now, only with it
    starting now; starting later, with it now or later."""
    group = ("dependencies",)
    if not _enabled(group, enabled):
        return
    for dependent, required in built.problem.dependencies:
        _register(
            built,
            group,
            _name("needs", dependent, required),
            built.x[dependent] <= built.x[required],
        )
        if dependent in built.y:
            _register(
                built,
                group,
                _name("needs_later", dependent, required),
                built.y[dependent] <= built.chosen(required),
            )


def add_deferral(built: Built) -> None:
    """A project starts at most once: now or a year later."""
    for i, later in sorted(built.y.items()):
        _register(built, ("deferral",), _name("once", i), built.x[i] + later <= 1)


def add_one_platform_per_domain(built: Built, namer: _Namer, enabled: set[tuple] | None) -> None:
    """第三条 一领域一平台: at most one new platform per business domain."""
    group = ("one_domain",)
    if not _enabled(group, enabled):
        return
    for domain, ids in sorted(built.problem.domains.items()):
        _register(
            built,
            group,
            _name("domain", namer.domain[domain]),
            _expression(_chosen_terms(built, ids)) <= 1,
        )


def add_system_count(built: Built, enabled: set[tuple] | None) -> None:
    """第三条: the number of systems 只减不增: new − retired ≤ 0 across the plan."""
    delta = built.problem.system_delta
    group = ("system_count",)
    if delta is None or not _enabled(group, enabled):
        return
    _register(
        built,
        group,
        "system_count",
        _expression(
            term for i, d in sorted(delta.items()) if d for term in _chosen_terms(built, [i], d)
        )
        <= 0,
    )


def add_envelopes(built: Built, enabled: set[tuple] | None) -> None:
    """Category envelopes: amounts or shares of a pool's year (e.g. O&M at least 15 %)."""
    p = built.problem
    for env in p.envelopes:
        group = ("envelope", env.key)
        if not _enabled(group, enabled):
            continue

        def spend(ids: Iterable[str], env: Envelope = env) -> pulp.LpAffineExpression:
            return _expression(
                built.spend_terms(
                    lambda i, pool, year: (
                        i in ids and year == env.year and (env.pool is None or pool == env.pool)
                    )
                )
            )

        inside, everything = set(env.category_members), set(env.members)
        if env.min_amount is not None:
            _register(built, group, _name("env", env.key, "min"), spend(inside) >= env.min_amount)
        if env.max_amount is not None:
            _register(built, group, _name("env", env.key, "max"), spend(inside) <= env.max_amount)
        if env.min_share is not None:
            _register(
                built,
                group,
                _name("env", env.key, "minshare"),
                spend(inside) - env.min_share * spend(everything) >= 0,
            )
        if env.max_share is not None:
            _register(
                built,
                group,
                _name("env", env.key, "maxshare"),
                spend(inside) - env.max_share * spend(everything) <= 0,
            )


def add_unit_caps(built: Built, namer: _Namer, enabled: set[tuple] | None) -> None:
    """A cap on what one unit receives in the plan year."""
    p = built.problem
    for unit, (ids, cap) in sorted(p.unit_caps.items()):
        group = ("unit_cap", unit)
        if not _enabled(group, enabled):
            continue
        members = set(ids)
        _register(
            built,
            group,
            _name("unit_cap", namer.unit[unit]),
            _expression(
                built.spend_terms(
                    lambda i, _, y, members=members: i in members and y == p.plan_year
                )
            )
            <= cap,
        )


def build(
    problem: Problem, enabled: set[tuple] | None = None, with_objective: bool = True
) -> Built:
    """The PuLP model of ``problem``; ``enabled`` limits it to some constraint groups (for the
    infeasibility diagnosis), None means all."""
    start = time.perf_counter()
    lp = pulp.LpProblem("annual_plan", pulp.LpMaximize)
    x = lp.add_variable_dict("x", [_name(i) for i in problem.ids], cat=pulp.LpBinary)
    built = Built(problem, lp, {i: x[_name(i)] for i in problem.ids}, {}, 0.0)
    later = sorted(problem.deferrable)
    if later:
        y = lp.add_variable_dict("y", [_name(i) for i in later], cat=pulp.LpBinary)
        built.y = {i: y[_name(i)] for i in later}
    namer = _Namer(problem)
    if with_objective:
        add_objective(built)
    add_fixings(built, enabled)
    add_deferral(built)
    add_ceilings(built, namer, enabled)
    add_dependencies(built, enabled)
    add_one_platform_per_domain(built, namer, enabled)
    add_system_count(built, enabled)
    add_envelopes(built, enabled)
    add_unit_caps(built, namer, enabled)
    built.seconds = time.perf_counter() - start
    return built


def all_groups(problem: Problem) -> list[tuple]:
    """Every constraint group the full model has, in a fixed order."""
    return list(build(problem, with_objective=False).groups)


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """HiGHS prints a banner on the C-level stdout (file descriptor 1) when created, before any
    option can silence it; that would corrupt ``--format json``. Point descriptor 1 at the null
    device for that moment."""
    fd = 1
    with contextlib.suppress(AttributeError, OSError, ValueError):
        sys.stdout.flush()
    try:
        saved = os.dup(fd)
    except OSError:
        yield
        return
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), fd)
            yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)


class _QuietHiGHS(pulp.HiGHS):
    def createAndConfigureSolver(self, lp: pulp.LpProblem) -> None:
        with _quiet_stdout():
            super().createAndConfigureSolver(lp)


@dataclass(frozen=True)
class SolverChoice:
    name: str = "highs"  # "highs" | "cbc"
    time_limit: float | None = None
    gap_rel: float = 0.0
    gap_abs: float = 0.0
    threads: int = 1


DEFAULT_CHOICE = SolverChoice()


class SolverUnavailable(RuntimeError):
    pass


def _solver(choice: SolverChoice) -> tuple[pulp.LpSolver, str, str]:
    if choice.name == "highs":
        solver = _QuietHiGHS(
            msg=False,
            gapRel=choice.gap_rel,
            gapAbs=choice.gap_abs,
            threads=choice.threads,
            timeLimit=choice.time_limit,
        )
        if not solver.available():
            raise SolverUnavailable("highs")
        return solver, "HiGHS", _package_version("highspy")
    # PuLP 3.x ships CBC beside itself; PuLP 4 wants a `cbc` on the PATH. COIN_CMD takes either
    # (PULP_CBC_CMD itself is deprecated in 3.3 and gone in 4).
    bundled = getattr(getattr(pulp, "PULP_CBC_CMD", None), "pulp_cbc_path", None)
    options = {
        "msg": False,
        "gapRel": choice.gap_rel,
        "gapAbs": choice.gap_abs,
        "threads": choice.threads,
        "timeLimit": choice.time_limit,
    }
    if bundled and os.path.exists(bundled):
        solver = pulp.COIN_CMD(path=bundled, **options)
    else:
        solver = pulp.COIN_CMD(**options)
    if not solver.available():
        raise SolverUnavailable("cbc")
    return solver, "CBC", f"PuLP {pulp.__version__}"


def cbc_available() -> bool:
    """Whether CBC can be run (PuLP 3 bundles it; PuLP 4 needs ``pip install pulp[cbc]``)."""
    try:
        _solver(SolverChoice(name="cbc"))
    except SolverUnavailable:
        return False
    return True


def _package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return ""


def solve(built: Built, choice: SolverChoice = DEFAULT_CHOICE) -> Solution:
    """Solve and extract. The status is read from the solver's own account (PuLP says "Optimal"
    even when a time limit stopped the search; ``sol_status`` tells the difference)."""
    solver, name, solver_version = _solver(choice)
    start = time.perf_counter()
    gap = bound = None
    try:
        returned = built.lp.solve(solver)
        if name == "HiGHS":
            highs = built.lp.solverModel
            status = _highs_status(highs)
            info = highs.getInfo()
            gap = float(info.mip_gap)
            bound = _bound_sign(built, highs) * float(info.mip_dual_bound)
        else:
            status = _pulp_status(built.lp, returned)
    except Exception as exc:  # a solver's failure is a status, never a crash
        return _failed(name, solver_version, built.seconds, time.perf_counter() - start, exc)
    seconds = time.perf_counter() - start
    selected: frozenset[str] = frozenset()
    deferred: frozenset[str] = frozenset()
    objective = None
    if status in ("optimal", "time_limit"):
        selected = frozenset(
            i for i, var in built.x.items() if (var.value() or 0) > BINARY_THRESHOLD
        )
        deferred = frozenset(
            i for i, var in built.y.items() if (var.value() or 0) > BINARY_THRESHOLD
        )
        objective = _objective(built.problem, selected, deferred)
        if status == "optimal" and gap is None:
            gap = 0.0
    return Solution(
        status,
        selected,
        objective,
        gap,
        bound,
        name,
        solver_version,
        built.seconds,
        seconds,
        deferred,
    )


def _failed(
    solver: str, solver_version: str, build_seconds: float, seconds: float, exc: Exception
) -> Solution:
    """The solver raised (PuLP's HiGHS adapter raises IndexError when HiGHS refuses a model
    with an entry beyond its range, e.g. 10²¹ 万元): an "error" status, the exception logged."""
    _log.debug("solver %s failed", solver, exc_info=exc)
    return Solution(
        "error",
        frozenset(),
        None,
        None,
        None,
        solver,
        solver_version,
        build_seconds,
        seconds,
        failure=f"{type(exc).__name__}: {exc}",
    )


def out_of_range(problem: Problem) -> dict[str, float]:
    """Projects with an amount (spend in a year, or value) the solver cannot take, by id: HiGHS
    refuses a model with a matrix entry of ``LARGEST_ENTRY`` or more."""
    out: dict[str, float] = {}
    for (pid, _, _), amount in problem.spend.items():
        if not abs(amount) < LARGEST_ENTRY:  # NaN too
            out[pid] = max(out.get(pid, 0.0), amount)
    for pid, value in problem.value.items():
        if not abs(value) < LARGEST_ENTRY and pid not in out:
            out[pid] = value
    return dict(sorted(out.items()))


def _objective(problem: Problem, selected: frozenset[str], deferred: frozenset[str]) -> float:
    """The plan's value, recomputed from the selection (no solver round-off)."""
    now = sum(problem.value[i] for i in selected)
    later = sum(problem.defer_factor * problem.value[i] for i in deferred)
    return round(now + later, 6)


def _highs_status(highs: highspy.Highs) -> str:
    """The status in HiGHS's own words (the same under PuLP 3 and 4)."""
    model_status = highs.getModelStatus()
    if model_status == highspy.HighsModelStatus.kOptimal:
        return "optimal"
    if model_status in (
        highspy.HighsModelStatus.kInfeasible,
        highspy.HighsModelStatus.kUnboundedOrInfeasible,
    ):
        return "infeasible"  # a model of binaries is never unbounded
    if highs.getInfo().primal_solution_status == _FEASIBLE_POINT:
        return "time_limit"  # stopped (time limit, interrupt) with a plan in hand
    return "error"


_FEASIBLE_POINT = 2  # HiGHS kSolutionStatusFeasible


def _pulp_status(lp: pulp.LpProblem, returned: object) -> str:
    """CBC's status as PuLP reports it: ``sol_status`` under PuLP 3 ("Optimal" is also printed
    when a time limit stopped the search, ``sol_status`` tells the difference), the
    status of the ``LpSolveStats`` returned under PuLP 4."""
    sol_status = getattr(lp, "sol_status", None)
    if sol_status is not None:
        # PuLP 3: status −1 (Infeasible) may come with sol_status 0 when CBC's presolve proves it.
        if int(sol_status) == -1 or returned == -1:
            return "infeasible"
        return {1: "optimal", 2: "time_limit"}.get(int(sol_status), "error")
    status = getattr(returned, "status", returned)  # PuLP 4 returns LpSolveStats
    kind = getattr(status, "name", str(status))
    if kind == "Optimal":
        return "optimal"
    if kind == "Infeasible":
        return "infeasible"
    has_values = getattr(returned, "has_solution", None)
    if has_values is None:
        has_values = any(v.value() is not None for v in lp.variables())
    return "time_limit" if has_values else "error"


def _bound_sign(built: Built, highs: highspy.Highs) -> float:
    """PuLP 3 hands HiGHS the negated objective of a maximisation (PuLP 4 sets the sense)."""
    _, sense = highs.getObjectiveSense()
    maximising = built.lp.sense == pulp.LpMaximize
    return -1.0 if maximising and sense == highspy.ObjSense.kMinimize else 1.0


def _highs_columns(
    built: Built, variables: dict[str, pulp.LpVariable] | None = None
) -> dict[str, int]:
    """The column of each candidate's binary (PuLP 3: ``variables()`` order, PuLP 4: the
    ``exported_variables()`` order)."""
    exported = getattr(built.lp, "exported_variables", None)
    order = exported() if exported is not None else built.lp.variables()
    position = {v.name: j for j, v in enumerate(order)}
    chosen = built.x if variables is None else variables
    # A variable in no constraint and no objective (a feasibility model) is not in the model.
    return {i: position[var.name] for i, var in chosen.items() if var.name in position}


class KeptModel:
    """A model passed to HiGHS once and kept there: each later solve changes row bounds only
    (a ceiling for the frontier, whole constraint groups for the infeasibility diagnosis), and
    the PuLP model is never rebuilt. A group is switched off by freeing its rows' bounds and on
    again by restoring them. Rows follow PuLP's constraint order, columns its variable order.

    Every solve starts clean (``clearSolver``): without it, HiGHS 1.16 may keep the previous
    answer after a bound change, and a warm start given with ``setSolution`` was seen to end at
    a worse plan reported optimal (both caught by tests/test_frontier.py).
    """

    # The deferral rows (start now or a year later, once) are part of every model.
    ALWAYS_ON = frozenset({("deferral",)})

    def __init__(
        self,
        built: Built,
        choice: SolverChoice,
        *,
        solve_first: bool = True,
        highs: highspy.Highs | None = None,
    ) -> None:
        """``built`` goes to HiGHS and is solved (``first``), or only goes to HiGHS
        (``solve_first=False``), or is already there as ``highs`` (the plan's own model)."""
        self.built = built
        self.choice = replace(choice, name="highs")
        self.groups = [g for g in built.groups if g not in self.ALWAYS_ON]
        self.first: Solution | None = None
        self.highs = highs
        if highs is None and solve_first:
            self.first = solve(built, self.choice)
            self.highs = getattr(built.lp, "solverModel", None)
        elif highs is None:
            self.highs = _pass_to_highs(built, self.choice)
        position = {c.name: k for k, c in enumerate(built.lp.constraints())}
        self.row = position
        self.rows = {
            g: np.array([position[name] for name in names], dtype=np.int32)
            for g, names in built.groups.items()
        }
        self.off: set[tuple] = set()
        if self.highs is not None:
            lp = self.highs.getLp()
            self.lower = np.array(lp.row_lower_, dtype=np.float64)
            self.upper = np.array(lp.row_upper_, dtype=np.float64)
        self.columns = _highs_columns(built)
        self.later_columns = _highs_columns(built, built.y)
        self.runs = 0

    def switch(self, enabled: set[tuple]) -> None:
        """Only the groups in ``enabled`` (and the deferral rows) hold."""
        assert self.highs is not None
        for group in self.groups:
            rows = self.rows[group]
            if group not in enabled and group not in self.off:
                free = np.full(len(rows), highspy.kHighsInf)
                self.highs.changeRowsBounds(len(rows), rows, -free, free)
                self.off.add(group)
            elif group in enabled and group in self.off:
                self.highs.changeRowsBounds(len(rows), rows, self.lower[rows], self.upper[rows])
                self.off.discard(group)

    def feasible(self, enabled: set[tuple]) -> bool:
        """Whether the groups of ``enabled`` alone admit a plan (a stopped or failed search
        counts as feasible: only a proof of infeasibility says no)."""
        if self.highs is None:
            return True
        if not any(g in enabled for g in self.groups):
            return True  # binaries at 0 satisfy the deferral rows
        self.switch(enabled)
        return self.rerun().status != "infeasible"

    def rerun(self) -> Solution:
        """Solve the kept model again, from scratch, as its bounds now stand."""
        assert self.highs is not None
        highs = self.highs
        start = time.perf_counter()
        self.runs += 1
        try:
            highs.clearSolver()
            highs.run()
            kind = _highs_status(highs)
            info = highs.getInfo()
            gap, bound = (
                float(info.mip_gap),
                _bound_sign(self.built, highs) * float(info.mip_dual_bound),
            )
            selected: frozenset[str] = frozenset()
            deferred: frozenset[str] = frozenset()
            objective = None
            if kind in ("optimal", "time_limit"):
                col_value = highs.getSolution().col_value
                selected = frozenset(
                    i for i, k in self.columns.items() if col_value[k] > BINARY_THRESHOLD
                )
                deferred = frozenset(
                    i for i, k in self.later_columns.items() if col_value[k] > BINARY_THRESHOLD
                )
                objective = _objective(self.built.problem, selected, deferred)
        except Exception as exc:  # a solver's failure is a status, never a crash
            return _failed("HiGHS", _package_version("highspy"), 0.0, 0.0, exc)
        return Solution(
            kind,
            selected,
            objective,
            gap,
            bound,
            "HiGHS",
            _package_version("highspy"),
            0.0,
            time.perf_counter() - start,
            deferred,
        )


def _pass_to_highs(built: Built, choice: SolverChoice) -> highspy.Highs | None:
    """The PuLP model handed to HiGHS without solving it (PuLP's own two steps before
    ``callSolver``), or None when HiGHS refuses it."""
    solver, _, _ = _solver(choice)
    if built.lp.objective is None:  # a feasibility model: PuLP's solve() would add the zero
        built.lp.setObjective(pulp.LpAffineExpression())
    try:
        solver.createAndConfigureSolver(built.lp)
        solver.buildSolverModel(built.lp)
    except Exception:  # a solver's failure is a status, never a crash
        _log.debug("HiGHS refused the model", exc_info=True)
        return None
    return built.lp.solverModel


def feasibility_model(
    problem: Problem, choice: SolverChoice, built: Built | None = None
) -> KeptModel:
    """Every constraint group of ``problem``, no objective, kept in HiGHS for the diagnosis.

    ``built``: the model the plan was solved with; when HiGHS solved it, it is taken over as it
    stands in HiGHS with its objective set to zero (no second build). Otherwise (CBC) the model
    is built once more, without objective, and handed to HiGHS.
    """
    highs = getattr(built.lp, "solverModel", None) if built is not None else None
    if built is not None and isinstance(highs, highspy.Highs):
        try:
            columns = highs.getNumCol()
            highs.changeColsCost(
                columns, np.arange(columns, dtype=np.int32), np.zeros(columns, dtype=np.float64)
            )
        except Exception:  # a solver's failure is a status, never a crash
            _log.debug("HiGHS kept no model to take over", exc_info=True)
        else:
            return KeptModel(built, choice, highs=highs)
    return KeptModel(build(problem, with_objective=False), choice, solve_first=False)


def is_feasible(problem: Problem, enabled: set[tuple], choice: SolverChoice) -> bool:
    """Whether the constraints of ``enabled`` groups alone admit a plan (no objective). One
    question; a series of them goes to one :func:`feasibility_model`."""
    return feasibility_model(problem, choice).feasible(enabled)


def sweep_ceiling(
    problem: Problem, pool: str, year: int, ceilings: list[float], choice: SolverChoice
) -> list[Solution]:
    """Solve ``problem`` once per ceiling of ``(pool, year)``, in ascending order.

    With HiGHS the model is built once and kept in the solver (:class:`KeptModel`): each step
    only changes the ceiling row's bound. (CBC runs as a separate program, so it is rebuilt
    and re-run.)
    """
    ordered = sorted(ceilings)
    if choice.name != "highs":
        out = []
        for ceiling in ordered:
            step = Problem(
                **{**problem.__dict__, "ceilings": {**problem.ceilings, (pool, year): ceiling}}
            )
            out.append(solve(build(step), choice))
        return out
    first = Problem(
        **{**problem.__dict__, "ceilings": {**problem.ceilings, (pool, year): ordered[0]}}
    )
    kept = KeptModel(build(first), choice)
    assert kept.first is not None
    solutions = [kept.first]
    if kept.highs is None or kept.first.status == "error":
        return solutions + [kept.first] * (len(ordered) - 1)
    row = kept.row[_name("ceiling", _Namer(first).pool[pool], year)]
    for ceiling in ordered[1:]:
        kept.highs.changeRowBounds(row, -highspy.kHighsInf, ceiling)
        solutions.append(kept.rerun())
    return solutions


def min_spend(problem: Problem, pool: str, year: int, choice: SolverChoice) -> float | None:
    """The least a plan can spend in ``(pool, year)`` under every other constraint (that pool-
    year's own ceiling left out), or None when no plan exists at any ceiling there."""
    relaxed = Problem(
        **{
            **problem.__dict__,
            "ceilings": {k: v for k, v in problem.ceilings.items() if k != (pool, year)},
        }
    )
    built = build(relaxed, with_objective=False)
    built.lp.sense = pulp.LpMinimize
    here = built.spend_terms(lambda i, q, y: q == pool and y == year)
    built.lp.setObjective(pulp.lpSum(a * var for a, var in here))
    solution = solve(built, choice)
    if solution.status != "optimal":
        return None
    later = relaxed.deferred_spend()
    spent = sum(
        a
        for (i, q, y), a in problem.spend.items()
        if q == pool and y == year and i in solution.selected
    ) + sum(
        a for (i, q, y), a in later.items() if q == pool and y == year and i in solution.deferred
    )
    return round(spent, 6)
