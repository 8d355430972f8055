"""Chinese for argparse: usage, help, and every error message it writes (DESIGN §7).

argparse looks up each user-facing message through its module-level ``_`` (``gettext``) and
``ngettext``. :data:`MESSAGES` and :data:`PLURAL_MESSAGES` translate every message id argparse
uses in Python 3.11 to 3.14; :func:`chinese_argparse` swaps the two functions in for a block
and restores them after. :class:`ChineseArgumentParser` does that around everything a parser
does (building, parsing, help, errors), writes its own ``-h, --help`` (and ``--version`` when
given ``version=``) with Chinese help, and reports errors as ``workbench plan：错误：…``.

Wiring, for a parser with subcommands::

    parser = ChineseArgumentParser(prog="workbench", description="…", version="workbench 0.1.0")
    sub = parser.add_subparsers(dest="command", required=True, metavar="子命令")
    plan = sub.add_parser("plan", help="编制年度计划草案")

``add_subparsers`` makes subparsers of the parser's own class unless ``parser_class=`` says
otherwise; a ``parser_class=`` given there must be ChineseArgumentParser or a subclass. Option
strings, subcommand names and metavars are the program's own and stay as they are.

A message id argparse uses that the table does not know (a future Python) is never shown in
English: it is logged (logger ``workbench.cli_zh``, and :func:`untranslated`) and replaced by
:data:`FALLBACK` followed by the message's own placeholders, so formatting it still works. Text
that is already Chinese (titles and descriptions a program passes through ``_``) is returned as
it is.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import logging
import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any, NoReturn, TypeVar

from workbench.oserrors import os_reason

__all__ = [
    "FALLBACK",
    "HELP_HELP",
    "MESSAGES",
    "PLURAL_MESSAGES",
    "TYPE_NAMES",
    "VERSION_HELP",
    "ChineseArgumentDefaultsHelpFormatter",
    "ChineseArgumentParser",
    "ChineseHelpFormatter",
    "chinese_argparse",
    "gettext_zh",
    "ngettext_zh",
    "placeholders",
    "untranslated",
]

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())  # shown only where the program configures logging

FALLBACK = "命令行参数有误"
HELP_HELP = "显示本帮助并退出"
VERSION_HELP = "显示版本号并退出"

# msgid → Chinese. Every msgid passed to argparse's ``_`` in CPython 3.11–3.14 (checked against
# Lib/argparse.py of 3.11.7, 3.12.1, 3.13.0 and main), plus 3.9–3.10's "optional arguments".
# Placeholders are kept exactly (tests/test_cli_zh.py checks that).
MESSAGES: dict[str, str] = {
    # help and usage
    "usage: ": "用法：",
    "%(heading)s:": "%(heading)s：",  # 3.13+: section headings
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",  # 3.9–3.10
    "subcommands": "子命令",
    "show this help message and exit": HELP_HELP,
    "show program's version number and exit": VERSION_HELP,  # 3.13+
    " (default: %(default)s)": "（默认：%(default)s）",  # ArgumentDefaultsHelpFormatter, 3.13+
    # the error and warning lines
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "%(prog)s: warning: %(message)s\n": "%(prog)s：警告：%(message)s\n",  # 3.13+
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    # parsing errors
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "以下参数须提供其中一个：%s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "无效的取值：%(value)r（可选：%(choices)s）"
    ),
    # 3.14+: suggest_on_error
    "invalid choice: %(value)r, maybe you meant %(closest)r? (choose from %(choices)s)": (
        "无效的取值：%(value)r，是否应为 %(closest)r？（可选：%(choices)s）"
    ),
    "invalid %(type)s value: %(value)r": "无效的%(type)s：%(value)r",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多只能有一个值",
    "expected at least one argument": "至少需要一个值",
    "ambiguous option: %(option)s could match %(matches)s": (
        "选项有歧义：%(option)s 可能是 %(matches)s"
    ),
    "ignored explicit argument %r": "该选项不接受值：%r",
    "unexpected option string: %s": "无法解析的选项：%s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "未知的子命令 %(parser_name)r（可选：%(choices)s）"
    ),
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    'argument "-" with mode %r': "参数“-”不支持模式 %r",
    # deprecation warnings, 3.13+
    "option '%(option)s' is deprecated": "选项“%(option)s”已弃用",
    "argument '%(argument_name)s' is deprecated": "参数“%(argument_name)s”已弃用",
    "command '%(parser_name)s' is deprecated": "子命令“%(parser_name)s”已弃用",
    # mistakes in building a parser (a programmer sees these; 3.14 no longer translates them)
    "conflicting subparser: %s": "子命令名称冲突：%s",
    "conflicting subparser alias: %s": "子命令别名冲突：%s",
    "cannot have multiple subparser arguments": "一个解析器只能有一组子命令",
    "cannot merge actions - two groups are named %r": "无法合并参数：有两个参数组都名为 %r",
    "'required' is an invalid argument for positionals": "位置参数不能设置 required",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r": (
        "无效的选项 %(option)r：须以 %(prefix_chars)r 中的字符开头"
    ),
    "dest= is required for options like %r": "%r 这样的选项须指定 dest=",
    "invalid conflict_resolution value: %r": "无效的 conflict_resolution 取值：%r",
    "mutually exclusive arguments must be optional": "互斥组中的参数须为可选参数",
    "%r is not callable": "%r 不可调用",
    ".__call__() not defined": "未定义 .__call__()",
}

# ngettext: singular msgid → Chinese (Chinese has no plural).
PLURAL_MESSAGES: dict[str, str] = {
    "expected %s argument": "需要 %s 个值",
    "conflicting option string: %s": "选项冲突：%s",
}

# ``invalid %(type)s value``: argparse fills in the type's ``__name__``.
TYPE_NAMES: dict[str, str] = {
    "int": "整数",
    "float": "数值",
    "complex": "复数",
    "Decimal": "数值",
    "Fraction": "数值",
    "str": "文本",
    "bool": "是/否值",
    "fromisoformat": "日期（YYYY-MM-DD）",
    "date": "日期（YYYY-MM-DD）",
    "datetime": "日期时间",
    "Path": "路径",
}

_PLACEHOLDER = re.compile(
    r"%%|%(?:\([^)]*\))?[#0 +\-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa]"
)
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_untranslated: set[str] = set()


def placeholders(message: str) -> list[str]:
    """The %-placeholders of a message, in order (``%%`` is not one)."""
    return [p for p in _PLACEHOLDER.findall(message) if p != "%%"]


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _os_error_zh(error: object) -> object:
    return os_reason(error) if isinstance(error, OSError) else error


class _Template(str):
    """A translated message that also puts the values argparse fills in into Chinese: a type's
    ``__name__`` (``int`` → 整数) and an OSError (``[Errno 2] No such file…`` → 文件或文件夹不存在)."""

    __slots__ = ()

    def __mod__(self, values: Any) -> str:
        if isinstance(values, dict):
            values = dict(values)
            if isinstance(values.get("type"), str):
                name = values["type"]
                values["type"] = TYPE_NAMES.get(name, f"值（{name}）")
            if "error" in values:
                values["error"] = _os_error_zh(values["error"])
        return str.__mod__(str(self), values)


def _fallback(message: str, singular: str) -> str:
    if singular not in _untranslated:
        _untranslated.add(singular)
        log.warning("argparse message without a Chinese translation: %r", singular)
    found = placeholders(singular)
    text = FALLBACK + ("：" + " ".join(found) if found else "")
    return text + ("\n" if message.endswith("\n") else "")


def gettext_zh(message: Any) -> Any:
    """argparse's ``_``: the Chinese for ``message``. Text that is not an English message
    (None, Chinese, no letters) comes back unchanged; an unknown English one becomes
    :data:`FALLBACK` with its placeholders."""
    if not isinstance(message, str):
        return message
    found = MESSAGES.get(message)
    if found is not None:
        return _Template(found)
    if _CJK.search(message) or not _ASCII_LETTER.search(message):
        return message
    return _fallback(message, message)


def ngettext_zh(singular: str, plural: str, n: int) -> str:
    """argparse's ``ngettext``."""
    found = PLURAL_MESSAGES.get(singular)
    if found is not None:
        return _Template(found)
    return _fallback(singular if n == 1 else plural, singular)


def untranslated() -> frozenset[str]:
    """The English message ids met so far that the table did not know."""
    return frozenset(_untranslated)


@contextlib.contextmanager
def chinese_argparse() -> Iterator[None]:
    """Within the block argparse speaks Chinese. Nesting is fine; the previous ``_`` and
    ``ngettext`` are restored on leaving, also on an exception (SystemExit included). Not
    thread-safe: the functions are module globals of argparse."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._ = gettext_zh  # type: ignore[attr-defined]
    argparse.ngettext = ngettext_zh  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


F = TypeVar("F", bound=Callable[..., Any])


def _in_chinese(method: F) -> F:
    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with chinese_argparse():
            return method(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


class ChineseHelpFormatter(argparse.HelpFormatter):
    """The default formatter of :class:`ChineseArgumentParser`: Chinese headings with a
    full-width colon on every Python (3.11 and 3.12 write ``heading:`` themselves)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._zh_headings: list[str] = []

    def start_section(self, heading: str | None) -> None:
        if isinstance(heading, str) and heading:
            self._zh_headings.append(heading)
        super().start_section(heading)

    def _format_usage(self, usage: Any, actions: Any, groups: Any, prefix: Any) -> str:
        text: str = super()._format_usage(usage, actions, groups, prefix)  # type: ignore[misc]
        # argparse indents wrapped usage lines by len("用法："), but the prefix is twice as wide
        # on screen: widen the indent so that the lines stay under the first one's arguments.
        shown = gettext_zh("usage: ") if prefix is None else prefix
        extra = _width(shown) - len(shown)
        if usage is not None or extra <= 0:
            return text
        first, *rest = text.split("\n")
        return "\n".join([first, *(" " * extra + line if line.strip() else line for line in rest)])

    @_in_chinese
    def format_help(self) -> str:
        text = super().format_help()
        for heading in self._zh_headings:
            text = re.sub(
                rf"(?m)^( *){re.escape(heading)}:$",
                lambda m, h=heading: f"{m.group(1)}{h}：",
                text,
            )
        return text


class ChineseArgumentDefaultsHelpFormatter(ChineseHelpFormatter):
    """ArgumentDefaultsHelpFormatter in Chinese: ``（默认：%(default)s）`` after an option's help
    (3.11 and 3.12 add the English text without translating it)."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        defaulting = action.option_strings or action.nargs in (
            argparse.OPTIONAL,
            argparse.ZERO_OR_MORE,
        )
        if "%(default)" not in text and action.default is not argparse.SUPPRESS and defaulting:
            text += MESSAGES[" (default: %(default)s)"]
        return text


# ArgumentParser's positional parameters (3.11–3.14), so that they can be given as keywords.
_PARSER_PARAMETERS = (
    "prog",
    "usage",
    "description",
    "epilog",
    "parents",
    "formatter_class",
    "prefix_chars",
    "fromfile_prefix_chars",
    "argument_default",
    "conflict_handler",
    "add_help",
    "allow_abbrev",
    "exit_on_error",
)


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser that speaks Chinese (see the module's doc). Takes ArgumentParser's
    arguments, plus ``version=``: the text ``--version`` prints (no ``--version`` without it).
    ``formatter_class`` defaults to :class:`ChineseHelpFormatter`."""

    def __init__(self, *args: Any, version: str | None = None, **kwargs: Any) -> None:
        if len(args) > len(_PARSER_PARAMETERS):
            raise TypeError("too many positional arguments")
        for name, value in zip(_PARSER_PARAMETERS, args, strict=False):
            if name in kwargs:
                raise TypeError(f"got multiple values for argument {name!r}")
            kwargs[name] = value
        add_help = kwargs.pop("add_help", True)
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        with chinese_argparse():
            super().__init__(add_help=False, **kwargs)
            chars = self.prefix_chars
            prefix = "-" if "-" in chars else chars[0]
            if add_help:
                self.add_argument(
                    prefix + "h",
                    prefix * 2 + "help",
                    action="help",
                    default=argparse.SUPPRESS,
                    help=HELP_HELP,
                )
            if version is not None:
                self.add_argument(
                    prefix * 2 + "version", action="version", version=version, help=VERSION_HELP
                )

    add_argument = _in_chinese(argparse.ArgumentParser.add_argument)
    add_argument_group = _in_chinese(argparse.ArgumentParser.add_argument_group)
    add_subparsers = _in_chinese(argparse.ArgumentParser.add_subparsers)
    parse_args = _in_chinese(argparse.ArgumentParser.parse_args)
    parse_known_args = _in_chinese(argparse.ArgumentParser.parse_known_args)
    parse_intermixed_args = _in_chinese(argparse.ArgumentParser.parse_intermixed_args)
    parse_known_intermixed_args = _in_chinese(argparse.ArgumentParser.parse_known_intermixed_args)
    format_usage = _in_chinese(argparse.ArgumentParser.format_usage)
    format_help = _in_chinese(argparse.ArgumentParser.format_help)

    @_in_chinese
    def error(self, message: str) -> NoReturn:
        """Usage, then ``prog：错误：message`` on standard error, exit status 2."""
        super().error(message)

    @_in_chinese
    def _warning(self, message: str) -> None:  # 3.13+: deprecation warnings
        super()._warning(message)  # type: ignore[misc]
