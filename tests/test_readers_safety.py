"""Hostile workbooks: entity expansion is refused, oversized files are refused before parsing."""

from __future__ import annotations

import zipfile

import openpyxl
from conftest import project

from workbench.intake import read_table, readers
from workbench.labels import FILE_MESSAGES

BOMB = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>"""


def _workbook(path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    keys = list(project())
    ws.append(keys)
    for row in rows:
        ws.append([row[k] for k in keys])
    wb.save(path)


def test_entity_expansion_is_refused_and_reported(tmp_path):
    good = tmp_path / "a.xlsx"
    _workbook(good, [project()])
    bomb = tmp_path / "b.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bomb, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = BOMB.encode()
            dst.writestr(item, data)
    result = read_table([good, bomb])
    assert result.accepted.project_id.tolist() == ["P1"]
    refused = result.rejections[result.rejections.file == str(bomb)]
    assert len(refused) == 1 and refused.row.isna().all()
    assert refused.iloc[0].reason == FILE_MESSAGES["xml_forbidden"]
    assert "Unable to read workbook" not in refused.iloc[0].reason


def test_oversized_files_are_refused_before_parsing(tmp_path, monkeypatch):
    path = tmp_path / "big.xlsx"
    _workbook(path, [project()])
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 100)
    result = read_table([path])
    assert result.accepted.empty
    assert "超过上限" in result.rejections.iloc[0].reason
