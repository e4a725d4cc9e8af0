"""What a word does in its clause, beyond its part of speech: the context a dictionary sense can
depend on.

CC-CEDICT states some of its senses' conditions itself ("(before a verb) easy to", "(verb
complement indicating completion)", "(after a suppositional clause) in that case"), and some
senses belong to a construction rather than to the word alone: a verb before another verb is an
auxiliary (想去 "want to"), a verb with a person and then a verb is causative (让我出去 "let sb
do sth"), a verb before a name names (叫王明 "to be called"), a coverb with a person and then a
thing is the main verb (给我一本书), and a predicate standing alone at the head of its clause,
asked as X不X or X吗 (明天去，行不行？), agrees to what was said before ("OK"). :func:`mark`
records these facts on each word, after its reading is decided, as flags in ``Word.context``
(``("bv", "av")``; ``Word.pos`` stays jieba's tag); :func:`yuedu.glossary.rank_senses` reads them.

Flags: ``bv`` a verb follows (``bv?=学``: a word jieba tags otherwise follows, a verb if the
dictionary says so; ``pivot?=`` alike), ``endq``/``endd`` its clause ends after it with a
question mark / otherwise, ``av`` a verb precedes, ``ba`` an adjective follows, ``ar`` a
personal pronoun precedes, ``an`` a numeral precedes, ``ac`` a clause of action precedes (a verb
earlier in the sentence), ``ak`` a conjunction precedes it in the sentence (如果 ...: a
supposition), ``pivot``, ``name``, ``dobj`` (a coverb that is the main verb: its verb senses
fit), ``reply``, ``m=<measure>`` for a word after a numeral or demonstrative and a measure word
(CC-CEDICT names the classifiers of a noun's senses: 菜 "dish (CL:盘)" vs "vegetable (CL:棵)"),
and ``o=<object>`` for a verb whose object follows an aspect particle (下了楼:
the separable word 下楼 is in the dictionary, and its sense says which of 下's is meant).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from .units import _PERSONAL_PRONOUNS, segmenter

if TYPE_CHECKING:
    from .decide import Word

#: Characters that end a clause, and those that end a sentence.
_CLAUSE_END = re.compile("[，。！？；：,.!?;:…—\n\r]")  # not 、: it lists items within a clause
_SENTENCE_END = re.compile("[。！？!?\n]")
#: Sentence-final particles that may follow a question or an answer.
_FINAL = frozenset({"吗", "吧", "呢", "啊", "呀", "嘛", "了"})
_NAME_TAGS = frozenset({"nr", "nrfg", "nrt"})
#: Auxiliary (modal) verbs, a closed class (能愿动词): the verb after one is the main verb, not a
#: complement (想去 is "want to go": 去 is not "(after a verb) to go in order to ...").
#: 来/去 before a verb say what one comes or goes to do (去看 "go and see"): the verb after them is
#: the main verb too, not their complement.
_PURPOSE = frozenset({"来", "去"})
_AUXILIARIES = frozenset({"能", "能够", "会", "可以", "可", "要", "想", "愿意", "肯", "敢", "应该", "应当",
                          "该", "得", "必须", "需要", "可能", "打算"})


def _tag(w: Word) -> str:
    return w.pos or ""


def _is_verb(w: Word | None) -> bool:
    return w is not None and _tag(w)[:1] == "v" and w.kind != "name"


def _maybe_verb(w: Word | None) -> bool:
    """A word jieba tags a noun or adjective that may still be a verb (its dictionary senses
    decide: :func:`yuedu.glossary.rank_senses`)."""
    return w is not None and _tag(w)[:1] in ("n", "a") and w.kind in ("char", "word") and _tag(w) not in _NAME_TAGS


def _is_person(w: Word | None) -> bool:
    """A personal pronoun, a person's name, or a common noun (妈妈, 孩子; not a place or an
    organisation's name)."""
    return w is not None and (w.text in _PERSONAL_PRONOUNS or _tag(w) in _NAME_TAGS
                              or (_tag(w) == "n" and w.kind == "word"))


def _is_name(w: Word | None) -> bool:
    """A person's name (叫王明), not a place's (去中国)."""
    return w is not None and _tag(w) in _NAME_TAGS


def _clauses(words: Sequence[Word]) -> list[list[int]]:
    """Indices of the Han words of each clause (punctuation and line breaks end one)."""
    out: list[list[int]] = [[]]
    for i, w in enumerate(words):
        if w.pinyin:
            out[-1].append(i)
        elif _CLAUSE_END.search(w.text):
            out.append([])
    return [c for c in out if c]


def _earlier(words: Sequence[Word]) -> list[tuple[bool, bool]]:
    """For each word: whether a verb, and whether a conjunction, comes before it in its sentence
    (a sentence ends after 。！？ or a line break)."""
    out, verb, conj = [], False, False
    for w in words:
        out.append((verb, conj))
        if not w.pinyin:
            if _SENTENCE_END.search(w.text):
                verb = conj = False
        else:
            verb = verb or _is_verb(w)
            conj = conj or (w.pos or "")[:1] == "c"
    return out


def mark(words: list[Word]) -> list[Word]:
    """``words`` with context flags added to each Han word's tag (see the module doc)."""
    if not words:
        return words
    earlier = _earlier(words)
    out = list(words)
    for clause in _clauses(words):
        for k, i in enumerate(clause):
            w = words[i]
            prev = words[clause[k - 1]] if k > 0 and clause[k - 1] == i - 1 else None
            nxt = words[clause[k + 1]] if k + 1 < len(clause) and clause[k + 1] == i + 1 else None
            after = words[clause[k + 2]] if k + 2 < len(clause) and clause[k + 2] == i + 2 else None
            tag = _tag(w)
            flags = []
            if _is_verb(nxt):
                flags.append("bv")
            elif _maybe_verb(nxt):
                flags.append("bv?=" + nxt.text)  # jieba tags 学 in 想学 a noun: the glossary checks
            if _is_verb(prev) and prev.text not in _AUXILIARIES and prev.text not in _PURPOSE:
                flags.append("av")
            if nxt is not None and _tag(nxt)[:1] == "a":
                flags.append("ba")
            if prev is not None and prev.text in _PERSONAL_PRONOUNS:
                flags.append("ar")
            if prev is not None and (prev.kind == "number" or _tag(prev)[:1] == "m"):
                flags.append("an")
            verb_before, conj_before = earlier[i]
            if verb_before:
                flags.append("ac")
            if conj_before:
                flags.append("ak")
            if tag[:1] == "v" and _is_person(nxt) and _is_verb(after):
                flags.append("pivot")  # 让我出去, 叫他来
            elif tag[:1] == "v" and _is_person(nxt) and _maybe_verb(after):
                flags.append("pivot?=" + after.text)  # 让我们回家 (jieba: 回家 a noun)
            elif tag[:1] == "v" and _is_name(nxt):
                flags.append("name")  # 我叫王明
            if (tag[:1] == "p" and _is_person(nxt) and after is not None and _thing(words[i + 2:clause[-1] + 1])
                    and (nxt.text in _PERSONAL_PRONOUNS or _tag(nxt) in _NAME_TAGS or _tag(after) in ("m", "q", "r"))):
                flags.append("dobj")  # 给我一本书: a person and a thing, no verb after
            if (tag[:1] == "v" and len(w.text) == 1 and nxt is not None and nxt.text in ("了", "过", "着")
                    and after is not None and after.kind != "name" and _tag(after)[:1] == "n"):
                flags.append("o=" + after.text)  # 下了楼: the separable word 下楼 with 了 inside
            if k == len(clause) - 1 and (i + 1 == len(words) or not words[i + 1].pinyin):
                # the clause ends here (sentence-final particles): asking, or stating
                flags.append("endq" if i + 1 < len(words) and words[i + 1].text.strip()[:1] in "？?" else "endd")
            measure = _measure_before(words, i)
            if measure and measure != w.text:  # 一条条: a repeated measure word, no noun
                flags.append("m=" + measure)  # 这朵花, 一盘菜: the classifier picks the noun's sense
            if k == 0 and _stands_alone(w, [words[j] for j in clause[1:]]):
                flags.append("reply")  # 明天去，行不行？
            if flags:
                out[i] = replace(w, context=tuple(flags))
    return out


#: Tags of a noun phrase's words: numerals, measure words, common nouns, pronouns (这本书),
#: adjectives, distinguishing words and 的.
_PHRASE_TAGS = frozenset({"m", "q", "n", "r", "a", "b", "uj", "ng", "nz"})


def _thing(rest: Sequence[Word]) -> bool:
    """True if ``rest`` (the clause after coverb + person) is just a noun phrase: 一本书, 这杯茶.
    Then the coverb has two objects and no verb follows: it is the main verb (给我一本书)."""
    han = [w for w in rest if w.pinyin]
    return bool(han) and len(han) == len([w for w in rest if w.text.strip()]) and all(
        _tag(w) in _PHRASE_TAGS for w in han) and any(_tag(w) in ("n", "ng", "nz") for w in han)


#: Demonstratives and question words that take a measure word (这本书, 哪家, 每天, 几个).
_DEMONSTRATIVES = frozenset("这那哪每几某")


def _measure_before(words: Sequence[Word], i: int) -> str | None:
    """The measure word right before ``words[i]`` after a numeral or demonstrative (一盘菜,
    这朵花, 三条鱼 with 三条 one unit), or None."""
    prev = words[i - 1] if i > 0 else None
    if prev is None or not prev.pinyin:
        return None
    measures = segmenter().names.measures
    if len(prev.text) == 1:
        before = words[i - 2] if i > 1 else None
        if prev.text in measures and before is not None and before.pinyin and (
                before.kind == "number" or _tag(before)[:1] == "m" or before.text[-1] in _DEMONSTRATIVES):
            return prev.text
        return None
    if prev.text[-1] in measures and (prev.kind == "number" or _tag(prev)[:1] == "m"):
        return prev.text[-1]
    return None


def _stands_alone(w: Word, rest: Sequence[Word]) -> bool:
    """True if ``w`` is its clause's whole predicate: alone, asked as X不X, or X + a final
    particle (行！ 行不行？ 行吗？)."""
    if _tag(w)[:1] in ("r", "n", "m", "q", "p", "c", "u", "y", "d", "e", "o") or w.kind != "char":
        return False
    texts = [r.text for r in rest]
    if texts and texts[0] in ("不" + w.text, "没" + w.text):
        texts = texts[1:]
    elif texts[:2] in (["不", w.text], ["没", w.text]):
        texts = texts[2:]
    return all(t in _FINAL for t in texts)
