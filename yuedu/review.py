"""The readings an author should check: few, each as the student will see it.

The reading engine reports every polyphone it was unsure of (:func:`yuedu.reading.audit`): the
sources disagreed, g2pM was not confident, or it fell back on a default. Most of those are not
worth an author's time: a particle 吧 read ba, 是 as shì or shi, 那 as nà or nèi. An entry is
kept only where another reading is a different word in CC-CEDICT, one a student could be
misled by: 教会 jiàohuì "Christian church" or jiāohuì "to teach"; 精神 jīngshén "spirit" or
jīngshen "vigor". It is shown in tone marks, with the gloss the student sees, the other
reading(s) with theirs, and the sentence.

An author confirms a right reading with ``reviewed:`` in front matter (``reviewed: [精神
jīngshen]``) or fixes a wrong one with an override; either way it is not listed again (an
override is never listed; a confirmation holds for that word and reading in that article).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

#: Senses that do not make another reading a word a student would meet.
_MINOR_SENSE = re.compile(
    r"^(?:\(archaic\)|\(old\)|\(literary\)|\(onom\.\)|\(dialect\)|used in |(?:[\w-]+ )*variant of |"
    r"surname |see |\(Cantonese\)|\(Taiwan pr\.)", re.I)
#: jieba tags of particles and interjections: 吧 吗 呢 啊 in their neutral tone are not in doubt.
_PARTICLE_TAGS = frozenset({"y", "u", "e", "uj", "ul", "uz", "ug", "uv", "ud", "o"})
#: Below this g2pM confidence a reading is worth a look. Measured on CPP dev (bench/review_precision.py,
#: after the engine's learned choice, 6bd894b): 19% of the readings below it are wrong, 3% of those
#: between it and 0.98, 2% of those above.
UNSURE = 0.95
#: Where a sentence ends, for showing an entry in its sentence.
_SENTENCE_END = re.compile(r"[。！？；!?;\n]")
_CLAUSE_END = re.compile(r"[，,、：:]")


def sentence_around(text: str, index: int, limit: int = 40) -> str:
    """The sentence of ``text`` that holds ``index``; a long one is cut to its clause, or to
    ``limit`` characters around ``index``, marked with "…"."""
    start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, index)), default=0)
    end_m = _SENTENCE_END.search(text, index)
    end = end_m.end() if end_m else len(text)
    if end_m and end_m.group() == "\n":
        end -= 1
    if end - start > limit:  # the clause, between commas
        start = max([start] + [m.end() for m in _CLAUSE_END.finditer(text, start, index)])
        clause_end = _CLAUSE_END.search(text, index, end)
        end = clause_end.end() if clause_end else end
    lead = "…" if start > 0 and index - start > limit // 2 else ""
    cut_start, cut_end = max(start, index - limit // 2), min(end, index + limit // 2)
    out = text[cut_start:cut_end].strip()
    return ("…" if cut_start > start or lead else "") + out + ("…" if cut_end < end else "")


def review_entries(entries: Sequence[Mapping[str, Any]], glosses: Sequence[Mapping[str, Any]], dictionary,
                   reviewed: Mapping[str, Sequence[tuple[str, ...]]] | None = None) -> list[dict]:
    """Keep the audit entries worth an author's look and phrase each one.

    ``entries`` carry the engine's audit fields plus ``word``, ``k`` (the character's position in
    it), ``word_pinyin`` (tone marks), ``pos``, ``gid`` (the word's id in ``glosses``) and
    ``sentence``. ``reviewed`` maps a word to the readings the author confirmed (tone numbers).
    Returns ``[{"line", "word", "reading", "text"}]``, one per word occurrence.
    """
    from .glossary import join_pinyin, short_english
    from .reading.syllables import _to_marks, to_tone_number

    out: list[dict] = []
    seen: dict[tuple, dict] = {}
    for e in entries:
        word, k = e.get("word"), e.get("k")
        if not word or k is None or not e.get("word_pinyin"):
            continue
        marks = tuple(e["word_pinyin"])
        numbers = tuple(to_tone_number(s).lower() if s else "" for s in marks)
        if reviewed and _confirmed(numbers, reviewed.get(word, ())):
            continue
        chosen = e["chosen"]
        if len(word) == 1 and chosen.endswith("5") and e.get("pos") in _PARTICLE_TAGS:
            continue  # 吧 吗 呢 as particles
        source = e.get("source")
        chosen_entries = _entries(dictionary, word, numbers)
        # A word the dictionary does not know (a name, a rare compound): judge the character.
        by_char = len(word) > 1 and not chosen_entries and not dictionary.lookup(word)
        # A word the dictionary lists with two readings of different meaning (教会 jiāohuì
        # "to teach" / jiàohuì "church") and nothing but the default to choose: the sources
        # disagree on the word (精神 jīngshén "spirit" / jīngshen "vigor").
        word_level = len(word) > 1 and not by_char
        if source == "g2pm" and e.get("confidence", 0.0) >= UNSURE:
            continue  # the model was sure (on CPP dev 3% of these are wrong)
        if source not in ("g2pm", "default") or (source == "default" and not word_level):
            continue  # a rule decided from the context, or a character's usual reading
        if by_char:
            chosen_entries = _entries(dictionary, word[k], (chosen,))
        if chosen.endswith("5") and any("particle" in en.senses[0] for en in chosen_entries if en.senses):
            continue  # read as a particle (玩吧: jieba glued 吧 to its verb)
        alternatives = []
        for cand in e["candidates"]:
            if cand == chosen:
                continue
            other = numbers[:k] + (cand,) + numbers[k + 1:]
            found = _entries(dictionary, word[k], (cand,)) if by_char else _entries(dictionary, word, other)
            # An entry whose first sense is archaic, a variant or a surname is not a word a
            # student meets (那 nuó "(archaic) many; beautiful").
            senses = [s for entry in found if entry.senses and not _MINOR_SENSE.match(entry.senses[0])
                      for s in entry.senses if not _MINOR_SENSE.match(s)]
            if not senses or set(senses) <= {s for entry in chosen_entries for s in entry.senses}:
                continue  # no other word with that reading, or the same meaning
            shown = join_pinyin(_to_marks(s) for s in other)
            if shown not in [a[0] for a in alternatives]:
                alternatives.append((shown, short_english({"senses": senses})))
        if not alternatives:
            continue
        gid = e.get("gid")
        gloss = short_english(glosses[gid]) if gid is not None and gid < len(glosses) else ""
        reading = join_pinyin(marks)
        key = (word, numbers)
        if key in seen:  # the same word read the same way again: one line, with every place
            first = seen[key]
            if e.get("line") != first["line"] and e.get("line") not in first["also"]:
                first["also"].append(e.get("line"))
            continue
        others = "; ".join(f'{p} "{g}"' for p, g in alternatives)
        seen[key] = {
            "line": e.get("line"),
            "word": word,
            "reading": reading,
            "text": f'{word} {reading} "{gloss}"? or {others} — in “{e.get("sentence", "")}”',
            "also": [],
        }
        out.append(seen[key])
    for entry in out:
        also = entry.pop("also")
        if also:
            entry["text"] += f" (also line{'s' if len(also) > 1 else ''} {', '.join(str(n) for n in also)})"
    return out


def _confirmed(numbers: tuple[str, ...], confirmed: Sequence[tuple[str, ...]]) -> bool:
    return any(tuple(c) == numbers for c in confirmed)


def _entries(dictionary, word: str, numbers: tuple[str, ...]) -> list:
    """The dictionary's entries for ``word`` read exactly ``numbers`` (names left out)."""
    from .reading.syllables import to_tone_number

    out = []
    for entry in dictionary.lookup(word):
        if entry.simplified != word and entry.traditional != word:
            continue
        syl = tuple(to_tone_number(s).lower().replace("ü", "v") for s in entry.syllables)
        if syl == tuple(n.replace("ü", "v") for n in numbers) and not entry.pinyin[:1].isupper():
            out.append(entry)
    return out
