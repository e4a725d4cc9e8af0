"""The decision per token and the entry points: annotate, audit, pinyin_numbers.

The pipeline: segment (:mod:`.segment`), read each token (:func:`_decide_token`: overrides,
fixed characters, rules, word readings), run g2pM over what is left in one batch
(:mod:`.model`), then 一/不 sandhi (:mod:`.sandhi`) and :class:`Word` output.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from . import choice as _choice
from .dictionary import _char_readings, _word_readings, tables as _dict_tables
from .markup import _prepare
from .model import model as _model
from .roles import mark as _mark_roles
from .rules import ALONE, _a_not_a, _apply_rules, _Ctx, _v_yi_v
from .sandhi import _sandhi
from .segment import _segment, _sentences, _split_mixed, _sub_path, _sub_words, _Token
from .units import segmenter
from .syllables import HAN_RE, _to_marks, to_tone_number


@dataclass(frozen=True)
class Word:
    """One segmented word: either all Han characters, or none.

    ``pinyin`` holds one tone-marked syllable per character of a Han word (``("yín", "háng")``;
    neutral tone unmarked, erhua 儿 as ``"r"``) and is empty for non-Han text. ``spoken`` holds
    the readings after 一/不 tone sandhi when they differ from ``pinyin``, else it is empty.
    """

    text: str
    pinyin: tuple[str, ...] = ()
    pos: str = ""
    spoken: tuple[str, ...] = ()
    #: What the unit is: ``word``, ``idiom``, ``name``, ``number``, ``char`` (a single Han
    #: character) or ``other`` (non-Han text); see :mod:`.units`.
    kind: str = ""
    #: What the word does in its clause, as flags (``("bv", "pivot")``: a verb follows; verb +
    #: person + verb); see :mod:`.roles`. The glossary leads with the sense this fits.
    context: tuple[str, ...] = ()

    @property
    def is_han(self) -> bool:
        return bool(self.pinyin)


@dataclass
class _Char:
    """The decision for one Han character."""

    reading: str = ""
    source: str = ""  # override / fixed / rule / word / g2pm / default
    candidates: tuple[str, ...] = ()
    confidence: float = 1.0
    disagreement: bool = False
    #: what the learned choice sees besides the candidates: (POS tag, token of one character,
    #: token no reading dictionary knows)
    context: tuple = ()


#: Characters whose g2pM prediction is not used: measured out of domain, g2pM misreads these
#: particles and function words far more often than the rules/defaults do.
_G2PM_DISTRUST = set("的地得了着还都和一不只行儿个么吗呢吧啊哪那这")

#: Minimum softmax confidence (over the allowed candidates) for g2pM to override the default.
_G2PM_MIN_CONF = 0.0

# Ablation switches used by bench/pinyin_accuracy.py (not part of the public API). "choice" is
# the learned choice (:mod:`.choice`); without it, g2pM's argmax decides for the characters it
# is trusted with (all but :data:`_G2PM_DISTRUST` when "g2pm_distrust" is on).
_CONFIG = {"rules": True, "words": True, "cedict": True, "g2pm": True, "g2pm_distrust": True, "choice": True}

#: When set to a list (by ``bench/train_choice.py``), each learned choice appends
#: ``(item number, index, candidates, feature rows)`` to it.
_CHOICE_LOG: list | None = None


def _annotate_clean(
    text: str,
    forced_readings: Mapping[int, str] | None = None,
    forced_spans: Sequence[tuple[int, int]] = (),
) -> tuple[list[_Token], list[_Char | None]]:
    """Analyse text without markup: tokens and a decision per code point (None for non-Han)."""
    return _analyse_many([(text, forced_readings or {}, forced_spans)])[0]


def _analyse_many(
    items: Sequence[tuple[str, Mapping[int, str], Sequence[tuple[int, int]]]],
) -> list[tuple[list[_Token], list[_Char | None]]]:
    """Analyse several texts, running g2pM over all of them as one batch."""
    g2pm = _model() if _CONFIG["g2pm"] else None
    results = []
    g2p_sents: list[str] = []
    g2p_targets: list[list[int]] = []
    g2p_keys: list[list[tuple[int, int, tuple[str, ...]]]] = []
    for item_no, (text, forced_readings, forced_spans) in enumerate(items):
        tokens = _split_mixed(_segment(text, forced_spans, ALONE)) if text else []
        chars: list[_Char | None] = [None] * len(text)
        for ti, tok in enumerate(tokens):
            if not HAN_RE.match(tok.text):
                continue
            _decide_token(text, tokens, ti, chars, forced_readings)
        results.append((tokens, chars))
        # collect g2pM work, one sentence at a time (the model was trained on sentences)
        need = [i for i, c in enumerate(chars) if c is not None and c.source == "?"]
        if not need:
            continue
        for s, e in _sentences(text):
            idx = [i for i in need if s <= i < e]
            if idx:
                g2p_sents.append(text[s:e])
                g2p_targets.append([i - s for i in idx])
                g2p_keys.append([(item_no, i, chars[i].candidates) for i in idx])  # type: ignore[union-attr]
    if g2p_sents:
        assert g2pm is not None
        np = g2pm.np
        all_logits = g2pm.logits(g2p_sents, g2p_targets)
        priors = _dict_tables().priors
        for keys, logits in zip(g2p_keys, all_logits):
            for (item_no, i, cands), lg in zip(keys, logits):
                c = results[item_no][1][i]
                assert c is not None
                idx = [g2pm.class_idx.get(x) for x in cands]
                known = [(x, k) for x, k in zip(cands, idx) if k is not None]
                if len(known) < 2:
                    c.reading, c.source = c.candidates[0], "default"
                    continue
                vals = np.array([lg[k] for _, k in known], dtype=np.float64)
                p = np.exp(vals - vals.max())
                p /= p.sum()
                if _CONFIG["choice"]:
                    tag, single, unread = c.context
                    text = items[item_no][0]
                    rows = _choice.features(
                        cands, {x: float(np.log(q)) for (x, _k), q in zip(known, p)},
                        own=_char_readings(text[i]), prior=priors.get(text[i]),
                        tag=tag, single=single, unread=unread)
                    if _CHOICE_LOG is not None:
                        _CHOICE_LOG.append((item_no, i, cands, rows))
                    best, c.confidence = _choice.choose(rows)
                    c.reading, c.source = cands[best], "g2pm"
                    c.disagreement = c.disagreement or cands[best] != c.candidates[0]
                    continue
                best = int(p.argmax())
                c.confidence = float(p[best])
                if c.confidence >= _G2PM_MIN_CONF:
                    c.reading, c.source = known[best][0], "g2pm"
                    c.disagreement = known[best][0] != c.candidates[0]
                else:
                    c.reading, c.source = c.candidates[0], "default"
    for (text, _f, _s), (_tokens, chars) in zip(items, results):
        _a_not_a(text, chars)
        _v_yi_v(text, chars)
    return results


def _decide_token(
    text: str,
    tokens: list[_Token],
    ti: int,
    chars: list[_Char | None],
    forced_readings: Mapping[int, str],
) -> None:
    """Fill in ``chars`` for the Han token ``tokens[ti]``."""
    tok = tokens[ti]
    word = tok.text
    # word-level readings: the whole token, else dictionary words inside it
    word_cands: dict[int, list[str]] = {}
    whole_read = bool(_word_readings(word)) if len(word) > 1 else False
    if _CONFIG["words"] and len(word) > 1:
        spans = [(0, len(word))] if whole_read else _sub_words(word)
        for s, e in spans:
            readings = _word_readings(word[s:e])
            if not _CONFIG["cedict"]:
                ph = _dict_tables().phrases.get(word[s:e])
                readings = (tuple(to_tone_number(x[0]) for x in ph),) if ph else ()
            for k in range(s, e):
                opts = word_cands.setdefault(k, [])  # overlapping words pool their readings
                for rd in readings:
                    if rd[k - s] not in opts:
                        opts.append(rd[k - s])
                if not opts:
                    del word_cands[k]
    if _CONFIG["words"] and len(word) > 1 and not whole_read and not tok.forced:
        _straddling_words(text, tokens, ti, word_cands)
    for k, ch in enumerate(word):
        i = tok.start + k
        if i in forced_readings:
            chars[i] = _Char(forced_readings[i], "override", (forced_readings[i],))
            continue
        if ch == "一":
            chars[i] = _Char("yi1", "fixed", ("yi1",))
            continue
        if ch == "不":
            if word_cands.get(k) == ["bu5"]:
                chars[i] = _Char("bu5", "word", ("bu5",))  # a word read with neutral 不: 了不起
            else:
                chars[i] = _Char("bu4", "fixed", ("bu4",))
            continue
        own = _char_readings(ch)
        if _CONFIG["rules"]:
            ctx = _Ctx(text, tokens, ti, i)
            ruled = _apply_rules(ch, ctx, word_cands.get(k))
            if ruled:
                chars[i] = _Char(ruled, "rule", tuple(dict.fromkeys([ruled, *own])))
                continue
        wc = word_cands.get(k)
        in_domain = ch in _dict_tables().priors  # a polyphone g2pM was trained on (CPP's 623)
        context = (tok.tag, len(word) == 1, len(word) > 1 and not whole_read)
        if wc and len(set(wc)) == 1:
            # A word's single reading stands: measured on CPP dev, letting g2pM overrule it
            # fixes 61 readings and breaks 90, and on the everyday sets it breaks 49 of 145
            # (的确, 用不着, 衣着 ...): g2pM is sure and wrong outside encyclopedic text.
            chars[i] = _Char(wc[0], "word", tuple(wc))
            continue
        if wc:
            cands = tuple(wc)  # the dictionaries disagree: let g2pM pick among their readings
            disagree = True
        else:
            cands = own
            disagree = False
        if not cands:
            chars[i] = _Char("", "unknown", ())
            continue
        # g2pM only knows the polyphones it was trained on (CPP's 623 characters); for any
        # other character its output is noise (它 would become tuó)
        trusted = in_domain and (_CONFIG["choice"] or not (_CONFIG["g2pm_distrust"] and ch in _G2PM_DISTRUST))
        if len(set(cands)) > 1 and _CONFIG["g2pm"] and trusted:
            chars[i] = _Char(cands[0], "?", cands, 0.0, disagree, context)
        else:
            chars[i] = _Char(cands[0], "default", cands, 1.0 if len(cands) == 1 else 0.5, disagree)


def _straddling_words(text: str, tokens: list[_Token], ti: int, word_cands: dict[int, list[str]]) -> None:
    """Word readings for the ends of a token jieba glued across a word (又快又好|听: 好听).

    Only for a token no reading dictionary knows that jieba does not know either, or lists as
    a fixed expression (tag l/i): its last characters and the whole next token (or the whole
    previous token and its first characters) may form a dictionary word, whose reading then
    counts for the characters inside this token that no word of their own covers.
    """
    tok = tokens[ti]
    word = tok.text
    if segmenter().lex.get(word) and tok.tag not in ("l", "i"):
        return
    for other, at_end in ((ti + 1, True), (ti - 1, False)):
        if not 0 <= other < len(tokens) or not HAN_RE.match(tokens[other].text) or tokens[other].forced:
            continue
        nb = tokens[other].text
        for n in (2, 1):
            if n >= len(word):
                continue
            part = word[-n:] if at_end else word[:n]
            cand = part + nb if at_end else nb + part
            if len(cand) > 4:
                continue
            readings = _word_readings(cand)
            if len(readings) != 1:
                continue
            offset = len(word) - n if at_end else 0
            rd = readings[0][:n] if at_end else readings[0][len(nb):]
            for k in range(n):
                word_cands.setdefault(offset + k, [rd[k]])
            break


def _words(
    text: str, tokens: list[_Token], chars: list[_Char | None]
) -> list[Word]:
    """One :class:`Word` per learner unit (tokens read in pieces join their unit again)."""
    spoken = _sandhi(text, chars, tokens)
    words: list[Word] = []
    k = 0
    while k < len(tokens):
        tok = tokens[k]
        if not HAN_RE.match(tok.text):
            words.append(Word(tok.text, (), tok.tag, kind="other"))
            k += 1
            continue
        if tok.parts:
            spans = list(tok.parts)
            k += 1
        else:
            spans = [tok.unit or (tok.start, tok.end, tok.pos or tok.tag, tok.kind)]
            while k < len(tokens) and tokens[k].start < spans[0][1]:
                k += 1
        for start, end, tag, kind in spans:
            nums = [chars[i].reading or "" for i in range(start, end)]  # type: ignore[union-attr]
            marks = tuple(_to_marks(n) if n else "" for n in nums)
            sp = tuple(_to_marks(spoken[i] or nums[i - start]) if nums[i - start] else "" for i in range(start, end))
            words.append(Word(text[start:end], marks, tag, sp if sp != marks else (), kind))
    return _mark_roles(words)  # context flags for the glossary, once the readings are decided


def annotate(text: str, *, overrides: Mapping[str, Sequence[str]] | None = None,
             audit_into: list[dict] | None = None, whole: Collection[str] | None = None) -> list[Word]:
    """Segment ``text`` and give every Han character its reading.

    Inline markers ``{长|cháng}`` / ``{长株潭|chang2 zhu1 tan2}`` force readings (the marker
    itself is removed: the word's text is just the hanzi). ``overrides`` maps a word to its
    syllables (tone marks or numbers); such words are kept whole and read as given. Apart
    from removed markers, the words' texts concatenate back to ``text``.

    ``audit_into``, when given, receives the :func:`audit` entries of the same analysis (so a
    build lists the readings to review without reading the text twice).

    ``whole``, when given, limits the override words kept whole to those in it (an author's
    glossary words are units; a word listed only to fix its reading, 蒙着 méng zhe, is read as
    given but cut into the units a learner looks up, 蒙 + 着).

    Raises ValueError for a malformed marker or override (syllable count mismatch, or
    something that is not pinyin).
    """
    if not text:
        return []
    clean, forced, spans = _prepare(text, overrides, whole)
    tokens, chars = _analyse_many([(clean, forced, spans)])[0]
    if audit_into is not None:
        audit_into.extend(_audit_entries(clean, tokens, chars))
    return _words(clean, tokens, chars)


def annotate_many(
    texts: Sequence[str], *, overrides: Mapping[str, Sequence[str]] | None = None
) -> list[list[Word]]:
    """:func:`annotate` for many texts at once (one g2pM batch: much faster for many short texts)."""
    prepared = [_prepare(t, overrides) for t in texts]
    results = _analyse_many(prepared)
    return [_words(p[0], tk, ch) for p, (tk, ch) in zip(prepared, results)]


def pinyin_numbers(text: str) -> list[str | None]:
    """One entry per code point: a tone-number syllable (``zhong1``, ``le5``, ``lv4``; erhua 儿
    as ``r5``; 〇 as ``ling2``) or None for a non-Han character. Dictionary tones (no sandhi).
    Inline markers are not interpreted here: the text is read as it stands.
    """
    if not text:
        return []
    _tokens, chars = _annotate_clean(text)
    return [c.reading if c is not None and c.reading else None for c in chars]


def pinyin_and_words(text: str) -> tuple[list[str | None], list[str]]:
    """:func:`pinyin_numbers` and the texts of the text's words (its learner units, as
    :func:`annotate` gives them), from one analysis; the words concatenate to ``text``."""
    if not text:
        return [], []
    tokens, chars = _annotate_clean(text)
    readings = [c.reading if c is not None and c.reading else None for c in chars]
    return readings, [w.text for w in _words(text, tokens, chars)]


def pinyin_numbers_many(texts: Sequence[str]) -> list[list[str | None]]:
    """:func:`pinyin_numbers` for many texts, with one g2pM batch for all of them."""
    results = _analyse_many([(t, {}, ()) for t in texts])
    return [[c.reading if c is not None and c.reading else None for c in chars] for _tk, chars in results]


def _clear_caches() -> None:
    """Forget cached word readings (the benchmark's ablations change ``_CONFIG``)."""
    _word_readings.cache_clear()
    _sub_words.cache_clear()
    _sub_path.cache_clear()


def audit(text: str, *, overrides: Mapping[str, Sequence[str]] | None = None) -> list[dict]:
    """Polyphones whose reading was uncertain: the sources disagreed, or g2pM was unsure.

    Each entry: ``index`` (code point index in the text after markers are removed), ``char``,
    ``candidates`` (tone-number readings), ``chosen``, ``source`` (rule/word/g2pm/default),
    ``confidence`` (0-1; 1 for a rule or a single word reading), ``context`` (up to 8
    characters either side) and ``word`` (the segmented word it is in).
    """
    if not text:
        return []
    clean, forced, spans = _prepare(text, overrides)
    tokens, chars = _analyse_many([(clean, forced, spans)])[0]
    return _audit_entries(clean, tokens, chars)


def _audit_entries(clean: str, tokens, chars) -> list[dict]:
    """The uncertain readings of one analysed text (see :func:`audit`)."""
    tok_of = {k: t for t in tokens for k in range(t.start, t.end)}
    out = []
    for i, c in enumerate(chars):
        if c is None or c.source in ("override", "fixed") or len(set(c.candidates)) < 2:
            continue
        real_polyphone = clean[i] in _dict_tables().priors  # rare dictionary readings are not worth a look
        if not (c.disagreement or (c.source == "g2pm" and c.confidence < 0.9)
                or (c.source == "default" and real_polyphone)):
            continue
        out.append({
            "index": i,
            "char": clean[i],
            "candidates": list(c.candidates),
            "chosen": c.reading,
            "source": c.source,
            "confidence": round(c.confidence, 3),
            "context": clean[max(0, i - 8):i + 9],
            "word": tok_of[i].text,
        })
    return out


def warm_up() -> None:
    """Load the dictionaries, the segmenter and the g2pM model now rather than on first use."""
    segmenter()
    _dict_tables()
    _model()
    _annotate_clean("一")
