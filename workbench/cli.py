"""The ``workbench`` command (DESIGN §7). Every command works with no arguments on the embedded
sample. Exit status: 0 on success (an infeasible plan is a result, with its diagnosis), 2 on bad
input or usage (with a Chinese message)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path

from workbench import data
from workbench.apps.server import AppError
from workbench.intake import IntakeFileError, IntakeResult, read_table
from workbench.intake.registry import read_systems, read_usage
from workbench.intake.template import write_template
from workbench.labels import CLI_LABELS, COMPARE_TEXT, LEVEL_CITY, PLAN_TEXT, PRODUCT_TITLE
from workbench.policy import CheckResult, PolicyPackError, check, load_pack
from workbench.report.check import check_json, check_provenance, check_text, rejection_summary
from workbench.scenario import ScenarioError, load_scenario
from workbench.scoring import ScoringModelError
from workbench.session import InputFiles, InputFolderError

DEFAULT_COMPARISON = ("base", "cut20", "om_first", "data_sharing", "rolling3")
EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_FAILED = 1  # a notebook of the pipeline failed: not the input's fault


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own exit code for usage errors is 2 too
        self.print_usage(sys.stderr)
        sys.stderr.write(CLI_LABELS["usage_error"].format(error=message) + "\n")
        raise SystemExit(EXIT_BAD_INPUT)


class BadInput(ValueError):
    """A usage problem found after parsing (e.g. --why naming an unknown project)."""


def _default_plan_year(using_sample: bool) -> int:
    # The July intake is for next year's plan (第五条、第九条); the sample is for 2027.
    return data.SAMPLE_PLAN_YEAR if using_sample else dt.date.today().year + 1


def _amount(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(text) from None
    if not value.is_finite() or value < 0:
        raise argparse.ArgumentTypeError(text)
    return value


def _add_intake_arguments(cmd: argparse.ArgumentParser, positional: bool = True) -> None:
    """The inputs every command reads: submissions (positional, or ``--inputs`` where the
    positional arguments name something else), the registry, usage, the reference date."""
    help_inputs = "申报文件或文件夹（xlsx/csv），不填则用内置样例"
    if positional:
        cmd.add_argument("inputs", nargs="*", help=help_inputs)
    else:
        cmd.add_argument("--inputs", nargs="*", default=[], help=help_inputs)
    cmd.add_argument("--systems", nargs="*", default=None, help="已建系统登记表")
    cmd.add_argument("--usage", nargs="*", default=None, help="系统月度使用情况")
    cmd.add_argument(
        "--reference-date",
        type=dt.date.fromisoformat,
        default=None,
        help="时间窗口的基准日（YYYY-MM-DD），默认为计划年度1月1日",
    )
    cmd.add_argument("--format", choices=("text", "json"), default="text")


def _add_commitments_argument(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument(
        "--commitments",
        nargs="*",
        default=None,
        help="已有资金承诺（以前年度计划结转、在运行系统运维合同），先从上限中扣除",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="workbench", description=PRODUCT_TITLE)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    tpl = sub.add_parser("template", help="生成申报模板（Excel）")
    tpl.add_argument("out", nargs="?", default="申报模板.xlsx", help="输出文件，默认 申报模板.xlsx")
    tpl.add_argument("--plan-year", type=int, default=None, help="计划年度，默认为下一年")

    chk = sub.add_parser("check", help="受理申报并按政策审核")
    _add_intake_arguments(chk)
    chk.add_argument(
        "--plan-year", type=int, default=None, help="计划年度；样例默认2027，否则为下一年"
    )
    chk.add_argument("--policy", default=None, help="政策包（id 或 YAML 路径），默认 ordos-2025")

    pln = sub.add_parser("plan", help="编制年度计划草案")
    _add_intake_arguments(pln)
    pln.add_argument("--scenario", default=None, help="情景（名称或 YAML 路径），默认 base")
    pln.add_argument(
        "--ceiling",
        type=_amount,
        default=None,
        help="市本级计划年度资金上限（万元），覆盖情景中的值",
    )
    pln.add_argument("--policy", default=None, help="政策包，默认取情景中的设置")
    pln.add_argument(
        "--solver",
        choices=("highs", "cbc"),
        default=None,
        help="求解器，默认取情景中的设置（highs）",
    )
    pln.add_argument(
        "--time-limit",
        type=float,
        default=None,
        help="求解时限（秒）；达到时限的方案注明未证明最优及间隙",
    )
    pln.add_argument("--why", metavar="ID", default=None, help="分析强制纳入某项目将调出哪些项目")
    pln.add_argument(
        "--out",
        default=None,
        help="输出目录：写出计划清单（CSV）、计划草案工作簿（xlsx）、汇报材料（HTML，有Chromium时另出PDF）",
    )
    pln.add_argument(
        "--internal",
        action="store_true",
        help="输出内部版：列示涉密项目的名称和内容（默认分发版隐去，内部版不得外发）",
    )
    pln.add_argument(
        "--compare",
        nargs="*",
        default=None,
        metavar="SCENARIO",
        help="与这些情景对比，写入工作簿和汇报材料的“情景对比”（不填则为其余内置情景）",
    )
    pln.add_argument("--no-pdf", action="store_true", help="不生成PDF")
    pln.add_argument(
        "--risk",
        type=int,
        nargs="?",
        const=10_000,
        default=None,
        metavar="DRAWS",
        help="蒙特卡洛风险模拟（默认10000次）：各资金渠道各年度P50/P90支出及超上限概率",
    )
    pln.add_argument("--seed", type=int, default=0, help="风险模拟的随机种子，默认0")
    _add_commitments_argument(pln)

    cmp = sub.add_parser("compare", help="多个情景的计划对比")
    cmp.add_argument(
        "scenarios",
        nargs="*",
        default=list(DEFAULT_COMPARISON),
        help="情景（名称或 YAML 路径），默认 " + " ".join(DEFAULT_COMPARISON),
    )
    _add_intake_arguments(cmp, positional=False)
    cmp.add_argument("--out", default=None, help="输出目录：写出情景对比（xlsx）")
    cmp.add_argument(
        "--internal", action="store_true", help="输出内部版：列示涉密项目名称（默认隐去）"
    )
    _add_commitments_argument(cmp)
    pip = sub.add_parser(
        "pipeline", help="按顺序运行分析笔记本（01申报受理至07汇报材料），留下执行后的笔记本和材料"
    )
    pip.add_argument("--year", type=int, default=None, help="计划年度；样例默认2027，否则为下一年")
    pip.add_argument("--input", default=None, help="申报文件夹，不填则用内置样例")
    pip.add_argument("--out", default=None, help="输出文件夹，默认 输出/<计划年度>")
    pip.add_argument("--scenario", default="base", help="情景（名称或 YAML 路径），默认 base")
    pip.add_argument("--seed", type=int, default=0, help="随机种子，默认0")
    app = sub.add_parser("app", help="启动 Voilà 应用（情景推演、申报自查、计划汇报），仅本机访问")
    app.add_argument(
        "name",
        nargs="?",
        default="explorer",
        help="explorer（情景推演，默认）、checker（申报自查）、dashboard（计划汇报），中文名亦可",
    )
    app.add_argument("--port", type=int, default=None, help="端口，默认自动选择空闲端口")
    app.add_argument("--input", default=None, help="申报文件夹，不填则用内置样例")
    app.add_argument("--year", type=int, default=None, help="计划年度")
    app.add_argument("--scenario", default=None, help="情景，默认 base")
    app.add_argument(
        "--cull-idle",
        type=int,
        default=600,
        help="页面关闭后内核空闲多少秒即关闭（默认600）",
    )
    return parser


def _fail(message: str) -> int:
    sys.stderr.write(message + "\n")
    return EXIT_BAD_INPUT


def run_check(
    args: argparse.Namespace, plan_year: int | None = None, policy: str | None = None
) -> tuple[CheckResult, IntakeResult, list[IntakeResult], bool]:
    """Read the inputs (or the sample) and check them against the policy pack."""
    using_sample = not args.inputs
    inputs = args.inputs or [str(data.sample_candidates())]
    systems_in = args.systems
    if systems_in is None:
        systems_in = [str(data.sample_systems())] if using_sample else []
    usage_in = args.usage
    if usage_in is None:
        usage_in = [str(data.sample_usage())] if using_sample else []
    pack = load_pack(policy or args.policy)
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
    year = plan_year or getattr(args, "plan_year", None) or _default_plan_year(using_sample)
    result = check(
        candidates.accepted,
        pack=pack,
        plan_year=year,
        reference_date=args.reference_date,
        systems=systems,
        usage=usage,
    )
    return result, candidates, registries, using_sample


def _emit(write: Callable[[], None]) -> None:
    try:
        write()
        sys.stdout.flush()
    except BrokenPipeError:  # `workbench check | head` is a normal way to read the output
        sys.stdout = None  # type: ignore[assignment]


def _print_json(payload: dict) -> None:
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def cmd_check(args: argparse.Namespace) -> int:
    result, candidates, registries, using_sample = run_check(args)

    def write() -> None:
        if args.format == "json":
            _print_json(check_json(result, candidates, registries))
        else:
            if using_sample:
                print(CLI_LABELS["sample_note"])
            print(check_text(result, candidates, registries))

    _emit(write)
    return _finish([candidates, *registries])


def cmd_plan(args: argparse.Namespace) -> int:
    # Imported here: `check` and `template` do not need the solver stack.
    from workbench.compare import plan_scenario
    from workbench.planner import why
    from workbench.report.plan import plan_json, plan_text, risk_records, risk_text

    scenario = load_scenario(args.scenario)
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
    systems = next((r.accepted for r in registries if r.table == "systems"), None)
    provenance = {
        **check_provenance(result, candidates, registries),
        "scenario": {"name": scenario.name, "path": scenario.path},
    }
    carried = read_commitments(args, registries)
    plan, scores = plan_scenario(
        result, scenario, systems=systems, carried=carried, provenance=provenance
    )
    analysis = None
    if args.why:
        if args.why not in set(plan.projects["project_id"]):
            raise BadInput(PLAN_TEXT["unknown_project"].format(pid=args.why))
        analysis = why(plan, args.why)
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
            comparison = _comparison_with(plan, args.compare, result, systems, carried)
        outputs = write_outputs(
            plan,
            result,
            args.out,
            comparison=comparison,
            risk=None if risk is None else Risk(risk, args.risk, args.seed),
            frontier=report_frontier(plan),
            internal=args.internal,
            pdf=not args.no_pdf,
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


def cmd_compare(args: argparse.Namespace) -> int:
    from workbench.compare import compare, plan_scenario
    from workbench.report.compare import compare_json, compare_text, write_comparison

    scenarios = [load_scenario(name) for name in args.scenarios]
    years = {s.plan_year for s in scenarios}
    if len(years) != 1:
        raise BadInput(CLI_LABELS["compare_years"].format(years="、".join(map(str, sorted(years)))))
    result, candidates, registries, using_sample = run_check(
        args, plan_year=scenarios[0].plan_year, policy=scenarios[0].policy
    )
    systems = next((r.accepted for r in registries if r.table == "systems"), None)
    carried = read_commitments(args, registries)
    plans = {
        s.name: plan_scenario(result, s, systems=systems, carried=carried)[0] for s in scenarios
    }
    comparison = compare(plans)
    written = None
    if args.out:
        from workbench.report.document import classified_ids

        hidden = set() if args.internal else classified_ids(result)
        written = write_comparison(comparison, args.out, scenarios[0].plan_year, hidden)

    def write() -> None:
        if args.format == "json":
            _print_json(compare_json(comparison))
        else:
            if using_sample:
                print(CLI_LABELS["sample_note"])
            print(compare_text(comparison, scenarios[0].plan_year))
            if written:
                print(COMPARE_TEXT["written"].format(path=written))

    _emit(write)
    return _finish([candidates, *registries])


def _comparison_with(
    plan: object, names: list[str], result: CheckResult, systems: object, carried: object
) -> object:
    """This plan against the named scenarios (all other shipped ones when none is named)."""
    from workbench.compare import compare, plan_scenario

    chosen = names or list(DEFAULT_COMPARISON)
    plans = {plan.scenario.name: plan}
    for name in chosen:
        other = load_scenario(name)
        if other.plan_year != plan.scenario.plan_year:
            raise BadInput(
                CLI_LABELS["compare_years"].format(
                    years="、".join(map(str, sorted({other.plan_year, plan.scenario.plan_year})))
                )
            )
        if other.name not in plans:
            plans[other.name] = plan_scenario(result, other, systems=systems, carried=carried)[0]
    return compare(plans)


def cmd_pipeline(args: argparse.Namespace) -> int:
    from workbench.pipeline import PipelineError, run_pipeline
    from workbench.session import Session

    files = InputFiles.from_folder(args.input)  # a missing or empty folder is bad input
    year = args.year or _default_plan_year(files.using_sample)
    out = args.out or str(Path(CLI_LABELS["pipeline_out"]) / str(year))
    load_scenario(args.scenario)  # a scenario that does not load is bad input, said before running
    if files.using_sample:
        print(CLI_LABELS["sample_note"])
    try:
        steps = run_pipeline(year, args.input, out, scenario=args.scenario, seed=args.seed)
    except PipelineError as exc:
        sys.stderr.write(str(exc) + "\n")
        return EXIT_FAILED
    for step in steps:
        print(CLI_LABELS["pipeline_step"].format(name=step.notebook.stem, seconds=step.seconds))
    written = sorted(p for p in Path(out).iterdir() if p.is_file())
    print(CLI_LABELS["pipeline_written"].format(out=out, files="、".join(p.name for p in written)))
    return _finish(Session(files, plan_year=year, scenario=args.scenario).received.all)


def cmd_app(args: argparse.Namespace) -> int:
    from workbench.apps.server import APPS, notebook_for, start, stop
    from workbench.labels import APP_LABELS

    notebook_for(args.name)  # an unknown name is bad input, said before anything starts
    if args.input:
        InputFiles.from_folder(args.input)
    process, url = start(
        args.name,
        port=args.port,
        input_dir=args.input,
        plan_year=args.year,
        scenario=args.scenario,
        cull_idle=args.cull_idle,
    )
    print(APP_LABELS["serving"].format(title=APPS.get(args.name, args.name), url=url), flush=True)
    try:
        process.wait()
    except KeyboardInterrupt:
        stop(process)
        print(APP_LABELS["stopped"])
    return EXIT_OK


def read_commitments(args: argparse.Namespace, registries: list[IntakeResult]) -> object:
    """The commitments table (accepted rows) when given; its intake joins the others so that
    its rejected rows are reported and counted."""
    if not args.commitments:
        return None
    result = read_table(args.commitments, "commitments")
    registries.append(result)
    return result.accepted


def _finish(intakes: list[IntakeResult]) -> int:
    # Rows that were not accepted are bad input: the report names each one; the exit status
    # says so to scripts (DESIGN §7).
    summary = rejection_summary(intakes)
    return _fail(summary) if summary is not None else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "template":
            path = write_template(args.out, args.plan_year or dt.date.today().year + 1)
            print(CLI_LABELS["template_written"].format(path=path))
            return EXIT_OK
        if args.command == "plan":
            return cmd_plan(args)
        if args.command == "compare":
            return cmd_compare(args)
        if args.command == "pipeline":
            return cmd_pipeline(args)
        if args.command == "app":
            return cmd_app(args)
        return cmd_check(args)
    except (
        IntakeFileError,
        InputFolderError,
        AppError,
        PolicyPackError,
        ScenarioError,
        ScoringModelError,
        BadInput,
    ) as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(CLI_LABELS["usage_error"].format(error=exc))


if __name__ == "__main__":
    raise SystemExit(main())
