"""Segmentation: jieba's tables, tokens, sub-words of unread tokens, sentences.

The engine reads text token by token; a token is a jieba word (with its dictionary POS tag),
a forced span (an override), or a piece of a token that no reading dictionary knows.
"""

from __future__ import annotations

import functools
import hashlib
import math
import os
import pickle
import re
import sys
import tempfile
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from .dictionary import _word_readings
from .syllables import HAN_RE, HAN_RUN_RE


def _jieba_tables(jieba_mod) -> tuple[dict[str, int], int, dict[str, str]]:
    """jieba's prefix-frequency table and its word -> POS tag table.

    jieba's own cache is a marshal file that takes about 1.5 s to load; a pickle of the
    same table (with the tag table sharing its key strings) loads in about a third of
    that, which is what keeps start-up under 2 s. The pickle is rebuilt whenever jieba's
    dictionary file changes.
    """
    dict_path = Path(jieba_mod.__file__).parent / "dict.txt"
    st = dict_path.stat()
    key = hashlib.sha1(f"{dict_path}:{st.st_size}:{st.st_mtime_ns}:1".encode()).hexdigest()[:12]
    cache = Path(tempfile.gettempdir()) / f"yuedu-jieba-{key}.pickle"
    try:
        with cache.open("rb") as f:
            return pickle.load(f)
    except Exception:  # missing or unreadable: rebuild below
        pass
    freq, total = jieba_mod.Tokenizer().gen_pfdict(dict_path.open("rb"))
    keys = {k: k for k in freq}
    tags: dict[str, str] = {}
    with dict_path.open(encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 3:
                tags[keys.get(parts[0], parts[0])] = sys.intern(parts[2])
    tables = (freq, total, tags)
    write_pickle(cache, tables)
    return tables


def write_pickle(path: Path, obj: object) -> None:
    """Pickle ``obj`` to ``path`` atomically; a cache that can't be written is only a missed speed-up."""
    try:
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            pickle.dump(obj, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass


@dataclass
class _Jieba:
    tokenizer: object  # jieba.Tokenizer with the tables below already loaded
    tags: dict[str, str]


@functools.cache
def jieba_tables() -> _Jieba:
    """jieba's tokenizer (initialised from :func:`_jieba_tables`) and its POS tags, loaded once."""
    import jieba

    jieba.setLogLevel(60)  # jieba logs its cache loading at INFO to stderr
    freq, total, tags = _jieba_tables(jieba)
    tok = jieba.Tokenizer()
    tok.FREQ, tok.total, tok.initialized = freq, total, True
    return _Jieba(tok, tags)


@dataclass
class _Token:
    start: int
    end: int
    text: str
    tag: str
    forced: bool = False
    #: The learner unit this token is part of, when the engine reads a unit in pieces
    #: ((start, end, pos, kind) of the unit); None when the token is the unit itself.
    unit: tuple[int, int, str, str] | None = None
    #: What the unit is (see :class:`.units.Unit`): word, idiom, name, number, char, other.
    kind: str = "word"
    #: The unit's part of speech in this sentence, where it differs from ``tag`` (see
    #: :meth:`.units.Segmenter.cut_han`); what :class:`Word` shows as ``pos``.
    pos: str = ""
    #: When the token is a phrase the reading dictionaries know over several units (很脏 hěn
    #: zāng, 弹钢琴 tán gāngqín), those units' (start, end, pos, kind); empty otherwise.
    parts: tuple[tuple[int, int, str, str], ...] = ()


def _segment(text: str, forced: Sequence[tuple[int, int]], alone: Collection[str] = frozenset(),
             names: Collection[str] = frozenset()) -> list[_Token]:
    """Tokens covering ``text``: its learner units (:mod:`.units`); ``forced`` spans are units.

    A unit that no reading dictionary knows and that holds a character of ``alone`` (those the
    grammar rules need to see on their own) is read in pieces -- dictionary words and single
    characters -- unless it is a name or a number; the pieces remember their unit, which is
    what :class:`Word` shows. ``names`` (author-declared names among the forced spans) are
    units of kind ``name``.
    """
    from .units import segmenter

    seg = segmenter()
    tags = seg.tags
    tokens: list[_Token] = []

    def cut(start: int, end: int) -> None:
        pos = start
        units = seg.cut(text[start:end])
        # Units that a reading dictionary reads as one phrase are read together (很脏 hěn zāng,
        # 弹钢琴 tán gāngqín) and stay units of their own.
        phrase_len: dict[int, int] = {}
        k = 0
        while k < len(units):
            j = k
            while j < len(units) and units[j].kind != "other":
                j += 1
            for a, b in seg.phrase_spans([u.text for u in units[k:j]]):
                phrase_len[k + a] = b - a
            k = j + 1
        k = 0
        while k < len(units):
            u = units[k]
            w = u.text
            n = phrase_len.get(k, 1)
            if n > 1:
                parts, p = [], pos
                for v in units[k:k + n]:
                    parts.append((p, p + len(v.text), v.pos or v.tag, v.kind))
                    p += len(v.text)
                ph = text[pos:p]
                tokens.append(_Token(pos, p, ph, tags.get(ph) or units[k + n - 1].tag, parts=tuple(parts)))
                pos, k = p, k + n
                continue
            if (len(w) > 1 and u.kind in ("word", "idiom") and not _word_readings(w)
                    and any(c in alone for c in w) and "儿" not in w):
                # A unit no reading dictionary knows (a CC-CEDICT word such as 累得 or 塞进
                # that pypinyin lacks) is read in pieces, so the grammar rules see 得 on its own.
                # (pypinyin's phrase table lists only words with non-default readings, so
                # words with 儿 -- 儿童 -- stay whole: 儿 there is not erhua.)
                unit = (pos, pos + len(w), u.pos or u.tag, u.kind)
                for a, b in _sub_path(w):
                    tokens.append(_Token(pos + a, pos + b, w[a:b], tags.get(w[a:b], "x"), unit=unit,
                                         kind="char" if b - a == 1 else "word"))
            else:
                tokens.append(_Token(pos, pos + len(w), w, u.tag, kind=u.kind, pos=u.pos))
            pos += len(w)
            k += 1

    last = 0
    for s, e in sorted(forced):
        if s < last:
            continue
        if s > last:
            cut(last, s)
        w = text[s:e]
        name = w in names
        tokens.append(_Token(s, e, w, tags.get(w, "nr" if name else "n"), forced=True,
                             kind="name" if name else "word"))
        last = e
    if last < len(text):
        cut(last, len(text))
    return tokens


def _split_mixed(tokens: list[_Token]) -> list[_Token]:
    """Split tokens so that each is all Han or all non-Han."""
    out: list[_Token] = []
    for t in tokens:
        if HAN_RUN_RE.fullmatch(t.text) or not HAN_RE.search(t.text):
            out.append(t)
            continue
        last = 0
        for m in HAN_RUN_RE.finditer(t.text):
            if m.start() > last:
                out.append(_Token(t.start + last, t.start + m.start(), t.text[last:m.start()], "x"))
            out.append(_Token(t.start + m.start(), t.start + m.end(), m.group(), t.tag, t.forced))
            last = m.end()
        if last < len(t.text):
            out.append(_Token(t.start + last, t.end, t.text[last:], "x"))
    return out


@functools.lru_cache(maxsize=65536)
def _sub_path(word: str) -> list[tuple[int, int]]:
    """A token with no reading of its own, cut into words (spans covering it).

    The token is re-segmented without itself, by jieba's own criterion (the most probable
    path through its word frequencies), over the lexicon's words (:mod:`.units`) and the
    reading dictionaries' words together; the spans returned are the pieces that have a word reading. Knowing
    jieba's words matters because the reading tables list only words with a non-default
    reading: a plain forward match would find 脏病 zāngbìng in 心脏病, where the most
    probable split is 心脏 + 病 (zàng by default).
    """
    n = len(word)
    if n < 2:
        return []
    from .units import segmenter

    seg = segmenter()
    freq = seg.lex
    log_total = seg.logtotal
    # best[i]: (log probability of word[i:], end of the first piece)
    best: list[tuple[float, int]] = [(0.0, n)] * (n + 1)
    for i in range(n - 1, -1, -1):
        options = []
        for j in range(i + 1, min(n, i + 8) + 1):
            piece = word[i:j]
            if j - i == n:
                continue  # the token itself is what has no reading
            f = freq.get(piece) or 0
            if j - i > 1 and not f:
                if not _word_readings(piece):
                    continue
                f = 1  # a reading-dictionary word jieba does not list: rare
            options.append((math.log(max(f, 1)) - log_total + best[j][0], j))
        best[i] = max(options)
    path = []
    i = 0
    while i < n:
        path.append((i, best[i][1]))
        i = best[i][1]
    return path


@functools.lru_cache(maxsize=65536)
def _sub_words(word: str) -> list[tuple[int, int]]:
    """Spans of dictionary words inside a token that has no reading of its own (they may
    overlap: 角斗 and 斗士 in 角斗士 both count, see :func:`_sub_path`)."""
    n = len(word)
    if n < 2:
        return []
    path = _sub_path(word)
    spans = [(a, b) for a, b in path if b - a > 1 and _word_readings(word[a:b])]
    # Reading-dictionary words the path split (角斗 in 角/斗士) still count, unless they
    # cut through a path word that is read by default (脏病 through 心脏).
    plain = [(a, b) for a, b in path if b - a > 1 and (a, b) not in spans]
    i = 0
    while i < n:
        for j in range(min(n, i + 6), i + 1, -1):
            if (j - i < n and _word_readings(word[i:j])
                    and not any(a < i < b or a < j < b for a, b in plain)):
                if (i, j) not in spans:
                    spans.append((i, j))
                i = j
                break
        else:
            i += 1
    return sorted(spans)


_SENT_END_RE = re.compile(r"[。！？!?；;\n]+")


def _sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (the unit g2pM was trained on)."""
    spans = []
    last = 0
    for m in _SENT_END_RE.finditer(text):
        spans.append((last, m.end()))
        last = m.end()
    if last < len(text):
        spans.append((last, len(text)))
    return spans
