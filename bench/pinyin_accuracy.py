"""Measure the reading engine against plain pypinyin on CPP dev and everyday-dev.

Usage (from the project root)::

    python bench/pinyin_accuracy.py [--shared PATH] [--ablate] [--errors N] [--halves]

* CPP dev (``data/cpp/dev.sent`` + ``dev.lb``): one polyphone per sentence, wrapped in
  ``▁…▁``; the markers are removed and the reading at that index is compared. Following
  the issue, neutral versus full tone on the same syllable (认识 shí / shi) counts as a
  convention difference, not an error, on CPP (it is still counted and shown).
* everyday-dev (``data/everyday/everyday-dev.jsonl``): every target, compared exactly
  (neutral tones included); 一/不 targets with ``spoken`` are also checked after sandhi.

* own-dev (``bench/data/own-dev.txt``, ``own-dev2.txt``): sentences written for the project
  (see the files' heads), scored like everyday-dev; ``--check`` adds ``own-check.txt``,
  ``own-check2.txt``, ``own-check3.txt``, ``own-check4.txt`` and ``own-check5.txt``, each written before a tuning
  round (own-check4 near the end of the last one) and kept for reporting only.

Prints accuracy, errors by character and by error type (neutral-vs-full, other tone,
different syllable), characters per second and start-up time, for the engine and for plain
pypinyin in the same run, and CPP dev accuracy on odd and even sentences separately (a check
that nothing was tuned to particular sentences). ``--ablate`` also runs the engine with one
source switched off at a time. ``bench/pinyin_speed.py`` times ``build.py pinyin`` itself.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MARK = "\u2581"


def load_cpp(shared: Path) -> list[tuple[str, int, str]]:
    """(sentence without markers, index of the polyphone, label in our form)."""
    sents = (shared / "data/cpp/dev.sent").read_text(encoding="utf-8").split("\n")
    labels = (shared / "data/cpp/dev.lb").read_text(encoding="utf-8").split("\n")
    out = []
    for s, lb in zip(sents, labels):
        if not s:
            continue
        i = s.index(MARK)
        out.append((s.replace(MARK, ""), i, lb.strip().replace("u:", "v")))
    return out


def load_everyday(shared: Path) -> list[dict]:
    path = shared / "data/everyday/everyday-dev.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


OWN = ROOT / "bench" / "data"
_TARGET_RE = re.compile(r"(.)\{([a-z]+[1-5])(?:/([a-z]+[1-5]))?\}")


def load_own(path: Path) -> list[dict]:
    """Our own sentences (``bench/data/own-*.txt``: ``字{pinyin}`` or ``一{yi1/yi4}`` marks
    a target) in the everyday-dev form."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        text, targets, last = [], [], 0
        for m in _TARGET_RE.finditer(line):
            text.append(line[last:m.start(2) - 1])
            index = sum(map(len, text)) - 1
            t = {"index": index, "char": m.group(1), "pinyin": m.group(2)}
            if m.group(3):
                t["spoken"] = m.group(3)
            targets.append(t)
            last = m.end()
        text.append(line[last:])
        item = {"id": f"{path.stem}:{n}", "text": "".join(text), "targets": targets}
        assert all(item["text"][t["index"]] == t["char"] for t in targets), line
        assert "{" not in item["text"], f"{path}:{n}: malformed target"
        out.append(item)
    return out


def error_type(pred: str | None, gold: str) -> str:
    if not pred:
        return "no reading"
    if pred[:-1] == gold[:-1]:
        return "neutral-vs-full" if "5" in (pred[-1], gold[-1]) else "tone only"
    return "different syllable"


class Result:
    def __init__(self, name: str) -> None:
        self.name = name
        self.n = 0
        self.ok = 0
        self.by_char: Counter[str] = Counter()
        self.by_type: Counter[str] = Counter()
        self.examples: list[str] = []

    def add(self, ok: bool, char: str, pred: str | None, gold: str, context: str) -> None:
        self.n += 1
        if ok:
            self.ok += 1
            return
        self.by_char[char] += 1
        self.by_type[error_type(pred, gold)] += 1
        self.examples.append(f"{char} {pred}->{gold}  {context}")

    @property
    def acc(self) -> float:
        return 100.0 * self.ok / max(1, self.n)

    def report(self, top: int, show: int) -> None:
        print(f"  {self.name}: {self.acc:.2f}% ({self.ok}/{self.n})")
        if self.by_type:
            print("    by type: " + ", ".join(f"{k} {v}" for k, v in self.by_type.most_common()))
            print("    by char: " + " ".join(f"{k}{v}" for k, v in self.by_char.most_common(top)))
        for e in self.examples[:show]:
            print("      " + e)


def score_cpp(name: str, preds: Sequence[Sequence[str | None]], data, subset=None) -> Result:
    res = Result(name)
    for k, ((sent, i, gold), pred) in enumerate(zip(data, preds)):
        if subset is not None and k % 2 != subset:
            continue
        p = pred[i]
        # neutral vs full tone on the same syllable is a convention difference on CPP
        ok = p == gold or (p is not None and p[:-1] == gold[:-1] and "5" in (p[-1], gold[-1]))
        res.add(ok, sent[i], p, gold, sent[max(0, i - 12):i] + "[" + sent[i] + "]" + sent[i + 1:i + 13])
    return res


def score_everyday(name: str, preds, data, spoken_preds=None) -> tuple[Result, Result]:
    res, sp = Result(name), Result(name + " (一/不 spoken)")
    for k, (item, pred) in enumerate(zip(data, preds)):
        text = item["text"]
        for t in item["targets"]:
            i, gold = t["index"], t["pinyin"]
            ctx = text[max(0, i - 10):i] + "[" + text[i] + "]" + text[i + 1:i + 11]
            res.add(pred[i] == gold, t["char"], pred[i], gold, ctx)
            if "spoken" in t and spoken_preds is not None:
                sp.add(spoken_preds[k][i] == t["spoken"], t["char"], spoken_preds[k][i], t["spoken"], ctx)
    return res, sp


def pypinyin_numbers(text: str) -> list[str | None]:
    from pypinyin import Style, lazy_pinyin

    out = lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True, errors=lambda s: [""] * len(s))
    return [(p.replace("ü", "v") or None) if p else None for p in out]


def timed(fn: Callable[[list[str]], list], texts: list[str]) -> tuple[list, float]:
    t = time.perf_counter()
    out = fn(texts)
    return out, time.perf_counter() - t


def engine_batch(texts: list[str]) -> list[list[str | None]]:
    from yuedu import reading

    out: list[list[str | None]] = []
    for s in range(0, len(texts), 256):  # about a long article's worth of sentences per call
        out.extend(reading.pinyin_numbers_many(texts[s:s + 256]))
    return out


def engine_spoken(texts: list[str]) -> list[list[str | None]]:
    from yuedu import reading
    from yuedu.reading import to_tone_number

    out = []
    for t in texts:
        row: list[str | None] = []
        for w in reading.annotate(t):
            sylls = w.spoken or w.pinyin
            row.extend(to_tone_number(s) for s in sylls) if w.pinyin else row.extend([None] * len(w.text))
        out.append(row)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description="pinyin accuracy: engine vs plain pypinyin")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared data folder")
    ap.add_argument("--ablate", action="store_true", help="also run with each source switched off")
    ap.add_argument("--halves", action="store_true", help="(kept for old command lines: halves are always shown)")
    ap.add_argument("--errors", type=int, default=0, help="show this many error examples")
    ap.add_argument("--top", type=int, default=25, help="characters listed in 'by char'")
    ap.add_argument("--check", action="store_true",
                    help="also score bench/data/own-check*.txt (held out: report them, never tune on them)")
    args = ap.parse_args()

    cpp = load_cpp(args.shared)
    every = load_everyday(args.shared)
    cpp_texts = [s for s, _, _ in cpp]
    every_texts = [e["text"] for e in every]
    n_chars = sum(len(t) for t in cpp_texts)

    t0 = time.perf_counter()
    from yuedu import reading

    reading.warm_up()
    startup = time.perf_counter() - t0
    print(f"engine start-up (import + warm_up): {startup:.2f} s")

    preds, secs = timed(engine_batch, cpp_texts)
    print(f"engine speed on CPP dev: {n_chars / secs:,.0f} chars/s ({n_chars:,} chars, {secs:.1f} s, batches of 256 sentences)")
    sample = cpp_texts[::10]
    _, secs1 = timed(lambda ts: [reading.pinyin_numbers(t) for t in ts], sample)
    print(f"engine speed, one sentence per call (every 10th sentence): {sum(map(len, sample)) / secs1:,.0f} chars/s")

    t0 = time.perf_counter()
    pypinyin_numbers("预热")
    pstart = time.perf_counter() - t0
    ppreds, psecs = timed(lambda ts: [pypinyin_numbers(t) for t in ts], cpp_texts)
    print(f"pypinyin start-up {pstart:.2f} s, speed {n_chars / psecs:,.0f} chars/s")

    every_preds = engine_batch(every_texts)
    every_spoken = engine_spoken(every_texts)
    pevery = [pypinyin_numbers(t) for t in every_texts]

    print("\nCPP dev (neutral-vs-full forgiven):")
    score_cpp("engine", preds, cpp).report(args.top, args.errors)
    score_cpp("pypinyin", ppreds, cpp).report(args.top, 0)
    for h in (0, 1):  # always: a check that nothing was tuned to particular sentences
        print(f"  half {h}: engine {score_cpp('e', preds, cpp, h).acc:.2f}%, pypinyin {score_cpp('p', ppreds, cpp, h).acc:.2f}%")
    print("\neveryday-dev (exact):")
    res, sp = score_everyday("engine", every_preds, every, every_spoken)
    res.report(args.top, max(args.errors, 40))
    sp.report(args.top, 10)
    score_everyday("pypinyin", pevery, every)[0].report(args.top, 0)
    own_sets = [("own-dev", OWN / "own-dev.txt"), ("own-dev2", OWN / "own-dev2.txt")]
    if args.check:
        own_sets += [(f"{n} (held out)", OWN / f"{n}.txt") for n in ("own-check", "own-check2", "own-check3", "own-check4", "own-check5")]
    for label, path in own_sets:
        own = load_own(path)
        texts = [e["text"] for e in own]
        print(f"\n{label} (exact, {path.relative_to(ROOT)}):")
        res, sp = score_everyday("engine", engine_batch(texts), own, engine_spoken(texts))
        res.report(args.top, max(args.errors, 40))
        sp.report(args.top, 10)
        score_everyday("pypinyin", [pypinyin_numbers(t) for t in texts], own)[0].report(args.top, 0)

    if args.ablate:
        print("\nablation (each row switches one source off):")
        rows = [("full engine", {}), ("no rules", {"rules": False}), ("no word readings", {"words": False}),
                ("no CC-CEDICT", {"cedict": False}), ("no g2pM", {"g2pm": False}),
                ("g2pM argmax, hand trust list", {"choice": False}),
                ("g2pM argmax for all chars", {"choice": False, "g2pm_distrust": False})]
        for label, cfg in rows:
            saved = dict(reading._CONFIG)
            reading._CONFIG.update(cfg)
            reading._clear_caches()
            c = score_cpp(label, engine_batch(cpp_texts), cpp).acc
            e = score_everyday(label, engine_batch(every_texts), every)[0].acc
            reading._CONFIG.clear()
            reading._CONFIG.update(saved)
            reading._clear_caches()
            print(f"  {label:34s} CPP dev {c:6.2f}%   everyday-dev {e:6.2f}%")
        print(f"  {'pypinyin alone':34s} CPP dev {score_cpp('p', ppreds, cpp).acc:6.2f}%   everyday-dev {score_everyday('p', pevery, every)[0].acc:6.2f}%")
        g2 = g2pm_alone(cpp_texts, cpp, every_texts, every)
        print(f"  {'g2pM alone (package)':34s} CPP dev {g2[0]:6.2f}%   everyday-dev {g2[1]:6.2f}%")


def g2pm_alone(cpp_texts, cpp, every_texts, every) -> tuple[float, float]:
    """g2pM as shipped (its own argmax, one sentence at a time), for reference."""
    from g2pM import G2pM

    model = G2pM()

    def run(text: str) -> list[str | None]:
        out = model(text, char_split=True)
        return [o.replace("u:", "v") if re.fullmatch(r"[a-z:]+[1-5]", o or "") else None for o in out]

    c = score_cpp("g", [run(t) for t in cpp_texts], cpp).acc
    e = score_everyday("g", [run(t) for t in every_texts], every)[0].acc
    return c, e


if __name__ == "__main__":
    main()
