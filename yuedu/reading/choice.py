"""The learned choice between readings: when to trust g2pM over the dictionaries.

Where neither a rule nor a single word reading fixed a character, its candidates (the
readings of the word it is in, or of the character) are scored by a linear model over a few
features of each candidate -- g2pM's probability (also split by the token's part of speech and
shape, since g2pM, trained on encyclopedic text, misreads function words), whether the
candidate is the first of its candidates or the character's first dictionary reading, its share among CPP's
training labels, whether it is neutral -- and the best-scoring one wins (a conditional logit).

The weights are data (``data/choice.json``), fitted by ``bench/train_choice.py`` on CPP dev
and our own everyday sentences, with odd/even cross-validation; nothing is trained at build time.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path

#: The feature names, in the order of :func:`features`' columns.
FEATURES = (
    "g2pm", "g2pm_function_word", "g2pm_single", "g2pm_unread", "g2pm_name",
    "first", "char_default", "prior", "neutral", "g2pm_unknown",
)

#: jieba tags of function words, pronouns, numbers and measure words: g2pM is least reliable there.
_FUNCTION_TAGS = ("u", "y", "e", "c", "p", "r", "d", "m", "q", "f", "o")

#: jieba tags of names (people, places, organisations, other proper nouns).
_NAME_TAGS = ("nr", "ns", "nt", "nz")

#: g2pM's log probabilities are clipped here (and a candidate it has no class for gets this):
#: the model is over-confident, and its rare confident mistakes would otherwise dominate the fit.
_MIN_LOGP = -5.0


@functools.cache
def weights() -> tuple[float, ...]:
    """The fitted weights, one per :data:`FEATURES` name."""
    data = json.loads((Path(__file__).resolve().parent / "data" / "choice.json").read_text(encoding="utf-8"))
    w = data["weights"]
    return tuple(float(w[name]) for name in FEATURES)


def features(
    cands: Sequence[str],
    g2pm_logp: Mapping[str, float] | None,
    *,
    own: Sequence[str],
    prior: Mapping[str, int] | None,
    tag: str,
    single: bool,
    unread: bool,
) -> list[list[float]]:
    """One feature row per candidate (columns as in :data:`FEATURES`)."""
    total = sum(prior.values()) if prior else 0
    func = tag[:1] in _FUNCTION_TAGS
    name = tag[:2] in _NAME_TAGS
    rows = []
    for k, c in enumerate(cands):
        known = g2pm_logp is not None and c in g2pm_logp
        lp = max(g2pm_logp[c], _MIN_LOGP) if known else (_MIN_LOGP if g2pm_logp is not None else 0.0)  # type: ignore[index]
        share = ((prior.get(c, 0) + 0.5) / (total + 0.5 * len(cands))) if prior else 1.0 / len(cands)
        rows.append([
            lp, lp * func, lp * single, lp * unread, lp * name,
            float(k == 0), float(bool(own) and c == own[0]), math.log(share), float(c.endswith("5")),
            float(g2pm_logp is not None and not known),
        ])
    return rows


def choose(rows: list[list[float]], w: Sequence[float] | None = None) -> tuple[int, float]:
    """Index of the best candidate and its probability under the model."""
    w = weights() if w is None else w
    scores = [sum(a * b for a, b in zip(r, w)) for r in rows]
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    best = max(range(len(scores)), key=scores.__getitem__)
    return best, exps[best] / sum(exps)
