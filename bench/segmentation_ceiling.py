"""How far MSR's Han-boundary F1 can go with units a learner can look up: measured alternatives.

Usage (from the project root)::

    python bench/segmentation_ceiling.py [--shared PATH]

Each row cuts the SIGHAN 2005 dev halves with the engine's units and then merges neighbouring
units into bigger ones by one policy, and prints Han-boundary F1 (precision, recall), word F1
and non-words, as ``bench/segmentation.py`` does. The policies are the candidates for gluing
what MSR keeps whole; none of them is in the engine (see bench/README.md, "Word units"):

* **jieba words, freq >= T** -- jieba dictionary words CC-CEDICT lacks (nouns, or nouns, verbs,
  adjectives and set phrases; not starting with a numeral, no function character at either end).
* **oracle: jieba words in both training lists** -- the same candidates kept only when *both*
  training word lists (``*_training_words.utf8``) have them: an upper bound for any model that
  picks jieba words, not shippable (it is a list made by intersecting with SIGHAN words).
* **derivational affixes** -- a dictionary word and a suffix (-性, -化, -率, -者 ...) or a prefix
  (副-, 总-, 非- ...) as one unit.
* **organisation names** -- a name and the words up to an institution (公司, 银行, 大学, 委员会 ...).
* **number + measure word** -- 一个, 两年, 第三届 as one unit, which the issue rules out (两个 is
  两 + 个 unless the dictionary has the whole): what that rule costs against MSR.

Nothing is written; the dev halves are only measured.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Collection
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from segmentation import Score, load  # noqa: E402

HAN_WORD = re.compile(r"^[\u4e00-\u9fff]+$")
FUNCTION_CHARS = set("的了着过是在和与及或也都就还又很最更不没把被给对从向")
SUFFIXES = set("性 化 率 者 家 员 界 式 型 制 业 度 感 法 权 论 学 史".split())
PREFIXES = set("副 总 非 超 反 准 亚 伪".split())
INSTITUTIONS = set("公司 集团 银行 大学 学院 中学 小学 医院 委员会 协会 学会 研究所 研究院 电视台 电台 出版社 日报 "
                   "报社 铁路 机场 核电站 电站 水电站 联合会 基金会 总公司 分公司 分行 支行 营业部 法院 检察院".split())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args(argv)
    seg_dir = args.shared / "data" / "seg"
    if not seg_dir.is_dir():
        print(f"no segmentation data at {seg_dir}", file=sys.stderr)
        return 1

    from yuedu import glossary
    from yuedu.reading.segment import jieba_tables
    from yuedu.reading.units import NUMERAL_CHARS, NUMBER_RE, Unit, segmenter

    seg = segmenter()
    jt = jieba_tables()
    freq, tags = jt.tokenizer.FREQ, jt.tags
    headwords = glossary.load(ROOT / glossary.CACHE_DIR_NAME)
    sents = {c: load(seg_dir / f"{c}_dev_gold.utf8") for c in ("pku", "msr")}
    lexicon = {w for w, f in seg.lex.items() if f and len(w) > 1}

    def jieba_words(min_freq: int, kinds: Collection[str]) -> set[str]:
        return {w for w, f in freq.items()
                if f >= min_freq and 2 <= len(w) <= 4 and HAN_WORD.match(w) and w not in lexicon
                and tags.get(w, "x") in kinds and w[0] not in NUMERAL_CHARS + "第" and not NUMBER_RE.fullmatch(w)
                and w[0] not in FUNCTION_CHARS and w[-1] not in FUNCTION_CHARS}

    def merging(words: Collection[str]) -> Callable[[list[Unit]], list[str]]:
        def merge(units: list[Unit]) -> list[str]:
            texts, out, i = [u.text for u in units], [], 0
            while i < len(texts):
                n = next((n for n in (3, 2) if i + n <= len(texts) and "".join(texts[i:i + n]) in words), 1)
                out.append("".join(texts[i:i + n]))
                i += n
            return out
        return merge

    def affixes(units: list[Unit]) -> list[str]:
        out, i = [], 0
        content = ("n", "v", "a", "vn", "an")
        while i < len(units):
            u = units[i]
            nxt = units[i + 1] if i + 1 < len(units) else None
            if nxt and ((u.kind == "word" and u.tag[:2] in content and nxt.kind == "char" and nxt.text in SUFFIXES)
                        or (u.kind == "char" and u.text in PREFIXES and nxt.kind == "word" and nxt.tag[:2] in content)):
                out.append(u.text + nxt.text)
                i += 2
                continue
            out.append(u.text)
            i += 1
        return out

    def organisations(units: list[Unit]) -> list[str]:
        out, i = [], 0
        while i < len(units):
            u = units[i]
            if len(u.text) > 1 and (u.kind == "name" or u.tag[:2] == "ns"):
                k = i + 1
                while (k < len(units) and k - i - 1 < 1 and units[k].text not in INSTITUTIONS
                       and units[k].tag[:1] == "n" and len(units[k].text) > 1):
                    k += 1
                if k < len(units) and units[k].text in INSTITUTIONS:
                    out.append("".join(x.text for x in units[i:k + 1]))
                    i = k + 1
                    continue
            out.append(u.text)
            i += 1
        return out

    def measures(units: list[Unit]) -> list[str]:
        out: list[str] = []
        for k, u in enumerate(units):
            prev = units[k - 1] if k else None
            if (prev and u.kind == "char" and (u.text in seg.names.measures or u.text in "年天")
                    and (prev.kind == "number" or prev.text in NUMERAL_CHARS)):
                out[-1] += u.text
            else:
                out.append(u.text)
        return out

    nouns = ("n", "vn", "nz", "nt", "ns")
    content_words = nouns + ("v", "a", "l", "i")
    train = [set((seg_dir / f"{c}_training_words.utf8").read_text(encoding="utf-8").split()) for c in ("pku", "msr")]
    oracle = {w for w in jieba_words(1, set(tags.values())) if w in train[0] and w in train[1]}
    policies: list[tuple[str, Callable[[list[Unit]], list[str]]]] = [
        ("engine units", lambda units: [u.text for u in units]),
        ("+ jieba nouns, freq >= 1000", merging(jieba_words(1000, nouns))),
        ("+ jieba nouns, freq >= 300", merging(jieba_words(300, nouns))),
        ("+ jieba content words, freq >= 300", merging(jieba_words(300, content_words))),
        ("+ oracle: jieba words in both training lists", merging(oracle)),
        ("+ derivational affixes", affixes),
        ("+ organisation names", organisations),
        ("+ number + measure word (ruled out)", measures),
    ]
    print(f"{'policy':<46} {'corpus':<6} {'Han-boundary F1 (P / R)':>26} {'word F1':>8} {'non-words':>10}")
    for name, policy in policies:
        for corpus, gold_sents in sents.items():
            score = Score()
            for gold in gold_sents:
                score.add(gold, policy(seg.cut("".join(gold))), headwords)
            bf, wf, nw = score.figures()
            p, r = score.tp / max(score.tp + score.fp, 1), score.tp / max(score.tp + score.fn, 1)
            print(f"{name:<46} {corpus:<6} {bf:>9.4f} ({p:.4f} / {r:.4f}) {wf:>8.4f} {nw * 100:>9.2f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
