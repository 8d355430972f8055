"""``workbench pipeline``: the July sequence of analyst notebooks (``notebooks/01_…`` to
``07_…``) run with papermill on one input folder, leaving the executed notebooks and the
documents in the output folder. Each notebook reads the same parameters (plan year, input
folder, scenario, output folder, seed) from its ``parameters`` cell.

The run is one output set (workbench.outputset): the notebooks run in its staging folder and
write there (notebook 07's documents through ``$WORKBENCH_OUTPUT_STAGING``), and the executed
notebooks, the documents and ``清单.json`` appear in the output folder together when the last
notebook has run. A notebook that fails leaves the earlier set as it was; the failed notebook,
executed up to the cell that failed, is kept in ``<output folder>/.出错的笔记本``.

papermill writes string parameters with escapes such as ``\\u7533``; the translator registered here writes
them as Python literals, so that an executed notebook shows ``input_dir = '申报/2027'``.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from workbench.labels import CLI_LABELS, OUTPUT_LABELS
from workbench.outputset import STAGING_ENV, OutputSet
from workbench.policy.pack import models_dir

NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"


def notebooks_dir() -> Path:
    """``notebooks/`` beside ``models/`` (a checkout), or the installed copy."""
    return models_dir().parent / "notebooks"


def sequence(folder: Path | None = None) -> list[Path]:
    return sorted((folder or notebooks_dir()).glob(NOTEBOOK_GLOB))


def _register_readable_strings() -> None:
    from papermill.translators import PythonTranslator, papermill_translators

    class ReadablePython(PythonTranslator):
        @classmethod
        def translate_str(cls, val: str) -> str:
            return repr(val)

    papermill_translators.register("python", ReadablePython)


class PipelineError(RuntimeError):
    """A notebook failed; the message (Chinese) names it and where its partial run was left."""


def _kernel_manager_class() -> str | None:
    """On POSIX the kernels talk over Unix sockets: nothing listens on a TCP port, and ipykernel
    does not warn about unencrypted TCP. Windows has no IPC transport; it keeps TCP on loopback."""
    return f"{__name__}.IpcKernelManager" if os.name == "posix" else None


try:
    from jupyter_client.manager import AsyncKernelManager

    class IpcKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs: object) -> None:
            kwargs.setdefault("transport", "ipc")
            super().__init__(**kwargs)

except ImportError:  # pragma: no cover - jupyter_client comes with papermill
    pass


@dataclass(frozen=True)
class Step:
    notebook: Path
    seconds: float


@contextmanager
def _writing_into(target: Path, staging: Path) -> Iterator[None]:
    """Kernels started meanwhile write the output set of ``target`` into ``staging``."""
    before = os.environ.get(STAGING_ENV)
    mapping = json.loads(before) if before else {}
    os.environ[STAGING_ENV] = json.dumps({**mapping, str(target): str(staging)})
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(STAGING_ENV, None)
        else:
            os.environ[STAGING_ENV] = before


def _register_for_kernels(db: str | None) -> str:
    """``--db`` as the notebooks take it: "" without a register; an SQLite file as an absolute
    path (the kernels run in the output's staging folder); a server's address as given."""
    if db is None:
        return ""
    from workbench.register.db import database_url, is_sqlite

    url = database_url(db or None)
    if is_sqlite(url):
        return str(Path(str(url.database)).resolve())
    return url.render_as_string(hide_password=False)


def _register_described(db: str) -> str:
    if not db or "://" not in db:
        return db
    from workbench.register.db import database_url, describe

    return describe(database_url(db))


def run_pipeline(
    plan_year: int,
    input_dir: str | Path | None,
    out_dir: str | Path,
    *,
    scenario: str = "base",
    seed: int = 0,
    scores: str | Path | None = None,
    db: str | None = None,
    kernel_name: str | None = None,
    progress: bool = False,
) -> list[Step]:
    """Execute every notebook of the sequence in order; stops at the first that fails
    (papermill's error names the cell). The steps name the executed notebooks where they are
    once the set is in place."""
    import papermill as pm

    _register_readable_strings()
    out = Path(out_dir).resolve()
    parameters = {
        "plan_year": int(plan_year),
        "input_dir": "" if not input_dir else str(Path(input_dir).resolve()),
        "scenario": scenario,
        "out_dir": str(out),
        "seed": int(seed),
        "scores": "" if not scores else str(Path(scores).resolve()),
        "db": _register_for_kernels(db),
    }
    # The manifest names the register without its password (a server's address).
    recorded = {**parameters, "db": _register_described(parameters["db"])}
    failed = out / OUTPUT_LABELS["failed_notebooks"]
    steps = []
    with OutputSet(out, kind="pipeline", parameters=recorded) as staged:
        shutil.rmtree(failed, ignore_errors=True)  # an earlier run's; this run is under the lock
        executed = staged.path("notebooks")
        executed.mkdir(exist_ok=True)
        with _writing_into(out, staged.folder):
            for notebook in sequence():
                start = time.perf_counter()
                try:
                    pm.execute_notebook(
                        str(notebook),
                        str(executed / notebook.name),
                        parameters=parameters,
                        kernel_name=kernel_name,
                        cwd=str(staged.folder),
                        progress_bar=progress,
                        language="python",
                        **({"kernel_manager_class": km} if (km := _kernel_manager_class()) else {}),
                    )
                except pm.PapermillExecutionError as exc:
                    failed.mkdir(exist_ok=True)
                    kept = failed / notebook.name
                    shutil.copyfile(executed / notebook.name, kept)
                    raise PipelineError(
                        CLI_LABELS["pipeline_failed"].format(
                            name=notebook.stem, path=kept, error=f"{exc.ename}: {exc.evalue}"
                        )
                    ) from exc
                steps.append(Step(executed / notebook.name, time.perf_counter() - start))
    return [Step(staged.final(step.notebook), step.seconds) for step in steps]


__all__ = ["PipelineError", "Step", "notebooks_dir", "run_pipeline", "sequence"]
