"""计划汇报 in a real browser, as it is shown in the meeting: headline tiles before any table,
percentages as percentages, the risk in a sentence, no seed or statistical term, the
presentation mode, and the page printed to PDF. What the page should say is computed here from
the same library and the same (seeded) simulation the app runs.

Fixtures and helpers are those of ``test_apps_browser`` (Chromium, the served app, the page that
refuses every request outside the server); skipped where Chromium is absent, except in CI."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from test_apps_browser import (  # noqa: F401 - browser, stress: fixtures
    ARTIFACTS,
    browser,
    page_at,
    pytestmark,
    served,
    shot,
    stress,
)

from workbench.apps.dashboard import RISK_DRAWS, headline_tiles
from workbench.labels import APP_LABELS, REPORT_LABELS
from workbench.report.document import classified_ids
from workbench.report.narrative import highest_risk, percent, risk_sentences
from workbench.session import Session
from workbench.simulate import assumptions_from

JARGON = ("种子", "P50", "P90", "蒙特卡洛", "Monte Carlo", "seed")
PAGE = re.compile(rb"/Type\s*/Page\b")  # Chromium writes its PDF's page objects uncompressed
MEDIA_BOX = re.compile(rb"/MediaBox\s*\[([^\]]*)\]")
RAW_SHARE = re.compile(r"(?<![\d,])0\.\d{3,}")  # 0.652 where 65% belongs


def expected():
    session = Session.open()
    plan = session.plan
    risk = session.risk(draws=RISK_DRAWS, seed=0).table
    a = assumptions_from(plan)
    tiles = headline_tiles(plan, risk, a)
    sentences = risk_sentences(
        plan, risk, hidden=classified_ids(session.check), assumptions=a, grouped=True
    )
    return tiles, sentences, highest_risk(risk)


def font_size(page, selector: str) -> float:
    return page.eval_on_selector(selector, "e => parseFloat(getComputedStyle(e).fontSize)")


def test_the_dashboard_presents_and_prints(browser):  # noqa: F811
    tiles, sentences, top = expected()
    with served("dashboard") as app, page_at(browser, app.url) as (page, outside):
        expect(page.locator(".wb-dashboard .wb-tile")).to_have_count(len(tiles))
        expect(page.locator(".wb-dashboard .wb-table").first).to_be_attached()
        expect(page.locator(".wb-charts img").nth(3)).to_be_attached()  # four charts
        for tile in tiles:
            box = page.locator(f".wb-tile-{tile.key}")
            expect(box.locator(".wb-tile-value")).to_have_text(tile.value)
            expect(box.locator(".wb-tile-label")).to_have_text(tile.label)

        # Tiles first, then the charts, then the tables: in the page and on the screen.
        order = page.evaluate(
            """() => {
                const first = (s) => document.querySelector(s);
                const after = (a, b) => !!(first(a).compareDocumentPosition(first(b))
                    & Node.DOCUMENT_POSITION_FOLLOWING);
                const top = (s) => first(s).getBoundingClientRect().top;
                return {
                    tilesBeforeTable: after(".wb-tile", ".wb-table"),
                    tilesBeforeChart: after(".wb-tile", ".wb-charts img"),
                    chartBeforeTable: after(".wb-charts img", ".wb-table"),
                    tileAbove: top(".wb-tile") < top(".wb-table"),
                };
            }"""
        )
        assert all(order.values()), order

        # The highest chance of exceeding a ceiling, as a percentage, in its tile and in words.
        risk_tile = page.locator(".wb-tile-risk .wb-tile-value")
        expect(risk_tile).to_have_text(percent(float(top["p_exceed"])))
        assert re.fullmatch(r"\d+%", risk_tile.inner_text())
        first = page.locator(".wb-risk-sentence").first
        expect(first).to_have_text(sentences[0])
        assert (
            f"约{round(float(top['p_exceed']) * 100)}%"
            in page.locator(".wb-narrative").inner_text()
        )
        expect(page.locator(".wb-risk-sentence")).to_have_count(len(sentences))
        # The table of chances: every cell of its column a whole percentage.
        header = REPORT_LABELS["p_exceed"]
        table = page.locator(".wb-tables .wb-table", has=page.locator(f"th:text-is('{header}')"))
        expect(table).to_have_count(1)
        column = table.locator("th").all_inner_texts().index(header)
        cells = table.locator(f"tbody tr td:nth-child({column + 1})").all_inner_texts()
        assert cells and all(re.fullmatch(r"\d+%", c) for c in cells), cells

        text = page.locator("body").inner_text()
        assert not [word for word in JARGON if word in text]
        assert not RAW_SHARE.findall(text), RAW_SHARE.findall(text)
        assert "分发版" in text
        shot(page, "dashboard-tiles")

        # Presentation mode: on with the button (controls hidden, tiles larger), off again.
        before = font_size(page, ".wb-tile-value")
        page.locator("button.wb-present").click()
        expect(page.locator("html")).to_have_class(re.compile(r"\bwb-presenting\b"))
        expect(page.locator("button.wb-print")).to_be_hidden()
        expect(page.locator("button.wb-present")).to_have_text(APP_LABELS["dashboard_present_exit"])
        assert font_size(page, ".wb-tile-value") > before
        shot(page, "dashboard-present")
        page.locator("button.wb-present").click()
        expect(page.locator("html")).not_to_have_class(re.compile(r"\bwb-presenting\b"))
        expect(page.locator("button.wb-print")).to_be_visible()
        assert font_size(page, ".wb-tile-value") == before

        # Print: no buttons, tables unclipped (their scroll boxes open), then a real PDF.
        page.emulate_media(media="print")
        expect(page.locator(".wb-toolbar")).to_be_hidden()
        expect(page.locator(".wb-tile").first).to_be_visible()
        expect(page.locator(".wb-charts img").first).to_be_visible()
        overflow = page.eval_on_selector(".wb-scroll", "e => getComputedStyle(e).overflowY")
        assert overflow == "visible"
        tables = page.eval_on_selector(".wb-tables", "e => getComputedStyle(e).breakBefore")
        assert tables == "page"
        ARTIFACTS.mkdir(exist_ok=True)
        pdf = page.pdf(
            path=str(ARTIFACTS / "dashboard.pdf"), print_background=True, prefer_css_page_size=True
        )
        assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
        # A4 landscape, as the page's print style asks, and more than the first screen: the
        # whole dashboard flows onto the pages, the tables from a page of their own.
        boxes = {tuple(float(v) for v in box.split()) for box in MEDIA_BOX.findall(pdf)}
        assert {(round(w), round(h)) for *_, w, h in boxes} == {(842, 595)}, boxes
        assert len(PAGE.findall(pdf)) >= 3
        assert (ARTIFACTS / "dashboard.pdf").stat().st_size == len(pdf)
        assert outside == [], outside
