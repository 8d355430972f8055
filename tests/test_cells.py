"""The cell parsers, driven through ``parse_cell`` with the contract's real columns."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from workbench.intake.cells import CellError, parse_cell
from workbench.intake.columns import Column, load_contract

CANDIDATES = load_contract("candidates")
SYSTEMS = load_contract("systems")
USAGE = load_contract("usage")


def reason_of(value: object, column: Column) -> str:
    with pytest.raises(CellError) as caught:
        parse_cell(value, column)
    return caught.value.reason


# --- 是 / 否 ---------------------------------------------------------------------------------

BOOL = CANDIDATES.column("is_upgrade")


@pytest.mark.parametrize(
    "value",
    ["是", " 是 ", "是\u3000", "Y", " y", "yes", "TRUE", "true", "True ", "1", " 1 ", 1, True, "√"],
)
def test_bool_true_words(value):
    assert parse_cell(value, BOOL) is True


@pytest.mark.parametrize(
    "value", ["否", "否 ", "\u3000否", "N", "n ", "no", "FALSE", "false", "0", 0, False, "×"]
)
def test_bool_false_words(value):
    assert parse_cell(value, BOOL) is False


@pytest.mark.parametrize("value", ["可能", "是否", "2", "yes!", "待定"])
def test_bool_rejects_anything_else(value):
    assert reason_of(value, BOOL) == f"“{value}”应填“是”或“否”"


# --- enumerations ----------------------------------------------------------------------------

LEVEL = CANDIDATES.column("level")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("市本级", "市本级"),
        (" 市 本 级 ", "市本级"),
        ("\u3000旗区\u3000", "旗区"),  # ideographic spaces
        ("园区\t", "园区"),
        ("园\u00a0区", "园区"),  # no-break space inside
    ],
)
def test_enum_tolerates_spacing_noise(value, expected):
    assert parse_cell(value, LEVEL) == expected


def test_enum_full_width_noise_in_other_columns():
    assert parse_cell("　建设类　", CANDIDATES.column("category")) == "建设类"
    assert parse_cell(" 暂缓 执行 ", CANDIDATES.column("ex_ante_evaluation")) == "暂缓执行"
    assert parse_cell("运行 ", SYSTEMS.column("status")) == "运行"


@pytest.mark.parametrize("value", ["市级", "市本", "旗县", "city"])
def test_enum_rejects_values_outside_the_list(value):
    reason = reason_of(value, LEVEL)
    assert reason.startswith(f"“{value}”不在可选值内")
    assert "市本级、旗区、园区" in reason


# --- multi-choice and id lists ---------------------------------------------------------------

AREAS = CANDIDATES.column("priority_areas")


@pytest.mark.parametrize(
    "value",
    [
        "政务服务、数据资源",
        "政务服务;数据资源",
        "政务服务；数据资源",
        " 政务服务 ； 数据资源 ",
        "政务服务、数据资源、政务服务",  # repeated items collapse
        "政务服务，数据资源",
    ],
)
def test_multi_lists_split_on_every_separator(value):
    assert parse_cell(value, AREAS) == ("政务服务", "数据资源")


def test_multi_single_item():
    assert parse_cell("共性应用", AREAS) == ("共性应用",)


def test_multi_rejects_unknown_items_and_names_them():
    reason = reason_of("政务服务、火星探测；数据资源", AREAS)
    assert "无法识别的项：火星探测（" in reason
    assert "无法识别的项：政务服务" not in reason
    assert "政务信息基础设施" in reason  # the allowed values are listed


DEPENDS = CANDIDATES.column("depends_on")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("P2、P3", ("P2", "P3")),
        ("P2; P3", ("P2", "P3")),
        ("P2；P3", ("P2", "P3")),
        (" P 2 ", ("P2",)),
        ("P2、P2", ("P2",)),
        ("Ｐ２、Ｐ３", ("P2", "P3")),  # full-width letters and digits
    ],
)
def test_id_lists(value, expected):
    assert parse_cell(value, DEPENDS) == expected


def test_id_lists_blank_is_none():
    assert parse_cell("", DEPENDS) is None
    assert parse_cell(None, DEPENDS) is None


@pytest.mark.parametrize(
    ("value", "expected"), [(" A 1 ", "A1"), ("Ｐ１", "P1"), (12.0, "12"), (1001, "1001")]
)
def test_ids(value, expected):
    assert parse_cell(value, CANDIDATES.column("project_id")) == expected


# --- integers --------------------------------------------------------------------------------

MONTHS = CANDIDATES.column("construction_months")


@pytest.mark.parametrize(
    "value", ["12", " 12 ", "12.0", 12.0, 12, "12个月", "12月", "１２", "１２个月"]
)
def test_integers(value):
    parsed = parse_cell(value, MONTHS)
    assert parsed == 12
    assert type(parsed) is int


@pytest.mark.parametrize("value", ["12.5", 12.5, "十二", "12-18", "about 12", "12.5个月"])
def test_integers_reject_fractions_and_words(value):
    assert reason_of(value, MONTHS) == f"“{value}”不是整数"


def test_integer_reason_quotes_the_cell_as_typed():
    # The user looks for the cell by what they typed; quoting "12个半" (the unit cut off) for a
    # cell holding "12个半月" points at a value that is nowhere in the form.
    assert reason_of("12个半月", MONTHS) == "“12个半月”不是整数"


def test_integer_units_only_for_the_new_system_count():
    assert parse_cell("3个", CANDIDATES.column("new_systems")) == 3
    assert parse_cell("2套", CANDIDATES.column("retired_systems")) == 2


# --- dates -----------------------------------------------------------------------------------

ACCEPTANCE = SYSTEMS.column("final_acceptance_date")
JULY_31 = dt.date(2025, 7, 31)


@pytest.mark.parametrize(
    "value",
    [
        "2025年7月31日",
        "2025年07月31日",
        "2025年7月31号",
        "2025-07-31",
        " 2025-07-31 ",
        "2025/7/31",
        "2025.7.31",
        "20250731",
        "２０２５－０７－３１",  # full-width digits and hyphens
        45869,  # Excel serial
        45869.0,
        "45869",
        "2025-07-31T00:00:00",
        dt.datetime(2025, 7, 31, 15, 30),
        dt.datetime(2025, 7, 31),
        dt.date(2025, 7, 31),
    ],
)
def test_dates(value):
    assert parse_cell(value, ACCEPTANCE) == JULY_31


def test_date_with_midnight_time_as_a_spreadsheet_export_writes_it():
    # pandas' to_csv and many exports write a date cell as "2025-07-31 00:00:00"; the parser
    # strips a "T00:00:00" suffix and must strip the space-separated one alike.
    assert parse_cell("2025-07-31 00:00:00", ACCEPTANCE) == JULY_31


@pytest.mark.parametrize(
    "value", ["2025-02-30", "明年", "2025-13-01", "2025年", "7/31/2025", "31.07.2025", 123, 45869.5]
)
def test_dates_reject_impossible_or_vague_values(value):
    reason = reason_of(value, ACCEPTANCE)
    assert reason == f"“{value}”不是可识别的日期（如 2025-07-31、2025年7月31日）"


# --- months ----------------------------------------------------------------------------------

MONTH = USAGE.column("month")


@pytest.mark.parametrize(
    "value",
    [
        "2026-03",
        "2026-3",
        "2026/03",
        "2026年3月",
        "2026年03月份",
        "202603",
        dt.date(2026, 3, 17),
        dt.datetime(2026, 3, 1, 8, 0),
        "2026-03-17",
        "2026年3月17日",
        46082,  # Excel serial of 2026-03-01
    ],
)
def test_months(value):
    assert parse_cell(value, MONTH) == "2026-03"


@pytest.mark.parametrize("value", ["2026-13", "下个月", "三月", "2026"])
def test_months_reject(value):
    assert reason_of(value, MONTH) == f"“{value}”不是可识别的月份（如 2026-03、2026年3月）"


# --- percentages -----------------------------------------------------------------------------

SATISFACTION = USAGE.column("satisfaction")


@pytest.mark.parametrize("value", ["85", "85%", "85％", " 85 % ", 85, 85.0, "８５％"])
def test_percent_points(value):
    assert parse_cell(value, SATISFACTION) == Decimal(85)


def test_percent_with_decimals():
    assert parse_cell("85.5%", USAGE.column("usage_rate")) == Decimal("85.5")


@pytest.mark.parametrize("value", ["八十五", "high", "85 percent"])
def test_percent_rejects_words(value):
    assert reason_of(value, SATISFACTION) == f"“{value}”不是百分比（如 85 或 85%）"


def test_percent_reason_quotes_the_cell_as_typed():
    # "“85%”不是百分比（如 85 或 85%）" would contradict itself; the cell held "85%%".
    assert reason_of("85%%", SATISFACTION) == "“85%%”不是百分比（如 85 或 85%）"


# --- formulas --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("=SUM(A1)", "total_investment"),
        (" =SUM(A1) ", "total_investment"),
        ("=1+1", "construction_months"),
        ("=A2", "name"),
        ("=VLOOKUP(B2,表2!A:B,2,0)", "level"),
    ],
)
def test_formulas_are_rejected_with_the_formula_message(value, key):
    reason = reason_of(value, CANDIDATES.column(key))
    assert reason == f"单元格为公式“{value.strip()}”，请填写数值而非公式"


# --- blank cells -----------------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, "", "   ", "\u3000", float("nan")])
def test_blank_without_default_is_none(value):
    assert parse_cell(value, CANDIDATES.column("total_investment")) is None
    assert parse_cell(value, CANDIDATES.column("level")) is None
    assert parse_cell(value, CANDIDATES.column("is_upgrade")) is None
    assert parse_cell(value, SYSTEMS.column("final_acceptance_date")) is None


@pytest.mark.parametrize("value", [None, "", "  "])
def test_blank_takes_the_contract_default(value):
    assert parse_cell(value, CANDIDATES.column("classified")) == "否"
    assert parse_cell(value, CANDIDATES.column("project_type")) == "其他"
    assert parse_cell(value, CANDIDATES.column("like_for_like")) is False
    assert parse_cell(value, SYSTEMS.column("performance_evaluation")) == "未评价"


# --- amounts through the cell layer ----------------------------------------------------------

TOTAL = CANDIDATES.column("total_investment")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("１２０", "120"),
        ("120万元", "120"),
        ("1.2亿元", "12000"),
        ("800000元", "80"),
        ("1,200.5", "1200.5"),
        (1200.5, "1200.5"),
    ],
)
def test_amount_cells(value, expected):
    assert parse_cell(value, TOTAL) == Decimal(expected)


@pytest.mark.parametrize(
    ("value", "fragment"), [("-5", "为负数"), ("一百万", "不是可识别的金额"), ("1,20", "千分位")]
)
def test_amount_cells_reject_with_the_money_reason(value, fragment):
    assert fragment in reason_of(value, TOTAL)
