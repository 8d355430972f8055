"""The Voilà apps in a real browser: `workbench app` serves each on 127.0.0.1 and Playwright
drives the system Chromium headless (no browser is downloaded). Every request the page makes is
intercepted: anything not addressed to the local server is recorded and refused, and the test
fails on it. Screenshots are saved in test-artifacts/. Skipped where Chromium is absent, except in
CI (`CI=true`), which installs it."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest

from workbench.apps.server import start, stop

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
IN_CI = os.environ.get("CI") == "true"
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")
TIMEOUT_MS = 90_000

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not IN_CI, reason="Chromium is not installed"
)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


@contextmanager
def served(name: str, **options: object) -> Iterator[tuple[object, str]]:
    process, url = start(name, quiet=True, **options)
    try:
        yield process, url
    finally:
        stop(process)


@contextmanager
def page_at(browser, url: str) -> Iterator[tuple[object, list[str]]]:
    """A page whose every request is checked: local ones go through, others are refused and
    recorded."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    outside: list[str] = []

    def route(r) -> None:
        if r.request.url.startswith(LOCAL):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(url)
    try:
        yield page, outside
    finally:
        page.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def text_of(page, selector: str) -> str:
    return page.inner_text(selector, timeout=TIMEOUT_MS)


def wait_text(page, selector: str, text: str) -> None:
    page.wait_for_function(
        "([s, t]) => { const e = document.querySelector(s); return e && e.innerText.includes(t); }",
        arg=[selector, text],
        timeout=TIMEOUT_MS,
    )


def test_scenario_explorer(browser):
    from workbench.apps.explorer import Explorer
    from workbench.session import Session

    # What the page should show, from the same library.
    x = Explorer(Session.open())
    base_headline = x.headline()
    cuts = x.plan.projects[
        (x.plan.projects["funding_pool"] == "市本级")
        & (x.plan.projects["status"] == "not_selected")
    ]
    pid, name = cuts.iloc[0][["project_id", "name"]]
    x.set_ceiling("市本级", 2027, Decimal(12000))
    lowered_headline = x.headline()

    with served("explorer") as (_, url), page_at(browser, url) as (page, outside):
        wait_text(page, ".wb-headline", base_headline)
        assert page.locator(".wb-ceiling-2027 input").is_visible()
        assert (
            page.locator("[class*='wb-weight-'] .slider-container, [class*='wb-weight-']").count()
            >= 8
        )
        assert page.locator("[class*='wb-toggle-'] input[type=checkbox]").count() == 5
        shot(page, "explorer")
        table_before = text_of(page, ".wb-plan-table")

        box = page.locator(".wb-ceiling-2027 input")
        box.fill("12000")
        box.press("Enter")
        wait_text(page, ".wb-headline", lowered_headline)
        # The table follows the headline in the same update.
        page.wait_for_function(
            "t => document.querySelector('.wb-plan-table').innerText !== t",
            arg=table_before,
            timeout=TIMEOUT_MS,
        )

        page.locator(".wb-project select").select_option(label=f"{pid} {name}")
        page.locator(".wb-reason input").fill("市委专题会议要求")
        page.locator("button.wb-force-in").click()
        wait_text(page, ".wb-plan-table", "情景指定强制纳入：市委专题会议要求")
        row = page.locator(".wb-plan-table tr", has_text=pid)
        assert "强制纳入" in row.inner_text() and "市委专题会议要求" in row.inner_text()
        wait_text(page, ".wb-forced", pid)
        shot(page, "explorer-forced")
        assert outside == [], outside


def test_intake_checker_shows_a_broken_upload(browser, tmp_path):
    from workbench.data import sample_candidates

    lines = sample_candidates().read_text(encoding="utf-8-sig").splitlines()
    broken = tmp_path / "市教育局申报表.csv"
    bad = lines[1].replace(",建设类,", ",建设项目,", 1)
    broken.write_text("\n".join([lines[0], bad, lines[2]]) + "\n", encoding="utf-8")

    with served("checker", plan_year=2027) as (_, url), page_at(browser, url) as (page, outside):
        page.wait_for_selector(".wb-upload", timeout=TIMEOUT_MS)
        with page.expect_file_chooser(timeout=TIMEOUT_MS) as chooser:
            page.locator(".wb-upload").click()
        chooser.value.set_files(str(broken))
        wait_text(page, ".wb-rejected", "市教育局申报表.csv")
        rejected = text_of(page, ".wb-rejected")
        assert "建设项目" in rejected and "项目类型" in rejected
        wait_text(page, ".wb-status", "未受理1行")
        assert "第十五条" in text_of(page, ".wb-findings")
        assert "第六条第（五）项" in text_of(page, ".wb-status")  # what waits for the registry
        assert page.locator(".wb-annotated a[download]").count() == 1
        shot(page, "checker")
        assert outside == [], outside


def test_plan_dashboard(browser):
    with served("dashboard") as (_, url), page_at(browser, url) as (page, outside):
        page.wait_for_selector(".wb-dashboard", timeout=TIMEOUT_MS)
        text = text_of(page, ".wb-dashboard")
        assert "计划汇总" in text and "多年度资金需求" in text and "P90" in text
        assert page.locator(".wb-dashboard img").count() >= 4
        shot(page, "dashboard")
        assert outside == [], outside


def test_idle_kernels_are_culled(browser):
    import psutil

    def alive_kernel(child) -> bool:
        # A kernel that has exited but is not yet reaped is a zombie: culled, not running.
        try:
            return child.status() != psutil.STATUS_ZOMBIE and "ipykernel_launcher" in " ".join(
                child.cmdline()
            )
        except (psutil.ZombieProcess, psutil.NoSuchProcess):
            return False

    def kernels(process) -> int:
        children = psutil.Process(process.pid).children(recursive=True)
        return sum(alive_kernel(c) for c in children)

    with served("checker", plan_year=2027, cull_idle=2, cull_interval=1) as (process, url):
        with page_at(browser, url) as (page, _):
            page.wait_for_selector(".wb-upload", timeout=TIMEOUT_MS)
            assert kernels(process) == 1
        deadline = time.monotonic() + 60
        while kernels(process) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert kernels(process) == 0
