"""Benchmark: the Voilà apps in headless Chromium (issue #7): time to first render of each app
(page requested → its main widget shows its content), the explorer's update latency after a
ceiling change (typed → new headline shown), and the memory of one app's kernel.

    python benchmarks/bench_apps.py [--changes 10]
"""

from __future__ import annotations

import argparse
import statistics
import time

from playwright.sync_api import sync_playwright

from workbench.apps.server import start, stop

CHROMIUM = "/usr/bin/chromium"
READY = {
    "explorer": (".wb-headline", "拟安排"),
    "checker": (".wb-upload", "申报表"),
    "dashboard": (".wb-dashboard", "计划汇总"),
}


def wait_text(page, selector: str, text: str) -> None:
    page.wait_for_function(
        "([s, t]) => { const e = document.querySelector(s); return e && e.innerText.includes(t); }",
        arg=[selector, text],
        timeout=120_000,
    )


def kernel_rss_mib(process) -> float:
    import psutil

    kernels = [
        c
        for c in psutil.Process(process.pid).children(recursive=True)
        if "ipykernel_launcher" in " ".join(c.cmdline())
    ]
    return sum(k.memory_info().rss for k in kernels) / 2**20 / max(len(kernels), 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--changes", type=int, default=10)
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for name, (selector, text) in READY.items():
            process, url = start(name, quiet=True)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                t = time.perf_counter()
                page.goto(url)
                wait_text(page, selector, text)
                first = time.perf_counter() - t
                line = f"{name:10s} first render {first:5.2f} s, kernel {kernel_rss_mib(process):.0f} MiB"
                if name == "explorer":
                    latencies = []
                    box = page.locator(".wb-ceiling-2027 input")
                    for i in range(args.changes):
                        before = page.inner_text(".wb-headline")
                        box.fill(str(12_000 + 500 * (i % 6)))
                        t = time.perf_counter()
                        box.press("Enter")
                        page.wait_for_function(
                            "t => document.querySelector('.wb-headline').innerText !== t",
                            arg=before,
                            timeout=60_000,
                        )
                        latencies.append(time.perf_counter() - t)
                    line += (
                        f"; update after a ceiling change: median {statistics.median(latencies):.2f} s,"
                        f" max {max(latencies):.2f} s over {len(latencies)} changes"
                    )
                print(line, flush=True)
                page.close()
            finally:
                stop(process)
        browser.close()


if __name__ == "__main__":
    main()
