"""Strict JSON for every ``--format json`` (DESIGN §7): ``null``, never ``Infinity`` or ``NaN``.

Python's ``json`` writes a float infinity as ``Infinity`` and a NaN as ``NaN``, which no strict
JSON reader accepts. :func:`strict` replaces every non-finite number (float, Decimal, numpy
scalar, pandas' missing values) by None, recursively; :func:`dumps` writes the result with
``allow_nan=False``, so anything that slips through is an error here rather than in the
reader's program.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from decimal import Decimal

import pandas as pd


def strict(obj: object) -> object:
    """``obj`` with every non-finite number replaced by None (mappings and sequences too)."""
    if obj is None or isinstance(obj, bool | str | int):
        return obj
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, Decimal):
        return obj if obj.is_finite() else None
    if isinstance(obj, Mapping):
        return {key: strict(value) for key, value in obj.items()}
    if isinstance(obj, list | tuple | set | frozenset):
        return [strict(value) for value in obj]
    if obj is pd.NA or obj is pd.NaT:
        return None
    if hasattr(obj, "item") and hasattr(obj, "dtype"):  # numpy scalars
        return strict(obj.item())
    return obj


def dumps(obj: object) -> str:
    """``obj`` as strict JSON text: Chinese as is, indented, Decimals and dates as strings."""
    return json.dumps(strict(obj), allow_nan=False, ensure_ascii=False, indent=2, default=str)


__all__ = ["dumps", "strict"]
