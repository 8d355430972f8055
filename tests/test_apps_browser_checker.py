"""申报自查 guides a department: it opens on what to upload, the intake template as a download
made in the page (no network), the upload limit, and the results appear as soon as files are
chosen (no button to press). The component is checked as Python; the page in Chromium, as in
test_apps_browser (whose fixtures and helpers are used here), with screenshots in
test-artifacts/."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import re
from pathlib import Path

import ipywidgets as widgets
import openpyxl
import pytest
from playwright.sync_api import expect
from test_app_server import stress  # noqa: F401 - a fixture: the CPU burner, as in the others
from test_apps_browser import (
    CHROMIUM,
    IN_CI,
    TIMEOUT_MS,
    browser,  # noqa: F401 - a fixture
    choose_files,
    page_at,
    served,
    shot,
    wait_text,
)

from workbench.apps import UPLOAD_LIMIT_BYTES
from workbench.apps.checker import CheckerApp, self_check
from workbench.apps.common import megabytes
from workbench.data import sample_candidates
from workbench.intake.template import write_template
from workbench.labels import APP_LABELS, TEMPLATE_LABELS

YEAR = 2027
needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not IN_CI, reason="Chromium is not installed"
)


def template_in(html: str) -> bytes:
    """The workbook behind the guide's template link (a ``data:`` address)."""
    found = re.search(r'class="wb-template"><a [^>]*href="data:[^;]+;base64,([^"]+)"', html)
    assert found, "no template link in the guide"
    return base64.b64decode(found[1])


def form_of(book: openpyxl.Workbook) -> tuple[object, list[object]]:
    sheet = book[TEMPLATE_LABELS["sheet_form"]]
    return sheet["A1"].value, [c.value for c in sheet[2]]


def filled_template(template: bytes, rows: int = 5) -> bytes:
    """The downloaded template as a unit fills it: the sample's first 市本级 projects typed
    under the template's headers (required ones are marked ``*``)."""
    book = openpyxl.load_workbook(io.BytesIO(template))
    sheet = book[TEMPLATE_LABELS["sheet_form"]]
    columns = {str(c.value).strip("*").strip(): c.column for c in sheet[2] if c.value}
    text = sample_candidates().read_text(encoding="utf-8-sig")
    projects = [r for r in csv.DictReader(io.StringIO(text)) if r["层级"] == "市本级"][:rows]
    for i, project in enumerate(projects, start=3):
        for header, value in project.items():
            if value != "":
                sheet.cell(i, columns[header], value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def widgets_in(widget: widgets.Widget) -> list[widgets.Widget]:
    children = getattr(widget, "children", ())
    return [widget, *(w for child in children for w in widgets_in(child))]


def test_the_checker_opens_on_guidance_with_the_template(tmp_path):
    app = CheckerApp(YEAR)
    guide = app.guide.value
    assert megabytes(UPLOAD_LIMIT_BYTES) in guide and "xlsx" in guide and "csv" in guide
    assert APP_LABELS["template_file"].format(year=YEAR) in guide
    # The link holds the very form `workbench template` writes for the year.
    expected = openpyxl.load_workbook(write_template(tmp_path / "模板.xlsx", YEAR))
    offered = openpyxl.load_workbook(io.BytesIO(template_in(guide)))
    assert offered.sheetnames == expected.sheetnames
    assert form_of(offered) == form_of(expected)
    # Nothing to press: the only control is the file chooser, and choosing runs the check.
    shown = widgets_in(app.widget())
    assert not [w for w in shown if isinstance(w, widgets.Button)]
    assert app.status.value == "" and app.found.value == ""


def test_choosing_files_runs_the_check():
    app = CheckerApp(YEAR)
    content = filled_template(template_in(app.guide.value))
    app.upload.value = (
        {
            "name": "市本级申报表.xlsx",
            "type": "",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": dt.datetime.now(dt.UTC),
        },
    )
    expected = self_check([("市本级申报表.xlsx", content)], YEAR)
    assert APP_LABELS["checked"].format(**expected.intake.totals()) in app.status.value
    assert expected.intake.totals()["accepted"] == 5
    assert "第十五条" in app.found.value
    assert 'download="' + APP_LABELS["annotated_file"].format(year=YEAR) in app.download.value


@needs_chromium
def test_a_department_downloads_the_template_fills_it_and_sees_results(browser, tmp_path):  # noqa: F811
    with (
        served("checker", "--year", str(YEAR)) as app,
        page_at(browser, app.url) as (page, outside),
    ):
        checker = page.locator(".wb-checker")
        expect(page.locator(".wb-guide")).to_be_visible()
        expect(page.locator(".wb-guide")).to_contain_text(megabytes(UPLOAD_LIMIT_BYTES))
        expect(page.locator(".wb-guide")).to_contain_text(APP_LABELS["checker_guide_title"])
        # The file chooser is the one button on the page.
        expect(checker.locator("button")).to_have_count(1)
        expect(checker.locator("button.widget-upload")).to_have_count(1)
        shot(page, "checker-guide")

        with page.expect_download(timeout=TIMEOUT_MS) as download:
            page.locator(".wb-template a[download]").click()
        assert download.value.suggested_filename == APP_LABELS["template_file"].format(year=YEAR)
        template = tmp_path / "模板.xlsx"
        download.value.save_as(template)
        expected = openpyxl.load_workbook(write_template(tmp_path / "本地模板.xlsx", YEAR))
        assert form_of(openpyxl.load_workbook(template)) == form_of(expected)

        filled = tmp_path / "市本级申报表.xlsx"
        filled.write_bytes(filled_template(template.read_bytes()))
        totals = self_check([(filled.name, filled.read_bytes())], YEAR).intake.totals()
        choose_files(page, filled)  # and nothing else: the results follow the choice
        wait_text(page, ".wb-status", APP_LABELS["checked"].format(**totals))
        expect(page.locator(".wb-findings")).to_contain_text("第十五条")
        expect(page.locator(".wb-rejected")).to_contain_text(APP_LABELS["none_rejected"])
        expect(page.locator(".wb-annotated a[download]")).to_have_count(1)
        shot(page, "checker-template-results")
        assert outside == [], outside
