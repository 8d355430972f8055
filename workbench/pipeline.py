"""``workbench pipeline``: the July sequence of analyst notebooks (``notebooks/01_…`` to
``07_…``) run with papermill on one input folder, leaving the executed notebooks and the
documents in the output folder. Each notebook reads the same parameters (plan year, input
folder, scenario, output folder, seed) from its ``parameters`` cell.

papermill writes string parameters with escapes such as ``\\u7533``; the translator registered here writes
them as Python literals, so that an executed notebook shows ``input_dir = '申报/2027'``.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from workbench.labels import CLI_LABELS
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


def run_pipeline(
    plan_year: int,
    input_dir: str | Path | None,
    out_dir: str | Path,
    *,
    scenario: str = "base",
    seed: int = 0,
    scores: str | Path | None = None,
    kernel_name: str | None = None,
    progress: bool = False,
) -> list[Step]:
    """Execute every notebook of the sequence in order; stops at the first that fails
    (papermill's error names the cell)."""
    import papermill as pm

    _register_readable_strings()
    out = Path(out_dir).resolve()
    executed = out / "notebooks"
    executed.mkdir(parents=True, exist_ok=True)
    parameters = {
        "plan_year": int(plan_year),
        "input_dir": "" if not input_dir else str(Path(input_dir).resolve()),
        "scenario": scenario,
        "out_dir": str(out),
        "seed": int(seed),
        "scores": "" if not scores else str(Path(scores).resolve()),
    }
    steps = []
    for notebook in sequence():
        start = time.perf_counter()
        try:
            pm.execute_notebook(
                str(notebook),
                str(executed / notebook.name),
                parameters=parameters,
                kernel_name=kernel_name,
                cwd=str(out),
                progress_bar=progress,
                language="python",
                **({"kernel_manager_class": km} if (km := _kernel_manager_class()) else {}),
            )
        except pm.PapermillExecutionError as exc:
            raise PipelineError(
                CLI_LABELS["pipeline_failed"].format(
                    name=notebook.stem,
                    path=executed / notebook.name,
                    error=f"{exc.ename}: {exc.evalue}",
                )
            ) from exc
        steps.append(Step(executed / notebook.name, time.perf_counter() - start))
    return steps


__all__ = ["PipelineError", "Step", "notebooks_dir", "run_pipeline", "sequence"]
