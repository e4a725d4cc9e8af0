"""Which sense a popup leads with, on common words in sentences of our own, against the sense a
teacher would give first.

Usage (from the project root): ``python bench/sense_lead.py`` for the tuning list below,
``python bench/sense_lead.py --check`` for the held-out list ``bench/data/sense-check.tsv``
(other words, other sentences, labelled before the ranking was tuned: report it, never tune on
it). Prints each case (OK or BAD, the word's tag in the sentence, the leading sense) and how
many lead right. The tuning cases that lead right are also tests (``tests/test_units.py``,
``tests/test_senses.py``); the others are what the ranking (:func:`yuedu.glossary.rank_senses`,
with the context flags of :mod:`yuedu.reading.roles`) does not yet get.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from yuedu import glossary  # noqa: E402
from yuedu.reading import annotate  # noqa: E402

#: (sentence, word, the senses a teacher accepts as the first one)
CASES = [  # (sentence, word, accepted lead senses)
    ("这件衣服太贵了。", "太", {"too (much)"}),
    ("我没有钱。", "钱", {"money"}),
    ("明天去，行不行？", "行", {"all right", "OK!", "will do"}),
    ("我要一杯咖啡。", "要", {"to want; to need; to ask for"}),
    ("你会说中文吗？", "会", {"can; to have the skill; to know how to"}),
    ("他打了我一下。", "打", {"to beat", "to strike", "to hit"}),
    ("我们三点见。", "点", {"o'clock"}),
    ("他还在睡觉。", "还", {"still"}),
    ("我马上就来。", "就", {"(after a clause of action) as soon as; immediately after"}),
    ("他八点才起床。", "才", {"then and only then"}),
    ("你说得对。", "对", {"right; correct"}),
    ("我去过北京。", "过", {"(experienced action marker)"}),
    ("他把书放在桌子上。", "把", {"(used to put the object before the verb: 把 (bǎ) + {noun} + {verb})"}),
    ("他给我一本书。", "给", {"to give"}),
    ("妈妈不让我出去。", "让", {"to let sb do sth", "to permit"}),
    ("我比他高。", "比", {"(followed by a noun and adjective) more {adj.} than {noun}"}),
    ("我从北京来。", "从", {"from"}),
    ("他在学校。", "在", {"(of sb or sth) to be (located) at"}),
    ("他家很大。", "家", {"home", "family"}),
    ("今天天气很好。", "好", {"good"}),
    ("这条路很长。", "长", {"long"}),
    ("我想去中国。", "想", {"to desire; to want (to)"}),
    ("你看这个。", "看", {"to see; to look at", "to read"}),
    ("我吃了一碗面。", "面", {"noodles", "flour"}),
    ("他开了门。", "开", {"to open (transitive or intransitive)"}),
    ("他慢慢地走了。", "地", {"structural particle: used before a verb or adjective, linking it to preceding modifying adverbial adjunct", "-ly"}),
    ("我和你。", "和", {"(joining two nouns) and; together with; with (Taiwan pr. hàn)"}),
    ("我买了三斤米。", "米", {"rice"}),
    ("他跑得很快。", "得", {"structural particle: used after a verb (or adjective as main verb), linking it to following phrase indicating effect, degree, possibility etc"}),
    ("他上了车。", "上", {"to climb; to get onto; to go up"}),
    ("他说得很多。", "多", {"many; much"}),
    ("我每天都喝水。", "水", {"water"}),
    ("这是我的书。", "书", {"book"}),
    ("他是我的老师。", "是", {"to be (followed by substantives only)"}),
    ("桌子上有一个苹果。", "个", {"(classifier used before a noun that has no specific classifier)"}),
    ("我有两本书。", "本", {"classifier for books, periodicals, files etc"}),
    ("他下了楼。", "下", {"to go down"}),
    ("他走了。", "走", {"to walk", "to go", "to leave"}),
    ("我叫王明。", "叫", {"to call; to be called", "to be called", "to call"}),
    ("这个菜很好吃。", "菜", {"dish (of food) (CL:样 (yàng),道 (dào),盘 (pán))"}),
    # added mid-round (words of neither list), labelled from CC-CEDICT's own order
    ("请给我打电话。", "给", {"to", "for", "for the benefit of"}),
    ("他比我高。", "高", {"high", "tall"}),
    ("我们一起唱歌吧。", "吧", {"(modal particle indicating suggestion or surmise)"}),
    ("这件事我知道了。", "了", {"(modal particle indicating change of state, situation now)"}),
    ("我还没吃饭。", "还", {"still", "yet"}),
    ("他的中文说得很好。", "好", {"good"}),
    ("这个字怎么写？", "字", {"character"}),
    ("明天见！", "见", {"to see", "to meet"}),
    ("我带你去。", "带", {"to take along", "to bring", "to lead"}),
    ("他每天看报纸。", "看", {"to read"}),
    ("你别走。", "别", {"don't ...!"}),
]


CHECK = ROOT / "bench" / "data" / "sense-check.tsv"


def held_out() -> list[tuple[str, str, set[str]]]:
    """The held-out cases: ``sentence<TAB>word<TAB>sense || sense`` lines, ``#`` comments."""
    cases = []
    for line in CHECK.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            sent, w, ok = line.split("\t")
            cases.append((sent, w, {s.strip() for s in ok.split(" || ")}))
    return cases


def main(argv: list[str]) -> int:
    cases = held_out() if "--check" in argv else CASES
    d = glossary.load(ROOT / glossary.CACHE_DIR_NAME)
    right = 0
    for sent, w, ok in cases:
        words = [x for x in annotate(sent) if x.text == w]
        if not words:
            print(f"NO UNIT {w} in {sent}: {[x.text for x in annotate(sent)]}")
            continue
        g = glossary.gloss(words[0], d)
        lead = (g["senses"] or [""])[0]
        right += lead in ok
        print("OK " if lead in ok else "BAD", w, words[0].pos, "|", lead, "|", sent)
    print(f"{right}/{len(cases)} lead right")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
