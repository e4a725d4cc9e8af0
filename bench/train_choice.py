"""Fit the reading engine's learned choice (``yuedu/reading/data/choice.json``).

Usage (from the project root)::

    python bench/train_choice.py [--shared PATH] [--write]

The engine's choice between candidate readings (see :mod:`yuedu.reading.choice`) is a
conditional logit over a few features per candidate. This script runs the engine over CPP dev
(``data/cpp/dev.sent`` + ``dev.lb``), everyday-dev and our own ``bench/data/own-dev.txt`` and ``own-dev2.txt``,
records the feature rows of every choice the model makes, and fits the weights with numpy
(gradient descent on the log loss with a small L2 penalty). CPP's training split has labels
but no sentences (see ``data/cpp/SOURCE.md``): its labels enter as the ``prior`` feature
(``cpp_priors.tsv``), not as examples.

Cross-validation: the data is cut into odd and even sentences of each set; weights fitted on
one half are scored on the other, end to end (targets the model does not decide keep the
engine's reading). The gap between the two CPP halves shows how much the fit depends on the
sentences it saw. ``--write`` fits on everything and writes the weights file; without it the
script only reports. ``bench/data/own-check*.txt`` are never used here.

The everyday sentences are few (about 300 targets) beside CPP's 9,893, and their domain --
learner text, where g2pM misreads particles and common verbs -- is the one the site serves;
each of their examples weighs ``--everyday-weight`` CPP examples (default 3; measured: the
cross-validated figures barely move between 1 and 10, while balancing the two domains in total
-- about 150 -- overfits the few everyday examples and costs CPP half a point).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from pinyin_accuracy import OWN, load_cpp, load_everyday, load_own  # noqa: E402

OUT = ROOT / "yuedu" / "reading" / "data" / "choice.json"


def collect(texts: list[str]) -> tuple[list[list[str | None]], dict[tuple[int, int], tuple]]:
    """Engine readings of ``texts`` and the learned choices made on the way, by (text, index)."""
    from yuedu.reading import decide

    preds: list[list[str | None]] = []
    log: dict[tuple[int, int], tuple] = {}
    for start in range(0, len(texts), 256):
        decide._CHOICE_LOG = []
        chunk = texts[start:start + 256]
        results = decide._analyse_many([(t, {}, ()) for t in chunk])
        for item_no, i, cands, rows in decide._CHOICE_LOG:
            log[(start + item_no, i)] = (tuple(cands), rows)
        decide._CHOICE_LOG = None
        preds.extend([c.reading if c is not None and c.reading else None for c in chars] for _tk, chars in results)
    return preds, log


def same(pred: str | None, gold: str, lenient: bool) -> bool:
    """CPP forgives neutral versus full tone on the same syllable; the everyday sets do not."""
    if pred == gold:
        return True
    return lenient and pred is not None and pred[:-1] == gold[:-1] and "5" in (pred[-1], gold[-1])


class Data:
    """Every scored target of one set: the model's examples and the fixed rest."""

    def __init__(self, name: str, texts: list[str], targets: list[tuple[int, int, str]], lenient: bool) -> None:
        self.name, self.lenient = name, lenient
        preds, log = collect(texts)
        # per target: (sentence number, example or None, fixed correctness)
        self.items: list[tuple[int, tuple | None, bool]] = []
        for k, i, gold in targets:
            entry = log.get((k, i))
            if entry is None:
                self.items.append((k, None, same(preds[k][i], gold, lenient)))
                continue
            cands, rows = entry
            ok = [j for j, c in enumerate(cands) if same(c, gold, lenient)]
            exact = [j for j, c in enumerate(cands) if c == gold]
            self.items.append((k, (np.array(rows, dtype=np.float64), ok, exact), False))

    def examples(self, half: int | None) -> list[tuple[np.ndarray, list[int]]]:
        """(feature rows, the right candidates) of the choices in ``half``, fitted to the exact
        label (CPP's leniency is for scoring: fitting to it would teach a taste for neutral tones)."""
        return [(ex[0], ex[2]) for k, ex, _ in self.items
                if ex is not None and ex[2] and (half is None or k % 2 == half)]

    def accuracy(self, w: np.ndarray, half: int | None) -> float:
        n = good = 0
        for k, ex, fixed in self.items:
            if half is not None and k % 2 != half:
                continue
            n += 1
            if ex is None:
                good += fixed
            else:
                rows, ok, _exact = ex
                good += int(np.argmax(rows @ w)) in ok
        return 100.0 * good / max(1, n)


def fit(examples: list[tuple[np.ndarray, list[int], float]], n_feat: int, l2: float = 0.01,
        steps: int = 3000) -> np.ndarray:
    """Conditional-logit weights: gradient descent (Adam) on the weighted log loss."""
    k_max = max(len(r) for r, _, _ in examples)
    x = np.zeros((len(examples), k_max, n_feat))
    mask = np.full((len(examples), k_max), -np.inf)
    gold = np.zeros((len(examples), k_max))
    sw = np.zeros(len(examples))
    for n, (rows, ok, weight) in enumerate(examples):
        x[n, :len(rows)] = rows
        mask[n, :len(rows)] = 0.0
        gold[n, ok] = 1.0 / len(ok)  # several candidates can be right (neutral tone on CPP)
        sw[n] = weight
    sw /= sw.sum()
    w = np.zeros(n_feat)
    w[0] = 1.0  # start from g2pM's own argmax
    m = np.zeros(n_feat)
    v = np.zeros(n_feat)
    for t in range(1, steps + 1):
        s = np.einsum("nkf,f->nk", x, w) + mask
        s -= s.max(axis=1, keepdims=True)
        p = np.exp(s)
        p /= p.sum(axis=1, keepdims=True)
        grad = np.einsum("n,nk,nkf->f", sw, p - gold, x) + 2 * l2 * w
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        w -= 0.05 * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-8)
    return w


def main() -> None:
    from yuedu.reading.choice import FEATURES

    ap = argparse.ArgumentParser(description="fit the learned reading choice")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--everyday-weight", type=float, default=3.0,
                    help="weight of one everyday example against one CPP example (0: balance the domains)")
    ap.add_argument("--write", action="store_true", help=f"write {OUT.relative_to(ROOT)}")
    args = ap.parse_args()

    cpp = load_cpp(args.shared)
    cpp_data = Data("CPP dev", [s for s, _, _ in cpp], [(k, i, g) for k, (_, i, g) in enumerate(cpp)], True)
    every_sets = []
    for name, items in (("everyday-dev", load_everyday(args.shared)), ("own-dev", load_own(OWN / "own-dev.txt")),
                        ("own-dev2", load_own(OWN / "own-dev2.txt"))):
        targets = [(k, t["index"], t["pinyin"]) for k, e in enumerate(items) for t in e["targets"]]
        every_sets.append(Data(name, [e["text"] for e in items], targets, False))
    sets = [cpp_data, *every_sets]

    def train(half: int | None) -> np.ndarray:
        ex_cpp = cpp_data.examples(half)
        ex_every = [ex for d in every_sets for ex in d.examples(half)]
        weight = args.everyday_weight or len(ex_cpp) / max(1, len(ex_every))
        return fit([(r, ok, 1.0) for r, ok in ex_cpp] + [(r, ok, weight) for r, ok in ex_every], len(FEATURES), l2=0.001, steps=1500)

    base = np.zeros(len(FEATURES))
    base[0] = 1.0
    print("examples the model decides: " + ", ".join(f"{d.name} {len(d.examples(None))}" for d in sets))
    print("\ng2pM argmax alone (the weights before fitting), end to end:")
    for d in sets:
        print(f"  {d.name:13s} half 0 {d.accuracy(base, 0):6.2f}%  half 1 {d.accuracy(base, 1):6.2f}%  all {d.accuracy(base, None):6.2f}%")
    print("\ncross-validation (fit on one half, score the other), end to end:")
    w_fit = {h: train(h) for h in (0, 1)}
    for d in sets:
        a0, a1 = d.accuracy(w_fit[1], 0), d.accuracy(w_fit[0], 1)
        print(f"  {d.name:13s} half 0 {a0:6.2f}% (fit on 1)  half 1 {a1:6.2f}% (fit on 0)  gap {abs(a0 - a1):.2f}")
    w = train(None)
    print("\nfitted on everything:")
    for d in sets:
        print(f"  {d.name:13s} {d.accuracy(w, None):6.2f}%")
    print("  weights: " + ", ".join(f"{n} {x:+.3f}" for n, x in zip(FEATURES, w)))
    if args.write:
        OUT.write_text(json.dumps({
            "about": "Weights of yuedu.reading.choice, written by bench/train_choice.py --write.",
            "weights": {n: round(float(x), 4) for n, x in zip(FEATURES, w)},
        }, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
