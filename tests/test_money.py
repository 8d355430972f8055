from decimal import Decimal

import pandas as pd
import pytest

from workbench.money import AmountError, Relation, format_wan, parse_amount


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("120", "120"),
        ("120.5万元", "120.5"),
        ("120.5 万元", "120.5"),
        ("１２０", "120"),
        ("１２０．５万", "120.5"),
        ("1,200.5", "1200.5"),
        ("1，200.5", "1200.5"),
        ("1.2亿元", "12000"),
        ("1.2亿", "12000"),
        ("800000元", "80"),
        ("800,000元", "80"),
        ("  300 ", "300"),
        (120, "120"),
        (120.1, "120.1"),
        (Decimal("99.99"), "99.99"),
        ("0", "0"),
    ],
)
def test_parse_amount_accepts_what_forms_contain(text, expected):
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "为空"),
        ("一百万", "不是可识别的金额"),
        ("1,20", "千分位"),
        ("12,0000", "千分位"),
        ("120美元", "不是可识别的金额"),
        ("100-200", "不是可识别的金额"),
        ("1.2.3", "不是可识别的金额"),
        ("-5", "负数"),
        ("约100", "不是可识别的金额"),
        ("100万元万元", "不是可识别的金额"),
        (True, "不是可识别的金额"),
        (float("nan"), "为空"),
    ],
)
def test_parse_amount_rejects_ambiguity_with_a_chinese_reason(text, fragment):
    with pytest.raises(AmountError) as err:
        parse_amount(text)
    assert fragment in err.value.reason


def test_float_cells_do_not_pick_up_binary_noise():
    # 0.1 + 0.2 style noise must not leak into thresholds: 100.00000000000001 is not 100.
    assert parse_amount(100.0) == Decimal("100")
    assert parse_amount(30.0) == Decimal(30)


# Civil Code art. 1259: 以上/以下/以内/不超过/不少于 include the number; 超过/低于/不满 exclude it.
@pytest.mark.parametrize(
    ("relation", "at", "below", "above"),
    [
        (Relation.AT_LEAST, True, False, True),
        (Relation.NOT_LESS_THAN, True, False, True),
        (Relation.AT_MOST, True, True, False),
        (Relation.WITHIN, True, True, False),
        (Relation.NOT_EXCEEDING, True, True, False),
        (Relation.EXCEEDING, False, False, True),
        (Relation.BELOW, False, True, False),
        (Relation.LESS_THAN, False, True, False),
    ],
)
@pytest.mark.parametrize("bound", ["30", "100", "200", "1000", "2000", "0.15", "0.3"])
def test_boundary_words(relation, at, below, above, bound):
    b = Decimal(bound)
    step = Decimal("0.01") if b >= 1 else Decimal("0.0001")
    assert relation.holds(b, b) is at
    assert relation.holds(b - step, b) is below
    assert relation.holds(b + step, b) is above
    series = pd.Series([b, b - step, b + step, None], dtype=object)
    assert relation.holds_series(series, b).tolist() == [at, below, above, False]


def test_integer_columns_compare_exactly():
    months = pd.Series([24, 25, None], dtype="Int64")
    assert Relation.NOT_EXCEEDING.holds_series(months, Decimal(24)).tolist() == [True, False, False]


def test_format_wan():
    assert format_wan(Decimal("1234.5")) == "1,234.50"
    assert format_wan(None) == ""
