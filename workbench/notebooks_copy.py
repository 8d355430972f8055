"""``workbench notebooks``: the analysts' own copies of the July notebooks, for JupyterLab.

The notebooks shipped with the workbench (``notebooks/01_…`` to ``08_…``, found as ``workbench
pipeline`` finds them: the checkout's folder, or the copy a wheel installs under
``<prefix>/share``) carry their outputs on the embedded sample, and nbval compares those outputs
in the test command. Edited in place for a year's work, they would fail the tests and lose the
reference. So analysts work on copies: ``workbench notebooks --copy-to DIR`` writes them into
DIR and prints the ``jupyter lab DIR`` command that opens them.

The copies are cleared of their outputs and execution counts (``clear_outputs``): an analyst's
copy starts as a blank sheet for their own intake, and no sample figure can be mistaken for this
year's. Cell sources, tags (the papermill ``parameters`` cell) and the kernelspec are kept, so a
copy still runs under ``papermill`` and ``workbench pipeline``-style parameters. The shipped
notebooks with their outputs stay where the listing says, for reference.

A copy never overwrites an analyst's work by accident: when any notebook of the set already
exists in DIR nothing is written and the command exits 2 (Chinese message), unless ``--force``.
Copying into the shipped folder itself is refused even with ``--force``.

This module is imported when the command line is built: nbformat is imported when a notebook is
read."""

from __future__ import annotations

import argparse
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.labels import CLI_HELP, NOTEBOOK_LABELS
from workbench.oserrors import os_reason
from workbench.pipeline import notebooks_dir, sequence

EXIT_OK = 0
EXIT_BAD_INPUT = 2
NBFORMAT_MAJOR = 4  # what the shipped notebooks are and nbval reads
# Cell metadata a run leaves behind (nbclient's timings, papermill's): dropped with the outputs.
RUN_METADATA = ("execution", "papermill")

__all__ = [
    "Copied",
    "CopyRefused",
    "add_notebooks_arguments",
    "clear_outputs",
    "copy_notebooks",
    "jupyter_lab_command",
    "packaged_notebooks",
    "run_notebooks",
]


class CopyRefused(ValueError):
    """The copy would overwrite notebooks, or write into the shipped folder: nothing written.
    The message is Chinese and names the folder (and the notebooks)."""


@dataclass(frozen=True)
class Copied:
    folder: Path
    notebooks: tuple[Path, ...]


def packaged_notebooks() -> list[Path]:
    """The shipped July sequence, in order; refused in words when an install lost them."""
    found = sequence()
    if not found:
        raise CopyRefused(NOTEBOOK_LABELS["none_found"].format(folder=notebooks_dir()))
    return found


def clear_outputs(notebook: Any) -> Any:
    """``notebook`` without what a run left: outputs, execution counts and run metadata of
    every code cell. Sources, tags and the notebook's kernelspec stay."""
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        for key in RUN_METADATA:
            cell.metadata.pop(key, None)
    notebook.metadata.pop("papermill", None)
    return notebook


def copy_notebooks(folder: str | Path, *, force: bool = False) -> Copied:
    """Write the shipped notebooks, cleared, into ``folder`` (made when missing). All or
    nothing: when any of them exists there and not ``force``, nothing is written
    (:class:`CopyRefused`)."""
    import nbformat

    sources = packaged_notebooks()
    target = Path(folder)
    shipped = notebooks_dir().resolve()
    if target.resolve() == shipped:
        raise CopyRefused(NOTEBOOK_LABELS["into_packaged"].format(folder=shipped))
    existing = [p.name for p in sources if (target / p.name).exists()]
    if existing and not force:
        raise CopyRefused(
            NOTEBOOK_LABELS["exists"].format(folder=target, names="、".join(existing))
        )
    # Read and validate every notebook before the first write, so that a broken install
    # cannot leave half a set behind.
    cleared = []
    for source in sources:
        try:
            notebook = clear_outputs(nbformat.read(source, as_version=NBFORMAT_MAJOR))
            nbformat.validate(notebook)
        except (OSError, ValueError, nbformat.ValidationError) as exc:
            reason = os_reason(exc) if isinstance(exc, OSError) else NOTEBOOK_LABELS["not_json"]
            raise CopyRefused(
                NOTEBOOK_LABELS["unreadable"].format(name=source.name, reason=reason)
            ) from exc
        cleared.append((source.name, notebook))
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, notebook in cleared:
        path = target / name
        nbformat.write(notebook, path)
        written.append(path)
    return Copied(target, tuple(written))


def jupyter_lab_command(folder: Path) -> str:
    """The command that opens ``folder`` in JupyterLab, quoted for a shell."""
    return f"jupyter lab {shlex.quote(str(folder))}"


def add_notebooks_arguments(cmd: argparse.ArgumentParser) -> None:
    """``--copy-to DIR`` and ``--force`` on the ``notebooks`` command."""
    cmd.add_argument(
        "--copy-to", default=None, metavar="文件夹", help=CLI_HELP["notebooks_copy_to"]
    )
    cmd.add_argument("--force", action="store_true", help=CLI_HELP["notebooks_force"])


def run_notebooks(args: argparse.Namespace) -> int:
    """``workbench notebooks``: the listing; with ``--copy-to`` the copy. Exit 2 (a Chinese
    message on stderr) when the copy is refused."""
    try:
        if args.copy_to is None:
            if args.force:
                raise CopyRefused(NOTEBOOK_LABELS["force_without_copy"])
            _print_listing()
            return EXIT_OK
        copied = copy_notebooks(args.copy_to, force=args.force)
    except CopyRefused as exc:
        sys.stderr.write(f"{exc}\n")
        return EXIT_BAD_INPUT
    print(NOTEBOOK_LABELS["copied"].format(count=len(copied.notebooks), folder=copied.folder))
    for path in copied.notebooks:
        print(NOTEBOOK_LABELS["item"].format(name=path.name))
    print(NOTEBOOK_LABELS["open"].format(command=jupyter_lab_command(copied.folder)))
    print(NOTEBOOK_LABELS["parameters"])
    return EXIT_OK


def _print_listing() -> None:
    found = packaged_notebooks()
    print(NOTEBOOK_LABELS["listed"].format(count=len(found), folder=notebooks_dir()))
    for path in found:
        print(NOTEBOOK_LABELS["item"].format(name=path.name))
    print(NOTEBOOK_LABELS["copy_hint"])
