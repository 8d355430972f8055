"""``workbench app [NAME]``: one Voilà app served on 127.0.0.1, offline.

- Only the named notebook is served (no file browser), with its source hidden and tracebacks
  kept in the server log instead of the page.
- The ``workbench`` template (``apps/jupyter/voila/templates``) is Voilà's lab template without
  its CDN links; nothing on the page asks for an address outside the server.
- Each page load starts a kernel; kernels idle for ``cull_idle`` seconds after their page closed
  are shut down, so that a day of meetings does not fill the memory.
- Ctrl-C stops Voilà and its kernels.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from workbench.apps import ENV_INPUT, ENV_SCENARIO, ENV_YEAR
from workbench.policy.pack import models_dir

APPS = {"explorer": "情景推演", "checker": "申报自查", "dashboard": "计划汇报"}
DEFAULT_APP = "explorer"
CULL_IDLE_SECONDS = 600
CULL_INTERVAL_SECONDS = 60
TEMPLATE = "workbench"
START_TIMEOUT_SECONDS = 60


class AppError(ValueError):
    """An unknown app name, or a server that did not start; the message is Chinese."""


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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def voila_command(
    notebook: Path,
    port: int,
    *,
    cull_idle: int = CULL_IDLE_SECONDS,
    cull_interval: int = CULL_INTERVAL_SECONDS,
) -> list[str]:
    return [
        sys.executable,
        "-m",
        "voila",
        str(notebook),
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        f"--template={TEMPLATE}",
        "--strip_sources=True",
        "--show_tracebacks=False",
        f"--MappingKernelManager.cull_idle_timeout={cull_idle}",
        f"--MappingKernelManager.cull_interval={cull_interval}",
        "--MappingKernelManager.cull_connected=False",
    ]


def app_environment(
    input_dir: str | None = None, plan_year: int | None = None, scenario: str | None = None
) -> dict[str, str]:
    env = dict(os.environ)
    paths = [str(template_root()), *filter(None, env.get("JUPYTER_PATH", "").split(os.pathsep))]
    env["JUPYTER_PATH"] = os.pathsep.join(paths)
    env[ENV_INPUT] = str(Path(input_dir).resolve()) if input_dir else ""
    env[ENV_YEAR] = str(plan_year or "")
    env[ENV_SCENARIO] = scenario or ""
    return env


def wait_for_port(port: int, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    from workbench.labels import APP_LABELS

    raise AppError(APP_LABELS["not_started"].format(port=port))


def start(
    name: str = DEFAULT_APP,
    *,
    port: int | None = None,
    input_dir: str | None = None,
    plan_year: int | None = None,
    scenario: str | None = None,
    cull_idle: int = CULL_IDLE_SECONDS,
    cull_interval: int = CULL_INTERVAL_SECONDS,
    quiet: bool = False,
) -> tuple[subprocess.Popen, str]:
    """Start Voilà on the app; returns the process and the page's address once it answers."""
    notebook = notebook_for(name)
    port = port or free_port()
    process = subprocess.Popen(
        voila_command(notebook, port, cull_idle=cull_idle, cull_interval=cull_interval),
        env=app_environment(input_dir, plan_year, scenario),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL if quiet else None,
        stderr=subprocess.DEVNULL if quiet else None,
        start_new_session=True,  # Ctrl-C reaches us; we stop Voilà and its kernels in order
    )
    try:
        wait_for_port(port, process, START_TIMEOUT_SECONDS)
    except AppError:
        stop(process)
        raise
    return process, f"http://127.0.0.1:{port}/"


def stop(process: subprocess.Popen, timeout: float = 10) -> None:
    """Stop Voilà (SIGINT, as Ctrl-C would), then its whole process group if it lingers."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGINT) if os.name == "posix" else process.terminate()
        process.wait(timeout)
    except (subprocess.TimeoutExpired, ProcessLookupError):
        if os.name == "posix":
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
        process.wait(timeout)
