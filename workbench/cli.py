"""The ``workbench`` command (DESIGN §7). Every command works with no arguments on the embedded
sample. Exit status: 0 on success, 2 on bad input or usage (with a Chinese message)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence

from workbench import data
from workbench.intake import IntakeFileError, IntakeResult, read_table
from workbench.intake.registry import read_systems, read_usage
from workbench.intake.template import write_template
from workbench.labels import CLI_LABELS, PRODUCT_TITLE
from workbench.policy import CheckResult, PolicyPackError, check, load_pack
from workbench.report.check import check_json, check_text, rejection_summary

EXIT_OK = 0
EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own exit code for usage errors is 2 too
        self.print_usage(sys.stderr)
        sys.stderr.write(CLI_LABELS["usage_error"].format(error=message) + "\n")
        raise SystemExit(EXIT_BAD_INPUT)


def _default_plan_year(using_sample: bool) -> int:
    # The July intake is for next year's plan (第五条、第九条); the sample is for 2027.
    return data.SAMPLE_PLAN_YEAR if using_sample else dt.date.today().year + 1


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="workbench", description=PRODUCT_TITLE)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    tpl = sub.add_parser("template", help="生成申报模板（Excel）")
    tpl.add_argument("out", nargs="?", default="申报模板.xlsx", help="输出文件，默认 申报模板.xlsx")
    tpl.add_argument("--plan-year", type=int, default=None, help="计划年度，默认为下一年")

    chk = sub.add_parser("check", help="受理申报并按政策审核")
    chk.add_argument("inputs", nargs="*", help="申报文件或文件夹（xlsx/csv），不填则用内置样例")
    chk.add_argument("--systems", nargs="*", default=None, help="已建系统登记表")
    chk.add_argument("--usage", nargs="*", default=None, help="系统月度使用情况")
    chk.add_argument(
        "--plan-year", type=int, default=None, help="计划年度；样例默认2027，否则为下一年"
    )
    chk.add_argument(
        "--reference-date",
        type=dt.date.fromisoformat,
        default=None,
        help="时间窗口的基准日（YYYY-MM-DD），默认为计划年度1月1日",
    )
    chk.add_argument("--policy", default=None, help="政策包（id 或 YAML 路径），默认 ordos-2025")
    chk.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def _fail(message: str) -> int:
    sys.stderr.write(message + "\n")
    return EXIT_BAD_INPUT


def run_check(
    args: argparse.Namespace,
) -> tuple[CheckResult, IntakeResult, list[IntakeResult], bool]:
    using_sample = not args.inputs
    inputs = args.inputs or [str(data.sample_candidates())]
    systems_in = (
        args.systems
        if args.systems is not None
        else ([str(data.sample_systems())] if using_sample else [])
    )
    usage_in = (
        args.usage
        if args.usage is not None
        else ([str(data.sample_usage())] if using_sample else [])
    )
    pack = load_pack(args.policy)
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
    plan_year = args.plan_year or _default_plan_year(using_sample)
    result = check(
        candidates.accepted,
        pack=pack,
        plan_year=plan_year,
        reference_date=args.reference_date,
        systems=systems,
        usage=usage,
    )
    return result, candidates, registries, using_sample


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "template":
            path = write_template(args.out, args.plan_year or dt.date.today().year + 1)
            print(CLI_LABELS["template_written"].format(path=path))
            return EXIT_OK
        result, candidates, registries, using_sample = run_check(args)
    except (IntakeFileError, PolicyPackError) as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(CLI_LABELS["usage_error"].format(error=exc))
    try:
        if args.format == "json":
            json.dump(
                check_json(result, candidates, registries), sys.stdout, ensure_ascii=False, indent=2
            )
            sys.stdout.write("\n")
        else:
            if using_sample:
                print(CLI_LABELS["sample_note"])
            print(check_text(result, candidates, registries))
        sys.stdout.flush()
    except BrokenPipeError:  # `workbench check | head` is a normal way to read the output
        sys.stdout = None  # type: ignore[assignment]
    # Rows that were not accepted are bad input: the report above names each one; the exit
    # status says so to scripts (DESIGN §7).
    summary = rejection_summary([candidates, *registries])
    if summary is not None:
        return _fail(summary)
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
