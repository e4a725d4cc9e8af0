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
dictionary says so; ``pivot?=`` alike), ``av`` a verb precedes, ``ba`` an adjective follows, ``ar`` a
personal pronoun precedes, ``an`` a numeral precedes, ``ac`` a clause of action precedes (a verb
earlier in the sentence), ``ak`` a conjunction precedes it in the sentence (如果 ...: a
supposition), ``pivot``, ``name``, ``dobj`` (a coverb that is the main verb: its verb senses
fit), ``reply``, and ``o=<object>`` for a verb whose object follows an aspect particle (下了楼:
the separable word 下楼 is in the dictionary, and its sense says which of 下's is meant).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from .units import _PERSONAL_PRONOUNS

if TYPE_CHECKING:
    from .decide import Word

#: Characters that end a clause (a word made of them, or of spaces, is a boundary).
_CLAUSE_END = set("，。！？；：,.!?;:、…—\n") | {"\r"}
#: Sentence-final particles that may follow a question or an answer.
_FINAL = frozenset({"吗", "吧", "呢", "啊", "呀", "嘛", "了"})
_NAME_TAGS = frozenset({"nr", "nrfg", "nrt"})
#: Auxiliary (modal) verbs, a closed class (能愿动词): the verb after one is the main verb, not a
#: complement (想去 is "want to go": 去 is not "(after a verb) to go in order to ...").
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
    return w is not None and (w.text in _PERSONAL_PRONOUNS or w.kind == "name" or _tag(w) in _NAME_TAGS
                              or (_tag(w)[:1] == "n" and w.kind == "word"))


def _is_name(w: Word | None) -> bool:
    """A person's name (叫王明), not a place's (去中国)."""
    return w is not None and _tag(w) in _NAME_TAGS


def _clauses(words: Sequence[Word]) -> list[list[int]]:
    """Indices of the Han words of each clause (punctuation and line breaks end one)."""
    out: list[list[int]] = [[]]
    for i, w in enumerate(words):
        if w.pinyin:
            out[-1].append(i)
        elif w.text.strip() == "" and "\n" not in w.text:
            continue  # a space inside a clause
        elif any(c in _CLAUSE_END for c in w.text) or "\n" in w.text:
            out.append([])
    return [c for c in out if c]


def _sentence_starts(words: Sequence[Word]) -> list[int]:
    """For each word, the index where its sentence starts (after 。！？ or a line break)."""
    starts, s = [], 0
    for i, w in enumerate(words):
        starts.append(s)
        if not w.pinyin and (any(c in "。！？!?" for c in w.text) or "\n" in w.text):
            s = i + 1
    return starts


def mark(words: list[Word]) -> list[Word]:
    """``words`` with context flags added to each Han word's tag (see the module doc)."""
    if not words:
        return words
    starts = _sentence_starts(words)
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
            elif tag[:1] == "v" and _maybe_verb(nxt):
                flags.append("bv?=" + nxt.text)  # jieba tags 学 in 想学 a noun: the glossary checks
            if _is_verb(prev) and prev.text not in _AUXILIARIES:
                flags.append("av")
            if nxt is not None and _tag(nxt)[:1] == "a":
                flags.append("ba")
            if prev is not None and prev.text in _PERSONAL_PRONOUNS:
                flags.append("ar")
            if prev is not None and (prev.kind == "number" or _tag(prev)[:1] == "m"):
                flags.append("an")
            before = words[starts[i]:i]
            if any(_is_verb(b) for b in before):
                flags.append("ac")
            if any(_tag(b)[:1] == "c" for b in before):
                flags.append("ak")
            if tag[:1] == "v" and _is_person(nxt) and _is_verb(after):
                flags.append("pivot")  # 让我出去, 叫他来
            elif tag[:1] == "v" and _is_person(nxt) and _maybe_verb(after):
                flags.append("pivot?=" + after.text)  # 让我们回家 (jieba: 回家 a noun)
            elif tag[:1] == "v" and _is_name(nxt):
                flags.append("name")  # 我叫王明
            if tag[:1] == "p" and _is_person(nxt):
                rest = [words[j] for j in clause[k + 2:]]
                if rest and not any(_is_verb(r) for r in rest) and any(
                        _tag(r)[:1] in ("n", "m", "q") for r in rest):
                    flags.append("dobj")  # 给我一本书: a person and a thing, no verb after
            if (tag[:1] == "v" and len(w.text) == 1 and nxt is not None and nxt.text in ("了", "过", "着")
                    and after is not None and after.kind != "name" and _tag(after)[:1] == "n"):
                flags.append("o=" + after.text)  # 下了楼: the separable word 下楼 with 了 inside
            if k == 0 and _stands_alone(w, [words[j] for j in clause[1:]]):
                flags.append("reply")  # 明天去，行不行？
            if flags:
                out[i] = replace(w, context=tuple(flags))
    return out


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
