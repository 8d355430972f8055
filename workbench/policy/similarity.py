"""Chinese text similarity between submissions (第五条: 避免重复投资).

Project names are compared after removing what every name shares (the stopwords of the pack:
"系统", "平台", "建设", "项目" …) and the applicant's own unit name, so that two units asking
for the same thing in different words are found, and two unrelated "…系统建设项目" are not.
The score is rapidfuzz's normalised Indel similarity (0–100, ``fuzz.ratio``): 200 × LCS / total
length; whether it reaches the pack's bar is decided in integers, so exactly 85 is 85.

It scales with the findings, not with the square of the intake (issue #12):

- identical core names are compared once (a July intake repeats "XX系统运维服务项目" hundreds
  of times);
- pairs of distinct core names are found by *prefix filtering* (Bayardo, Ma & Srikant, "Scaling
  up all pairs similarity search", WWW 2007; Xiao et al., "Efficient similarity joins for near
  duplicate detection", WWW 2008): a pair at or above the bar shares at least
  ``bar / (200 − bar)`` of each name's characters (17/23 at 85), so it shares one of the rarest
  few characters of each name; only the pairs that do are scored;
- each project gets its ``top_k`` most similar projects of other units and the number of the
  rest, computed per (core name, unit) without listing every pair of projects.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from fractions import Fraction

import numpy as np
import pandas as pd
from rapidfuzz import process
from rapidfuzz.distance import Indel

from workbench.intake.cells import clean_text
from workbench.policy.pack import DuplicateInvestment

MIN_CORE_LENGTH = 3
SIMILAR_COLUMNS = ("others", "scores", "count")
_PUNCTUATION = re.compile(r"[\s()（）\[\]【】《》“”\"'、，,。.;；:：\-—_/]+")
_BATCH = 2_000_000  # candidate pairs scored per call


def core_text(name: str, unit: str, stopwords: tuple[str, ...]) -> str:
    """The distinctive part of a project name."""
    text = _PUNCTUATION.sub("", clean_text(name))
    for word in sorted({clean_text(unit), *stopwords}, key=len, reverse=True):
        if word:
            text = text.replace(word, "")
    return text


class _Bar:
    """The pack's threshold on the 0–100 score, tested exactly: 100 × common / total against
    the value as a fraction (``common`` is twice the longest common subsequence)."""

    def __init__(self, spec: DuplicateInvestment) -> None:
        value = Fraction(spec.similarity.value)
        self.num, self.den = value.numerator, value.denominator
        self.compare: Callable = spec.similarity.relation.compare
        # The least share of a name's characters a similar name must have (see module doc).
        self.min_share = value / (200 - value) if value < 200 else Fraction(1)

    def passes(self, common: np.ndarray, total: np.ndarray) -> np.ndarray:
        return self.compare(100 * self.den * common, self.num * total)


def _tokens(text: str) -> list[tuple[str, int]]:
    """A name's characters as a set: the k-th occurrence of a character is its own token, so
    that the overlap of two token sets is the overlap of the names' character multisets."""
    seen: Counter[str] = Counter()
    out = []
    for char in text:
        out.append((char, seen[char]))
        seen[char] += 1
    return out


def _candidate_pairs(texts: list[str], bar: _Bar) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i < j) of distinct texts that may reach the bar: those whose prefixes (their rarest
    characters, in a global order of rarity) share a token."""
    m = len(texts)
    if m < 2:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    if bar.min_share <= 0:  # every pair may reach the bar
        i, j = np.triu_indices(m, 1)
        return i.astype(np.int64), j.astype(np.int64)
    tokens = [_tokens(t) for t in texts]
    frequency = Counter(tok for toks in tokens for tok in toks)
    rank = {tok: r for r, tok in enumerate(sorted(frequency, key=lambda t: (frequency[t], t)))}
    owner, key = [], []
    for i, toks in enumerate(tokens):
        ranks = sorted(rank[t] for t in toks)
        shared = math.ceil(bar.min_share * len(ranks))
        prefix = max(len(ranks) - shared + 1, 0)
        owner += [i] * prefix
        key += ranks[:prefix]
    order = np.lexsort((np.array(owner), np.array(key)))
    owner_sorted, key_sorted = np.array(owner)[order], np.array(key)[order]
    bounds = np.flatnonzero(np.diff(key_sorted)) + 1
    lefts, rights = [], []
    for group in np.split(owner_sorted, bounds):
        if len(group) > 1:
            a, b = np.triu_indices(len(group), 1)
            lefts.append(group[a])
            rights.append(group[b])
    if not lefts:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    code = np.unique(np.concatenate(lefts).astype(np.int64) * m + np.concatenate(rights))
    return code // m, code % m


def _similar_cores(texts: list[str], bar: _Bar) -> pd.DataFrame:
    """Directed pairs (u, v, score) of distinct core names at or above the bar, both ways."""
    left, right = _candidate_pairs(texts, bar)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    found = []
    for start in range(0, len(left), _BATCH):
        a, b = left[start : start + _BATCH], right[start : start + _BATCH]
        total = lengths[a] + lengths[b]
        distance = process.cpdist(
            [texts[i] for i in a],
            [texts[j] for j in b],
            scorer=Indel.distance,
            dtype=np.int64,
            workers=-1,
        )
        common = total - distance
        keep = bar.passes(common, total)
        found.append((a[keep], b[keep], 100.0 * common[keep] / total[keep]))
    a = np.concatenate([f[0] for f in found]) if found else np.empty(0, np.int64)
    b = np.concatenate([f[1] for f in found]) if found else np.empty(0, np.int64)
    s = np.concatenate([f[2] for f in found]) if found else np.empty(0)
    return pd.DataFrame(
        {"u": np.concatenate([a, b]), "v": np.concatenate([b, a]), "score": np.concatenate([s, s])}
    )


def similar_projects(
    candidates: pd.DataFrame, spec: DuplicateInvestment, top_k: int | None = None
) -> pd.DataFrame:
    """Per project that resembles at least one project of another unit (indexed by its label in
    ``candidates``): ``others``, the labels of its ``top_k`` most similar projects of other
    units (score descending, then project id), ``scores`` (0–100, unrounded) and ``count``, how
    many projects of other units reach the bar in all."""
    k = spec.top_k if top_k is None else top_k
    names = candidates["name"].fillna("").astype(str)
    units = candidates["unit"].fillna("").astype(str)
    known: dict[tuple[str, str], str] = {}  # an intake repeats its names: each is cut once
    cores = [
        known.get(pair) or known.setdefault(pair, core_text(*pair, spec.stopwords))
        for pair in zip(names.tolist(), units.tolist(), strict=True)
    ]
    usable = np.fromiter((len(t) >= MIN_CORE_LENGTH for t in cores), bool, len(cores))
    empty = pd.DataFrame(columns=list(SIMILAR_COLUMNS))
    if usable.sum() < 2:
        return empty
    labels = candidates.index[usable]
    label = labels.tolist()
    ids = candidates["project_id"].astype(str).to_numpy()[usable]
    unit_of, _ = pd.factorize(units.to_numpy()[usable])
    texts, core_of = np.unique(np.array(cores, dtype=object)[usable], return_inverse=True)
    texts = [str(t) for t in texts]
    m, n_units = len(texts), int(unit_of.max()) + 1
    bar = _Bar(spec)

    # Similar core names; a core name resembles itself when 100 reaches the bar.
    pairs = _similar_cores(texts, bar)
    itself = bool(bar.passes(np.array([100]), np.array([100]))[0])
    if itself:
        self_pairs = pd.DataFrame({"u": np.arange(m), "v": np.arange(m), "score": 100.0})
        pairs = pd.concat([pairs, self_pairs], ignore_index=True)
    if pairs.empty:
        return empty
    size = np.bincount(core_of, minlength=m)
    reached = np.bincount(pairs["u"], weights=size[pairs["v"]], minlength=m)

    # The same, counted within the project's own unit, per (core name, unit): what to subtract.
    key_code = core_of.astype(np.int64) * n_units + unit_of
    keys, key_of, key_size = np.unique(key_code, return_inverse=True, return_counts=True)
    key_frame = pd.DataFrame({"key": np.arange(len(keys)), "u": keys // n_units})
    key_frame["w"] = keys % n_units
    joined = key_frame.merge(pairs[["u", "v"]], on="u")
    mate = joined["v"].to_numpy() * n_units + joined["w"].to_numpy()
    at = np.searchsorted(keys, mate).clip(0, len(keys) - 1)
    mates = np.where(keys[at] == mate, key_size[at], 0)
    same = np.bincount(joined["key"], weights=mates, minlength=len(keys))
    others_count = (reached[keys // n_units] - same).round().astype(np.int64)

    # The top k per (core name, unit): walk the similar core names by score, each one's
    # projects by id, skipping the unit's own.
    pairs = pairs.sort_values(["u", "score", "v"], ascending=[True, False, True], kind="stable")
    starts = np.searchsorted(pairs["u"].to_numpy(), np.arange(m + 1))
    pair_v, pair_score = pairs["v"].to_numpy(), pairs["score"].to_numpy()
    by_core = pd.DataFrame({"core": core_of, "id": ids}).sort_values(["core", "id"], kind="stable")
    order = by_core.index.to_numpy()
    members = np.split(order, np.searchsorted(core_of[order], np.arange(1, m)))
    top: dict[int, tuple[tuple[int, ...], tuple[float, ...]]] = {}
    for key in np.flatnonzero(others_count > 0):
        u, w = int(keys[key] // n_units), int(keys[key] % n_units)
        chosen: list[tuple[int, float]] = []
        position = starts[u]
        while len(chosen) < k and position < starts[u + 1]:
            score = pair_score[position]
            tied: list[int] = []
            while position < starts[u + 1] and pair_score[position] == score:
                taken = 0
                for j in members[pair_v[position]]:
                    if unit_of[j] != w:
                        tied.append(j)
                        taken += 1
                        if taken == k - len(chosen):
                            break
                position += 1
            tied.sort(key=lambda j: ids[j])
            chosen += [(j, score) for j in tied[: k - len(chosen)]]
        top[key] = (tuple(label[j] for j, _ in chosen), tuple(s for _, s in chosen))
    hit = np.flatnonzero(others_count[key_of] > 0)
    return pd.DataFrame(
        {
            "others": [top[key_of[i]][0] for i in hit],
            "scores": [top[key_of[i]][1] for i in hit],
            "count": others_count[key_of[hit]],
        },
        index=labels[hit],
        columns=list(SIMILAR_COLUMNS),
    )
