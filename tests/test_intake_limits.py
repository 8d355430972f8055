"""Bounded intake (issue #12, item 2): every limit of ``models/settings.yaml`` refuses what
exceeds it with a Chinese reason naming the file (and sheet, row and column where there is one),
and ``workbench check FILE`` exits 2 saying so, with no English and no raw control character
(through its ``main``, in this process; two cases run ``python -m workbench check`` in a fresh
one). Each hostile input is built here, small: the limits are lowered through a settings file of
the test's own (``$WORKBENCH_SETTINGS``), or a size is declared in a zip's directory without the
data behind it."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml
from conftest import project, write_csv

from workbench.cli import main
from workbench.english import english_sentences
from workbench.intake import load_contract, read_table
from workbench.intake.cells import CellError, parse_cell
from workbench.intake.limits import SETTINGS_ENV, IntakeLimits, load_limits
from workbench.labels import CELL_MESSAGES, FILE_MESSAGES

REPO = Path(__file__).resolve().parents[1]
CANDIDATES = load_contract("candidates")
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


# --- helpers -----------------------------------------------------------------------------------


def settings(tmp_path: Path, **lowered: int) -> tuple[Path, IntakeLimits]:
    """A settings file with the shipped limits, ``lowered`` as given."""
    limits = load_limits().model_copy(update=lowered)
    path = tmp_path / "settings.yaml"
    path.write_text(yaml.safe_dump({"intake_limits": limits.model_dump()}), encoding="utf-8")
    return path, limits


def run_check(*paths: Path, settings_file: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m workbench check FILE …`` as a user runs it: this checkout, these settings, a
    fresh process (about 3 s of imports: kept for the cases that need the process)."""
    env = {k: v for k, v in os.environ.items() if k != SETTINGS_ENV}
    if settings_file is not None:
        env[SETTINGS_ENV] = str(settings_file)
    return subprocess.run(
        [sys.executable, "-m", "workbench", "check", *map(str, paths)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=300,
    )


@pytest.fixture
def check(monkeypatch, capsys):
    """``check(FILE, settings_file)``: what ``python -m workbench check FILE`` does (its
    ``main``), in this process, with the settings file named as a user names it
    (``$WORKBENCH_SETTINGS``); the result has the process's exit status and output."""

    def run(path: Path, settings_file: Path | None = None) -> subprocess.CompletedProcess[str]:
        if settings_file is None:
            monkeypatch.delenv(SETTINGS_ENV, raising=False)
        else:
            monkeypatch.setenv(SETTINGS_ENV, str(settings_file))
        capsys.readouterr()
        code = main(["check", str(path)])
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(["check", str(path)], code, out, err)

    return run


def assert_refused(done: subprocess.CompletedProcess[str], path: Path, *said: str) -> None:
    """Exit 2; standard error names the file and says ``said``; nothing in English, nothing raw."""
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert path.name in done.stderr, done.stderr
    for words in said:
        assert words in done.stderr, (words, done.stderr)
    text = done.stdout + done.stderr
    assert not english_sentences(text), english_sentences(text)
    assert "\x00" not in text and "Traceback" not in text


def only_rejection(result, path: Path):
    [line] = result.rejections.itertuples()
    assert line.file == str(path)
    assert not english_sentences(line.reason), line.reason
    return line


def package(
    sheets: dict[str, str],
    shared: list[str] | None = None,
    styles: str | None = None,
    extra: dict[str, bytes] | None = None,
) -> bytes:
    """A minimal .xlsx: each sheet's ``<sheetData>`` content (and its ``<dimension>`` if the
    text starts with one), shared strings, a styles part, extra parts."""
    overrides = [
        f'<Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/>',
        *(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{CT}.worksheet+xml"/>'
            for i in range(1, len(sheets) + 1)
        ),
    ]
    rels = [
        f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    ]
    parts: dict[str, bytes] = {}
    if shared is not None:
        overrides.append(
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CT}.sharedStrings+xml"/>'
        )
        rels.append(
            f'<Relationship Id="rIdS" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
        )
        items = "".join(f"<si><t>{s}</t></si>" for s in shared)
        parts["xl/sharedStrings.xml"] = f'<sst xmlns="{MAIN}">{items}</sst>'.encode()
    if styles is not None:
        overrides.append(f'<Override PartName="/xl/styles.xml" ContentType="{CT}.styles+xml"/>')
        rels.append(f'<Relationship Id="rIdT" Type="{REL}/styles" Target="styles.xml"/>')
        parts["xl/styles.xml"] = f'<styleSheet xmlns="{MAIN}">{styles}</styleSheet>'.encode()
    listed = "".join(
        f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>'
        for i, name in enumerate(sheets, start=1)
    )
    parts |= {
        "[Content_Types].xml": (
            f'<Types xmlns="{PKG}/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>{"".join(overrides)}</Types>'
        ).encode(),
        "_rels/.rels": (
            f'<Relationships xmlns="{PKG}/relationships"><Relationship Id="rId1" '
            f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ).encode(),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>{listed}</sheets></workbook>'
        ).encode(),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{PKG}/relationships">{"".join(rels)}</Relationships>'
        ).encode(),
    }
    for i, content in enumerate(sheets.values(), start=1):
        dimension = ""
        if content.startswith("<dimension"):
            dimension, content = content.split("/>", 1)
            dimension += "/>"
        parts[f"xl/worksheets/sheet{i}.xml"] = (
            f'<worksheet xmlns="{MAIN}">{dimension}<sheetData>{content}</sheetData></worksheet>'
        ).encode()
    parts |= extra or {}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def row(number: int, *values: str) -> str:
    cells = "".join(
        f'<c r="{openpyxl.utils.get_column_letter(j)}{number}" t="inlineStr"><is><t>{v}</t></is></c>'
        for j, v in enumerate(values, start=1)
    )
    return f'<row r="{number}">{cells}</row>'


def declare_size(data: bytes, part: str, size: int) -> bytes:
    """``data`` with ``part``'s uncompressed size declared as ``size``, in the central directory
    and in the part's local header; the compressed bytes stay what they are."""
    out = bytearray(data)
    end = out.rfind(b"PK\x05\x06")
    (entries,) = struct.unpack_from("<H", out, end + 10)
    (position,) = struct.unpack_from("<I", out, end + 16)
    for _ in range(entries):
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", out, position + 28)
        if out[position + 46 : position + 46 + name_len] == part.encode():
            struct.pack_into("<I", out, position + 24, size)
            (local,) = struct.unpack_from("<I", out, position + 42)
            struct.pack_into("<I", out, local + 22, size)
            return bytes(out)
        position += 46 + name_len + extra_len + comment_len
    raise KeyError(part)


def xlsx(tmp_path: Path, data: bytes, name: str = "申报.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def header_row() -> str:
    return row(1, "项目编号", "项目名称")


# --- rows ------------------------------------------------------------------------------------


def test_a_csv_with_more_rows_than_a_file_may_hold_is_refused_at_the_first_row_beyond(
    tmp_path, check
):
    settings_file, limits = settings(tmp_path, rows_per_file=5)
    path = write_csv(tmp_path / "申报.csv", [project(project_id=f"P{i}") for i in range(1, 10)])
    result = read_table([path], limits=limits)
    line = only_rejection(result, path)
    assert line.reason == FILE_MESSAGES["too_many_rows"].format(limit="5", row="6")
    assert result.accepted.empty
    assert_refused(check(path, settings_file), path, "每个文件至多5行", "第6行")


def test_a_workbook_with_more_row_elements_than_allowed_is_refused_before_parsing(tmp_path, check):
    settings_file, limits = settings(tmp_path, rows_per_file=5)
    rows = header_row() + "".join(row(n, f"P{n}", "平台") for n in range(2, 12))
    path = xlsx(tmp_path, package({"申报表": rows}))
    line = only_rejection(read_table([path], limits=limits), path)
    assert line.sheet == "申报表"
    assert line.reason == FILE_MESSAGES["too_many_rows_in_sheet"].format(limit="5", count="11")
    assert_refused(check(path, settings_file), path, "申报表", "每个文件至多5行")


def test_empty_rows_a_sheet_skips_to_count_as_rows_read(tmp_path, check):
    # Two row elements, but row 50: read-only openpyxl yields the 48 empty rows between.
    settings_file, limits = settings(tmp_path, rows_per_file=5)
    path = xlsx(tmp_path, package({"申报表": header_row() + row(50, "P1", "平台")}))
    line = only_rejection(read_table([path], limits=limits), path)
    assert line.sheet == "申报表"
    assert line.reason == FILE_MESSAGES["too_many_rows"].format(limit="5", row="6")
    assert_refused(check(path, settings_file), path, "申报表", "第6行")


def test_the_total_counts_the_rows_of_the_files_kept_before(tmp_path):
    settings_file, limits = settings(tmp_path, rows_per_file=5, rows_total=6)
    first = write_csv(tmp_path / "a.csv", [project(project_id=f"A{i}") for i in range(3)])
    second = write_csv(tmp_path / "b.csv", [project(project_id=f"B{i}") for i in range(3)])
    result = read_table([first, second], limits=limits)
    assert list(result.accepted.project_id) == ["A0", "A1", "A2"]
    line = only_rejection(result, second)
    assert line.reason == FILE_MESSAGES["too_many_rows_total"].format(
        limit="6", before="4", row="3"
    )
    assert_refused(run_check(first, second, settings_file=settings_file), second, "合计超过6行")


# --- columns and lines -----------------------------------------------------------------------


def test_a_value_beyond_the_column_limit_is_refused_with_its_place(tmp_path, check):
    settings_file, limits = settings(tmp_path, columns_per_row=5)
    path = tmp_path / "宽.csv"
    path.write_text("项目编号,项目名称\nP1,平台,,,,,多余\n", encoding="utf-8")
    line = only_rejection(read_table([path], limits=limits), path)
    assert line.reason == FILE_MESSAGES["too_many_columns"].format(row="2", column="G", limit="5")
    assert_refused(check(path, settings_file), path, "第2行的G列")


def test_a_workbook_cell_beyond_the_column_limit_is_refused_with_its_place(tmp_path, check):
    settings_file, limits = settings(tmp_path, columns_per_row=5)
    far = '<row r="2"><c r="A2" t="inlineStr"><is><t>P1</t></is></c><c r="H2"><v>1</v></c></row>'
    path = xlsx(tmp_path, package({"申报表": header_row() + far}))
    line = only_rejection(read_table([path], limits=limits), path)
    assert line.sheet == "申报表"
    assert line.reason == FILE_MESSAGES["too_many_columns"].format(row="2", column="H", limit="5")
    assert_refused(check(path, settings_file), path, "申报表", "第2行的H列")


def test_empty_cells_beyond_the_column_limit_and_a_huge_declared_range_are_not_believed(
    tmp_path,
):
    # A styled empty cell at XFD and a declared used range of A1:XFD1048576: read as the two
    # rows the sheet has, each as wide as its values (openpyxl would pad 1 048 576 × 16 384).
    styled = '<row r="2"><c r="A2" t="inlineStr"><is><t>P1</t></is></c><c r="XFD2" s="0"/></row>'
    sheet = '<dimension ref="A1:XFD1048576"/>' + header_row() + styled
    path = xlsx(tmp_path, package({"申报表": sheet}))
    result = read_table([path])
    assert result.rows_read == {(str(path), "申报表"): 1}
    assert {r.column for r in result.rejections.itertuples()} >= {"项目名称"}  # only P1 given


def test_a_line_longer_than_any_row_within_the_limits_is_refused(tmp_path, check):
    settings_file, limits = settings(tmp_path, columns_per_row=5, cell_chars=10)
    path = tmp_path / "逗号.csv"
    path.write_text("项目编号,项目名称\n" + "," * 100 + "\n", encoding="utf-8")
    line = only_rejection(read_table([path], limits=limits), path)
    assert line.reason == FILE_MESSAGES["line_too_long"].format(line="2", length="101", limit="55")
    assert_refused(check(path, settings_file), path, "第2行有101个字符")


# --- workbook parts --------------------------------------------------------------------------


def good_package() -> bytes:
    return package({"申报表": header_row() + row(2, "P1", "平台")}, shared=["甲"])


def test_a_part_declaring_a_gigabyte_is_refused_from_the_directory(tmp_path, check):
    # The shipped limits: a 1 GiB shared-strings part in a file of about a kilobyte.
    path = xlsx(tmp_path, declare_size(good_package(), "xl/sharedStrings.xml", 2**30))
    line = only_rejection(read_table([path]), path)
    assert line.reason == FILE_MESSAGES["part_too_large"].format(
        part="xl/sharedStrings.xml", size="1024.0 MB", limit="32 MB"
    )
    assert_refused(check(path), path, "xl/sharedStrings.xml", "1024.0 MB")


def test_a_sheet_part_has_its_own_larger_limit(tmp_path):
    limits = load_limits()
    under = (limits.sheet_part_mb - 1) * 1024 * 1024
    path = xlsx(tmp_path, declare_size(good_package(), "xl/worksheets/sheet1.xml", under))
    # Within its limit the part is read (declaring more than it holds does no harm).
    result = read_table([path])
    assert result.rows_read == {(str(path), "申报表"): 1}
    assert result.rejections.row.notna().all()


def test_all_parts_together_have_a_limit(tmp_path, check):
    settings_file, limits = settings(tmp_path, unpacked_mb=100)
    data = declare_size(good_package(), "xl/sharedStrings.xml", 20 * 1024 * 1024)
    path = xlsx(tmp_path, declare_size(data, "xl/worksheets/sheet1.xml", 90 * 1024 * 1024))
    line = only_rejection(read_table([path], limits=limits), path)
    assert line.reason.startswith("工作簿解压后共110.0 MB，超过上限100 MB")
    assert_refused(check(path, settings_file), path, "超过上限100 MB")


def test_too_many_parts_are_refused_before_zipfile_reads_the_directory(tmp_path, check):
    settings_file, limits = settings(tmp_path, parts_per_workbook=10)
    extra = {f"xl/media/p{i}.bin": b"" for i in range(10)}
    path = xlsx(tmp_path, package({"申报表": header_row()}, extra=extra))
    line = only_rejection(read_table([path], limits=limits), path)
    assert line.reason == FILE_MESSAGES["too_many_parts"].format(limit="10")
    assert_refused(check(path, settings_file), path, "超过10个")


def test_too_many_sheets_are_refused(tmp_path, check):
    settings_file, limits = settings(tmp_path, sheets_per_workbook=2)
    sheets = {f"单位{i}": header_row() + row(2, f"P{i}", "平台") for i in range(3)}
    path = xlsx(tmp_path, package(sheets))
    line = only_rejection(read_table([path], limits=limits), path)
    assert line.reason == FILE_MESSAGES["too_many_sheets"].format(count="3", limit="2")
    assert_refused(check(path, settings_file), path, "3个工作表")


def test_too_many_shared_strings_are_refused_before_they_are_parsed(tmp_path, check):
    settings_file, limits = settings(tmp_path, shared_strings=3)
    path = xlsx(tmp_path, package({"申报表": header_row()}, shared=list("甲乙丙丁")))
    line = only_rejection(read_table([path], limits=limits), path)
    assert line.reason == FILE_MESSAGES["too_many_strings"].format(limit="3")
    assert_refused(check(path, settings_file), path, "超过3条")


def test_too_many_cell_formats_are_refused_before_they_are_parsed(tmp_path, check):
    settings_file, limits = settings(tmp_path, cell_formats=2)
    formats = '<cellXfs count="3">' + '<xf numFmtId="0"/>' * 3 + "</cellXfs>"
    path = xlsx(tmp_path, package({"申报表": header_row()}, styles=formats))
    line = only_rejection(read_table([path], limits=limits), path)
    assert line.reason == FILE_MESSAGES["too_many_formats"].format(limit="2")
    assert_refused(check(path, settings_file), path, "超过2种")


def test_formulas_are_still_read_from_their_cached_values_or_rejected(tmp_path):
    # Only a workbook with a formula element is opened a second time, for the formulas.
    cells = (
        '<row r="2"><c r="A2" t="inlineStr"><is><t>P1</t></is></c>'
        '<c r="B2" t="str"><f>"平"&amp;"台"</f><v>平台</v></c></row>'
        '<row r="3"><c r="A3" t="inlineStr"><is><t>P2</t></is></c><c r="B3"><f>1+1</f></c></row>'
    )
    path = xlsx(tmp_path, package({"申报表": header_row() + cells}))
    result = read_table([path])
    reasons = result.rejections[result.rejections.column == "项目名称"]
    assert list(reasons.row) == [3]
    assert reasons.iloc[0].reason == CELL_MESSAGES["formula"].format(text="=1+1")


# --- cells -----------------------------------------------------------------------------------


def test_a_cell_longer_than_the_limit_is_rejected_at_its_place(tmp_path, check):
    settings_file, limits = settings(tmp_path, cell_chars=10)
    path = write_csv(tmp_path / "长.csv", [project(name="智慧教育资源公共服务平台")])
    line = only_rejection(read_table([path], limits=limits), path)
    assert (line.row, line.column) == (2, "项目名称")
    assert line.reason == CELL_MESSAGES["too_long"].format(length="12", limit="10")
    assert_refused(check(path, settings_file), path, "第2行", "项目名称", "12个字符")


def test_excel_s_own_cell_limit_is_the_default():
    column = CANDIDATES.column("name")
    assert parse_cell("很" * 32_767, column) == "很" * 32_767
    with pytest.raises(CellError) as caught:
        parse_cell("很" * 32_768, column)
    assert caught.value.reason == CELL_MESSAGES["too_long"].format(length="32,768", limit="32,767")


def test_control_characters_are_rejected_with_their_position_and_shown_escaped(tmp_path):
    path = write_csv(tmp_path / "控制.csv", [project(name="智慧\x00教育\x07平台")])
    line = only_rejection(read_table([path]), path)
    assert (line.row, line.column) == (2, "项目名称")
    assert line.reason == CELL_MESSAGES["control_chars"].format(
        codes="U+0000、U+0007", positions="3、6", more="", text="智慧[U+0000]教育[U+0007]平台"
    )
    assert_refused(run_check(path), path, "第2行", "项目名称", "U+0000", "第3、6个字符")


def test_control_characters_in_a_header_are_shown_escaped(tmp_path):
    path = tmp_path / "表头.csv"
    path.write_text("项目编号,项目名称,备\x00注\nP1,平台,x\n", encoding="utf-8")
    result = read_table([path])
    [notice] = [m for m in result.notices.message if "备" in m]
    assert "备[U+0000]注" in notice and "\x00" not in notice


def test_tabs_and_line_breaks_in_a_cell_are_not_control_characters():
    assert parse_cell("第一行\n第二行\t完", CANDIDATES.column("name")) == "第一行 第二行 完"


@pytest.mark.parametrize(
    ("amount", "shown"),
    [("1000000000000000000000", "1,000,000,000,000,000,000,000.00"), ("101亿元", "1,010,000.00")],
)
def test_an_amount_above_the_sane_bound_is_rejected_naming_the_bound(
    tmp_path, amount, shown, check
):
    path = write_csv(tmp_path / "金额.csv", [project(total_investment=amount)])
    line = only_rejection(read_table([path]), path)
    assert (line.row, line.column) == (2, "总投资(万元)")
    assert line.reason == CELL_MESSAGES["amount_above_bound"].format(
        text=amount, amount=shown, bound="1,000,000", bound_yi="100"
    )
    assert_refused(check(path), path, "第2行", "总投资(万元)", "1,000,000万元（100亿元）")


def test_the_bound_itself_is_accepted():
    assert parse_cell("100亿元", CANDIDATES.column("total_investment")) == 1_000_000


def test_an_amount_of_ten_to_the_21_no_longer_reaches_the_planner(tmp_path, capsys):
    path = write_csv(
        tmp_path / "金额.csv",
        [project(), project(project_id="P2", total_investment="1000000000000000000000")],
    )
    assert main(["plan", str(path), "--ceiling", "1000", "--no-pdf"]) == 2
    err = capsys.readouterr().err
    assert "100亿元" in err and not english_sentences(err)


def test_an_integer_too_large_for_the_table_is_rejected_not_a_crash(tmp_path, check):
    path = write_csv(tmp_path / "周期.csv", [project(construction_months="1" + "0" * 21)])
    line = only_rejection(read_table([path]), path)
    assert line.column == "建设周期(月)"
    assert line.reason == CELL_MESSAGES["integer_range"].format(text="1" + "0" * 21)
    assert_refused(check(path), path, "建设周期(月)")


# --- encodings -------------------------------------------------------------------------------


def test_a_file_that_cannot_be_decoded_says_how_many_lines_it_had(tmp_path, check):
    path = tmp_path / "乱码.csv"
    path.write_bytes(b"\xff\xfe\xff\xff\n" * 3)
    line = only_rejection(read_table([path]), path)
    assert line.reason == FILE_MESSAGES["encoding"].format(lines="3")
    assert_refused(check(path), path, "共3行")


def test_a_utf8_file_with_gb18030_lines_says_where_they_begin(tmp_path, check):
    path = tmp_path / "拼接.csv"
    lines = ["项目编号,项目名称"] + [f"U{i},平台{i}" for i in range(3)]
    data = "\n".join(lines).encode() + "\nG1,智慧平台\nG2,智慧平台\n".encode("gb18030")
    path.write_bytes(data)
    line = only_rejection(read_table([path]), path)
    assert line.reason == FILE_MESSAGES["mixed_encoding"].format(lines="6", good="4", line="5")
    assert_refused(check(path), path, "共6行", "第5行起")


def test_a_gb18030_file_with_an_english_header_is_still_read(tmp_path):
    path = write_csv(tmp_path / "国标.csv", [project()], encoding="gb18030")
    result = read_table([path])
    assert list(result.accepted.project_id) == ["P1"]


# --- the settings file -----------------------------------------------------------------------


def test_a_broken_settings_file_is_refused_in_chinese_naming_it(tmp_path, check):
    path = write_csv(tmp_path / "申报.csv", [project()])
    broken = tmp_path / "settings.yaml"
    broken.write_text("intake_limits:\n  rows_per_file: -1\n", encoding="utf-8")
    done = check(path, broken)
    assert done.returncode == 2
    assert str(broken) in done.stderr and "设置文件有误" in done.stderr
    assert "rows_per_file" in done.stderr and not english_sentences(done.stderr)
    done = check(path, tmp_path / "nowhere.yaml")
    assert done.returncode == 2 and "找不到设置文件" in done.stderr
    assert not english_sentences(done.stderr)


def test_the_shipped_settings_load():
    limits = load_limits(REPO / "models" / "settings.yaml")
    assert limits.rows_per_file >= 100_000 and limits.cell_chars == 32_767
    assert limits.amount_wan == 1_000_000
