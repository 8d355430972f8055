"""The Voilà apps in a real browser: `workbench app` serves each on 127.0.0.1 and Playwright
drives the system Chromium headless (no browser is downloaded) to the address it printed, token
included. Every request the page makes is intercepted: anything not addressed to the local
server is recorded and refused, and the test fails on it. Screenshots are saved in
test-artifacts/. Skipped where Chromium is absent, except in CI (`CI=true`), which installs it.

Waits are Playwright's expectations and conditions, never fixed sleeps; with
``WORKBENCH_TEST_STRESS=1`` every core is kept busy meanwhile (``test_app_server.cpu_burner``)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect
from test_app_server import Launched, launch, stress, wait_until  # noqa: F401 - stress: a fixture

from workbench.apps import UPLOAD_LIMIT_BYTES
from workbench.apps.server import WEBSOCKET_LIMIT_BYTES

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
IN_CI = os.environ.get("CI") == "true"
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")
TIMEOUT_MS = 90_000
expect.set_options(timeout=TIMEOUT_MS)

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
def served(name: str, *args: str) -> Iterator[Launched]:
    """``workbench app NAME ARGS``, stopped (SIGTERM) on leaving."""
    with tempfile.TemporaryDirectory() as folder, launch(name, *args, folder=Path(folder)) as app:
        yield app


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
    # The page arrives as its cells run (seconds, more on a loaded machine): wait for the
    # widgets, not for the load event.
    page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    try:
        yield page, outside
    finally:
        page.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def wait_text(page, selector: str, text: str) -> None:
    """The first element ``selector`` matches (a widget's, before any inside it) shows ``text``."""
    expect(page.locator(selector).first).to_contain_text(text)


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
    c = x.session.check.candidates
    secret_names = list(c.loc[c["classified"].isin(["是", "部分"]), "name"])
    x.set_ceiling("市本级", 2027, Decimal(12000))
    lowered_headline = x.headline()

    with served("explorer") as app, page_at(browser, app.url) as (page, outside):
        wait_text(page, ".wb-headline", base_headline)
        expect(page.locator(".wb-ceiling-2027 input")).to_be_visible()
        assert page.locator("[class*='wb-weight-']").count() >= 8
        expect(page.locator("[class*='wb-toggle-'] input[type=checkbox]")).to_have_count(5)
        shot(page, "explorer")
        table_before = page.locator(".wb-plan-table").inner_text()
        # Served without --internal: classified projects' names are withheld.
        assert secret_names and "【涉密项目】" in table_before
        assert not any(n in page.locator("body").inner_text() for n in secret_names)

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
        expect(row).to_contain_text("强制纳入")
        expect(row).to_contain_text("市委专题会议要求")
        wait_text(page, ".wb-forced", pid)
        shot(page, "explorer-forced")
        assert outside == [], outside


def choose_files(page, *paths: Path) -> None:
    with page.expect_file_chooser(timeout=TIMEOUT_MS) as chooser:
        page.locator(".wb-upload").click()
    chooser.value.set_files([str(p) for p in paths])


def test_intake_checker_shows_a_broken_upload(browser, tmp_path):
    from workbench.data import sample_candidates

    lines = sample_candidates().read_text(encoding="utf-8-sig").splitlines()
    broken = tmp_path / "市教育局申报表.csv"
    bad = lines[1].replace(",建设类,", ",建设项目,", 1)
    broken.write_text("\n".join([lines[0], bad, lines[2]]) + "\n", encoding="utf-8")
    large = tmp_path / "大表.csv"
    large.write_bytes(b"0" * (UPLOAD_LIMIT_BYTES + 1))

    with served("checker", "--year", "2027") as app, page_at(browser, app.url) as (page, outside):
        sent: list[int] = []
        page.on("websocket", lambda ws: ws.on("framesent", lambda frame: sent.append(len(frame))))
        expect(page.locator(".wb-upload")).to_be_visible()
        expect(page.locator(".wb-upload-limit")).to_contain_text("不超过10.0MB")

        # Over the limit: refused in the page, with the limit, and never sent.
        choose_files(page, large, broken)
        wait_text(page, ".wb-upload-refused", "文件“大表.csv”10.0MB，超过10.0MB的上限，未上传")

        choose_files(page, broken)
        wait_text(page, ".wb-rejected", "市教育局申报表.csv")
        expect(page.locator(".wb-rejected")).to_contain_text("建设项目")
        expect(page.locator(".wb-rejected")).to_contain_text("项目类型")
        wait_text(page, ".wb-status", "未受理1行")
        expect(page.locator(".wb-upload-refused")).to_have_text("")
        expect(page.locator(".wb-findings")).to_contain_text("第十五条")
        wait_text(page, ".wb-status", "第六条第（五）项")  # what waits for the registry
        expect(page.locator(".wb-annotated a[download]")).to_have_count(1)
        assert max(sent) < UPLOAD_LIMIT_BYTES, max(sent)
        shot(page, "checker")
        assert outside == [], outside


def test_the_server_limit_says_so_in_the_page(browser):
    """A message over the server's websocket limit (a page whose own check was bypassed) is
    cut off by the server, and the page says why, with the limit."""
    with served("checker", "--year", "2027") as app, page_at(browser, app.url) as (page, _):
        expect(page.locator(".wb-upload")).to_be_visible()
        page.evaluate(
            """async (size) => {
                const config = JSON.parse(
                    document.getElementById("jupyter-config-data").textContent);
                const url = location.origin.replace(/^http/, "ws") + config.baseUrl
                    + "api/kernels/" + config.kernelId + "/channels";
                const socket = new WebSocket(url);
                await new Promise((resolve) => socket.addEventListener("open", resolve));
                socket.send(new Uint8Array(size));
            }""",
            WEBSOCKET_LIMIT_BYTES + 1,
        )
        wait_text(page, ".wb-upload-refused", "上传内容超过10.0MB的上限，服务器已断开连接")


def test_plan_dashboard(browser):
    with served("dashboard") as app, page_at(browser, app.url) as (page, outside):
        dashboard = page.locator(".wb-dashboard")
        for text in ("计划汇总", "多年度资金需求", "较不利情形", "分发版"):
            expect(dashboard).to_contain_text(text)
        expect(page.locator(".wb-dashboard img").nth(3)).to_be_attached()  # 4 charts or more
        shot(page, "dashboard")
        assert outside == [], outside


def test_register_app_on_a_register_given_with_db(browser, tmp_path):
    from workbench.register.demo import write_demo
    from workbench.register.views import open_views

    db = tmp_path / "项目库.sqlite"
    write_demo(str(db))
    with open_views(str(db), "2026-10-12") as views:  # what the page should show on that day
        counts = views.counts_line()
    header = "项目编号,事件,日期,金额(万元),说明\n"
    good = tmp_path / "验收登记.csv"
    good.write_text(header + "SB2027-0046,初步验收,2026-10-10,,按期验收\n", encoding="utf-8")
    bad = tmp_path / "有误的事件表.csv"
    bad.write_text(header + "SB2027-0046,初步验收,2026-13-10,,\n", encoding="utf-8")
    large = tmp_path / "大表.csv"
    large.write_bytes(b"0" * (UPLOAD_LIMIT_BYTES + 1))

    with served("register", "--db", str(db)) as app, page_at(browser, app.url) as (page, outside):
        register = page.locator(".wb-register")
        expect(register).to_contain_text(str(db))  # the register given, not the demo's copy
        day = page.locator(".wb-as-of input")
        day.fill("2026-10-12")
        day.dispatch_event("change")
        wait_text(page, ".wb-headline", counts)
        expect(page.locator(".wb-overdue")).to_contain_text("第三十八条")
        expect(page.locator(".wb-stages")).to_contain_text("按申报单位")

        page.get_by_role("tab", name="项目经历").click()
        expect(page.locator(".wb-timeline")).to_contain_text("register_events.csv 第")

        page.get_by_role("tab", name="导入事件表").click()
        expect(page.locator(".wb-upload-limit")).to_contain_text("不超过10.0MB")
        choose_files(page, large)
        wait_text(page, ".wb-upload-refused", "文件“大表.csv”10.0MB，超过10.0MB的上限，未上传")
        choose_files(page, bad)
        wait_text(page, ".wb-rejected", "有误的事件表.csv")
        expect(page.locator(".wb-rejected")).to_contain_text("2026-13-10")
        wait_text(page, ".wb-status", "未受理1行")
        choose_files(page, good)
        wait_text(page, ".wb-status", "新增事件1条")
        expect(page.locator(".wb-accepted")).to_contain_text("验收登记.csv")
        shot(page, "register")
        assert outside == [], outside
    with open_views(str(db), "2026-10-12") as views:  # recorded in the register itself
        assert views.counts_line() != counts


def test_idle_kernels_are_culled(browser):
    # The idle limit must outlast the moment between the page's cells having run and its
    # widgets connecting (seconds on a loaded machine): a kernel idle and unconnected for
    # longer is culled before its page shows. A kernel that has exited but is not yet reaped
    # is a zombie: culled, not running (Launched.kernels reads each process defensively).
    with served("checker", "--year", "2027", "--cull-idle", "20") as app:
        with page_at(browser, app.url) as (page, _):
            expect(page.locator(".wb-upload")).to_be_visible()
            assert len(app.kernels()) == 1
        wait_until(lambda: not app.kernels(), 120, "the idle kernel culled")
