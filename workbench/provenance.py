"""Where a result came from: input hashes, policy pack, parameters, version, time (DESIGN §6).

The record keeps the paths the files were read from (the analyst's own machine needs them, in
the JSON output and in 清单.json); what is handed on (the workbook, the report) names a file by
its name and SHA-256 only (:func:`file_name`): a directory of the analyst's machine means
nothing to the reader and says more than it should.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import workbench


def file_name(path: object) -> str:
    """The last part of a path, whichever separator it was written with (``C:\\申报\\a.xlsx``
    on a Windows machine, ``/home/x/a.xlsx`` elsewhere); "" for none."""
    if path is None or path == "":
        return ""
    return re.split(r"[\\/]", str(path).rstrip("\\/"))[-1]


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def provenance(
    *,
    inputs: list[dict[str, object]],
    pack_id: str,
    pack_path: str,
    plan_year: int,
    reference_date: dt.date,
    **extra: object,
) -> dict[str, object]:
    return {
        "inputs": inputs,
        "policy_pack": {"id": pack_id, "path": pack_path, "sha256": file_sha256(pack_path)},
        "plan_year": plan_year,
        "reference_date": reference_date.isoformat(),
        "workbench_version": workbench.__version__,
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        **extra,
    }
