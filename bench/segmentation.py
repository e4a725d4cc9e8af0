"""Measure word units against the SIGHAN 2005 PKU and MSR dev halves, engine beside plain jieba.

Usage (from the project root)::

    python bench/segmentation.py [--shared PATH] [--errors N]

For each dev half (``data/seg/pku_dev_gold.utf8``, ``msr_dev_gold.utf8``: one sentence a line,
gold words separated by spaces) the sentence is rebuilt from its gold words and cut by

* **engine** -- the units the site uses (:func:`yuedu.reading.annotate`, the ``words`` of
  ``python build.py pinyin``);
* **jieba** -- plain ``jieba.lcut`` (HMM on, its default), what the engine used before;

and three figures are printed for each:

* **Han-boundary F1** -- precision and recall of word boundaries, counting only positions
  between two Han characters (how digits, Latin and punctuation are grouped is not measured);
* **word F1** -- the usual span F1 over all words;
* **non-words** -- the share of multi-character all-Han units that are neither a CC-CEDICT
  headword nor one of the gold words of that sentence (jieba's 家要, 车上, 三百公里).

The check that the units rebuild each sentence exactly runs on every sentence. ``--errors N``
lists the N commonest gold words the engine cut and the commonest units that glued gold words.
The dev halves come from the same documents as the held-out halves: they are for measuring
only, never a source of words (nothing here is written anywhere).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HAN = re.compile(r"[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef\U00030000-\U000323af]")


def load(path: Path) -> list[list[str]]:
    """Gold sentences as lists of words."""
    return [line.split() for line in path.read_text(encoding="utf-8").splitlines() if line.split()]


def _spans(words: list[str]) -> list[tuple[int, int]]:
    out, i = [], 0
    for w in words:
        out.append((i, i + len(w)))
        i += len(w)
    return out


def _all_han(w: str) -> bool:
    return all(HAN.match(c) for c in w)


class Score:
    """Han-boundary, word and non-word counts over a corpus."""

    def __init__(self) -> None:
        self.tp = self.fp = self.fn = 0
        self.w_tp = self.w_pred = self.w_gold = 0
        self.multi = self.nonwords = 0
        self.cut_gold: Counter[str] = Counter()
        self.glued: Counter[str] = Counter()
        self.bad: Counter[str] = Counter()

    def add(self, gold: list[str], pred: list[str], headwords) -> None:
        text = "".join(gold)
        if "".join(pred) != text:
            raise AssertionError(f"units do not rebuild the sentence: {pred!r} != {text!r}")
        gs, ps = _spans(gold), _spans(pred)
        gb, pb = {e for _, e in gs[:-1]}, {e for _, e in ps[:-1]}
        hh = [i for i in range(1, len(text)) if HAN.match(text[i - 1]) and HAN.match(text[i])]
        for i in hh:
            g, p = i in gb, i in pb
            self.tp += g and p
            self.fp += p and not g
            self.fn += g and not p
        self.w_tp += len(set(gs) & set(ps))
        self.w_pred += len(ps)
        self.w_gold += len(gs)
        gold_words = set(gold)
        for w in pred:
            if len(w) > 1 and _all_han(w):
                self.multi += 1
                if w not in headwords and w not in gold_words:
                    self.nonwords += 1
                    self.bad[w] += 1
        hhs = set(hh)
        for s, e in gs:
            if any(k in pb for k in range(s + 1, e) if k in hhs):
                self.cut_gold[text[s:e]] += 1
        for s, e in ps:
            if any(k in gb for k in range(s + 1, e) if k in hhs):
                self.glued[text[s:e]] += 1

    def figures(self) -> tuple[float, float, float]:
        """(Han-boundary F1, word F1, non-word share)."""
        def f1(tp: int, pred: int, gold: int) -> float:
            p, r = tp / max(pred, 1), tp / max(gold, 1)
            return 2 * p * r / (p + r) if p + r else 0.0

        return (f1(self.tp, self.tp + self.fp, self.tp + self.fn), f1(self.w_tp, self.w_pred, self.w_gold),
                self.nonwords / max(self.multi, 1))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--errors", type=int, default=0)
    args = ap.parse_args(argv)
    seg_dir = args.shared / "data" / "seg"
    if not seg_dir.is_dir():
        print(f"no segmentation data at {seg_dir}", file=sys.stderr)
        return 1

    from yuedu import glossary
    from yuedu.reading import annotate
    from yuedu.reading.segment import jieba_tables

    headwords = glossary.load(ROOT / glossary.CACHE_DIR_NAME)
    t0 = time.perf_counter()
    annotate("一")
    start = time.perf_counter() - t0
    tok = jieba_tables().tokenizer
    cutters: dict[str, Callable[[str], list[str]]] = {
        "engine": lambda text: [w.text for w in annotate(text)],
        "jieba": lambda text: tok.lcut(text),
    }
    print(f"engine start-up (units and readings, first call): {start:.2f} s")
    print(f"{'corpus':<6} {'cutter':<7} {'Han-boundary F1':>16} {'word F1':>8} {'non-words':>10} {'chars/s':>9}")
    for corpus in ("pku", "msr"):
        sents = load(seg_dir / f"{corpus}_dev_gold.utf8")
        chars = sum(len("".join(s)) for s in sents)
        for name, cut in cutters.items():
            score = Score()
            t0 = time.perf_counter()
            preds = [cut("".join(gold)) for gold in sents]
            took = time.perf_counter() - t0
            for gold, pred in zip(sents, preds):
                score.add(gold, pred, headwords)
            bf, wf, nw = score.figures()
            print(f"{corpus:<6} {name:<7} {bf:>16.4f} {wf:>8.4f} {nw * 100:>9.2f}% {chars / took:>9,.0f}")
            if args.errors and name == "engine":
                print(f"  gold words cut: {score.cut_gold.most_common(args.errors)}")
                print(f"  units gluing gold words: {score.glued.most_common(args.errors)}")
                print(f"  non-words: {score.bad.most_common(args.errors)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
