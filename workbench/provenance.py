"""Where a result came from: input hashes, policy pack, parameters, version, time (DESIGN §6)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import workbench


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
