"""Scoring: each candidate's priority value (0–100) from a declarative model, explained per
criterion with the article it rests on (第九条 "按轻重缓急").

- :mod:`workbench.scoring.criteria`: the kinds of criterion, each a vectorised function;
- :mod:`workbench.scoring.ahp`: weights from an AHP pairwise-comparison matrix, with CR;
- :mod:`workbench.scoring.model`: loading and validating ``models/scoring/<id>.yaml``;
- :mod:`workbench.scoring.bureau`: the bureau's scores table (审定评分表: expert scores and the
  values the bureau sets), :func:`read_scores`;
- :mod:`workbench.scoring.scores`: :func:`score` and the :class:`Scores` it returns.
"""

from workbench.scoring.ahp import RANDOM_INDEX, Consistency, ahp_weights
from workbench.scoring.bureau import BureauScores, read_scores, record_provenance
from workbench.scoring.model import (
    DEFAULT_SCORING,
    ScoringModel,
    ScoringModelError,
    load_scoring,
    model_weights,
)
from workbench.scoring.scores import Scores, score

__all__ = [
    "DEFAULT_SCORING",
    "RANDOM_INDEX",
    "BureauScores",
    "Consistency",
    "Scores",
    "ScoringModel",
    "ScoringModelError",
    "ahp_weights",
    "load_scoring",
    "model_weights",
    "read_scores",
    "record_provenance",
    "score",
]
