"""Criterion weights from an AHP pairwise-comparison matrix, with Saaty's consistency ratio.

Method (Saaty, T. L., *The Analytic Hierarchy Process*, McGraw-Hill 1980; summarised in
Wikipedia, "Analytic hierarchy process"): the weights are the principal right eigenvector of the
positive reciprocal judgement matrix ``A`` (``a_ij`` = how much more important criterion i is
than j on the 1–9 scale), normalised to sum to 1. Its eigenvalue ``λmax ≥ n``, with equality only
for a perfectly consistent matrix; the consistency index ``CI = (λmax − n) / (n − 1)`` is compared
with the mean CI of random reciprocal matrices of the same order (the random index ``RI``):
``CR = CI / RI``. Saaty's rule of thumb, which issue 3 adopts, is that CR above 0.1 calls for the
judgements to be revised; the threshold itself is in the scoring model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

import numpy as np
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from workbench.labels import SCORING_LABELS

# Saaty's random consistency index for matrices of order n = 1..15 (Saaty, *Fundamentals of
# Decision Making and Priority Theory with the AHP*, RWS 1994/2000, table of RI by order; orders
# 1–10 are the values reprinted in most textbooks and in Wikipedia's AHP article).
RANDOM_INDEX: dict[int, float] = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
    11: 1.51,
    12: 1.48,
    13: 1.56,
    14: 1.57,
    15: 1.59,
}
# Saaty's fundamental scale: judgements from 1/9 to 9.
SCALE_MAX = 9.0
# A written reciprocal may be rounded to two decimals (0.33 for 1/3, 0.11 for 1/9): a product
# a_ij · a_ji within 5 % of 1 is accepted (the worst two-decimal rounding, 0.11 · 9, is 1 %; 1/8
# written 0.13 is 4 %). The upper triangle is authoritative; the lower one is only checked.
RECIPROCAL_TOLERANCE = 0.05
_FRACTION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*/\s*(\d+(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class Consistency:
    """How consistent an AHP judgement matrix is; ``warning`` is Chinese text when CR exceeds
    the model's threshold, else None."""

    n: int
    lambda_max: float
    ci: float
    cr: float
    random_index: float
    threshold: float
    warning: str | None

    def as_dict(self) -> dict[str, object]:
        return {
            "n": self.n,
            "lambda_max": self.lambda_max,
            "ci": self.ci,
            "cr": self.cr,
            "random_index": self.random_index,
            "threshold": self.threshold,
            "warning": self.warning,
        }


def ahp_weights(matrix: np.ndarray, *, max_cr: float = 0.1) -> tuple[np.ndarray, Consistency]:
    """Principal-eigenvector weights of a positive reciprocal matrix, and its consistency.

    For n ≤ 2 a reciprocal matrix is always consistent and RI is 0: CI and CR are reported as 0.
    """
    a = np.asarray(matrix, dtype=float)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise ValueError(f"AHP matrix must be square and non-empty, got shape {a.shape}")
    if not np.all(a > 0):
        raise ValueError("AHP matrix entries must be positive")
    n = a.shape[0]
    if n not in RANDOM_INDEX:
        raise ValueError(f"Saaty's random index is tabulated for n ≤ {max(RANDOM_INDEX)}, got {n}")
    eigenvalues, eigenvectors = np.linalg.eig(a)
    # Perron–Frobenius: a positive matrix has a real, simple, largest eigenvalue whose
    # eigenvector can be taken positive.
    principal = int(np.argmax(eigenvalues.real))
    lambda_max = float(eigenvalues[principal].real)
    vector = np.abs(eigenvectors[:, principal].real)
    weights = vector / vector.sum()
    random_index = RANDOM_INDEX[n]
    if n <= 2:
        ci = cr = 0.0
    else:
        ci = max((lambda_max - n) / (n - 1), 0.0)
        cr = ci / random_index
    warning = SCORING_LABELS["cr_warning"].format(cr=cr, limit=max_cr) if cr > max_cr else None
    consistency = Consistency(
        n=n,
        lambda_max=lambda_max,
        ci=ci,
        cr=cr,
        random_index=random_index,
        threshold=max_cr,
        warning=warning,
    )
    return weights, consistency


def _parse_judgement(value: Any) -> float:
    """A judgement: a positive number, or a fraction written ``1/3``."""
    if isinstance(value, bool):
        raise ValueError(SCORING_LABELS["ahp_judgement"].format(value=value))
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value)
        fraction = _FRACTION.match(text)
        try:
            number = (
                float(fraction.group(1)) / float(fraction.group(2)) if fraction else float(text)
            )
        except (ValueError, ZeroDivisionError):
            number = float("nan")
    if not number > 0 or not np.isfinite(number):
        raise ValueError(SCORING_LABELS["ahp_judgement"].format(value=value))
    return number


Judgement = Annotated[float, BeforeValidator(_parse_judgement)]


class AhpBlock(BaseModel):
    """``ahp:`` in a scoring model: the criterion order and either the full ``matrix`` or its
    ``upper`` triangle (row i lists a_i,i+1 … a_i,n), and the CR above which a warning is given."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    criteria: tuple[str, ...] = Field(min_length=1)
    matrix: tuple[tuple[Judgement, ...], ...] | None = None
    upper: tuple[tuple[Judgement, ...], ...] | None = None
    max_consistency_ratio: float = Field(gt=0)

    @model_validator(mode="after")
    def _well_formed(self) -> AhpBlock:
        n = len(self.criteria)
        for key in self.criteria:
            if self.criteria.count(key) > 1:
                raise ValueError(SCORING_LABELS["ahp_duplicate"].format(value=key))
        if n not in RANDOM_INDEX:
            raise ValueError(SCORING_LABELS["ahp_too_many"].format(max=max(RANDOM_INDEX), n=n))
        if (self.matrix is None) == (self.upper is None):
            raise ValueError(SCORING_LABELS["ahp_one_form"])
        if self.matrix is not None:
            lengths = [len(row) for row in self.matrix]
            if len(self.matrix) != n or any(length != n for length in lengths):
                raise ValueError(
                    SCORING_LABELS["ahp_square"].format(
                        n=n, rows=len(self.matrix), cols="、".join(map(str, lengths))
                    )
                )
            for i in range(n):
                if abs(self.matrix[i][i] - 1) > RECIPROCAL_TOLERANCE:
                    raise ValueError(
                        SCORING_LABELS["ahp_diagonal"].format(row=i + 1, value=self.matrix[i][i])
                    )
        else:
            assert self.upper is not None
            rows = list(self.upper)
            if len(rows) == n and not rows[-1]:
                rows.pop()  # the last row of an upper triangle may be written as []
            lengths = [len(row) for row in rows]
            if lengths != list(range(n - 1, 0, -1)):
                raise ValueError(
                    SCORING_LABELS["ahp_upper_shape"].format(
                        rows=n - 1, first=n - 1, cols="、".join(map(str, lengths)) or "0"
                    )
                )
        full = self.full_matrix()
        low, high = 1 / SCALE_MAX, SCALE_MAX
        for i in range(n):
            for j in range(n):
                given = self.matrix[i][j] if self.matrix is not None else full[i, j]
                if not low * (1 - RECIPROCAL_TOLERANCE) <= given <= high:
                    raise ValueError(
                        SCORING_LABELS["ahp_scale"].format(row=i + 1, col=j + 1, value=f"{given:g}")
                    )
        if self.matrix is not None:
            for i in range(n):
                for j in range(i + 1, n):
                    a, b = self.matrix[i][j], self.matrix[j][i]
                    if abs(a * b - 1) > RECIPROCAL_TOLERANCE:
                        raise ValueError(
                            SCORING_LABELS["ahp_reciprocal"].format(
                                row=i + 1, col=j + 1, a=f"{a:g}", b=f"{b:g}"
                            )
                        )
        return self

    def full_matrix(self) -> np.ndarray:
        """The n×n matrix: the upper triangle as given, the lower its exact reciprocals."""
        n = len(self.criteria)
        full = np.ones((n, n))
        for i in range(n):
            for j in range(i + 1, n):
                if self.matrix is not None:
                    value = self.matrix[i][j]
                else:
                    assert self.upper is not None
                    value = self.upper[i][j - i - 1]
                full[i, j] = value
                full[j, i] = 1 / value
        return full
