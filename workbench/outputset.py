"""A set of output files written completely or not at all (DESIGN §7).

``plan --out``, ``compare --out`` and ``pipeline`` hand over several files that belong together
(the workbook, the report and its PDF, the CSV; the executed notebooks). An :class:`OutputSet`
makes the folder show either the earlier complete set or the new complete set::

    with OutputSet("输出", kind="plan", inputs=..., scenario=..., status=...) as out:
        write_workbook(doc, out.path("计划.xlsx"))
    out.final(...)  # where each file now is

- **Lock.** ``输出/.workbench.lock`` (filelock) serialises runs into one folder; a second run
  waits up to :data:`LOCK_TIMEOUT_SECONDS` (or ``$WORKBENCH_LOCK_TIMEOUT`` seconds), then
  :class:`OutputLockedError`, which the command line reports with exit status 2. Only the writing
  is serialised; two runs still compute their plans side by side.
- **Staging.** Files are written into ``.输出.部分-<pid>`` beside the folder (the same file
  system, so moving a file in is a rename). An exception, or a run that is killed, never touches
  the folder: the staging folder is removed (a killed run's by the next run into the folder).
- **Commit.** The manifest ``清单.json`` (every file with its size and SHA-256, the inputs with
  theirs, scenario, status, version, time) is written into the staging folder, which is then
  renamed ``.输出.提交-<pid>``: from that moment the set is complete and will be moved in. The
  earlier set's manifest leaves the folder first, so that while files are being moved the folder
  has none and is recognisably unfinished; then the earlier set is moved aside, the new files are
  moved in with ``os.replace``, and ``清单.json`` comes last. A run killed among these renames
  leaves the ``.提交`` folder, and the next run into the folder (or :func:`recover`) finishes
  the move before it does anything else.
- **An earlier run's files** are moved aside into ``输出/.上次输出`` (which holds the set before,
  complete with its manifest, until the next run replaces it), never deleted and never left
  beside the new files: the files its manifest lists, and files with the names the workbench
  gives its documents (:func:`known_patterns`; sets written before manifests existed). Moved, not
  deleted: a run that should not have replaced a set can be undone by hand, and a file of the
  user's that matched a pattern is not lost. Input files are never moved. A folder holds one set:
  ``plan`` and ``compare`` into the same folder replace each other's files.
- **Nesting.** ``workbench pipeline`` runs the notebooks while holding the set; notebook 07 writes
  the documents with :func:`~workbench.report.outputs.write_outputs` to the folder it was given.
  ``$WORKBENCH_OUTPUT_STAGING`` (JSON, folder → staging folder) tells a set opened inside such a
  run to write into the staging folder, under the lock already held; its manifest (the plan's
  status, scenario and inputs) is taken into the pipeline's.
"""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import json
import os
import re
import shutil
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import TracebackType

from filelock import FileLock, Timeout

import workbench
from workbench.labels import OUTPUT_LABELS, QINGSHI_LABELS, REPORT_LABELS

LOCK_NAME = ".workbench.lock"
LOCK_TIMEOUT_SECONDS = 300.0  # the pipeline holds the lock ~30 s on the sample; a plan ~2 s
LOCK_TIMEOUT_ENV = "WORKBENCH_LOCK_TIMEOUT"
STAGING_ENV = "WORKBENCH_OUTPUT_STAGING"
MANIFEST = OUTPUT_LABELS["manifest"]
PREVIOUS = OUTPUT_LABELS["previous"]
_DOCUMENT_SUFFIXES = (".xlsx", ".html", ".pdf")


class OutputLockedError(RuntimeError):
    """Another run holds the output folder past the wait (Chinese message)."""


def lock_timeout() -> float:
    """Seconds a run waits for the folder: ``$WORKBENCH_LOCK_TIMEOUT`` when it is a number ≥ 0,
    else :data:`LOCK_TIMEOUT_SECONDS`."""
    try:
        value = float(os.environ.get(LOCK_TIMEOUT_ENV, ""))
    except ValueError:
        return LOCK_TIMEOUT_SECONDS
    return value if value >= 0 else LOCK_TIMEOUT_SECONDS


def known_patterns() -> list[str]:
    """The names the workbench gives the files of its sets (report/outputs.py, report/compare.py,
    the pipeline's executed notebooks), as globs relative to the output folder."""
    stem = REPORT_LABELS["title"].format(year="*") + "*"
    patterns = [
        *(stem + suffix for suffix in _DOCUMENT_SUFFIXES),
        OUTPUT_LABELS["plan_table_file"].format(year="*", edition="*"),
        OUTPUT_LABELS["comparison_file"].format(year="*"),
        # The 请示 draft (report/qingshi.py), and its internal edition (…_内部版.docx).
        QINGSHI_LABELS["file_name"].format(year="*").replace(".docx", "*.docx"),
        "notebooks/[0-9][0-9]_*.ipynb",
    ]
    return [re.sub(r"\*+", "*", p) for p in patterns]  # `**` would mean "any folders"


def file_record(path: Path, name: str) -> dict[str, object]:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return {"path": name, "bytes": path.stat().st_size, "sha256": digest.hexdigest()}


def input_record(item: str | Path | Mapping[str, object]) -> dict[str, object]:
    """An input as the manifest lists it: a provenance record as it is, a path with its hash."""
    if isinstance(item, Mapping):
        return dict(item)
    path = Path(item)
    record = file_record(path, str(path))
    return {"file": record.pop("path"), **record}


def read_manifest(folder: str | Path) -> dict | None:
    try:
        return json.loads((Path(folder) / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return None


def _files(folder: Path) -> list[str]:
    """The set's files in a staging folder (relative, ``/``-separated), hidden ones and the
    manifest aside."""
    found = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if (
            path.is_file()
            and not any(p.startswith(".") for p in rel.parts)
            and rel != Path(MANIFEST)
        ):
            found.append(rel.as_posix())
    return found


def _flush_folder(folder: Path) -> None:
    """Names (renames) on disk, where the system allows a folder to be synced (POSIX)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def _flush(folder: Path) -> None:
    """The staged files' contents on disk before they are renamed into place: after a power
    failure a renamed file is never empty."""
    for path in folder.rglob("*"):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
    _flush_folder(folder)


def _write_json(path: Path, payload: dict) -> None:
    """Temp file and rename: the manifest is there whole or not at all."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(
        json.dumps(payload, ensure_ascii=False, indent=2, allow_nan=False, default=str), "utf-8"
    )
    os.replace(tmp, path)


def _beside(target: Path, word: str, pid: int | None = None) -> str:
    """The name of a folder beside ``target``: ``.输出.部分-<pid>``; a glob for any pid."""
    prefix = f".{target.name}.{OUTPUT_LABELS[word]}-"
    return f"{prefix}{pid}" if pid is not None else glob.escape(prefix) + "*"


def _move(source: Path, destination: Path) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, destination)


def _roll_forward(target: Path, committed: Path, keep: frozenset[Path]) -> None:
    """Move the complete set in ``committed`` into ``target``; safe to repeat after a kill at any
    point (a file of the new set that is no longer in ``committed`` has already been moved in)."""
    manifest = committed / MANIFEST
    if not manifest.exists():  # moved in: only the empty folders are left
        shutil.rmtree(committed, ignore_errors=True)
        return
    new = {f["path"] for f in json.loads(manifest.read_text("utf-8"))["files"]}
    previous = target / PREVIOUS
    earlier = target / MANIFEST
    begun = committed / ".moving"
    if not begun.exists():  # the set before the earlier one goes; repeated after a kill here
        shutil.rmtree(previous, ignore_errors=True)
        begun.touch()
    if earlier.exists():  # first of the earlier set: the folder has no manifest from here on
        _move(earlier, previous / MANIFEST)
    listed = {
        str(f.get("path", ""))
        for f in (read_manifest(previous) or {}).get("files", [])
        if isinstance(f, dict)
    }
    listed = {n for n in listed if n and ".." not in Path(n).parts and not Path(n).is_absolute()}
    found = {p.relative_to(target).as_posix() for g in known_patterns() for p in target.glob(g)}
    for name in sorted(listed | found):
        path = target / name
        moved_in = name in new and not (committed / name).exists()
        if path.is_file() and not moved_in and path.resolve() not in keep:
            _move(path, previous / name)
    for name in sorted(new):
        if (committed / name).exists():
            _move(committed / name, target / name)
    os.replace(manifest, earlier)
    shutil.rmtree(committed, ignore_errors=True)


def _tidy(target: Path, keep: frozenset[Path] = frozenset()) -> None:
    """Under the lock: finish the moves of a killed run's complete set, remove unfinished ones."""
    parent = target.parent
    committed = sorted(parent.glob(_beside(target, "committing")), key=lambda p: p.stat().st_mtime)
    for folder in committed:
        _roll_forward(target, folder, keep)
    for folder in parent.glob(_beside(target, "staging")):
        shutil.rmtree(folder, ignore_errors=True)


def _lock(target: Path, timeout: float | None, shown: Path | None = None) -> FileLock:
    wait = lock_timeout() if timeout is None else timeout
    words = {"path": shown or target, "seconds": f"{wait:g}"}
    lock = FileLock(str(target / LOCK_NAME))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        sys.stderr.write(OUTPUT_LABELS["waiting"].format(**words) + "\n")
        try:
            lock.acquire(timeout=wait)
        except Timeout:
            raise OutputLockedError(OUTPUT_LABELS["locked"].format(**words)) from None
    return lock


def recover(target: str | Path, *, timeout: float | None = None) -> None:
    """Finish what a killed run left for ``target``, under its lock (a run into the folder does
    this first anyway)."""
    folder = Path(target).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    lock = _lock(folder, timeout)
    try:
        _tidy(folder)
    finally:
        lock.release()


def _nested_staging(target: Path) -> Path | None:
    try:
        mapping = json.loads(os.environ.get(STAGING_ENV, "") or "{}")
    except ValueError:
        return None
    found = mapping.get(str(target)) if isinstance(mapping, dict) else None
    return Path(found) if found else None


class OutputSet:
    """The files of one run into ``target``: write them under :meth:`path`, they appear in
    ``target`` together when the ``with`` block ends without an exception (see the module)."""

    def __init__(
        self,
        target: str | Path,
        *,
        kind: str,
        inputs: Iterable[str | Path | Mapping[str, object]] = (),
        scenario: object = None,
        status: object = None,
        parameters: Mapping[str, object] | None = None,
        timeout: float | None = None,
    ) -> None:
        self.given = Path(target)  # as the caller spelt it: the paths it is told are in its words
        self.target = self.given.resolve()
        self.kind = kind
        self.inputs = [input_record(i) for i in inputs]
        self.scenario = scenario
        self.status = status
        self.parameters = dict(parameters) if parameters else None
        self.timeout = timeout
        self.folder = self.target  # the staging folder once entered
        self._written_in = self.target  # where :meth:`path` put the files
        self.manifest: dict | None = None
        self._lock: FileLock | None = None
        self._nested = _nested_staging(self.target)
        self._before: set[str] = set()

    # --- writing ------------------------------------------------------------------------------

    def path(self, name: str) -> Path:
        """Where to write the file ``name`` (relative to the output folder) during the run."""
        path = self.folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def final(self, path: str | Path) -> Path:
        """Where a file written under :meth:`path` is once the set is in place."""
        return self.given / Path(path).relative_to(self._written_in)

    @property
    def keep(self) -> frozenset[Path]:
        """Input files: never moved aside, even when they sit in the output folder."""
        return frozenset(Path(str(i["file"])).resolve() for i in self.inputs if i.get("file"))

    # --- the context --------------------------------------------------------------------------

    def __enter__(self) -> OutputSet:
        if self._nested is not None:
            self.folder = self._written_in = self._nested
            self._before = set(_files(self.folder))
            return self
        self.target.mkdir(parents=True, exist_ok=True)
        self._lock = _lock(self.target, self.timeout, self.given)
        try:
            _tidy(self.target, self.keep)
            self.folder = self.target.parent / _beside(self.target, "staging", os.getpid())
            self.folder.mkdir()
            self._written_in = self.folder
        except BaseException:
            self._lock.release()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc is None:
                self._commit()
            elif self._nested is not None:
                for name in set(_files(self.folder)) - self._before:
                    (self.folder / name).unlink(missing_ok=True)
            else:
                shutil.rmtree(self.folder, ignore_errors=True)
        finally:
            if self._lock is not None:
                self._lock.release()

    def _manifest(self) -> dict:
        inner = read_manifest(self.folder) or {}  # a nested set's (notebook 07 in a pipeline)
        manifest = {
            "kind": self.kind,
            "status": self.status if self.status is not None else inner.get("status"),
            "scenario": self.scenario if self.scenario is not None else inner.get("scenario"),
            "inputs": self.inputs or inner.get("inputs", []),
            "files": [file_record(self.folder / name, name) for name in _files(self.folder)],
            "workbench_version": workbench.__version__,
            "written_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        if self.parameters is not None:
            manifest["parameters"] = self.parameters
        return manifest

    def _commit(self) -> None:
        try:
            self.manifest = self._manifest()
            _write_json(self.folder / MANIFEST, self.manifest)
            if self._nested is not None:
                return
            _flush(self.folder)
            committed = self.target.parent / _beside(self.target, "committing", os.getpid())
            os.replace(self.folder, committed)
        except BaseException:  # not complete (a full disk, say): as if the run had failed
            if self._nested is None:
                shutil.rmtree(self.folder, ignore_errors=True)
            raise
        self.folder = committed
        _roll_forward(self.target, committed, self.keep)
        _flush_folder(self.target)


__all__ = [
    "LOCK_TIMEOUT_SECONDS",
    "MANIFEST",
    "OutputLockedError",
    "OutputSet",
    "known_patterns",
    "lock_timeout",
    "read_manifest",
    "recover",
]
