"""The ``workbench`` command (DESIGN §7). Every command works with no arguments on the embedded
sample. Exit status: 0 on success (an infeasible plan is a result, with its diagnosis), 2 on bad
input or usage (with a Chinese message), 3 on an unexpected internal error (a Chinese message and
the path of a log; ``--debug`` shows the traceback). Messages, help and argparse's own words are
Chinese (:mod:`workbench.cli_zh`)."""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path

from workbench import __version__, data
from workbench.apps.server import AppError
from workbench.cli_zh import ChineseArgumentParser
from workbench.intake import IntakeFileError, IntakeResult, read_table
from workbench.intake.registry import read_systems, read_usage
from workbench.intake.template import write_template
from workbench.labels import (
    CLI_HELP,
    CLI_LABELS,
    COMPARE_TEXT,
    COVERAGE_MESSAGES,
    LEVEL_CITY,
    PLAN_TEXT,
    PRODUCT_TITLE,
    SKELETON_LABELS,
    STAGES,
)
from workbench.money import AmountError, parse_amount
from workbench.notebooks_copy import add_notebooks_arguments, run_notebooks
from workbench.oserrors import os_error_text
from workbench.outputset import OutputLockedError
from workbench.policy import CheckResult, PolicyPackError, check, load_pack
from workbench.register.cli import add_db_command, run_db  # no SQLAlchemy until `db` runs
from workbench.report.check import check_json, check_provenance, check_text, rejection_summary
from workbench.report.jsonsafe import dumps_bytes
from workbench.scenario import (
    SHIPPED_COMPARISON,
    Scenario,
    ScenarioError,
    is_scenario_name,
    load_scenario,
)
from workbench.scoring import ScoringModelError
from workbench.session import InputFiles, InputFolderError

DEFAULT_COMPARISON = SHIPPED_COMPARISON
EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_FAILED = 1  # a notebook of the pipeline failed: not the input's fault
EXIT_INTERNAL = 3  # an unexpected internal error (DESIGN §7): a Chinese message and a log


class BadInput(ValueError):
    """A usage problem found after parsing (e.g. --why naming an unknown project)."""


def _default_plan_year(using_sample: bool) -> int:
    # The July intake is for next year's plan (第五条、第九条); the sample is for 2027.
    return data.SAMPLE_PLAN_YEAR if using_sample else dt.date.today().year + 1


def _amount(text: str) -> Decimal:
    """What the forms accept: 12000, 12000万元, 1.2亿元, 1,200.5 (万元)."""
    try:
        return parse_amount(text)
    except AmountError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(CLI_HELP["bad_date"].format(text=text)) from None


def _common() -> argparse.ArgumentParser:
    """Options every command takes, after the command name too."""
    common = ChineseArgumentParser(add_help=False)
    common.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help=CLI_HELP["debug"]
    )
    return common


def _add_year(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument(
        "--year",
        "--plan-year",
        dest="year",
        type=int,
        default=None,
        metavar="年度",
        help=CLI_HELP["year"],
    )


def _add_inputs_alias(cmd: argparse.ArgumentParser) -> None:
    """``--inputs`` / ``--input``: the older spellings of the positional inputs."""
    cmd.add_argument(
        "--inputs",
        "--input",
        dest="inputs_opt",
        metavar="输入",
        nargs="*",
        default=[],
        help=CLI_HELP["inputs_alias"],
    )


def _add_intake_arguments(cmd: argparse.ArgumentParser, *, fmt: bool = True) -> None:
    """The inputs every command reads: submissions (positional), the registry, usage, the
    reference date, the plan year and the bureau's scores."""
    cmd.add_argument("inputs", nargs="*", metavar="输入", help=CLI_HELP["inputs"])
    _add_inputs_alias(cmd)
    cmd.add_argument("--systems", nargs="*", default=None, metavar="文件", help=CLI_HELP["systems"])
    cmd.add_argument("--usage", nargs="*", default=None, metavar="文件", help=CLI_HELP["usage"])
    cmd.add_argument(
        "--reference-date",
        type=_date,
        default=None,
        metavar="日期",
        help=CLI_HELP["reference_date"],
    )
    _add_year(cmd)
    if fmt:
        cmd.add_argument(
            "--format", choices=("text", "json"), default="text", help=CLI_HELP["format"]
        )


def _add_register(cmd: argparse.ArgumentParser) -> None:
    """``--db [URL]``: the 项目库 feeds the check and the plan (workbench.register.july); alone,
    the register where ``db`` commands find it (WORKBENCH_DB, else 项目库.sqlite here)."""
    cmd.add_argument(
        "--db", nargs="?", const="", default=None, metavar="项目库", help=CLI_HELP["july_db"]
    )


def _add_plan_inputs(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument(
        "--commitments", nargs="*", default=None, metavar="文件", help=CLI_HELP["commitments"]
    )
    cmd.add_argument("--scores", default=None, metavar="文件", help=CLI_HELP["scores"])


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = ChineseArgumentParser(
        prog="workbench", description=PRODUCT_TITLE, version=f"workbench {__version__}"
    )
    parser.add_argument("--debug", action="store_true", default=False, help=CLI_HELP["debug"])
    sub = parser.add_subparsers(dest="command", required=True, metavar="子命令")

    def command(name: str, **kwargs: object) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=[common], help=CLI_HELP[f"cmd_{name}"], **kwargs)

    tpl = command("template")
    tpl.add_argument("out", nargs="?", default="申报模板.xlsx", help=CLI_HELP["template_out"])
    _add_year(tpl)

    chk = command("check")
    _add_intake_arguments(chk)
    _add_register(chk)
    chk.add_argument("--policy", default=None, metavar="政策包", help=CLI_HELP["policy"])

    pln = command("plan")
    _add_intake_arguments(pln)
    _add_register(pln)
    pln.add_argument("--scenario", default=None, metavar="情景", help=CLI_HELP["scenario"])
    pln.add_argument(
        "--ceiling", type=_amount, default=None, metavar="万元", help=CLI_HELP["ceiling"]
    )
    pln.add_argument("--policy", default=None, metavar="政策包", help=CLI_HELP["plan_policy"])
    pln.add_argument("--solver", choices=("highs", "cbc"), default=None, help=CLI_HELP["solver"])
    pln.add_argument(
        "--time-limit", type=float, default=None, metavar="秒", help=CLI_HELP["time_limit"]
    )
    pln.add_argument("--why", metavar="ID", default=None, help=CLI_HELP["why"])
    pln.add_argument("--out", default=None, metavar="目录", help=CLI_HELP["plan_out"])
    pln.add_argument("--internal", action="store_true", help=CLI_HELP["internal"])
    pln.add_argument(
        "--compare", nargs="*", default=None, metavar="情景", help=CLI_HELP["plan_compare"]
    )
    pln.add_argument("--no-pdf", action="store_true", help=CLI_HELP["no_pdf"])
    pln.add_argument(
        "--risk",
        type=int,
        nargs="?",
        const=10_000,
        default=None,
        metavar="次数",
        help=CLI_HELP["risk"],
    )
    pln.add_argument("--seed", type=int, default=0, metavar="种子", help=CLI_HELP["seed"])
    _add_plan_inputs(pln)

    cmp = command("compare")
    _add_intake_arguments(cmp)
    _add_register(cmp)
    cmp.add_argument(
        "--scenario",
        "--scenarios",
        dest="scenarios",
        nargs="+",
        default=None,
        metavar="情景",
        help=CLI_HELP["compare_scenarios"],
    )
    cmp.add_argument("--out", default=None, metavar="目录", help=CLI_HELP["compare_out"])
    cmp.add_argument("--internal", action="store_true", help=CLI_HELP["compare_internal"])
    _add_plan_inputs(cmp)

    pip = command("pipeline")
    pip.add_argument("inputs", nargs="*", metavar="输入", help=CLI_HELP["folder"])
    _add_inputs_alias(pip)
    _add_year(pip)
    pip.add_argument("--out", default=None, metavar="目录", help=CLI_HELP["pipeline_out"])
    pip.add_argument("--scenario", default=None, metavar="情景", help=CLI_HELP["scenario"])
    pip.add_argument("--seed", type=int, default=0, metavar="种子", help=CLI_HELP["seed"])
    pip.add_argument("--scores", default=None, metavar="文件", help=CLI_HELP["scores"])
    _add_register(pip)

    app = command("app")
    app.add_argument("target", nargs="*", metavar="应用 输入", help=CLI_HELP["app_target"])
    _add_inputs_alias(app)
    _add_year(app)
    app.add_argument("--port", type=int, default=None, metavar="端口", help=CLI_HELP["port"])
    app.add_argument("--host", default="127.0.0.1", metavar="地址", help=CLI_HELP["host"])
    app.add_argument("--internal", action="store_true", help=CLI_HELP["app_internal"])
    app.add_argument("--db", default=None, metavar="地址", help=CLI_HELP["app_db"])
    app.add_argument("--scenario", default=None, metavar="情景", help=CLI_HELP["scenario"])
    app.add_argument("--cull-idle", type=int, default=600, metavar="秒", help=CLI_HELP["cull_idle"])
    app.add_argument(
        "--scenarios-dir", default=None, metavar="文件夹", help=CLI_HELP["app_scenarios_dir"]
    )

    add_notebooks_arguments(command("notebooks"))  # the analysts' copies, for JupyterLab

    scn = command("scenario")
    scn_sub = scn.add_subparsers(dest="scenario_command", required=True, metavar="子命令")
    init = scn_sub.add_parser("init", parents=[common], help=CLI_HELP["cmd_scenario_init"])
    _add_intake_arguments(init, fmt=False)
    init.add_argument("--out", required=True, metavar="文件", help=CLI_HELP["skeleton_out"])
    init.add_argument("--horizon", type=int, default=3, metavar="年数", help=CLI_HELP["horizon"])
    init.add_argument("--force", action="store_true", help=CLI_HELP["force"])
    init.add_argument("--policy", default=None, metavar="政策包", help=CLI_HELP["policy"])
    add_db_command(sub, common)  # the 项目库: db init | upgrade | events | history
    return parser


def _inputs(args: argparse.Namespace) -> list[str]:
    """Inputs as positional arguments, or under the older ``--inputs`` / ``--input``."""
    return [*getattr(args, "inputs", []), *(getattr(args, "inputs_opt", None) or [])]


def _fail(message: str) -> int:
    sys.stderr.write(message + "\n")
    return EXIT_BAD_INPUT


def run_check(
    args: argparse.Namespace, plan_year: int | None = None, policy: str | None = None
) -> tuple[CheckResult, IntakeResult, list[IntakeResult], bool]:
    """Read the inputs (or the sample) and check them against the policy pack."""
    given = _inputs(args)
    using_sample = not given
    inputs = given or [str(data.sample_candidates())]
    systems_in = args.systems
    if systems_in is None:
        systems_in = [str(data.sample_systems())] if using_sample else []
    usage_in = args.usage
    if usage_in is None:
        usage_in = [str(data.sample_usage())] if using_sample else []
    pack = load_pack(policy or getattr(args, "policy", None))
    candidates = read_table(inputs)
    registries: list[IntakeResult] = []
    systems = usage = None
    if systems_in:
        sys_result = read_systems(systems_in)
        registries.append(sys_result)
        systems = sys_result.accepted
        if usage_in:
            use_result = read_usage(usage_in, sys_result)
            registries.append(use_result)
            usage = use_result.accepted
    year = plan_year or args.year or _default_plan_year(using_sample)
    register = _register(args, year)
    if register is not None:
        systems, usage = register.merged(systems, usage)
    result = check(
        candidates.accepted,
        pack=pack,
        plan_year=year,
        reference_date=args.reference_date,
        systems=systems,
        usage=usage,
        rectifications=None if register is None else register.rectifications,
    )
    return result, candidates, registries, using_sample


def _register(args: argparse.Namespace, year: int) -> object:
    """What the 项目库 gives the plan year (``--db``), read once per command; None without."""
    db = getattr(args, "db", None)
    if db is None:
        return None
    cached = getattr(args, "register_inputs", None)
    if cached is None or cached.plan_year != year:
        from workbench.register.db import RegisterError
        from workbench.register.july import register_inputs

        try:
            cached = register_inputs(db or None, year)
        except RegisterError as exc:
            raise BadInput(str(exc)) from None
        args.register_inputs = cached
    return cached


def _emit(write: Callable[[], None]) -> None:
    try:
        write()
        sys.stdout.flush()
    except BrokenPipeError:  # `workbench check | head` is a normal way to read the output
        sys.stdout = None  # type: ignore[assignment]


def _print_json(payload: dict) -> None:
    data = dumps_bytes(payload) + b"\n"
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None or (sys.stdout.encoding or "").lower().replace("-", "") != "utf8":
        sys.stdout.write(data.decode("utf-8"))
        return
    sys.stdout.flush()  # what was printed before goes first
    buffer.write(data)


def cmd_check(args: argparse.Namespace) -> int:
    result, candidates, registries, using_sample = run_check(args)

    def write() -> None:
        if args.format == "json":
            _print_json(check_json(result, candidates, registries))
        else:
            if using_sample:
                print(CLI_LABELS["sample_note"])
            _register_note(args)
            print(check_text(result, candidates, registries))

    _emit(write)
    return _finish([candidates, *registries])


def _init_command(inputs: list[str]) -> str:
    return COVERAGE_MESSAGES["init_command"].format(inputs=" ".join(inputs) or "申报/")


def require_scenario_for_input(
    result: CheckResult, scenario: Scenario, *, using_sample: bool, command: str
) -> None:
    # Imported here: `check` and `template` do not need the planner stack.
    from workbench.planner.coverage import require_scenario_for_input as require

    require(result, scenario, using_sample=using_sample, command=command)


def _scenario(args: argparse.Namespace, name: str | None, using_sample: bool) -> Scenario:
    """The scenario a command plans under: the one named; for the sample, the sample's base;
    for one's own input, none of the sample's (a bare scenario that ``--ceiling`` fills)."""
    if name:
        scenario = load_scenario(name)
    elif using_sample:
        scenario = load_scenario(None)
    else:
        scenario = Scenario.bare(args.year or _default_plan_year(False))
    if args.year and args.year != scenario.plan_year:
        scenario = scenario.for_year(args.year)
    return scenario


def _bureau_scores(
    args: argparse.Namespace,
    result: CheckResult,
    registries: list[IntakeResult],
    scenario: Scenario | None = None,
) -> IntakeResult | None:
    """The bureau's scores table (``--scores``, else the scenario's ``scores:``), reported and
    counted with the other inputs: its rejected rows make the exit status 2 too."""
    path = getattr(args, "scores", None) or (scenario.scores if scenario is not None else "")
    if not path:
        return None
    from workbench.scoring import read_scores

    scores = read_scores([path], result.candidates)
    registries.append(scores)
    return scores


def cmd_plan(args: argparse.Namespace) -> int:
    # Imported here: `check` and `template` do not need the solver stack.
    from workbench.compare import plan_scenario
    from workbench.planner import why
    from workbench.report.plan import plan_json, plan_text, risk_records, risk_text

    inputs = _inputs(args)
    scenario = _scenario(args, args.scenario, using_sample=not inputs)
    if args.ceiling is not None:
        scenario = scenario.with_ceiling(args.ceiling, LEVEL_CITY)
    solver_changes = {"name": args.solver, "time_limit": args.time_limit}
    solver_changes = {k: v for k, v in solver_changes.items() if v is not None}
    if solver_changes:
        scenario = scenario.model_copy(
            update={"solver": scenario.solver.model_copy(update=solver_changes)}
        )
    result, candidates, registries, using_sample = run_check(
        args, plan_year=scenario.plan_year, policy=args.policy or scenario.policy
    )
    require_scenario_for_input(
        result, scenario, using_sample=using_sample, command=_init_command(inputs)
    )
    systems = _systems(args, registries, scenario.plan_year)
    provenance = {
        **check_provenance(result, candidates, registries),
        "scenario": {"name": scenario.name, "path": scenario.path},
    }
    register = _register(args, scenario.plan_year)
    if register is not None:
        provenance["register"] = register.provenance(scenario, result.candidates)
    carried = read_commitments(args, registries)
    bureau = _bureau_scores(args, result, registries, scenario)
    plan, scores = plan_scenario(
        result,
        scenario,
        systems=systems,
        carried=_with_register(args, carried, scenario, result),
        provenance=provenance,
        bureau_scores=bureau,
        history=None if register is None else register.history,
    )
    analysis = None
    if args.why:
        if args.why not in set(plan.projects["project_id"]):
            raise BadInput(PLAN_TEXT["unknown_project"].format(pid=args.why))
        from workbench.report.document import classified_ids

        # Classified projects (涉密) are named only in the internal edition, as in the documents.
        hidden = set() if args.internal else classified_ids(result)
        analysis = why(plan, args.why, hidden)
    risk = None
    if args.risk:
        from workbench.simulate import assumptions_from, simulate

        assumptions = assumptions_from(plan)
        risk = simulate(
            plan,
            assumptions,
            draws=args.risk,
            seed=args.seed,
            progress=args.format == "text" and sys.stderr.isatty(),
        )
    outputs = None
    if args.out:
        from workbench.report.document import Risk
        from workbench.report.outputs import report_frontier, write_outputs

        comparison = None
        if args.compare is not None:
            comparison = _comparison_with(
                plan, args.compare, result, systems, carried, using_sample, inputs, bureau
            )
        outputs = write_outputs(
            plan,
            result,
            args.out,
            comparison=comparison,
            risk=None if risk is None else Risk(risk, args.risk, args.seed),
            frontier=report_frontier(plan),
            internal=args.internal,
            pdf=not args.no_pdf,
            supervision=() if register is None else register.supervision(),
        )
    written = outputs.paths if outputs else []

    def write() -> None:
        if args.format == "json":
            payload = plan_json(plan)
            if analysis is not None:
                payload["why"] = {
                    "project_id": analysis.project_id,
                    "text": analysis.text,
                    "displaced": list(analysis.displaced),
                    "amount": analysis.amount,
                    "value_before": analysis.value_before,
                    "value_after": analysis.value_after,
                    "loss": analysis.loss,
                    "displaced_projects": [d.record() for d in analysis.displaced_projects],
                }
            if risk is not None:
                payload["risk"] = {
                    "draws": args.risk,
                    "seed": args.seed,
                    "by_pool_year": risk_records(risk),
                }
            _print_json(payload)
        else:
            if using_sample:
                print(CLI_LABELS["sample_note"])
            _register_note(args, scenario, result)
            print(plan_text(plan))
            if risk is not None:
                article = load_pack(scenario.policy).adjustments.article
                print(risk_text(risk, args.risk, args.seed, assumptions.overrun_bound, article))
            for note in scores.notes:
                print(PLAN_TEXT["scoring_note"].format(note=note))
            if analysis is not None:
                print(PLAN_TEXT["why"].format(text=analysis.text))
            if written:
                print(PLAN_TEXT["written"].format(paths="、".join(str(p) for p in written)))
            for note in outputs.notes if outputs else []:
                print(note)

    _emit(write)
    return _finish([candidates, *registries])


def _compared_scenarios(args: argparse.Namespace) -> tuple[list[Scenario], bool]:
    """The scenarios to line up, and whether the input is the sample. ``--scenario`` names
    them; older spellings put scenario names among the positional arguments (a YAML file, or a
    shipped name that is not a file here): those are taken as scenarios. On one's own forms a
    single scenario is compared with the shipped variants laid over it; the sample's scenarios
    are never applied to them."""
    names = list(args.scenarios or [])
    inputs = []
    for item in args.inputs:
        path = Path(item)
        legacy = path.suffix.lower() in (".yaml", ".yml") or (
            not path.exists() and is_scenario_name(item)
        )
        (names if legacy else inputs).append(item)
    args.inputs = inputs
    using_sample = not _inputs(args)
    if using_sample:
        return [_scenario(args, name, True) for name in names or DEFAULT_COMPARISON], True
    if not names:
        raise BadInput(
            CLI_LABELS["compare_needs_scenarios"].format(command=_init_command(_inputs(args)))
        )
    chosen = [_scenario(args, name, False) for name in names]
    if len(chosen) == 1:
        chosen += [chosen[0].variant(name) for name in DEFAULT_COMPARISON[1:]]
    return chosen, False


def cmd_compare(args: argparse.Namespace) -> int:
    from workbench.compare import compare, plan_scenario
    from workbench.report.compare import compare_json, compare_text, write_comparison

    scenarios, _ = _compared_scenarios(args)
    years = {s.plan_year for s in scenarios}
    if len(years) != 1:
        raise BadInput(CLI_LABELS["compare_years"].format(years="、".join(map(str, sorted(years)))))
    result, candidates, registries, using_sample = run_check(
        args, plan_year=scenarios[0].plan_year, policy=scenarios[0].policy
    )
    for scenario in scenarios:
        require_scenario_for_input(
            result, scenario, using_sample=using_sample, command=_init_command(_inputs(args))
        )
    systems = _systems(args, registries, scenarios[0].plan_year)
    carried = read_commitments(args, registries)
    bureau = _bureau_scores(args, result, registries)
    register = _register(args, scenarios[0].plan_year)
    plans = {
        s.name: plan_scenario(
            result,
            s,
            systems=systems,
            carried=_with_register(args, carried, s, result),
            bureau_scores=bureau,
            history=None if register is None else register.history,
        )[0]
        for s in scenarios
    }
    comparison = compare(plans)
    written = None
    if args.out:
        from workbench.report.document import classified_ids
        from workbench.report.outputs import provenance_inputs

        hidden = set() if args.internal else classified_ids(result)
        written = write_comparison(
            comparison,
            args.out,
            scenarios[0].plan_year,
            hidden,
            inputs=provenance_inputs(
                check_provenance(result, candidates, registries), [s.path for s in scenarios]
            ),
            scenarios=[{"name": s.name, "path": s.path} for s in scenarios],
        )

    def write() -> None:
        if args.format == "json":
            _print_json(compare_json(comparison))
        else:
            if using_sample:
                print(CLI_LABELS["sample_note"])
            _register_note(args, scenarios[0], result)
            print(compare_text(comparison, scenarios[0].plan_year))
            if written:
                print(COMPARE_TEXT["written"].format(path=written))

    _emit(write)
    return _finish([candidates, *registries])


def _comparison_with(
    plan: object,
    names: list[str],
    result: CheckResult,
    systems: object,
    carried: object,
    using_sample: bool,
    inputs: list[str],
    bureau: IntakeResult | None,
) -> object:
    """This plan against the named scenarios (for the sample, all other shipped ones when none
    is named; for one's own input, the shipped variants laid over this plan's scenario)."""
    from workbench.compare import compare, plan_scenario

    base = plan.scenario
    if names:
        others = [load_scenario(name) for name in names]
    elif using_sample:
        others = [load_scenario(name) for name in DEFAULT_COMPARISON]
    else:
        others = [base.variant(name) for name in DEFAULT_COMPARISON[1:]]
    plans = {base.name: plan}
    for other in others:
        if other.plan_year != base.plan_year:
            raise BadInput(
                CLI_LABELS["compare_years"].format(
                    years="、".join(map(str, sorted({other.plan_year, base.plan_year})))
                )
            )
        require_scenario_for_input(
            result, other, using_sample=using_sample, command=_init_command(inputs)
        )
        if other.name not in plans:
            plans[other.name] = plan_scenario(
                result, other, systems=systems, carried=carried, bureau_scores=bureau
            )[0]
    return compare(plans)


def cmd_pipeline(args: argparse.Namespace) -> int:
    from workbench.pipeline import PipelineError, run_pipeline
    from workbench.session import Session

    given = _inputs(args)
    if len(given) > 1:
        raise BadInput(CLI_LABELS["one_folder"].format(items="、".join(given)))
    folder = given[0] if given else None
    files = InputFiles.from_folder(folder)  # a missing or empty folder is bad input
    year = args.year or _default_plan_year(files.using_sample)
    out = args.out or str(Path(CLI_LABELS["pipeline_out"]) / str(year))
    # Said before any notebook runs: a scenario that does not load, or that does not cover
    # this input (never the sample's ceilings on someone else's forms).
    session = Session(files, plan_year=year, scenario=args.scenario, scores=args.scores)
    session.require_scenario()
    if args.db is not None:
        _register(args, year)  # a register that cannot be read is said before any notebook runs
    if files.using_sample:
        print(CLI_LABELS["sample_note"])
    try:
        steps = run_pipeline(
            year,
            folder,
            out,
            scenario=args.scenario or "",
            seed=args.seed,
            scores=args.scores,
            db=args.db,
        )
    except PipelineError as exc:
        sys.stderr.write(str(exc) + "\n")
        return EXIT_FAILED
    for step in steps:
        print(CLI_LABELS["pipeline_step"].format(name=step.notebook.stem, seconds=step.seconds))
    written = sorted(p for p in Path(out).iterdir() if p.is_file() and not p.name.startswith("."))
    print(CLI_LABELS["pipeline_written"].format(out=out, files="、".join(p.name for p in written)))
    return _finish(session.received.all)


def cmd_app(args: argparse.Namespace) -> int:
    import contextlib

    from workbench.apps.server import (
        APPS,
        is_app_name,
        notebook_for,
        serving_message,
        start,
        stop,
        stop_on_signals,
    )
    from workbench.labels import APP_LABELS

    target = list(args.target)
    name = target.pop(0) if target and is_app_name(target[0]) else "explorer"
    given = target + list(args.inputs_opt or [])
    if len(given) > 1:
        raise BadInput(CLI_LABELS["one_folder"].format(items="、".join(given)))
    folder = given[0] if given else None
    notebook_for(name)  # an unknown name is bad input, said before anything starts
    key = name if name in APPS else next(k for k, v in APPS.items() if v == name)
    if args.scenarios_dir and key != "explorer":  # only 情景推演 saves scenarios
        raise BadInput(CLI_LABELS["scenarios_dir_explorer_only"].format(app=name))
    if args.db:  # a register that cannot be used is said before the server starts
        _require_register(args.db)
    if folder and key not in ("checker", "register"):  # those two do not plan
        from workbench.session import Session

        # Said before the server starts: one's own forms need their own scenario.
        Session(
            InputFiles.from_folder(folder), plan_year=args.year, scenario=args.scenario
        ).require_scenario()
    with stop_on_signals():  # SIGTERM and SIGHUP stop Voilà and its kernels as Ctrl-C does
        process, url = start(
            name,
            port=args.port,
            host=args.host,
            internal=args.internal,
            input_dir=folder,
            plan_year=args.year,
            scenario=args.scenario,
            cull_idle=args.cull_idle,
            db=args.db,
            scenarios_dir=_scenarios_folder(args.scenarios_dir),
        )
        try:
            print(serving_message(name, url, args.host, args.internal), flush=True)
            process.wait()
        except KeyboardInterrupt:  # Ctrl-C, SIGTERM, SIGHUP
            stop(process)
            with contextlib.suppress(OSError):  # after SIGHUP the terminal may be gone
                print(APP_LABELS["stopped"], flush=True)
        finally:
            stop(process)  # at once when already stopped
    return EXIT_OK


def _scenarios_folder(folder: str | None) -> str | None:
    """``--scenarios-dir``: made when missing, said before the server starts when it cannot be."""
    if not folder:
        return None
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BadInput(os_error_text(exc)) from None
    return str(Path(folder).resolve())


def _require_register(db: str) -> None:
    from workbench.register.db import RegisterError
    from workbench.register.store import Register

    try:
        Register.open(db).close()
    except RegisterError as exc:
        raise BadInput(str(exc)) from None


def cmd_scenario_init(args: argparse.Namespace) -> int:
    from workbench.provenance import file_name
    from workbench.report.skeleton import scenario_skeleton, write_skeleton

    result, candidates, registries, using_sample = run_check(args)
    inputs = [
        SKELETON_LABELS["input"].format(name=file_name(s.path), sha=s.sha256[:12])
        for s in (candidates.sources if not using_sample else [])
    ]
    text = scenario_skeleton(result, horizon=args.horizon, inputs=inputs)
    try:
        path = write_skeleton(text, args.out, force=args.force)
    except FileExistsError:
        raise BadInput(SKELETON_LABELS["exists"].format(path=args.out)) from None
    if using_sample:
        print(CLI_LABELS["sample_note"])
    print(SKELETON_LABELS["written"].format(path=path))
    return _finish([candidates, *registries])


def read_commitments(args: argparse.Namespace, registries: list[IntakeResult]) -> object:
    """The commitments table (accepted rows) when given; its intake joins the others so that
    its rejected rows are reported and counted."""
    if not args.commitments:
        return None
    result = read_table(args.commitments, "commitments")
    registries.append(result)
    return result.accepted


def _register_note(
    args: argparse.Namespace, scenario: Scenario | None = None, result: CheckResult | None = None
) -> None:
    """One line before the text: which register was read, as of when, and what it gave."""
    register = getattr(args, "register_inputs", None)
    if register is not None:
        from workbench.labels import JULY_LABELS

        candidates = None if result is None else result.candidates
        figures = register.provenance(scenario, candidates)
        line = JULY_LABELS["used"].format(where=register.database, **figures)
        if scenario is not None:
            line += JULY_LABELS["used_commitments"].format(**figures)
        print(line)


def _systems(args: argparse.Namespace, registries: list[IntakeResult], year: int) -> object:
    """The registry the scores read: the file's, with the register's under it (``--db``)."""
    systems = next((r.accepted for r in registries if r.table == "systems"), None)
    register = _register(args, year)
    return systems if register is None else register.merged(systems, None)[0]


def _with_register(
    args: argparse.Namespace, carried: object, scenario: Scenario, result: CheckResult
) -> object:
    """The commitments: the file's, and the register's for ``scenario`` (``--db``)."""
    register = _register(args, scenario.plan_year)
    if register is None:
        return carried
    import pandas as pd

    held = register.commitments(scenario, result.candidates)
    return held if carried is None else pd.concat([held, carried], ignore_index=True)


def _finish(intakes: list[IntakeResult]) -> int:
    # Rows that were not accepted are bad input: the report names each one; the exit status
    # says so to scripts (DESIGN §7).
    summary = rejection_summary(intakes)
    return _fail(summary) if summary is not None else EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "check": cmd_check,
    "plan": cmd_plan,
    "compare": cmd_compare,
    "pipeline": cmd_pipeline,
    "app": cmd_app,
    "notebooks": run_notebooks,
    "db": run_db,
}


def _run(args: argparse.Namespace) -> int:
    if args.command == "template":
        path = write_template(args.out, args.year or dt.date.today().year + 1)
        print(CLI_LABELS["template_written"].format(path=path))
        return EXIT_OK
    if args.command == "scenario":
        return cmd_scenario_init(args)
    return COMMANDS[args.command](args)


def _internal_error(exc: BaseException, debug: bool) -> int:
    """An unexpected error: a Chinese message and the path of a log with the traceback."""
    if debug:
        traceback.print_exception(exc)
    log = (
        Path(tempfile.gettempdir())
        / f"workbench-{dt.datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}.log"
    )
    try:
        log.write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
        where = str(log)
    except OSError:
        where = CLI_LABELS["no_log"]
    sys.stderr.write(CLI_LABELS["internal_error"].format(doing=_doing(exc), log=where) + "\n")
    return EXIT_INTERNAL


def _doing(exc: BaseException) -> str:
    """What the command was doing when ``exc`` was raised, read off the innermost frame of the
    workbench's own code (intake → 读取申报文件, planner → 编制计划, …)."""
    doing = STAGES["command"]
    for frame, _ in traceback.walk_tb(exc.__traceback__):
        module = frame.f_globals.get("__name__", "")
        parts = module.split(".")
        if parts[0] == "workbench" and len(parts) > 1 and parts[1] in STAGES:
            doing = STAGES[parts[1]]
    return doing


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    debug = bool(getattr(args, "debug", False))
    try:
        return _run(args)
    except (
        IntakeFileError,
        InputFolderError,
        AppError,
        PolicyPackError,
        ScenarioError,
        ScoringModelError,
        OutputLockedError,
        BadInput,
    ) as exc:
        if debug and getattr(exc, "detail", ""):  # the library's own words, for maintainers
            sys.stderr.write(f"{exc.detail}\n")
        return _fail(str(exc))
    except OSError as exc:
        if debug:
            traceback.print_exception(exc)
        return _fail(os_error_text(exc))
    except KeyboardInterrupt:
        return _fail(CLI_LABELS["interrupted"])
    except Exception as exc:
        return _internal_error(exc, debug)


def run() -> int:
    """The ``workbench`` command: :func:`main` with Python's cyclic collector set for a run that
    builds a large table and then ends. A check of 10 000 rows allocates millions of objects that
    live until the end; collecting every 700 allocations (the default) walks them again and again
    (a fifth of the run), and the collection at exit walks everything once more (half a second
    after the work is done). Nothing is lost: the process ends and returns all of it at once."""
    gc.set_threshold(100_000, 50, 1_000)
    try:
        return main()
    finally:
        gc.freeze()


if __name__ == "__main__":
    raise SystemExit(run())
