"""Intake of messy submission files, built in the tests: every row accepted or rejected with
file, sheet, row, Chinese column header and a Chinese reason; the counts add up."""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import VALID_PROJECT, project, write_csv

from workbench.intake import IntakeFileError, load_contract, read_table
from workbench.intake.registry import read_systems, read_usage
from workbench.intake.template import write_template

CANDIDATES = load_contract("candidates")
KEYS = list(VALID_PROJECT)


def zh(row: dict[str, object]) -> dict[str, object]:
    """The same row keyed by the template's Chinese headers."""
    return {CANDIDATES.label(k): v for k, v in row.items()}


def cells(row: dict[str, object], keys: list[str] = KEYS) -> list[object]:
    """A row as an xlsx line in ``keys`` order; empty strings become empty cells."""
    return [row.get(k) if row.get(k) != "" else None for k in keys]


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, lines in sheets.items():
        ws = wb.create_sheet(title)
        for line in lines:
            ws.append(line)  # an empty list leaves an empty row
    wb.save(path)
    return path


def form(*rows: dict[str, object]) -> list[list[object]]:
    """A sheet with the Chinese header row and the given rows."""
    return [[CANDIDATES.label(k) for k in KEYS], *(cells(r) for r in rows)]


def problems_at(result, row: int, file: str | None = None) -> list[tuple[str, str]]:
    """(column, reason) of every rejection line at ``row`` (of ``file`` when given)."""
    rej = result.rejections
    hits = rej[rej["row"] == row]
    if file is not None:
        hits = hits[hits["file"].map(lambda f: Path(f).name) == file]
    return list(zip(hits["column"], hits["reason"], strict=True))


def assert_balanced(result) -> None:
    rec = result.reconciliation()
    assert not rec.empty
    assert (rec["read"] == rec["accepted"] + rec["rejected"] + rec["blank"]).all(), rec


# --- amounts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("１２０", Decimal("120")),
        ("120万元", Decimal("120")),
        ("1.2亿元", Decimal("12000")),
        ("800000元", Decimal("80")),
        ("1,200.5", Decimal("1200.5")),
        (" 1,200.5 万元 ", Decimal("1200.5")),
        ("１，２００．５", Decimal("1200.5")),
    ],
)
def test_amount_spellings_are_accepted_with_their_value(intake, text, expected):
    result = intake(project(total_investment=text, request_amount="10"))
    assert result.rejections.empty, result.rejections.to_dict("records")
    value = result.accepted.loc[0, "total_investment"]
    assert isinstance(value, Decimal)
    assert value == expected


def test_full_width_digits_in_every_amount_column(intake):
    result = intake(
        project(
            is_upgrade="是",
            original_investment="３００",
            total_investment="５００",
            request_amount="２００万元",
            annual_om_cost="４５.５",
        )
    )
    assert result.rejections.empty, result.rejections.to_dict("records")
    row = result.accepted.iloc[0]
    assert (row.original_investment, row.total_investment) == (Decimal(300), Decimal(500))
    assert (row.request_amount, row.annual_om_cost) == (Decimal(200), Decimal("45.5"))


# --- encodings and header spellings ----------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings_with_chinese_headers(tmp_path, encoding):
    rows = [
        zh(project()),
        zh(project(project_id="P2", unit="达拉特旗政务服务局", level="旗区", district="达拉特旗")),
    ]
    path = write_csv(tmp_path / "申报.csv", rows, encoding=encoding)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    if encoding == "gb18030":
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
    result = read_table([path])
    assert result.rejections.empty, result.rejections.to_dict("records")
    assert result.notices[result.notices.message.str.contains("不在申报表规范")].empty
    accepted = result.accepted.set_index("project_id")
    assert accepted.loc["P1", "name"] == "智慧教育资源公共服务平台建设项目"
    assert accepted.loc["P2", "unit"] == "达拉特旗政务服务局"
    assert accepted.loc["P2", "district"] == "达拉特旗"


def test_english_key_headers(intake):
    result = intake(project(), project(project_id="P2"))
    assert result.rejections.empty
    assert result.notices.empty
    assert list(result.accepted.project_id) == ["P1", "P2"]
    assert result.accepted.loc[0, "total_investment"] == Decimal(500)


def test_header_spelling_variants(tmp_path):
    # A required marker, full-width brackets, the bare name without the unit, odd spacing.
    row = zh(project())
    row["*项目编号"] = row.pop("项目编号")
    row["总投资（万元）"] = row.pop("总投资(万元)")
    row["本年度申请资金"] = row.pop("本年度申请资金(万元)")
    row[" 层 级 "] = row.pop("层级")
    result = read_table([write_csv(tmp_path / "v.csv", [row])])
    assert result.rejections.empty, result.rejections.to_dict("records")
    assert result.accepted.loc[0, "request_amount"] == Decimal(300)
    assert result.accepted.loc[0, "level"] == "市本级"


# --- workbooks -------------------------------------------------------------------------------


def test_title_row_and_blank_row_above_the_header(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "申报表"
    ws["A1"] = "鄂尔多斯市政务信息化项目申报表（市教育局）"
    ws.merge_cells("A1:H1")
    # row 2 stays empty
    for j, key in enumerate(KEYS, start=1):
        ws.cell(row=3, column=j, value=CANDIDATES.label(key))
    rows = {
        4: project(project_id="E1"),
        5: project(project_id="E2", level="市级"),
        # row 6 stays empty
        7: project(project_id="E3", cross_department="可能"),
        8: project(project_id="E4"),
    }
    for number, row in rows.items():
        for j, value in enumerate(cells(row), start=1):
            ws.cell(row=number, column=j, value=value)
    path = tmp_path / "教育局.xlsx"
    wb.save(path)

    result = read_table([path])
    assert result.sources[0].sheets[0].header_row == 3
    assert list(result.accepted.source_row) == [4, 8]
    assert list(result.accepted.project_id) == ["E1", "E4"]
    assert problems_at(result, 5) == [("层级", "“市级”不在可选值内（可选：市本级、旗区、园区）")]
    assert problems_at(result, 7) == [("是否跨部门", "“可能”应填“是”或“否”")]
    assert set(result.rejections.sheet) == {"申报表"}
    assert set(result.rejections.file) == {str(path)}
    rec = result.reconciliation().iloc[0]
    assert (rec.read, rec.accepted, rec.rejected, rec.blank) == (5, 2, 2, 1)


def test_folder_of_workbooks_one_per_unit(tmp_path):
    folder = tmp_path / "submissions"
    folder.mkdir()
    units = {
        "a_教育局.xlsx": "市教育局",
        "b_卫健委.xlsx": "市卫生健康委员会",
        "c_公安局.xlsx": "市公安局",
    }
    for n, (name, unit) in enumerate(units.items()):
        rows = [project(project_id=f"U{n}-{i}", unit=unit) for i in range(2)]
        write_xlsx(folder / name, {"Sheet1": form(*rows)})
    (folder / "~$a_教育局.xlsx").write_bytes(b"lock file of an open workbook")
    (folder / "说明.docx").write_bytes(b"not a form")

    result = read_table([folder])
    assert result.rejections.empty, result.rejections.to_dict("records")
    assert len(result.accepted) == 6
    assert sorted(Path(f).name for f in result.accepted.source_file.unique()) == sorted(units)
    by_file = result.accepted.groupby(result.accepted.source_file.map(lambda f: Path(f).name))
    assert {f: set(g.unit) for f, g in by_file} == {f: {u} for f, u in units.items()}
    assert len(result.sources) == 3
    assert_balanced(result)


def test_notes_sheet_without_headers_gives_a_notice(tmp_path):
    path = write_xlsx(
        tmp_path / "unit.xlsx",
        {
            "备注": [["本表由市教育局填报"], ["联系人：张三", "电话：0477-0000000"]],
            "申报表": form(project(), project(project_id="P2")),
        },
    )
    result = read_table([path])
    assert list(result.accepted.project_id) == ["P1", "P2"]
    assert set(result.accepted.source_sheet) == {"申报表"}
    assert result.rejections.empty
    notes = result.notices[result.notices.sheet == "备注"]
    assert len(notes) == 1
    assert notes.iloc[0].file == str(path)
    assert "未找到表头行" in notes.iloc[0].message
    assert list(result.reconciliation().sheet) == ["申报表"]


# --- columns ---------------------------------------------------------------------------------


def test_missing_required_column_rejects_every_data_row(tmp_path):
    rows = [zh(project(project_id=f"P{i}")) for i in range(3)]
    for row in rows:
        del row["总投资(万元)"]
    path = write_csv(tmp_path / "m.csv", rows)
    result = read_table([path])
    assert result.accepted.empty
    for number in (2, 3, 4):
        assert problems_at(result, number) == [("总投资(万元)", "缺少必填列“总投资(万元)”")]
    assert_balanced(result)
    assert result.totals() == {"read": 3, "accepted": 0, "rejected": 3, "blank": 0}


def test_missing_conditional_column_is_fine_when_not_needed(intake):
    row = project()
    del row["original_investment"]
    del row["district"]
    result = intake(row)
    assert result.rejections.empty
    assert list(result.accepted.project_id) == ["P1"]


def test_unknown_columns_are_listed_and_rows_still_accepted(tmp_path):
    rows = [
        {**zh(project(project_id=f"P{i}")), "备注": "无", "联系人电话": "0477"} for i in range(2)
    ]
    result = read_table([write_csv(tmp_path / "u.csv", rows)])
    assert result.rejections.empty
    assert list(result.accepted.project_id) == ["P0", "P1"]
    messages = list(result.notices.message)
    assert messages == ["以下列不在申报表规范中，已忽略：备注、联系人电话"]


def test_duplicate_column_rejects_the_rows(tmp_path):
    path = tmp_path / "dup_col.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow([*KEYS, "总投资(万元)"])
        writer.writerow([*project().values(), "600"])
    result = read_table([path])
    assert result.accepted.empty
    assert ("总投资(万元)", "列“总投资(万元)”出现多次，无法确定取值") in problems_at(result, 2)


# --- bad values ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "column", "reason"),
    [
        ({"level": "市级"}, "层级", "“市级”不在可选值内（可选：市本级、旗区、园区）"),
        ({"category": "软件类"}, "项目类型", "“软件类”不在可选值内"),
        ({"is_upgrade": "可能"}, "是否升级改造", "“可能”应填“是”或“否”"),
        ({"total_investment": "-5"}, "总投资(万元)", "金额“-5”为负数"),
        ({"request_amount": "0"}, "本年度申请资金(万元)", "0应大于0"),
        ({"annual_om_cost": "-1"}, "年运维费用(万元)", "为负数"),
        ({"construction_months": "0"}, "建设周期(月)", "0小于下限1"),
        ({"construction_months": "12.5"}, "建设周期(月)", "“12.5”不是整数"),
        (
            {"request_amount": "600"},
            "本年度申请资金(万元)",
            "本年度申请资金600.00万元超过总投资500.00万元",
        ),
        ({"level": "旗区"}, "所属旗区", "层级为旗区的项目须填写所属旗区"),
        ({"level": "园区"}, "所属旗区", "层级为园区的项目须填写所属旗区"),
        ({"district": "东胜区"}, "所属旗区", "市本级项目不应填写所属旗区（填写了“东胜区”）"),
        ({"is_upgrade": "是"}, "原项目投资(万元)", "升级改造项目须填写原项目投资"),
        ({"depends_on": "P7、P1"}, "依赖项目编号", "依赖项目编号包含本项目自身"),
        ({"name": "  "}, "项目名称", "必填项为空"),
        ({"priority_areas": "政务服务、元宇宙"}, "重点支持领域", "无法识别的项：元宇宙"),
    ],
)
def test_bad_values_are_rejected_with_column_and_reason(tmp_path, changes, column, reason):
    path = write_csv(tmp_path / "bad.csv", [project(project_id="P0"), project(**changes)])
    result = read_table([path])
    assert list(result.accepted.project_id) == ["P0"]
    found = problems_at(result, 3)
    assert len(found) == 1, found
    assert found[0][0] == column
    assert reason in found[0][1]
    line = result.rejections.iloc[0]
    assert (line.file, line.sheet) == (str(path), "")
    assert_balanced(result)


def test_one_row_with_several_problems_is_one_rejected_row(intake):
    result = intake(project(level="市级", is_upgrade="可能", total_investment="abc"))
    assert {c for c, _ in problems_at(result, 2)} == {"层级", "是否升级改造", "总投资(万元)"}
    assert result.totals() == {"read": 1, "accepted": 0, "rejected": 1, "blank": 0}


# --- duplicates ------------------------------------------------------------------------------


def test_duplicate_id_within_one_file_rejected_at_both_places(tmp_path):
    path = write_csv(
        tmp_path / "one.csv", [project(), project(project_id="P2"), project(name="另一个项目")]
    )
    result = read_table([path])
    assert list(result.accepted.project_id) == ["P2"]
    [(col2, why2)] = problems_at(result, 2)
    [(col4, why4)] = problems_at(result, 4)
    assert col2 == col4 == "项目编号"
    assert why2.startswith("项目编号“P1”重复出现")
    assert "one.csv 第4行" in why2
    assert "one.csv 第2行" in why4
    assert_balanced(result)


def test_duplicate_id_across_files_rejected_at_both_places(tmp_path):
    first = write_csv(tmp_path / "a.csv", [project(project_id="X1"), project(project_id="P1")])
    second = write_xlsx(
        tmp_path / "b.xlsx", {"申报表": form(project(project_id="Y1"), project(project_id=" P1 "))}
    )
    result = read_table([first, second])
    assert sorted(result.accepted.project_id) == ["X1", "Y1"]
    [(col_a, why_a)] = problems_at(result, 3, file="a.csv")
    [(col_b, why_b)] = problems_at(result, 3, file="b.xlsx")
    assert col_a == col_b == "项目编号"
    assert "项目编号“P1”重复出现" in why_a
    assert "b.xlsx 申报表 第3行" in why_a
    assert "a.csv 第3行" in why_b
    assert_balanced(result)


def test_ids_equal_after_normalisation_are_duplicates(intake):
    result = intake(project(project_id="P1"), project(project_id="Ｐ１"))
    assert result.accepted.empty
    assert len(result.rejections) == 2


# --- blank rows ------------------------------------------------------------------------------


def test_blank_rows_are_counted_not_rejected_not_accepted(tmp_path):
    path = tmp_path / "blanks.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(KEYS)
        writer.writerow(project().values())
        writer.writerow([""] * len(KEYS))
        writer.writerow([" ", "\u3000", "", "\t"])
        fh.write("\r\n")  # a truly empty line
        writer.writerow(project(project_id="P2").values())
        writer.writerow([""] * len(KEYS))
    result = read_table([path])
    assert result.rejections.empty
    assert list(result.accepted.source_row) == [2, 6]
    assert result.totals() == {"read": 6, "accepted": 2, "rejected": 0, "blank": 4}
    assert "空行或模板示例行4行，已忽略" in set(result.notices.message)


def test_blank_rows_in_a_workbook(tmp_path):
    lines = form(project())
    lines += [[], [None, "   "], cells(project(project_id="P2"))]
    path = write_xlsx(tmp_path / "b.xlsx", {"申报表": lines})
    result = read_table([path])
    assert result.rejections.empty
    assert list(result.accepted.source_row) == [2, 5]
    assert result.totals() == {"read": 4, "accepted": 2, "rejected": 0, "blank": 2}


# --- formulas and Excel cell formats ---------------------------------------------------------


def test_xlsx_formula_without_cached_value_is_rejected(tmp_path):
    lines = form(project(), project(project_id="P2"))
    total_col = KEYS.index("total_investment")
    lines[2][total_col] = "=SUM(J2,100)"
    path = write_xlsx(tmp_path / "f.xlsx", {"申报表": lines})
    result = read_table([path])
    assert list(result.accepted.project_id) == ["P1"]
    assert problems_at(result, 3) == [
        ("总投资(万元)", "单元格为公式“=SUM(J2,100)”，请填写数值而非公式")
    ]


def test_xlsx_formula_with_cached_value_gives_the_value(tmp_path):
    # A workbook saved by Excel or WPS keeps each formula's last result: that is what the user saw.
    lines = form(project())
    lines[1][KEYS.index("total_investment")] = "=400+200"
    path = write_xlsx(tmp_path / "cached.xlsx", {"申报表": lines})
    patched = tmp_path / "cached2.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(patched, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                # openpyxl writes the empty cached value as <v /> or, with lxml, <v></v>.
                data, found = re.subn(
                    rb"<f>400\+200</f><v ?/>|<f>400\+200</f><v></v>",
                    b"<f>400+200</f><v>600</v>",
                    data,
                )
                assert found == 1
            dst.writestr(item, data)
    result = read_table([patched])
    assert result.rejections.empty, result.rejections.to_dict("records")
    assert result.accepted.loc[0, "total_investment"] == Decimal(600)


def test_csv_formula_text_is_rejected(intake):
    result = intake(project(), project(project_id="P2", request_amount="=1+1"))
    assert list(result.accepted.project_id) == ["P1"]
    assert problems_at(result, 3) == [
        ("本年度申请资金(万元)", "单元格为公式“=1+1”，请填写数值而非公式")
    ]


def test_percent_formatted_cells_in_the_usage_table(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["系统编号", "月份", "用户满意度(%)", "月均使用率(%)"])
    ws.append(["S1", "2026-03", 0.9, 0.85])
    ws.append(["S1", "2026-04", "92", "85.5%"])
    ws["C2"].number_format = "0.0%"
    ws["D2"].number_format = "0%"
    path = tmp_path / "usage.xlsx"
    wb.save(path)
    result = read_table([path], "usage")
    assert result.rejections.empty, result.rejections.to_dict("records")
    first, second = result.accepted.sort_values("source_row").itertuples()
    assert (first.usage_rate, first.satisfaction) == (Decimal(85), Decimal(90))
    assert (second.usage_rate, second.satisfaction) == (Decimal("85.5"), Decimal(92))
    assert first.month == "2026-03"


def test_dates_in_the_systems_registry(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "已建系统"
    ws.append(["系统编号", "系统名称", "所属单位", "运行状态", "终验日期", "停用日期"])
    ws.append(["S1", "教育资源平台", "市教育局", "运行", dt.datetime(2025, 7, 31), None])
    ws.append(["S2", "卫健信息平台", "市卫生健康委员会", "运行", 45869, None])
    ws.append(["S3", "公安视频平台", "市公安局", "停用", "2025年7月31日", dt.date(2026, 1, 15)])
    ws.append(["S4", "城管平台", "市城市管理综合执法局", "运行", "2025/7/31", None])
    ws.append(["S5", "旧系统", "市民政局", "停用", "2019-05-01", None])
    ws.append(["S6", "新系统", "市民政局", "运行", "明年", None])
    ws["E2"].number_format = "yyyy-mm-dd"
    path = tmp_path / "systems.xlsx"
    wb.save(path)
    result = read_systems([path])
    accepted = result.accepted.set_index("system_id")
    assert list(accepted.index) == ["S1", "S2", "S3", "S4"]
    assert set(accepted.final_acceptance_date) == {dt.date(2025, 7, 31)}
    assert accepted.loc["S3", "discontinued_date"] == dt.date(2026, 1, 15)
    assert accepted.loc["S1", "performance_evaluation"] == "未评价"  # the contract default
    assert problems_at(result, 6) == [("停用日期", "停用系统须填写停用日期")]
    found = problems_at(result, 7)
    assert {column for column, _ in found} == {"终验日期"}
    assert any(reason.startswith("“明年”不是可识别的日期") for _, reason in found)
    assert_balanced(result)


# --- the template ----------------------------------------------------------------------------


def test_template_filled_in_reads_back(tmp_path):
    path = write_template(tmp_path / "template.xlsx", plan_year=2027)
    wb = openpyxl.load_workbook(path)
    ws = wb["申报表"]
    headers = [ws.cell(row=2, column=j).value for j in range(1, ws.max_column + 1)]
    keys = [CANDIDATES.match_header(h) for h in headers]
    assert None not in keys
    for number, pid in ((3, "T1"), (4, "T2")):
        row = project(project_id=pid, total_investment=120 * (number + 1))
        for j, key in enumerate(keys, start=1):
            value = row.get(key, "")
            ws.cell(row=number, column=j, value=value if value != "" else None)
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)

    result = read_table([filled])
    assert result.rejections.empty, result.rejections.to_dict("records")
    assert list(result.accepted.project_id) == ["T1", "T2"]
    assert list(result.accepted.source_row) == [3, 4]
    assert list(result.accepted.total_investment) == [Decimal(480), Decimal(600)]
    rec = result.reconciliation()
    assert list(rec.sheet) == ["申报表"]
    assert (rec.read.iloc[0], rec.accepted.iloc[0], rec.blank.iloc[0]) == (2, 2, 0)
    assert result.notices.empty, result.notices.to_dict("records")


# --- a large file ----------------------------------------------------------------------------

BREAKAGES = [
    {"level": "市级"},
    {"total_investment": "五百"},
    {"request_amount": "900"},
    {"is_upgrade": "可能"},
    {"construction_months": "12.5"},
    {"total_investment": "=A1*2"},
    {"level": "旗区"},
]


def test_ten_thousand_rows_all_accounted_for(tmp_path):
    rng = random.Random(20270701)
    rows: list[dict[str, object]] = []
    broken_rows: set[int] = set()
    blank_rows: set[int] = set()
    for i in range(10_000):
        number = len(rows) + 2  # the header is line 1
        if i % 1000 == 500:
            rows.append(dict.fromkeys(KEYS, ""))
            blank_rows.add(number)
            continue
        total = rng.randint(5, 5000)
        row = project(
            project_id=f"P{i:05d}",
            total_investment=total,
            request_amount=rng.randint(1, total),
            construction_months=rng.randint(1, 36),
        )
        if rng.random() < 0.01:
            row.update(rng.choice(BREAKAGES))
            if row["request_amount"] == "900":
                row["total_investment"] = "800"
            broken_rows.add(number)
        rows.append(row)
    path = write_csv(tmp_path / "big.csv", rows)

    result = read_table([path])
    assert result.totals() == {
        "read": 10_000,
        "accepted": 10_000 - len(broken_rows) - len(blank_rows),
        "rejected": len(broken_rows),
        "blank": len(blank_rows),
    }
    assert 50 < len(broken_rows) < 200
    assert set(result.rejections.row.astype(int)) == broken_rows
    assert result.accepted.project_id.is_unique
    assert not set(result.accepted.source_row) & (broken_rows | blank_rows)


# --- files that cannot be read ---------------------------------------------------------------


def test_unreadable_file_is_a_rejection_and_the_others_are_read(tmp_path):
    broken = tmp_path / "损坏.xlsx"
    broken.write_bytes(os.urandom(2048))
    good = write_csv(tmp_path / "good.csv", [project()])
    result = read_table([broken, good])
    assert list(result.accepted.project_id) == ["P1"]
    [line] = result.rejections.itertuples()
    assert line.file == str(broken)
    assert pd.isna(line.row)  # no row in a file that could not be opened
    assert line.reason.startswith("无法读取文件")
    assert result.rejections.row.isna().all()


def test_file_without_a_header_row_is_a_rejection(tmp_path):
    noise = tmp_path / "noise.csv"
    noise.write_text("甲,乙,丙\n1,2,3\n", encoding="utf-8")
    good = write_csv(tmp_path / "good.csv", [project()])
    result = read_table([noise, good])
    assert list(result.accepted.project_id) == ["P1"]
    rej = result.rejections[result.rejections.file == str(noise)]
    assert len(rej) == 1
    assert rej.iloc[0].reason.startswith("未找到表头行")
    assert rej.row.isna().all()


def test_csv_in_an_unknown_encoding_is_a_rejection(tmp_path):
    path = tmp_path / "garbled.csv"
    path.write_bytes(b"\xff\xfe\xff\xff" * 10)
    result = read_table([path])
    assert list(result.rejections.reason) == [
        "共1行，无法识别文件编码（已尝试 UTF-8、UTF-8 BOM、GB18030）"
    ]
    assert result.accepted.empty


def test_missing_path_raises(tmp_path):
    with pytest.raises(IntakeFileError) as caught:
        read_table([tmp_path / "nowhere.xlsx"])
    assert "找不到该文件或文件夹" in caught.value.reason
    assert caught.value.file.endswith("nowhere.xlsx")


def test_txt_file_raises(tmp_path):
    path = tmp_path / "submission.txt"
    path.write_text("项目编号,项目名称\n", encoding="utf-8")
    with pytest.raises(IntakeFileError) as caught:
        read_table([path])
    assert caught.value.reason.startswith("不支持的文件类型“.txt”（支持 .xlsx、.xlsm、.csv")


def test_empty_folder_raises(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(IntakeFileError) as caught:
        read_table([tmp_path / "empty"])
    assert "文件夹中没有" in caught.value.reason


# --- CSV row numbers -------------------------------------------------------------------------


def test_csv_row_numbers_count_records_not_lines(tmp_path):
    # A cell with a line break (Alt+Enter in Excel) is still one row: Excel and WPS show the
    # project below it on row 3, and that is where the user must be sent.
    path = write_csv(
        tmp_path / "multiline.csv",
        [project(name="第一期\n第二期"), project(project_id="P2", level="市级")],
    )
    result = read_table([path])
    assert result.accepted.loc[0, "name"] == "第一期 第二期"
    assert problems_at(result, 3) == [("层级", "“市级”不在可选值内（可选：市本级、旗区、园区）")]


# --- systems and usage -----------------------------------------------------------------------


def test_usage_naming_an_unknown_system_is_rejected(tmp_path):
    systems = read_systems(
        [
            write_csv(
                tmp_path / "systems.csv",
                [
                    {
                        "system_id": "S1",
                        "name": "教育平台",
                        "unit": "市教育局",
                        "status": "运行",
                        "final_acceptance_date": "2024-06-30",
                    },
                    {
                        "system_id": "S2",
                        "name": "在建平台",
                        "unit": "市民政局",
                        "status": "在建",
                        "final_acceptance_date": "",
                    },
                ],
            )
        ]
    )
    assert systems.rejections.empty, systems.rejections.to_dict("records")
    usage_path = write_csv(
        tmp_path / "usage.csv",
        [
            {"system_id": "S1", "month": "2026-03", "usage_rate": "85"},
            {"system_id": "S9", "month": "2026-03", "usage_rate": "40"},
            {
                "system_id": "S2",
                "month": "2026年3月",
                "logins": "100",
                "business_volume": "20",
                "satisfaction": "90%",
            },
        ],
    )
    usage = read_usage([usage_path], systems)
    assert sorted(usage.accepted.system_id) == ["S1", "S2"]
    assert problems_at(usage, 3) == [("系统编号", "系统编号“S9”不在已建系统登记表中")]
    assert usage.rejections.iloc[0].file == str(usage_path)
    assert_balanced(usage)


def test_usage_row_without_rate_or_components_is_rejected(tmp_path):
    path = write_csv(
        tmp_path / "usage.csv",
        [
            {"system_id": "S1", "month": "2026-03", "logins": "100", "usage_rate": ""},
            {"system_id": "S1", "month": "2026-04", "logins": "", "usage_rate": "70"},
        ],
    )
    usage = read_table([path], "usage")
    assert list(usage.accepted.month) == ["2026-04"]
    [(column, reason)] = problems_at(usage, 2)
    assert column == "月均使用率(%)"
    assert "须全部填写" in reason


def test_usage_duplicate_month_rejected_at_both_places(tmp_path):
    path = write_csv(
        tmp_path / "usage.csv",
        [
            {"system_id": "S1", "month": "2026-03", "usage_rate": "85"},
            {"system_id": "S1", "month": "2026年3月", "usage_rate": "80"},
            {"system_id": "S1", "month": "2026-04", "usage_rate": "80"},
        ],
    )
    usage = read_table([path], "usage")
    assert list(usage.accepted.month) == ["2026-04"]
    [(_, why2)] = problems_at(usage, 2)
    [(_, why3)] = problems_at(usage, 3)
    assert "2026-03" in why2 and "usage.csv 第3行" in why2
    assert "usage.csv 第2行" in why3


def test_values_under_no_header_are_reported_not_dropped(tmp_path):
    path = tmp_path / "extra.csv"
    keys = list(project())
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([*keys, ""])
        writer.writerow([project()[k] for k in keys] + ["备注：请优先安排"])
    result = read_table([path])
    assert len(result.accepted) == 1
    letter = openpyxl.utils.get_column_letter(len(keys) + 1)
    assert f"{letter}列没有表头" in " ".join(result.notices.message)


def test_a_folder_reports_old_formats_and_lists_what_it_ignored(tmp_path):
    folder = tmp_path / "申报"
    (folder / "旗区").mkdir(parents=True)
    write_csv(folder / "a.csv", [project()])
    write_csv(folder / "旗区" / "b.csv", [project(project_id="P2")])
    (folder / "c.xls").write_bytes(b"\xd0\xcf\x11\xe0 old excel")
    (folder / "项目建议书.docx").write_bytes(b"attachment")
    result = read_table([folder])
    assert sorted(result.accepted.project_id) == ["P1", "P2"]  # sub-folders are read too
    old = result.rejections[result.rejections.file.str.endswith("c.xls")]
    assert len(old) == 1 and "另存为 .xlsx" in old.iloc[0].reason
    ignored = result.notices[result.notices.file.str.endswith("项目建议书.docx")]
    assert ignored.message.tolist() == ["不是申报表格（.xlsx、.csv），未读取"]


def test_a_header_spread_over_two_rows_with_merged_cells(tmp_path):
    keys = list(project())
    money = ["total_investment", "request_amount"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["鄂尔多斯市政务信息化项目申报表"])
    # Row 2: every header merged down two rows, except the money group's title over two columns.
    upper, lower = [], []
    for key in keys:
        if key in money:
            upper.append("资金情况" if key == money[0] else None)
            lower.append(key)
        else:
            upper.append(key)
            lower.append(None)
    ws.append(upper)
    ws.append(lower)
    for j, key in enumerate(keys, start=1):
        letter = openpyxl.utils.get_column_letter(j)
        if key not in money:
            ws.merge_cells(f"{letter}2:{letter}3")
    first = openpyxl.utils.get_column_letter(keys.index(money[0]) + 1)
    second = openpyxl.utils.get_column_letter(keys.index(money[1]) + 1)
    ws.merge_cells(f"{first}2:{second}2")
    ws.append([project()[k] for k in keys])
    ws.append([project(project_id="P2", level="市级")[k] for k in keys])
    path = tmp_path / "two_rows.xlsx"
    wb.save(path)
    result = read_table([path])
    assert result.accepted.project_id.tolist() == ["P1"]
    assert result.accepted.total_investment.iloc[0] == Decimal("500")
    assert result.rejections[["row", "column"]].values.tolist() == [[5, "层级"]]
