"""情景推演 in Chromium: a lowered ceiling highlights the rows it moved and the difference tab
gives amounts and reasons; undo and reset bring the plan back; a scenario saved into the
folder given with ``--scenarios-dir`` appears there and loads back to the plan on the page.
Served and driven as in tests/test_apps_browser.py (its fixtures and helpers are used, not
copied); screenshots go to test-artifacts/."""

from __future__ import annotations

from decimal import Decimal

from playwright.sync_api import expect
from test_app_server import wait_until
from test_apps_browser import (  # noqa: F401 - browser, stress: fixtures; the same skip rule
    browser,
    page_at,
    pytestmark,
    served,
    shot,
    stress,
    wait_text,
)

from workbench.apps.explorer import ROW_CHANGED, ROW_DIFFERS, Explorer
from workbench.labels import LEVEL_CITY
from workbench.money import format_wan
from workbench.scenario import load_scenario
from workbench.session import Session

YEAR = 2027
LOWERED = Decimal(12000)


def test_the_explorer_highlights_undoes_resets_and_saves(browser, tmp_path):  # noqa: F811
    # What the page should show, from the same library.
    session = Session.open()
    x = Explorer(session)
    base_headline = x.headline()
    given = session.scenario.ceilings[LEVEL_CITY][YEAR]
    x.set_ceiling(LEVEL_CITY, YEAR, LOWERED)
    lowered_headline = x.headline()
    marks = x.changes()
    changed = int((marks["since_last"] != "").sum())
    differs = int((marks["vs_base"] != "").sum())
    summary = x.difference_summary()
    last = x.difference_table().iloc[-1]
    assert changed and differs

    folder = tmp_path / "情景文件夹"
    with (
        served("explorer", "--scenarios-dir", str(folder)) as app,
        page_at(browser, app.url) as (page, outside),
    ):
        wait_text(page, ".wb-headline", base_headline)
        box = page.locator(".wb-ceiling-2027 input")
        expect(box).to_be_visible()
        # Every pool's ceilings at once: the grid holds a box per pool and year.
        assert page.locator(".wb-ceiling").count() >= len(session.scenario.ceilings) * 3
        expect(page.locator(".wb-weights-sum")).to_contain_text("滑块合计1.00")

        box.fill(str(LOWERED))
        box.press("Enter")
        wait_text(page, ".wb-headline", lowered_headline)
        rows = page.locator(f".wb-plan-table tr.{ROW_CHANGED}")
        expect(rows).to_have_count(changed)
        expect(page.locator(f".wb-plan-table tr.{ROW_DIFFERS}")).to_have_count(differs)
        first_row = page.locator(".wb-plan-table tbody tr").first
        expect(first_row).to_have_class(f"{ROW_CHANGED} {ROW_DIFFERS}")
        expect(first_row).to_contain_text("本次")
        shot(page, "explorer-changed")

        page.get_by_role("tab", name="与基准情景对比").click()
        diff = page.locator(".wb-diff")
        expect(diff).to_contain_text(summary)
        row = diff.locator("tr", has_text=last["项目编号"])
        expect(row).to_contain_text(last["当前方案原因"])
        expect(row).to_contain_text(format_wan(last["本年度资金(万元)"]))
        shot(page, "explorer-difference")
        page.get_by_role("tab", name="项目安排").click()

        page.locator("button.wb-undo").click()
        wait_text(page, ".wb-headline", base_headline)
        expect(box).to_have_value(str(int(given)))
        expect(page.locator(".wb-message")).to_contain_text("已撤销")

        box.fill("9000")
        box.press("Enter")
        expect(page.locator(".wb-headline").first).not_to_contain_text(base_headline)
        page.locator("button.wb-reset").click()
        wait_text(page, ".wb-headline", base_headline)
        expect(box).to_have_value(str(int(given)))

        box.fill(str(LOWERED))
        box.press("Enter")
        wait_text(page, ".wb-headline", lowered_headline)
        page.locator(".wb-save-name input").fill("会上方案")
        page.locator("button.wb-save").click()
        wait_text(page, ".wb-save-status", "已保存")
        shot(page, "explorer-saved")
        assert outside == [], outside

    path = folder / "会上方案.yaml"
    wait_until(path.is_file, 30, "the saved scenario file")
    saved = load_scenario(path)
    assert saved.name == "会上方案" and saved.ceilings[LEVEL_CITY][YEAR] == LOWERED
    assert Explorer(session, str(path)).headline() == lowered_headline
