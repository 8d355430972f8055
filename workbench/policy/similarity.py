"""Chinese text similarity between submissions (第五条: 避免重复投资).

Project names are compared after removing what every name shares (the stopwords of the pack:
"系统", "平台", "建设", "项目" …) and the applicant's own unit name, so that two units asking
for the same thing in different words are found, and two unrelated "…系统建设项目" are not.
Scores are rapidfuzz's normalised Indel similarity (0–100), computed in blocks with
``process.cdist`` over all cores.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from workbench.intake.cells import clean_text
from workbench.policy.pack import DuplicateInvestment

MIN_CORE_LENGTH = 3
_BLOCK = 2000
_PUNCTUATION = re.compile(r"[\s()（）\[\]【】《》“”\"'、，,。.;；:：\-—_/]+")


def core_text(name: str, unit: str, stopwords: tuple[str, ...]) -> str:
    """The distinctive part of a project name."""
    text = _PUNCTUATION.sub("", clean_text(name))
    for word in sorted({clean_text(unit), *stopwords}, key=len, reverse=True):
        if word:
            text = text.replace(word, "")
    return text


def similar_pairs(candidates: pd.DataFrame, spec: DuplicateInvestment) -> pd.DataFrame:
    """Pairs (left, right: index labels of ``candidates``; score) of projects from different
    units whose core names are at least as similar as the pack's threshold."""
    cores = [
        core_text(n, u, spec.stopwords)
        for n, u in zip(candidates["name"].fillna(""), candidates["unit"].fillna(""), strict=True)
    ]
    usable = np.array([len(t) >= MIN_CORE_LENGTH for t in cores], dtype=bool)
    index = candidates.index[usable]
    texts = [t for t, ok in zip(cores, usable, strict=True) if ok]
    units = candidates["unit"].to_numpy()[usable]
    cutoff = float(spec.similarity.value)
    inclusive = spec.similarity.relation.holds(spec.similarity.value, spec.similarity.value)
    rows: list[tuple[int, int, float]] = []
    for start in range(0, len(texts), _BLOCK):
        block = texts[start : start + _BLOCK]
        # A coarse pass in whole percent (uint8 keeps the matrix small), then the exact score
        # for the few pairs near or above the bar.
        coarse = process.cdist(
            block,
            texts,
            scorer=fuzz.ratio,
            score_cutoff=max(int(cutoff) - 1, 0),
            workers=-1,
            dtype=np.uint8,
        )
        left, right = np.nonzero(coarse)
        left += start
        keep = (right > left) & (units[left] != units[right])
        for i, j in zip(left[keep], right[keep], strict=True):
            score = fuzz.ratio(texts[i], texts[j])
            if score > cutoff or (inclusive and score == cutoff):
                rows.append((index[i], index[j], score))
    return pd.DataFrame(rows, columns=["left", "right", "score"])
