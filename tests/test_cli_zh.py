"""argparse in Chinese (workbench.cli_zh): every message a user can meet is Chinese, on the
Python that runs the tests (3.11–3.13 supported)."""

from __future__ import annotations

import argparse
import ast
import re
import warnings
from collections import Counter
from pathlib import Path

import pytest

from workbench.cli_zh import (
    FALLBACK,
    MESSAGES,
    PLURAL_MESSAGES,
    ChineseArgumentDefaultsHelpFormatter,
    ChineseArgumentParser,
    chinese_argparse,
    gettext_zh,
    ngettext_zh,
    placeholders,
)
from workbench.english import english_sentences

CJK = re.compile(r"[\u4e00-\u9fff]")


def build_parser() -> ChineseArgumentParser:
    parser = ChineseArgumentParser(
        prog="workbench",
        description="政务信息化项目计划与预算模拟工作台",
        version="workbench 0.1.0",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="子命令")
    plan = sub.add_parser("plan", help="编制年度计划草案")
    plan.add_argument("inputs", nargs="*", help="申报文件或文件夹（xlsx/csv）")
    plan.add_argument("--year", type=int, required=True, help="计划年度")
    plan.add_argument("--format", choices=("text", "json"), default="text", help="输出格式")
    plan.add_argument("--scenario", default="base", help="情景，默认 %(default)s")
    plan.add_argument("--seed", type=int, default=0, help="随机种子")
    plan.add_argument("--no-pdf", action="store_true", help="不生成PDF")
    check = sub.add_parser("check", help="受理申报并按政策审核")
    output = check.add_mutually_exclusive_group(required=True)
    output.add_argument("--text", action="store_true", help="文本输出")
    output.add_argument("--json", action="store_true", help="JSON输出")
    check.add_argument("--risk", type=int, nargs="?", const=10_000, help="风险模拟次数")
    check.add_argument("--pair", nargs=2, metavar=("甲", "乙"), help="两个值")
    return parser


def run(args: list[str], capsys: pytest.CaptureFixture[str], parser=None) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exc:
        (parser or build_parser()).parse_args(args)
    out, err = capsys.readouterr()
    assert not (out and err), (out, err)
    return exc.value.code or 0, out + err


def assert_chinese(text: str) -> None:
    assert CJK.search(text), text
    assert english_sentences(text) == [], text


ERRORS = {
    "missing required argument": (["plan"], "workbench plan：错误：缺少必需的参数：--year"),
    "missing subcommand": ([], "workbench：错误：缺少必需的参数：子命令"),
    "invalid choice": (
        ["plan", "--year", "2027", "--format", "xml"],
        "参数 --format：无效的取值：'xml'（可选：'text', 'json'）",
    ),
    "invalid subcommand": (["plam"], "参数 子命令：无效的取值：'plam'"),
    "invalid int value": (["plan", "--year", "abc"], "参数 --year：无效的整数：'abc'"),
    "unrecognized argument": (
        ["plan", "--year", "2027", "--bogus"],
        "workbench：错误：无法识别的参数：--bogus",
    ),
    "ambiguous option": (
        ["plan", "--year", "2027", "--s", "x"],
        "选项有歧义：--s 可能是 --scenario, --seed",
    ),
    "expected one argument": (["plan", "--year"], "参数 --year：需要一个值"),
    "expected two arguments": (["check", "--text", "--pair", "a"], "参数 --pair：需要 2 个值"),
    "ignored explicit argument": (["plan", "--year", "2027", "--no-pdf=1"], "该选项不接受值"),
    "not allowed with": (["check", "--text", "--json"], "参数 --json：不能与参数 --text 同时使用"),
    "one of a group is required": (["check"], "以下参数须提供其中一个：--text --json"),
}


@pytest.mark.parametrize("case", ERRORS)
def test_usage_errors_are_chinese(case, capsys):
    args, expected = ERRORS[case]
    code, text = run(args, capsys)
    assert code == 2
    assert expected in text
    assert text.startswith("用法：workbench")
    assert_chinese(text)


def test_top_level_help_is_chinese(capsys):
    code, text = run(["--help"], capsys)
    assert code == 0
    for words in ("用法：workbench [-h] [--version] 子命令 ...", "位置参数：", "选项："):
        assert words in text
    assert "-h, --help" in text and "显示本帮助并退出" in text
    assert "--version" in text and "显示版本号并退出" in text
    assert "plan" in text and "编制年度计划草案" in text
    assert_chinese(text)


def test_subcommand_help_is_chinese(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    code, text = run(["plan", "-h"], capsys)
    assert code == 0
    assert text.startswith("用法：workbench plan [-h] --year YEAR")
    usage = text.split("\n\n")[0].splitlines()
    # wrapped usage lines line up under the first argument: "用法：" takes six columns
    assert len(usage) > 1
    assert all(line.startswith(" " * 21 + "[") for line in usage[1:]), usage
    assert "情景，默认 base" in text  # %(default)s stays a placeholder argparse fills in
    assert "--version" not in text
    assert_chinese(text)


def test_version(capsys):
    code, text = run(["--version"], capsys)
    assert (code, text) == (0, "workbench 0.1.0\n")
    assert english_sentences(text) == []


def test_titled_subcommands_and_defaults_formatter(capsys):
    parser = ChineseArgumentParser(
        prog="demo", formatter_class=ChineseArgumentDefaultsHelpFormatter, add_help=True
    )
    parser.add_argument("--level", default="市本级", help="层级")
    sub = parser.add_subparsers(title="子命令", description="可用的子命令", dest="cmd")
    sub.add_parser("run", help="运行")
    titled = ChineseArgumentParser(prog="demo2")
    titled.add_subparsers(description="可用的子命令")  # argparse's default title
    text = parser.format_help() + titled.format_help()
    assert "层级（默认：市本级）" in text
    assert "子命令：\n  可用的子命令" in text
    assert text.count("子命令：") == 2
    assert_chinese(text)


def test_cannot_open_file_is_chinese(capsys, tmp_path: Path):
    parser = ChineseArgumentParser(prog="demo")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # FileType is deprecated from 3.14
        parser.add_argument("table", type=argparse.FileType("r", encoding="utf-8"))
    code, text = run([str(tmp_path / "缺失.csv")], capsys, parser)
    assert code == 2
    assert "无法打开" in text and "文件或文件夹不存在" in text
    assert_chinese(text)


def test_subclass_with_its_own_error_keeps_chinese(capsys):
    class Parser(ChineseArgumentParser):  # as workbench.cli's _Parser does
        def error(self, message):
            self.print_usage()
            raise SystemExit(f"参数错误：{message}")

    parser = Parser(prog="workbench")
    parser.add_subparsers(dest="command", required=True).add_parser("plan").add_argument(
        "--year", type=int
    )
    with pytest.raises(SystemExit) as exc:
        parser.parse_args(["plan", "--year", "x"])
    assert exc.value.code == "参数错误：参数 --year：无效的整数：'x'"
    assert capsys.readouterr().out.startswith("用法：workbench plan")


def test_context_manager_restores_argparse():
    before = argparse._, argparse.ngettext
    with chinese_argparse():
        assert argparse._ is gettext_zh and argparse.ngettext is ngettext_zh
        with chinese_argparse():
            pass
        assert argparse._ is gettext_zh
    assert (argparse._, argparse.ngettext) == before
    with pytest.raises(SystemExit), chinese_argparse():
        raise SystemExit(2)
    assert (argparse._, argparse.ngettext) == before


def test_parsing_leaves_argparse_english_for_others(capsys):
    before = argparse._, argparse.ngettext
    run(["plan"], capsys)
    run(["--help"], capsys)
    assert (argparse._, argparse.ngettext) == before
    plain = argparse.ArgumentParser(prog="other")
    assert "show this help message and exit" in plain.format_help()


def test_unknown_messages_fall_back_to_chinese(caplog):
    with caplog.at_level("WARNING", logger="workbench.cli_zh"):
        text = gettext_zh("some future argparse message: %s")
    assert text == f"{FALLBACK}：%s"
    assert text % "--x" == f"{FALLBACK}：--x"
    assert "some future argparse message" in caplog.text
    assert gettext_zh("future %(prog)s: note\n") % {"prog": "p"} == f"{FALLBACK}：p\n"
    assert ngettext_zh("future %s thing", "future %s things", 2) % 2 == f"{FALLBACK}：2"
    # a program's own titles and descriptions pass through argparse's _ in 3.11 and 3.12
    assert gettext_zh("可用的子命令") == "可用的子命令"
    assert gettext_zh(None) is None
    assert gettext_zh("") == ""


def argparse_message_ids() -> tuple[set[str], set[str]]:
    """The msgids of the running Python's argparse: arguments of _() and ngettext()."""
    tree = ast.parse(Path(argparse.__file__).read_text(encoding="utf-8"))
    single, plural = set(), set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        first = node.args[0] if node.args else None
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            if node.func.id == "_":
                single.add(first.value)
            elif node.func.id == "ngettext":
                plural.add(first.value)
        elif node.func.id == "_" and isinstance(first, ast.Call):
            # 3.11–3.12: _(kwargs.pop('title', 'subcommands'))
            single |= {
                a.value
                for a in first.args
                if isinstance(a, ast.Constant) and isinstance(a.value, str)
            } - {"title", "description"}
    return single, plural


def test_every_argparse_message_of_this_python_is_translated():
    single, plural = argparse_message_ids()
    assert len(single) > 25 and plural
    assert single <= set(MESSAGES), single - set(MESSAGES)
    assert plural <= set(PLURAL_MESSAGES), plural - set(PLURAL_MESSAGES)


@pytest.mark.parametrize("msgid", [*MESSAGES, *PLURAL_MESSAGES])
def test_translations_keep_placeholders_and_are_chinese(msgid):
    chinese = MESSAGES.get(msgid) or PLURAL_MESSAGES[msgid]
    assert Counter(placeholders(chinese)) == Counter(placeholders(msgid))
    assert chinese.endswith("\n") == msgid.endswith("\n")
    assert re.search(r"[\u4e00-\u9fff\uff00-\uffef]", chinese)  # '%(heading)s：' has only a colon
    assert english_sentences(chinese) == []
