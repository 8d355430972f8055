"""Declarative files (policy packs, scoring models, scenarios): found by id or path, read as a
YAML mapping, validated by a pydantic model, and refused with a Chinese message naming the file
and the key. One place for what the three loaders share."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from workbench.labels import PACK_MESSAGES, VALIDATION_MESSAGES, YAML_MESSAGES
from workbench.oserrors import os_reason

M = TypeVar("M", bound=BaseModel)


def resolve_path(name: str | os.PathLike[str] | None, default: str, folder: Path) -> Path:
    """An id (``base``) → ``folder/<id>.yaml``; a ``.yaml`` / ``.yml`` path as it is."""
    path = Path(name if name is not None else default)
    if path.suffix in (".yaml", ".yml"):
        return path
    return folder / f"{path}.yaml"


def read_mapping(path: Path, messages: Mapping[str, str], error: type[Exception]) -> dict[str, Any]:
    """The file's top-level mapping, or ``error`` with the ``not_found`` / ``yaml`` /
    ``invalid`` message of ``messages``."""
    if not path.exists():
        raise error(messages["not_found"].format(name=path))
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except UnicodeDecodeError as exc:
        raise error(messages["yaml"].format(path=path, error=YAML_MESSAGES["encoding"])) from exc
    except OSError as exc:  # a folder named like the file, no permission, a vanished share
        raise error(messages["yaml"].format(path=path, error=os_reason(exc))) from exc
    except yaml.YAMLError as exc:
        # The parser's own words are English: say where, in Chinese.
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = (
            YAML_MESSAGES["at"].format(line=mark.line + 1, column=mark.column + 1)
            if mark is not None
            else YAML_MESSAGES["somewhere"]
        )
        raise error(messages["yaml"].format(path=path, error=where)) from exc
    if not isinstance(data, dict):
        raise error(messages["invalid"].format(path=path, errors=PACK_MESSAGES["not_a_mapping"]))
    return data


def explain_validation_error(exc: ValidationError) -> str:
    """Pydantic errors as one Chinese line: ``key.path: what is wrong``, joined by ；. Never
    pydantic's English: each error type has its Chinese wording (labels.VALIDATION_MESSAGES)."""
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"])
        kind = error["type"]
        ctx = error.get("ctx") or {}
        if kind == "missing":
            what = PACK_MESSAGES["missing"]
        elif kind == "extra_forbidden":
            what = PACK_MESSAGES["unknown_key"]
        elif kind == "value_error":  # our own validators: their messages are Chinese
            what = str(ctx.get("error", "")) or VALIDATION_MESSAGES["other"]
        elif kind in VALIDATION_MESSAGES:
            what = VALIDATION_MESSAGES[kind].format(input=error.get("input"), **ctx)
        else:
            what = VALIDATION_MESSAGES["other"].format(input=error.get("input"))
        parts.append(f"{where}: {what}")
    return "；".join(parts)


def load_model(
    path: Path,
    model: type[M],
    messages: Mapping[str, str],
    error: type[Exception],
    explain: Callable[[ValidationError], str] = explain_validation_error,
) -> M:
    """Read ``path`` and validate it as ``model`` (with its ``path`` recorded)."""
    data = read_mapping(path, messages, error)
    try:
        return model.model_validate({**data, "path": str(path)})
    except ValidationError as exc:
        raise error(messages["invalid"].format(path=path, errors=explain(exc))) from exc
