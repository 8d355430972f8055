"""A PDF of the HTML report, printed by headless Chromium where one is installed (Debian's
``chromium``; ``$WORKBENCH_CHROMIUM`` names another). Chromium is started offline: no
background networking, no component updates, a throw-away profile."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from workbench.labels import REPORT_LABELS

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
TIMEOUT_SECONDS = 180


class PdfError(RuntimeError):
    """Chromium failed to print; the message is Chinese."""


def find_chromium() -> str | None:
    named = os.environ.get("WORKBENCH_CHROMIUM")
    if named:
        return shutil.which(named) or (named if Path(named).is_file() else None)
    return next((found for name in CANDIDATES if (found := shutil.which(name))), None)


def chromium_flags(profile: str) -> list[str]:
    flags = [
        "--headless",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-quic",
        f"--user-data-dir={profile}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags.append("--no-sandbox")  # Chromium refuses to start as root with its sandbox
    return flags


def html_to_pdf(html: str | Path, pdf: str | Path, chromium: str | None = None) -> Path:
    """Print ``html`` to ``pdf`` (A4 landscape, as the page's CSS asks)."""
    browser = chromium or find_chromium()
    if browser is None:
        raise PdfError(REPORT_LABELS["no_chromium"])
    html, pdf = Path(html).resolve(), Path(pdf).resolve()
    pdf.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="workbench-chromium-") as profile:
        command = [
            browser,
            *chromium_flags(profile),
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            html.as_uri(),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PdfError(REPORT_LABELS["pdf_failed"].format(error=exc)) from exc
    if done.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        tail = (done.stderr or "").strip().splitlines()[-3:]
        raise PdfError(REPORT_LABELS["pdf_failed"].format(error=" ".join(tail)))
    return pdf
