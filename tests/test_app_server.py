"""`workbench app` as a process: the random token in the printed address (a request without it
is refused), the host rule, the server's upload limit, and Ctrl-C, SIGTERM and SIGHUP stopping
Voilà and every kernel.

Every wait is on a condition with a bound, never a fixed sleep; processes are read defensively
(one may exit, or linger as a zombie, between listing and reading it). With
``WORKBENCH_TEST_STRESS=1`` a busy loop runs on every core during these tests and the browser
tests (``cpu_burner``), as on a loaded machine. The browser tests start the apps with
``launch`` too, so that they open the printed address."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import psutil
import pytest

from workbench.apps import UPLOAD_LIMIT_BYTES
from workbench.apps.server import (
    START_TIMEOUT_SECONDS,
    WEBSOCKET_LIMIT_BYTES,
    AppError,
    StopSignal,
    is_loopback,
    page_url,
    serving_message,
    start,
    stop,
    stop_on_signals,
)

ROOT = Path(__file__).resolve().parent.parent
STRESS = os.environ.get("WORKBENCH_TEST_STRESS") == "1"
PRINTED = re.compile(r"http://(?P<host>[^/:\s]+):(?P<port>\d+)/\?token=(?P<token>[\w-]+)")
# Voilà's own shutdown takes a few seconds; far more on a loaded machine (a full suite beside
# the 20-run stress loop and its busy loops, load average 7 on 2 cores, once took over 60 s).
STOP_BOUND_SECONDS = 120
T = TypeVar("T")


@contextlib.contextmanager
def cpu_burner() -> Iterator[None]:
    """With ``WORKBENCH_TEST_STRESS=1``: a busy loop on every core while inside."""
    if not STRESS:
        yield
        return
    burners = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"])
        for _ in range(os.cpu_count() or 2)
    ]
    try:
        yield
    finally:
        for burner in burners:
            burner.kill()
        for burner in burners:
            burner.wait()


@pytest.fixture(scope="module", autouse=True)
def stress() -> Iterator[None]:
    with cpu_burner():
        yield


def wait_until(condition: Callable[[], T], timeout: float, what: str) -> T:
    """``condition()``'s first true value, polled until ``timeout`` seconds have passed."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(0.1)


def alive(process: psutil.Process) -> bool:
    """Running, and not a zombie (exited, waiting to be reaped)."""
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except (psutil.NoSuchProcess, psutil.ZombieProcess):
        return False
    except psutil.AccessDenied:
        return True


def family(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []


def is_kernel(process: psutil.Process) -> bool:
    try:
        return "ipykernel_launcher" in " ".join(process.cmdline())
    except psutil.Error:
        return False


def group_members(pgid: int) -> list[int]:
    """Live processes of the process group ``pgid``."""
    members = []
    for process in psutil.process_iter():
        with contextlib.suppress(psutil.Error, OSError):
            if os.getpgid(process.pid) == pgid and alive(process):
                members.append(process.pid)
    return members


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Launched:
    """``workbench app`` running, with the address it printed."""

    process: subprocess.Popen
    url: str
    output: Path

    @property
    def port(self) -> int:
        return int(PRINTED.search(self.url)["port"])

    @property
    def token(self) -> str:
        return PRINTED.search(self.url)["token"]

    @property
    def base(self) -> str:
        return self.url.split("?")[0]

    def kernels(self) -> list[psutil.Process]:
        return [p for p in family(self.process.pid) if is_kernel(p) and alive(p)]

    def voila(self) -> psutil.Process:
        return next(p for p in family(self.process.pid) if not is_kernel(p))


def printed(output: Path) -> str | None:
    found = PRINTED.search(output.read_text(encoding="utf-8", errors="replace"))
    return found[0] if found else None


def _default_stop_signals() -> None:
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


@contextlib.contextmanager
def launch(*args: str, folder: Path) -> Iterator[Launched]:
    """``workbench app ARGS`` in a process of its own; yields once it printed its address, and
    stops it (SIGTERM, then by force) when still running on leaving."""
    output = folder / "workbench-app.out"
    with output.open("w", encoding="utf-8") as out, (folder / "workbench-app.err").open("w") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "workbench", "app", *args],
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            cwd=ROOT,
            start_new_session=True,
            # As from a terminal: a test run started in the background (``cmd &``, ``nohup``,
            # a CI runner) passes SIGINT and SIGHUP on ignored, and an ignored signal stays
            # ignored across exec (the app keeps an ignored SIGHUP ignored, as ``nohup`` asks).
            preexec_fn=_default_stop_signals,
        )
    try:
        url = wait_until(
            lambda: printed(output) or (process.poll() is not None and "exited"),
            START_TIMEOUT_SECONDS * 2,
            "the printed address",
        )
        assert url != "exited", output.read_text(encoding="utf-8")
        yield Launched(process, url, output)
    finally:
        if process.poll() is None:
            children = family(process.pid)
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(STOP_BOUND_SECONDS)
            except subprocess.TimeoutExpired:
                for p in [process, *children]:
                    with contextlib.suppress(psutil.Error, ProcessLookupError):
                        os.kill(p.pid, signal.SIGKILL)
                process.wait()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def status_of(url: str) -> int:
    """The HTTP status of a GET, redirects not followed (a refused request goes to /login)."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=120) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


PAGE_BOUND_SECONDS = 300


def open_page(url: str) -> str:
    """The page's HTML: rendering it starts a kernel. Voilà streams the page as it renders and
    keeps the connection open while it waits on the kernel, so a socket timeout alone never
    fires when rendering fails (a missing template once left a run waiting for 25 minutes):
    the whole read is bounded."""

    def read() -> str:
        with urllib.request.urlopen(url, timeout=180) as response:
            return response.read().decode("utf-8")

    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    try:
        return pool.submit(read).result(timeout=PAGE_BOUND_SECONDS)
    except concurrent.futures.TimeoutError:
        pytest.fail(f"the page did not render within {PAGE_BOUND_SECONDS} s: {url}")
    finally:
        pool.shutdown(wait=False)  # the read ends when the app is stopped


def test_the_printed_address_carries_a_token_and_nothing_opens_without_it(tmp_path):
    with launch("checker", "--year", "2027", folder=tmp_path) as app:
        assert app.url.startswith("http://127.0.0.1:") and len(app.token) >= 32
        assert "仅本机访问" in app.output.read_text(encoding="utf-8")
        # Not on Voilà's command line, which every local account can read (ps).
        assert app.token not in " ".join(app.voila().cmdline())
        for refused in (app.base, f"{app.base}?token=wrong", f"{app.base}api/kernels"):
            assert status_of(refused) in (302, 403), refused
        page = open_page(app.url)
        assert "jupyter-config-data" in page
        kernel = re.search(r'"kernelId": "([^"]+)"', page)[1]

        from tornado.httpclient import HTTPClientError
        from tornado.websocket import WebSocketClosedError, websocket_connect

        channels = f"ws://127.0.0.1:{app.port}/api/kernels/{kernel}/channels"

        async def without_token() -> int:
            try:
                await websocket_connect(channels)
            except HTTPClientError as error:
                return error.code
            return 101

        assert asyncio.run(without_token()) == 403

        async def over_the_limit() -> int | None:
            """The server's limit: a message over it closes the connection."""
            connection = await websocket_connect(f"{channels}?token={app.token}")
            with contextlib.suppress(WebSocketClosedError):
                await connection.write_message(b"\0" * (WEBSOCKET_LIMIT_BYTES + 1), binary=True)
            while await connection.read_message() is not None:
                pass  # kernel status messages, until the server closes
            return connection.close_code

        # Bounded as a whole: status messages could otherwise keep a per-message timeout alive.
        closed = asyncio.run(asyncio.wait_for(over_the_limit(), PAGE_BOUND_SECONDS))
        assert closed in (1009, None)  # None: cut off before the frame


def test_another_host_needs_a_token():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("10.1.2.3")
    with pytest.raises(AppError, match="令牌"):
        start("checker", host="0.0.0.0", token="")
    # As Jupyter allows it: no token on the loopback interface, from Python only (the command
    # line always sets one).
    process, url = start("checker", token="", quiet=True)
    try:
        assert "token" not in url and status_of(url) == 200
    finally:
        stop(process)
    assert page_url("0.0.0.0", 8866, "abc") == f"http://{socket.gethostname()}:8866/?token=abc"
    assert page_url("::1", 8866, "abc") == "http://[::1]:8866/?token=abc"
    message = serving_message("checker", "http://10.1.2.3:8866/?token=abc", "10.1.2.3", True)
    assert "明文" in message and "涉密" in message and "仅本机" not in message
    assert UPLOAD_LIMIT_BYTES < WEBSOCKET_LIMIT_BYTES <= UPLOAD_LIMIT_BYTES + 2**20


@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM", "SIGHUP"])
def test_a_stop_signal_stops_voila_and_every_kernel(tmp_path, sig):
    with launch("checker", "--year", "2027", folder=tmp_path) as app:
        for _ in range(2):
            open_page(app.url)
        kernels = wait_until(lambda: len(app.kernels()) == 2 and app.kernels(), 60, "2 kernels")
        voila = app.voila()
        app.process.send_signal(getattr(signal, sig))
        try:
            code = app.process.wait(STOP_BOUND_SECONDS)
        except subprocess.TimeoutExpired:
            pytest.fail(f"not stopped: {app.output.read_text(encoding='utf-8')[-2000:]}")
        assert code == 0, app.output.read_text(encoding="utf-8")[-2000:]
        wait_until(lambda: not any(alive(p) for p in [voila, *kernels]), 30, "Voilà and kernels")
        wait_until(lambda: not group_members(voila.pid), 30, "Voilà's process group")
        wait_until(lambda: not port_open(app.port), 30, "the port closed")
        assert "已停止" in app.output.read_text(encoding="utf-8")


def test_an_ignored_hangup_stays_ignored():
    """``nohup workbench app`` outlives its terminal: an ignored SIGHUP is left ignored."""
    before = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    term = signal.getsignal(signal.SIGTERM)
    try:
        with stop_on_signals():
            assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
            assert signal.getsignal(signal.SIGTERM) not in (signal.SIG_IGN, term)
            with pytest.raises(StopSignal):
                os.kill(os.getpid(), signal.SIGTERM)
                wait_until(lambda: False, 10, "SIGTERM delivered")
        assert signal.getsignal(signal.SIGTERM) is term
    finally:
        signal.signal(signal.SIGHUP, before)
