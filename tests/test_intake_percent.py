"""Percent columns (月均使用率(%), 用户满意度(%)) that look typed as fractions: reported per file,
sheet and column, never rescaled; Excel cells formatted as percentages read as points."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from workbench.intake import read_table

HEADER = ["系统编号", "月份", "用户满意度(%)", "月均使用率(%)"]


def usage_csv(path: Path, rows: list[list[object]]) -> Path:
    lines = [",".join(HEADER), *(",".join(str(v) for v in row) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def usage_xlsx(path: Path, sheets: dict[str, list[list[object]]], fmt: str = "") -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        ws.append(HEADER)
        for row in rows:
            ws.append(row)
            if fmt:
                for cell in ws[ws.max_row][2:]:
                    cell.number_format = fmt
    wb.save(path)
    return path


def fraction_notices(result) -> list[tuple[str, str, str]]:
    hits = result.notices[result.notices.message.str.contains("是否按小数填写了百分比")]
    return list(zip(hits.file, hits.sheet, hits.message, strict=True))


def test_fractions_in_a_csv_are_reported_per_column_and_not_rescaled(tmp_path):
    path = usage_csv(
        tmp_path / "使用情况.csv",
        [["S1", "2026-03", 0.9, 0.85], ["S1", "2026-04", 0.95, 0.8], ["", "", "", ""]],
    )
    result = read_table([path], "usage")
    assert result.rejections.empty, result.rejections.to_dict("records")
    assert result.totals() == {"read": 3, "accepted": 2, "rejected": 0, "blank": 1}
    assert list(result.accepted.usage_rate) == [Decimal("0.85"), Decimal("0.8")]
    assert list(result.accepted.satisfaction) == [Decimal("0.9"), Decimal("0.95")]
    found = fraction_notices(result)
    assert [(f, s) for f, s, _ in found] == [(str(path), ""), (str(path), "")]
    satisfaction, rate = (m for _, _, m in found)
    assert satisfaction.startswith("“用户满意度(%)”列填写的数值均不大于1（最大为0.95）")
    assert rate.startswith("“月均使用率(%)”列填写的数值均不大于1（最大为0.85）")
    assert "如以0.85表示85%" in rate and "未作换算" in rate


def test_each_sheet_is_judged_on_its_own(tmp_path):
    path = usage_xlsx(
        tmp_path / "usage.xlsx",
        {
            "三月": [["S1", "2026-03", 92, 0.85]],
            "四月": [["S1", "2026-04", 90, 85]],
        },
    )
    result = read_table([path], "usage")
    assert result.rejections.empty, result.rejections.to_dict("records")
    [(file, sheet, message)] = fraction_notices(result)
    assert (file, sheet) == (str(path), "三月")
    assert message.startswith("“月均使用率(%)”列")


@pytest.mark.parametrize(
    "rates",
    [
        [85, 0.9],  # one value in points: the column is in points
        [0, 0],  # nothing above zero: nothing to ask about
        ["0.5%", 0.6],  # a percent sign shows the writer meant points
        [150, 0.5],  # out of bounds is rejected, not taken for a fraction
    ],
)
def test_no_notice_when_the_column_is_not_all_fractions(tmp_path, rates):
    rows = [["S1", f"2026-0{i + 1}", 90, rate] for i, rate in enumerate(rates)]
    result = read_table([usage_csv(tmp_path / "u.csv", rows)], "usage")
    assert fraction_notices(result) == []
    assert result.totals()["read"] == len(rates)


def test_a_blank_percent_column_gives_no_notice(tmp_path):
    path = tmp_path / "u.csv"
    path.write_text(
        "系统编号,月份,登录次数,核心业务办理量,用户满意度(%),月均使用率(%)\n"
        "S1,2026-03,100,50,92,\n",
        encoding="utf-8",
    )
    result = read_table([path], "usage")
    assert result.rejections.empty, result.rejections.to_dict("records")
    assert fraction_notices(result) == []


def test_values_up_to_one_inclusive_are_asked_about(tmp_path):
    path = usage_csv(tmp_path / "u.csv", [["S1", "2026-03", 80, 1], ["S1", "2026-04", 80, 0.5]])
    result = read_table([path], "usage")
    [(_, _, message)] = fraction_notices(result)
    assert "（最大为1）" in message


def test_percent_formatted_cells_read_as_points_without_a_notice(tmp_path):
    path = usage_xlsx(
        tmp_path / "formatted.xlsx",
        {"使用情况": [["S1", "2026-03", 0.9, 0.85], ["S1", "2026-04", 0.123456789, 1]]},
        fmt="0.0%",
    )
    result = read_table([path], "usage")
    assert result.rejections.empty, result.rejections.to_dict("records")
    first, second = result.accepted.sort_values("source_row").itertuples()
    assert (first.satisfaction, first.usage_rate) == (Decimal(90), Decimal(85))
    # Exactly, not rounded to six significant digits.
    assert (second.satisfaction, second.usage_rate) == (Decimal("12.3456789"), Decimal(100))
    assert fraction_notices(result) == []


def test_unformatted_fractions_in_a_workbook_are_reported(tmp_path):
    path = usage_xlsx(tmp_path / "plain.xlsx", {"使用情况": [["S1", "2026-03", 0.9, 0.85]]})
    result = read_table([path], "usage")
    assert list(result.accepted.usage_rate) == [Decimal("0.85")]
    assert {(s, m[:11]) for _, s, m in fraction_notices(result)} == {
        ("使用情况", "“用户满意度(%)”列"),
        ("使用情况", "“月均使用率(%)”列"),
    }
