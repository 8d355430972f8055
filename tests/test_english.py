"""The English-prose detector used to keep user-facing output Chinese (workbench.english)."""

from __future__ import annotations

import pytest

from workbench.english import english_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "workbench plan: error: the following arguments are required: --year",
            ["plan: error: the following arguments are required"],
        ),
        ("File is not a zip file", ["File is not a zip file"]),
        ("读取失败：File is not a zip file", ["File is not a zip file"]),
        ("  -h, --help  show this help message and exit", ["show this help message and exit"]),
        ("show this help message\n                        and exit", None),
        ("Please run workbench check first", ["Please run workbench check first"]),
        ("Worksheet named 'Sheet1' not found", ["Worksheet named 'Sheet1' not found"]),
        ("argument --format: invalid choice: 'xml' (choose from 'text', 'json')", None),
        ("[Errno 2] No such file or directory: '申报.xlsx'", None),
    ],
)
def test_english_prose_is_found(text, expected):
    found = english_sentences(text)
    assert found
    if expected is not None:
        assert found == expected


@pytest.mark.parametrize(
    "text",
    [
        "Traceback (most recent call last):",
        'File "x.py", line 3\nValueError',
        "KeyError",
        "读取失败：Exception",
        "usage: workbench [-h]",
        "参数有误 invalid",
        "error: 文件不存在",
        "unrecognized",
        "读取失败：Permission denied",
    ],
)
def test_library_marker_words_are_found_alone(text):
    assert english_sentences(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "workbench plan：错误：缺少必需的参数：--year",
        "用法：workbench plan [-h] [--year YEAR] [--format {text,json}] [inputs ...]",
        "参数 --format：无效的取值：'xml'（可选：'text', 'json'）",
        "无效的取值：xml（可选：text, json, xml）",  # 3.14 writes choices without quotes
        "已写出 申报模板.xlsx、计划（草案）.html 和 .pdf",
        "SB2027-0146 强制纳入后调出 SB2027-0033、SB2027-0101",
        "求解器 HiGHS（MIP 间隙 0），备用 CBC；PuLP 建模",
        "输出 CSV、JSON、PDF、HTML、Excel、WPS 均可打开",
        "政策包 SHA-256：3f5c0e1d2b4a69788776655443322110aabbccddeeff00112233445566778899",
        "各资金渠道各年度P50/P90支出",
        "情景推演已启动：http://127.0.0.1:8866/voila/render/explorer.ipynb",
        "未找到 chromium（可设置 $WORKBENCH_CHROMIUM），已跳过PDF",
        "基准日 2027-01-01，计划年度 2027",
        "workbench 0.1.0",
        "workbench plan --why SB2027-0146 --format json --out 输出/2027",
        "默认 base cut20 om_first data_sharing rolling3",
        "字段 project_id、category_effective、approval_route",
        "字体：Noto Sans CJK、Source Han Sans、WenQuanYi、Microsoft YaHei",
        "{template,check,plan,compare,pipeline,app}",
        "text\njson\nxml",  # a column of values, not a sentence
        "选项 --invalid-rows 已弃用",  # a marker inside an option string
        "模块 workbench.report.document 的 plan_document",
        "YYYY-MM-DD",
        "蒙特卡洛风险模拟（Monte Carlo）",
        "  -h, --help            显示本帮助并退出",
    ],
)
def test_chinese_output_with_technical_tokens_is_clean(text):
    assert english_sentences(text) == []


def test_two_english_words_are_not_a_sentence():
    assert english_sentences("格式 text only") == []
    assert english_sentences("格式 text only here") == ["text only here"]


def test_callers_can_allow_more_names():
    text = "由 Quick Brown Fox 模块生成"
    assert english_sentences(text) == ["Quick Brown Fox"]
    assert english_sentences(text, allow=["Quick Brown Fox"]) == []


def test_passages_are_reported_in_order_and_merged():
    text = "第一段 the first bad sentence 中文 Traceback here and there"
    assert english_sentences(text) == ["the first bad sentence", "Traceback here and there"]
