"""Find English prose in user-facing text (which should be Chinese, README "User-facing output
is Chinese").

:func:`english_sentences` returns the English passages of a text. The rules, kept simple:

1. **Technical tokens are not prose.** These are masked first and neither count as words nor
   break a run of words: option strings (``-h``, ``--plan-year``), URLs, paths (``输出/2027``),
   file names with a known extension (``申报.xlsx``), anything with a digit in it (ids such as
   ``SB2027-0146``, ISO dates, ``P50``, ``cut20``, ``UTF-8``, ``SHA-256``, versions, hex digests),
   ``snake_case`` and ``dotted.names``, ``camelCase`` and ``PuLP``/``HiGHS``-style mixed case,
   ALL-CAPS tokens (``CSV``, ``JSON``, metavars such as ``SCENARIO``), choice lists in braces
   (``{text,json}``), single-token quoted values (``'xml'``), and the names in
   :data:`ALLOWED_NAMES` (``workbench``, ``chromium``, ``Excel``, ``WPS``, font names, …) plus
   any the caller passes.
2. **Three or more ASCII words in a row are prose** (``the following arguments are
   required``, ``File is not a zip file``). A run is broken by anything that is not a space or
   light punctuation (``, . ; : ! ? ' " ( ) - /``), so Chinese text, full-width punctuation,
   brackets, ``{}``, ``|`` and ``=`` end it. A run whose every gap holds a comma or a line break
   is a list of values (``text, json, xml``), not a sentence, and is not flagged.
3. **Known library words are flagged even alone**: see :data:`MARKERS` (``Traceback``,
   ``ValueError``, ``Exception``, ``error:``, ``usage:``, ``invalid``, ``unrecognized``,
   ``Errno``, ``not found``, …): the marks of an untranslated library message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["ALLOWED_NAMES", "MARKERS", "english_sentences"]

MIN_WORDS = 3

# Names that legitimately appear in Chinese output (matched case-sensitively, as whole words).
ALLOWED_NAMES: tuple[str, ...] = (
    "workbench",
    "chromium",
    "Chromium",
    "Chrome",
    "HiGHS",
    "highs",
    "CBC",
    "cbc",
    "PuLP",
    "Excel",
    "WPS Office",
    "Microsoft Office",
    "Microsoft YaHei",
    "Noto Sans CJK",
    "Noto Sans SC",
    "Source Han Sans",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "WenQuanYi",
    "Monte Carlo",
    "Voilà",
    "Voila",
    "Jupyter",
    "JupyterLab",
    "Python",
    "python",
    "pip",
    "papermill",
    "zhplot",
    "SQLite",
    "PostgreSQL",
    "Windows",
    "Linux",
    "macOS",
    "localhost",
)

# Library words and phrases that are flagged even alone (case-sensitive unless (?i) is given).
MARKERS: tuple[str, ...] = (
    r"\bTraceback\b",
    r"\b[A-Za-z]*(?:Error|Exception|Warning)\b",
    r"\b(?:error|warning|usage|Usage|ERROR|WARNING|USAGE):",
    r"\b[Ii]nvalid\b",
    r"\b[Uu]nrecognized\b",
    r"\bErrno\b",
    r"\b[Nn]o such file\b",
    r"\b[Pp]ermission denied\b",
    r"\bnot found\b",
)

_EXTENSIONS = (
    "xlsx|xlsm|xls|csv|tsv|json|yaml|yml|html|htm|pdf|png|jpg|jpeg|svg|txt|log|ipynb|sqlite|db|"
    "py|zip|md|toml|ini|cfg|j2|ttf|otf|woff2?"
)
# Literal tokens: a marker word inside one of these (``--invalid-rows``, ``'error:'``) is not
# flagged.
_LITERALS = [
    r"(?:https?|file|ftp)://[^\s\"'<>）」》，。；]+",  # URLs
    r"(?<![\w-])--?[A-Za-z][\w-]*(?:=[^\s，。；：）]*)?",  # option strings, --year=2027
    rf"[^\s/\\'\"“”‘’（）()，。；：:]*\.(?:{_EXTENSIONS})\b",  # file names
    r"(?:~|\.{1,2})?/?(?:[\w.\-~]+/)+[\w.\-]*",  # paths with a slash
    r"\b\w+_\w*",  # snake_case
    r"\{[^{}\s]*\}",  # {text,json}
    r"'[^'\s]{1,80}'",  # 'xml'
    r"\"[^\"\s]{1,80}\"",
    r"`[^`\n]{1,80}`",
    r"[\w.+\-]+@[\w\-]+\.[\w.\-]+",  # e-mail addresses
]
_TOKENS = [
    r"\b[A-Za-z_]*\d[\w.\-]*",  # anything with a digit: ids, dates, P50, cut20, 3.11
    r"\b[A-Za-z]+-\d[\w.\-]*",  # SHA-256, UTF-8
    r"\b[0-9A-Fa-f]{16,}\b",  # digests
    r"\b[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+\b",  # dotted.names
    r"\b[a-z]+[A-Z]\w*",  # camelCase
    r"\b[A-Z]+[a-z]+[A-Z]\w*",  # PuLP, HiGHS
    r"\b[A-Z]{2,}s?\b",  # CSV, JSON, SCENARIO, IDs
]
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*", re.ASCII)
_SOFT_GAP = re.compile(r"[ \t\r\n,.;:!?'\"“”‘’()\-–—/&]*")


def _names_pattern(names: Iterable[str]) -> str:
    ordered = sorted({n for n in names if n}, key=len, reverse=True)
    return r"(?<![A-Za-z])(?:" + "|".join(re.escape(n) for n in ordered) + r")(?![A-Za-z])"


# Each pattern is applied on its own (an alternation would let one hide a longer other).
_LITERAL = [re.compile(p, re.ASCII) for p in _LITERALS]
_MASK = [re.compile(p, re.ASCII) for p in [*_TOKENS, _names_pattern(ALLOWED_NAMES)]]
_MARKER = re.compile("|".join(MARKERS), re.ASCII)


def _cover(text: str, patterns: Iterable[re.Pattern[str]], cover: bytearray) -> None:
    for pattern in patterns:
        for m in pattern.finditer(text):
            cover[m.start() : m.end()] = b"\x01" * (m.end() - m.start())


def _runs(text: str, masked: bytearray) -> list[tuple[int, int]]:
    words = [
        m.span() for m in _WORD.finditer(text) if not masked[m.start()] and not masked[m.end() - 1]
    ]
    found: list[tuple[int, int]] = []
    run: list[tuple[int, int]] = []
    sentence = False  # some gap in the run is a plain space, not a list separator

    def close() -> None:
        if len(run) >= MIN_WORDS and sentence:
            found.append((run[0][0], run[-1][1]))

    for start, end in words:
        if run:
            a = run[-1][1]
            gap = "".join(c for i, c in enumerate(text[a:start], a) if not masked[i])
            if _SOFT_GAP.fullmatch(gap):
                run.append((start, end))
                sentence = sentence or ("," not in gap and "\n" not in gap)
                continue
            close()
        run, sentence = [(start, end)], False
    if run:
        close()
    return found


def english_sentences(text: str, allow: Iterable[str] = ()) -> list[str]:
    """The English passages of ``text``, in order: runs of three or more English words and
    library marker words (module doc). ``allow`` adds names that are not prose (whole words,
    case-sensitive). An empty list means no English prose was found."""
    if not text:
        return []
    literal = bytearray(len(text))
    _cover(text, _LITERAL, literal)
    masked = bytearray(literal)
    _cover(text, _MASK, masked)
    extra = [name for name in allow if name]
    if extra:
        _cover(text, [re.compile(_names_pattern(extra))], masked)
    markers = [m.span() for m in _MARKER.finditer(text) if not all(literal[m.start() : m.end()])]
    found = _runs(text, masked) + markers
    merged: list[list[int]] = []
    for a, b in sorted(found):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [text[a:b] for a, b in merged]
