"""The reading engine: Chinese text -> words with one pinyin syllable per Han character.

Everything else in Yuedu reads text through :func:`annotate` (and the machine-facing
:func:`pinyin_numbers` and :func:`audit`); how the readings are decided is private to this
package, one module per stage, each readable and testable alone:

* :mod:`.syllables` -- Han characters, tone marks and tone numbers, user-written syllables;
* :mod:`.segment` -- jieba's tables, tokens, sub-words of tokens no dictionary reads;
* :mod:`.dictionary` -- a character's and a word's dictionary readings (``data/``);
* :mod:`.rules` -- the grammar rules (的/地/得/了/着, measure words, surnames, A-not-A);
* :mod:`.model` -- the g2pM BiLSTM;
* :mod:`.sandhi` -- 一/不 tone sandhi;
* :mod:`.markup` -- ``{字|zì}`` markers and overrides;
* :mod:`.decide` -- the decision per token and the entry points.

How a reading is decided, in order (each step's role was set by measuring it on CPP dev and
on the everyday-dev learner sentences, see ``bench/pinyin_accuracy.py``):

1. **Overrides** -- inline ``{字|zì}`` markers and the ``overrides`` mapping always win.
2. **Fixed characters** -- 一 is always yī and 不 always bù (dictionary tones; the tone
   after sandhi goes to ``Word.spoken``).
3. **Function-word and name rules** (:data:`_RULES`) for the particles and common
   polyphones whose reading depends on grammar rather than on the word: 的地得了着为还都
   只行长重种当儿没难空干 ..., verbs whose reading shows in their complement or object (弄脏
   nòng, 撒在 sǎ, 盛饭 chéng, 调小 tiáo, 背着书包 bēi, 倒茶 dào, 系鞋带 jì, 教会了我们 jiāo,
   没找着 zháo, 还我五十块 huán, 长了两公斤 zhǎng, 吐了一地 tù, 背到医院 bēi, 被风吹倒 dǎo,
   衣服还没干 gān, 好面子 hào, 冲我笑 chòng), adjective predicates (不够长 cháng, 长长了
   zhǎng cháng), a verb said twice round 一 (数一数 shǔ shǔ), single characters g2pM
   reads by their rarer sense (刨坑 páo 'dig', 铁镐 gǎo 'pick'), adjectives after a degree word
   (很干 gān, 不太难 nán, 包太重 zhòng), the halves of a split verb-object word (干了一杯 gān,
   照张相 xiàng), surnames before a title or a given name (单老师, 曾小明说) and given names
   (周晓燕 yàn), terms of address (刘大爷 dàye) and adjective senses (地道的菜 dìdao).
4. **Word readings** -- the jieba token (or, inside a token no reading dictionary knows,
   the words it is made of: the token is re-cut by jieba's word frequencies together with
   the reading dictionaries' words, so 心脏病 is 心脏 + 病, never ...脏病 zāngbìng) read
   from pypinyin's phrase table and CC-CEDICT (with :data:`_WORD_FIXES` for the few words
   both get wrong).
   CC-CEDICT wins where it gives a neutral tone (认识 rènshi). Where pypinyin's reading is
   also one of CC-CEDICT's common readings, the two agree and CC-CEDICT's other senses are
   dropped (好吃 hǎochī, not hàochī 'gluttonous'); for a word the two tables read
   differently otherwise, both readings become candidates for step 5. A neutral 不 in a
   dictionary word stays (了不起 liǎobuqǐ). An A-not-A question (累不累) reads both As alike.
   A token jieba glued across a word (又快又好|听) takes the reading of the word it cuts
   (好听 hǎotīng). A name's one dictionary reading stands too, even where CPP's labels
   never use it (华山 Huà, 刘禅 Shàn: g2pM, trained on those labels, would read huá, chán).
5. **The learned choice** (:mod:`.choice`) -- for a polyphone g2pM was trained on (CPP's
   623 characters) that no rule or single word reading fixed, a conditional logit over the
   candidates (the word's readings where the dictionaries disagree, else the character's)
   weighs g2pM's probability -- less for function words, where g2pM, trained on Wikipedia
   sentences, misreads particles (得 dé, 了 liǎo) -- against the dictionaries' first reading
   and CPP's training-label counts. The weights (``data/choice.json``) come from
   ``bench/train_choice.py``, fitted on CPP dev and our own everyday sentences with odd/even
   cross-validation. Measured there: letting g2pM overrule a word's single dictionary reading
   loses more than it wins, so a word's one reading stands.
6. **Default** -- pypinyin's first (most common) reading of the character.
"""

from __future__ import annotations

import importlib

from .syllables import (
    HAN,
    HAN_RE,
    HAN_RUN_RE,
    _parse_syllable,
    _to_marks,
    is_han,
    to_tone_number,
    tone_of,
)

# Everything else is imported when first used (PEP 562): a build that reuses every article
# needs only the character classes above, not the engine's modules (rules, segmenter, model).
_LAZY = {name: module for module, names in {
    "decide": ("_CONFIG", "_G2PM_DISTRUST", "_G2PM_MIN_CONF", "Word", "_analyse_many", "_annotate_clean",
               "_audit_entries", "_Char", "_clear_caches", "_decide_token", "_words", "annotate",
               "annotate_many", "audit", "pinyin_and_words", "pinyin_numbers", "pinyin_numbers_many",
               "warm_up"),
    "dictionary": ("_WORD_FIXES", "_char_readings", "_word_readings"),
    "markup": ("_override_spans", "_prepare", "_strip_markers"),
    "model": ("_G2pM",),
    "rules": ("_RULES", "_SURNAMES", "_WHOLE_TOKEN_RULES", "_apply_rules", "_Ctx"),
    "sandhi": ("_sandhi",),
    "segment": ("_segment", "_sentences", "_split_mixed", "_sub_path", "_sub_words", "_Token"),
}.items() for name in names}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "HAN",
    "HAN_RE",
    "HAN_RUN_RE",
    "Word",
    "annotate",
    "annotate_many",
    "audit",
    "is_han",
    "pinyin_and_words",
    "pinyin_numbers",
    "pinyin_numbers_many",
    "to_tone_number",
    "tone_of",
    "warm_up",
]
