"""Files that cannot be read are refused with a specific Chinese reason; the library's or the
system's own (English) message never reaches the user, it stays in ``detail`` and the DEBUG log."""

from __future__ import annotations

import io
import logging
import os
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import project, write_csv

from workbench.intake import IntakeFileError, load_contract, read_table
from workbench.intake.readers import read_source
from workbench.labels import FILE_MESSAGES

CANDIDATES = load_contract("candidates")
# Product and format names may appear in a Chinese reason; any other Latin word is a leak.
_NAMES = re.compile(r"Excel|WPS|xlsx|xls|XML|CSV|Word|PowerPoint")


def assert_plain_chinese(reason: str) -> None:
    assert reason.startswith("无法读取文件："), reason
    assert not re.search(r"[A-Za-z]", _NAMES.sub("", reason)), reason


def good_workbook() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    keys = list(project())
    ws.append([CANDIDATES.label(k) for k in keys])
    ws.append([project()[k] or None for k in keys])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def replaced(data: bytes, part: str, content: bytes | None) -> bytes:
    """The workbook ``data`` with one zip member replaced (or removed when ``content`` is None)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            if item.filename != part:
                dst.writestr(item, src.read(item.filename))
            elif content is not None:
                dst.writestr(item, content)
    return out.getvalue()


def zip_of(members: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return out.getvalue()


def ole_file(streams: list[str]) -> bytes:
    """A minimal OLE compound file: the signature, then a directory sector naming ``streams``
    (directory entries hold UTF-16LE names in 64 bytes, then 64 bytes of metadata)."""
    header = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)
    entries = b"".join(
        name.encode("utf-16-le").ljust(64, b"\0") + bytes(64) for name in ["Root Entry", *streams]
    )
    return header + entries.ljust(512, b"\0")


def truncated() -> bytes:
    data = good_workbook()
    return data[: len(data) // 2]


def bad_crc() -> bytes:
    # Flip one byte inside the stored (uncompressed) sheet: the zip's checksum no longer matches.
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good_workbook())) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item.filename, src.read(item.filename), zipfile.ZIP_STORED)
    data = bytearray(out.getvalue())
    at = data.index(b"<sheetData>") + 3
    data[at] ^= 0x20
    return bytes(data)


CASES = {
    "not_zip": lambda: "这不是表格，只是改了扩展名的文本文件。".encode() * 20,
    "markup": lambda: (
        "<html><body><table><tr><td>项目编号</td></tr></table></body></html>".encode()
    ),
    "zip_not_xlsx": lambda: zip_of(
        {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"}
    ),
    "damaged_content": lambda: replaced(
        good_workbook(), "xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row"
    ),
    "encrypted": lambda: ole_file(["EncryptionInfo", "EncryptedPackage", "DataSpaces"]),
    "old_excel": lambda: ole_file(["Workbook", "SummaryInformation"]),
    "damaged_zip": truncated,
    "empty_file": lambda: b"",
}


@pytest.mark.parametrize("problem", sorted(CASES))
def test_each_broken_workbook_has_its_own_chinese_reason(tmp_path, problem):
    broken = tmp_path / f"{problem}.xlsx"
    broken.write_bytes(CASES[problem]())
    good = write_csv(tmp_path / "good.csv", [project(project_id="G1")])
    result = read_table([broken, good])
    assert list(result.accepted.project_id) == ["G1"]
    [line] = result.rejections.itertuples()
    assert line.file == str(broken)
    assert pd.isna(line.row)  # no row in a file that could not be opened
    assert line.reason == FILE_MESSAGES[problem]
    assert_plain_chinese(line.reason)


def test_the_reasons_are_all_different():
    reasons = [FILE_MESSAGES[p] for p in CASES]
    assert len(set(reasons)) == len(reasons)


def test_the_library_message_is_kept_for_programmers_only(tmp_path, caplog):
    path = tmp_path / "坏.xlsx"
    path.write_bytes(CASES["damaged_content"]())
    with (
        caplog.at_level(logging.DEBUG, logger="workbench.intake.readers"),
        pytest.raises(IntakeFileError) as caught,
    ):
        read_source(path, CANDIDATES)
    error = caught.value
    assert error.reason == FILE_MESSAGES["damaged_content"]
    assert "unclosed token" in error.detail  # what the XML parser said
    assert "unclosed token" not in error.reason and "unclosed token" not in str(error)
    assert any("unclosed token" in r.getMessage() for r in caplog.records)
    assert all(r.levelno == logging.DEBUG for r in caplog.records)


def test_a_damaged_checksum_is_an_incomplete_file(tmp_path):
    path = tmp_path / "crc.xlsx"
    path.write_bytes(bad_crc())
    with pytest.raises(IntakeFileError) as caught:
        read_source(path, CANDIDATES)
    assert caught.value.reason == FILE_MESSAGES["damaged_zip"]
    assert "CRC" in caught.value.detail


def test_a_broken_workbook_part_is_damaged_content(tmp_path):
    path = tmp_path / "wb.xlsx"
    path.write_bytes(replaced(good_workbook(), "xl/workbook.xml", b"<workbook><sheets"))
    with pytest.raises(IntakeFileError) as caught:
        read_source(path, CANDIDATES)
    assert caught.value.reason == FILE_MESSAGES["damaged_content"]


def test_an_empty_csv_is_an_empty_file(tmp_path):
    path = tmp_path / "空.csv"
    path.write_bytes(b"")
    result = read_table([path])
    assert list(result.rejections.reason) == [FILE_MESSAGES["empty_file"]]


def test_a_csv_with_an_oversized_cell(tmp_path):
    path = tmp_path / "长.csv"
    path.write_text('项目编号,项目名称\nP1,"' + "很" * 200_000 + '"\n', encoding="utf-8")
    result = read_table([path])
    [reason] = result.rejections.reason
    assert reason == FILE_MESSAGES["csv_malformed"]
    assert_plain_chinese(reason)


@pytest.mark.parametrize(
    ("error", "problem"),
    [
        (PermissionError(13, "Permission denied"), "permission"),
        (OSError(5, "Input/output error"), "os_error"),
    ],
)
def test_system_errors_while_reading(tmp_path, monkeypatch, error, problem):
    path = write_csv(tmp_path / "locked.csv", [project()])
    original = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == path:
            raise error
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = read_table([path])
    [reason] = result.rejections.reason
    assert reason == FILE_MESSAGES[problem]
    assert_plain_chinese(reason)
    with pytest.raises(IntakeFileError) as caught:
        read_source(path, CANDIDATES)
    assert error.strerror in caught.value.detail


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_a_file_without_read_permission(tmp_path):
    path = write_csv(tmp_path / "locked.csv", [project()])
    path.chmod(0)
    try:
        result = read_table([path])
    finally:
        path.chmod(0o600)
    assert list(result.rejections.reason) == [FILE_MESSAGES["permission"]]


def test_a_folder_named_like_a_workbook(tmp_path):
    folder = tmp_path / "申报.xlsx"
    folder.mkdir()
    with pytest.raises(IntakeFileError) as caught:
        read_source(folder, CANDIDATES)
    assert caught.value.reason == FILE_MESSAGES["is_directory"]
    assert_plain_chinese(caught.value.reason)
    # Named on the command line, an empty one is a usage error that says what it is.
    with pytest.raises(IntakeFileError) as caught:
        read_table([folder])
    assert caught.value.reason == FILE_MESSAGES["folder_named_like_file"]
    assert caught.value.file == str(folder)
