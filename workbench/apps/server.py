"""``workbench app [NAME]``: one Voilà app served offline, to those given its address.

- Only the named notebook is served (no file browser), with its source hidden and tracebacks
  kept in the server log instead of the page.
- Access needs a random token (``secrets``), carried in the printed address as Jupyter does.
  Voilà reads it from ``JUPYTER_TOKEN`` in its environment: a command line is visible to every
  local account (``ps``), a process's environment only to its owner.
- 127.0.0.1 by default; another ``host`` (the meeting room's network) is refused without a
  token, as Jupyter refuses it, and the address then travels in plain HTTP.
- The ``workbench`` template (``apps/jupyter/voila/templates``) is Voilà's lab template without
  its CDN links; nothing on the page asks for an address outside the server. It also refuses a
  checker upload over ``UPLOAD_LIMIT_BYTES`` before sending it.
- Each page load starts a kernel; kernels idle for ``cull_idle`` seconds after their page closed
  are shut down, so that a day of meetings does not fill the memory.
- Ctrl-C, SIGTERM (a service manager's stop) and SIGHUP (the terminal closed) stop Voilà and
  its kernels (``stop_on_signals``, ``stop``).
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from workbench.apps import (
    ENV_DB,
    ENV_INPUT,
    ENV_INTERNAL,
    ENV_SCENARIO,
    ENV_SCENARIOS_DIR,
    ENV_YEAR,
    UPLOAD_LIMIT_BYTES,
)
from workbench.policy.pack import models_dir

APPS = {
    "explorer": "情景推演",
    "checker": "申报自查",
    "dashboard": "计划汇报",
    "register": "项目库",
}
DEFAULT_APP = "explorer"
LOOPBACK = "127.0.0.1"
CULL_IDLE_SECONDS = 600
CULL_INTERVAL_SECONDS = 60
TEMPLATE = "workbench"
START_TIMEOUT_SECONDS = 60
STOP_TIMEOUT_SECONDS = 10
ENV_TOKEN = "JUPYTER_TOKEN"  # jupyter_server's IdentityProvider reads it (Voilà ``auto_token``)
# A websocket message carries the upload with the Jupyter message around it (header, the
# files' names and sizes): the server's limit is the upload's plus room for that envelope, so
# that an upload the page lets through is never cut off in transit.
MESSAGE_ENVELOPE_BYTES = 1024 * 1024
WEBSOCKET_LIMIT_BYTES = UPLOAD_LIMIT_BYTES + MESSAGE_ENVELOPE_BYTES
STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class AppError(ValueError):
    """An unknown app name, a server that did not start, or one that would be open to the
    network without a token; the message is Chinese."""


class StopSignal(KeyboardInterrupt):
    """SIGTERM or SIGHUP, handled where Ctrl-C is."""


def apps_dir() -> Path:
    """``voila_apps/`` beside ``models/`` (a checkout), or the installed copy."""
    return models_dir().parent / "voila_apps"


def template_root() -> Path:
    """The Jupyter data folder that holds the ``workbench`` Voilà template."""
    return Path(__file__).resolve().parent / "jupyter"


def is_app_name(name: str) -> bool:
    """An app's key (``checker``) or Chinese name (``申报自查``)."""
    return name in APPS or name in APPS.values()


def notebook_for(name: str) -> Path:
    title = APPS.get(name, name)
    if title not in APPS.values():
        from workbench.labels import APP_LABELS

        choices = "、".join(f"{k}（{v}）" for k, v in APPS.items())
        raise AppError(APP_LABELS["unknown_app"].format(name=name, choices=choices))
    return apps_dir() / f"{title}.ipynb"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    return secrets.token_urlsafe(32)


def _is_wildcard(host: str) -> bool:
    return host in ("", "0.0.0.0", "::")


def _connect_host(host: str) -> str:
    """Where this machine reaches a server listening on ``host``."""
    if host == "::":
        return "::1"
    return LOOPBACK if _is_wildcard(host) else host


def page_url(host: str, port: int, token: str) -> str:
    """The address to give: the machine's name for a server on every interface."""
    shown = socket.gethostname() if _is_wildcard(host) else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/" + (f"?token={token}" if token else "")


def free_port(host: str = LOOPBACK) -> int:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as s:
        s.bind((host or "0.0.0.0", 0))
        return int(s.getsockname()[1])


def voila_command(
    notebook: Path,
    port: int,
    *,
    host: str = LOOPBACK,
    token: bool = True,
    cull_idle: int = CULL_IDLE_SECONDS,
    cull_interval: int | None = None,
) -> list[str]:
    """Voilà's command line; with ``token``, Voilà takes it from ``ENV_TOKEN``."""
    if cull_interval is None:  # a short idle limit is checked as often as it needs
        cull_interval = min(CULL_INTERVAL_SECONDS, max(1, cull_idle // 2))
    tornado = json.dumps({"websocket_max_message_size": WEBSOCKET_LIMIT_BYTES})
    return [
        sys.executable,
        "-m",
        "voila",
        str(notebook),
        "--no-browser",
        f"--port={port}",
        f"--Voila.ip={host}",
        "--Voila.port_retries=0",  # the port asked for, or no server: never another one
        f"--Voila.auto_token={token}",  # the token itself comes from the environment
        f"--Voila.tornado_settings={tornado}",
        f"--template={TEMPLATE}",
        "--strip_sources=True",
        "--show_tracebacks=False",
        f"--MappingKernelManager.cull_idle_timeout={cull_idle}",
        f"--MappingKernelManager.cull_interval={cull_interval}",
        "--MappingKernelManager.cull_connected=False",
    ]


def app_environment(
    input_dir: str | None = None,
    plan_year: int | None = None,
    scenario: str | None = None,
    *,
    token: str = "",
    internal: bool = False,
    db: str | None = None,
    scenarios_dir: str | None = None,
) -> dict[str, str]:
    env = dict(os.environ)
    paths = [str(template_root()), *filter(None, env.get("JUPYTER_PATH", "").split(os.pathsep))]
    env["JUPYTER_PATH"] = os.pathsep.join(paths)
    # A checkout's kernels import the workbench that serves them, not another copy installed
    # elsewhere (a kernel starts in voila_apps/, where the checkout's package is not on the path).
    root = Path(__file__).resolve().parents[2]
    if (root / "pyproject.toml").is_file():
        python_path = [str(root), *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
        env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(python_path))
    env[ENV_INPUT] = str(Path(input_dir).resolve()) if input_dir else ""
    env[ENV_YEAR] = str(plan_year or "")
    env[ENV_SCENARIO] = scenario or ""
    env[ENV_INTERNAL] = "1" if internal else ""
    env[ENV_DB] = _register_url(db)
    env[ENV_SCENARIOS_DIR] = str(Path(scenarios_dir).resolve()) if scenarios_dir else ""
    env.pop("JUPYTER_TOKEN_FILE", None)
    env[ENV_TOKEN] = token
    return env


def _register_url(db: str | None) -> str:
    """``--db`` as the kernel must read it: a kernel starts in ``voila_apps/``, so an SQLite file
    is named by its absolute path (the password of a server's address stays in the environment,
    which only the owner reads)."""
    if not db:
        return ""
    from workbench.register.db import database_url

    return database_url(db).render_as_string(hide_password=False)


def wait_for_port(
    port: int, process: subprocess.Popen, timeout: float, host: str = LOOPBACK
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        with contextlib.suppress(OSError), socket.create_connection((_connect_host(host), port), 1):
            return
        time.sleep(0.2)
    from workbench.labels import APP_LABELS

    raise AppError(APP_LABELS["not_started"].format(port=port))


def start(
    name: str = DEFAULT_APP,
    *,
    port: int | None = None,
    host: str = LOOPBACK,
    token: str | None = None,
    internal: bool = False,
    input_dir: str | None = None,
    plan_year: int | None = None,
    scenario: str | None = None,
    cull_idle: int = CULL_IDLE_SECONDS,
    cull_interval: int | None = None,
    quiet: bool = False,
    db: str | None = None,
    scenarios_dir: str | None = None,
) -> tuple[subprocess.Popen, str]:
    """Start Voilà on the app; returns the process and the page's address (with its token)
    once it answers. ``token`` is a new random one unless given; an empty token is accepted
    on the loopback interface only."""
    token = new_token() if token is None else token
    if not token and not is_loopback(host):
        from workbench.labels import APP_LABELS

        raise AppError(APP_LABELS["host_needs_token"].format(host=host))
    notebook = notebook_for(name)
    port = port or free_port(host)
    command = voila_command(
        notebook,
        port,
        host=host,
        token=bool(token),
        cull_idle=cull_idle,
        cull_interval=cull_interval,
    )
    process = subprocess.Popen(
        command,
        env=app_environment(
            input_dir,
            plan_year,
            scenario,
            token=token,
            internal=internal,
            db=db,
            scenarios_dir=scenarios_dir,
        ),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL if quiet else None,
        stderr=subprocess.DEVNULL if quiet else None,
        start_new_session=True,  # Ctrl-C reaches us; we stop Voilà and its kernels in order
    )
    try:
        wait_for_port(port, process, START_TIMEOUT_SECONDS, host)
    except BaseException:  # not started, or Ctrl-C / SIGTERM / SIGHUP while starting
        stop(process)
        raise
    return process, page_url(host, port, token)


def serving_message(name: str, url: str, host: str, internal: bool) -> str:
    """What ``workbench app`` prints once the app answers."""
    from workbench.labels import APP_LABELS

    key = "serving" if is_loopback(host) else "serving_network"
    lines = [APP_LABELS[key].format(title=APPS.get(name, name), url=url)]
    if internal:
        lines.append(APP_LABELS["serving_internal"])
    return "\n".join(lines)


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """Inside, SIGTERM and SIGHUP raise :class:`StopSignal` (a ``KeyboardInterrupt``), so that
    whatever stops Voilà on Ctrl-C stops it on them too. A signal already ignored stays so
    (``nohup workbench app`` outlives its terminal)."""

    def handler(signum: int, _frame: object) -> None:
        raise StopSignal(signum)

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {
        sig: signal.signal(sig, handler)
        for sig in STOP_SIGNALS
        if signal.getsignal(sig) is not signal.SIG_IGN
    }
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


@contextlib.contextmanager
def _signals_ignored() -> Iterator[None]:
    """A second Ctrl-C (or SIGTERM) while stopping must not leave Voilà half-stopped."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, *STOP_SIGNALS)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _descendants(process: subprocess.Popen) -> list:
    """Voilà's kernels: jupyter_client starts each in a session of its own, outside Voilà's
    process group, so they are found by parentage."""
    import psutil

    try:
        return psutil.Process(process.pid).children(recursive=True)
    except psutil.Error:
        return []


def stop(process: subprocess.Popen, timeout: float = STOP_TIMEOUT_SECONDS) -> None:
    """Stop Voilà (SIGINT, as Ctrl-C would: it shuts its kernels down), then kill its process
    group and any kernel that lingers."""
    if process.poll() is not None:
        return
    import psutil

    kernels = _descendants(process)
    with _signals_ignored():
        try:
            if os.name == "posix":
                os.killpg(process.pid, signal.SIGINT)
            else:
                process.terminate()
            process.wait(timeout)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            if os.name == "posix":
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
            process.wait()  # a killed process always ends; a bound here could only raise
        for kernel in kernels:
            with contextlib.suppress(psutil.Error):
                kernel.kill()  # psutil checks it is still the same process before killing
        psutil.wait_procs(kernels, timeout=timeout)
