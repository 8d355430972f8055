"""No English sentence reaches a user: not from argparse, not from a library's exception, not in
a label, a rule's message, or the documents that leave the office (README: user-facing output is
Chinese). The command line is fuzzed with hypothesis; bad input of every kind is run for real."""

from __future__ import annotations

import contextlib
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import project, write_csv
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench import labels
from workbench.cli import build_parser, main
from workbench.english import english_sentences
from workbench.policy import load_pack

COMMANDS = [
    "template",
    "check",
    "plan",
    "compare",
    "pipeline",
    "app",
    "scenario",
    "init",
    "notebooks",
]
OPTIONS = [
    "--year",
    "--plan-year",
    "--format",
    "--scenario",
    "--ceiling",
    "--out",
    "--why",
    "--risk",
    "--seed",
    "--systems",
    "--usage",
    "--reference-date",
    "--solver",
    "--time-limit",
    "--compare",
    "--scores",
    "--horizon",
    "--port",
    "--cull-idle",
    "--internal",
    "--no-pdf",
    "--force",
    "--debug",
    "--help",
    "-h",
    "--version",
    "--nope",
    "-x",
    "--form",
    "--s",
]
VALUES = ["json", "xml", "text", "abc", "明年", "2027", "-1", "1e9", "12000万元", "一亿", "", "cbc"]


def _run_parser(argv: list[str]) -> str:
    out, err = io.StringIO(), io.StringIO()
    with (
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        contextlib.suppress(SystemExit),
    ):
        build_parser().parse_args(argv)
    return out.getvalue() + err.getvalue()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(COMMANDS + OPTIONS + VALUES), min_size=0, max_size=6))
def test_whatever_is_typed_the_command_line_answers_in_chinese(argv):
    text = _run_parser(argv)
    # What the user typed may be echoed back (无法识别的参数：…): those words are theirs.
    assert not english_sentences(text, allow=[a for a in argv if a]), (argv, text)


def _all_label_strings() -> list[str]:
    found = []
    for name in dir(labels):
        if not name.isupper():  # the tables and words, not the module's own attributes
            continue
        value = getattr(labels, name)
        if isinstance(value, dict):
            found += [v for v in value.values() if isinstance(v, str)]
        elif isinstance(value, str):
            found.append(value)
    return found


def _pack_strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _pack_strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _pack_strings(v)]
    return []


def test_every_label_and_rule_message_is_chinese():
    strings = _all_label_strings() + _pack_strings(load_pack().model_dump(mode="json"))
    assert len(strings) > 300
    offenders = [s for s in strings if english_sentences(s)]
    assert not offenders


def _broken_inputs(tmp_path: Path) -> dict[str, list[str]]:
    """argv for every kind of bad input a user can give, each expected to exit 2."""
    not_zip = tmp_path / "坏文件.xlsx"
    not_zip.write_bytes(b"this is not a workbook at all")
    bad_xml = tmp_path / "坏表.xlsx"
    with zipfile.ZipFile(bad_xml, "w") as z:
        z.writestr("[Content_Types].xml", "<Types")
        z.writestr("xl/workbook.xml", "<<<")
    bad_scenario = tmp_path / "坏情景.yaml"
    bad_scenario.write_text(
        "name: x\nplan_year: 2027\nceilings: {市本级: {2027: 多}}\nfoo: 1\n", "utf-8"
    )
    not_yaml = tmp_path / "不是yaml.yaml"
    not_yaml.write_text("name: [unclosed\n", "utf-8")
    form = write_csv(tmp_path / "申报.csv", [project()])
    return {
        "missing file": ["check", str(tmp_path / "没有.xlsx")],
        "not a zip": ["check", str(not_zip)],
        "broken xml": ["check", str(bad_xml)],
        "bad scenario": ["plan", "--scenario", str(bad_scenario)],
        "not yaml": ["plan", "--scenario", str(not_yaml)],
        "unknown scenario": ["plan", "--scenario", "没有这个情景"],
        "unknown pack": ["check", "--policy", "ordos-1999"],
        "unknown project": ["plan", "--why", "NOPE-1"],
        "sample scenario on own forms": ["plan", str(form), "--scenario", "base"],
        "no ceiling for own forms": ["plan", str(form)],
        "compare own forms": ["compare", str(form)],
        "unknown app": ["app", "nope.ipynb"],
        "two folders": ["pipeline", str(tmp_path), str(tmp_path)],
        "missing folder": ["pipeline", str(tmp_path / "没有")],
        "scores missing": ["plan", "--scores", str(tmp_path / "没有评分.xlsx")],
    }


def test_bad_input_of_every_kind_is_said_in_chinese(tmp_path, capsys):
    for case, argv in _broken_inputs(tmp_path).items():
        code = main(argv)
        captured = capsys.readouterr()
        text = captured.out + captured.err
        assert code == 2, (case, text)
        assert captured.err.strip(), case
        assert not english_sentences(text), (case, text)
        assert "Traceback" not in text, case


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("输出")
    assert main(["plan", "--out", str(out / "分发版"), "--no-pdf", "--compare"]) == 0
    assert main(["plan", "--out", str(out / "内部版"), "--no-pdf", "--internal"]) == 0
    return out


def test_the_documents_have_no_english_and_no_paths(documents):
    repo = str(Path(__file__).resolve().parents[1])
    for path in sorted(documents.rglob("*.xlsx")) + sorted(documents.rglob("*.html")):
        if path.suffix == ".xlsx":
            text = "\n".join(
                str(c)
                for ws in openpyxl.load_workbook(path).worksheets
                for row in ws.iter_rows(values_only=True)
                for c in row
                if c is not None
            )
        else:
            import re

            raw = path.read_text("utf-8")
            body = re.sub(r"<style.*?</style>|<img[^>]*>", "", raw, flags=re.S)
            text = re.sub(r"<[^>]+>", "\n", body)
        assert not english_sentences(text), (path.name, english_sentences(text)[:5])
        assert repo not in text and str(documents) not in text, path.name
        for rule_id in type(load_pack().rules).model_fields:
            assert rule_id not in text, (path.name, rule_id)
