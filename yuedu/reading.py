"""The reading engine: Chinese text -> words with one pinyin syllable per Han character.

Everything else in Yuedu reads text through :func:`annotate`; how the readings are decided
is private to this module.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

#: One Han character: CJK Unified Ideographs (with extensions A-H), compatibility ideographs, 〇.
HAN = (
    "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0002a6df\U0002a700-\U0002ebef\U00030000-\U000323af\U0002f800-\U0002fa1f"
)
HAN_RE = re.compile(f"[{HAN}]")
HAN_RUN_RE = re.compile(f"[{HAN}]+")


def is_han(char: str) -> bool:
    """Return True if ``char`` is one Han character."""
    return bool(HAN_RE.fullmatch(char))


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

    @property
    def is_han(self) -> bool:
        return bool(self.pinyin)


_TONE_MARKS = {
    "ā": ("a", 1), "á": ("a", 2), "ǎ": ("a", 3), "à": ("a", 4),
    "ē": ("e", 1), "é": ("e", 2), "ě": ("e", 3), "è": ("e", 4),
    "ī": ("i", 1), "í": ("i", 2), "ǐ": ("i", 3), "ì": ("i", 4),
    "ō": ("o", 1), "ó": ("o", 2), "ǒ": ("o", 3), "ò": ("o", 4),
    "ū": ("u", 1), "ú": ("u", 2), "ǔ": ("u", 3), "ù": ("u", 4),
    "ǖ": ("ü", 1), "ǘ": ("ü", 2), "ǚ": ("ü", 3), "ǜ": ("ü", 4),
    "ń": ("n", 2), "ň": ("n", 3), "ǹ": ("n", 4), "ḿ": ("m", 2),
}


def tone_of(syllable: str) -> int:
    """Return the tone (1-4, or 5 for neutral) of a tone-marked syllable."""
    for ch in unicodedata.normalize("NFC", syllable):
        if ch in _TONE_MARKS:
            return _TONE_MARKS[ch][1]
    return 5


def to_tone_number(syllable: str) -> str:
    """Convert a tone-marked syllable to tone-number form: ``zhǒng`` -> ``zhong3``, ``lǜ`` -> ``lv4``."""
    tone = 5
    out = []
    for ch in unicodedata.normalize("NFC", syllable):
        base, t = _TONE_MARKS.get(ch, (ch, 0))
        if t:
            tone = t
        out.append(base)
    return "".join(out).replace("ü", "v") + str(tone)


@functools.cache
def _tokenizer():
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)  # jieba logs its cache loading at INFO to stderr
    return jieba.posseg.POSTokenizer(jieba.Tokenizer())


def _split_han(text: str, pos: str) -> list[tuple[str, str]]:
    """Split a token into runs that are all Han or all non-Han."""
    parts: list[tuple[str, str]] = []
    last = 0
    for m in HAN_RUN_RE.finditer(text):
        if m.start() > last:
            parts.append((text[last:m.start()], "x"))
        parts.append((m.group(), pos))
        last = m.end()
    if last < len(text):
        parts.append((text[last:], "x"))
    return parts


def annotate(text: str, *, overrides: Mapping[str, Sequence[str]] | None = None) -> list[Word]:
    """Segment ``text`` and give every Han character its reading.

    ``overrides`` maps a word to its syllables (tone marks); such words are kept whole and read
    as given. The words' texts concatenate back to ``text``.
    """
    from pypinyin import Style, pinyin

    if not text:
        return []
    tokens: list[tuple[str, str]] = []
    for pair in _tokenizer().lcut(text):
        tokens.extend(_split_han(pair.word, pair.flag))
    words = []
    for token, pos in tokens:
        if not HAN_RE.match(token):
            words.append(Word(token, (), pos))
            continue
        if overrides and token in overrides:
            syllables = tuple(overrides[token])
        else:
            syllables = tuple(s[0] for s in pinyin(token, style=Style.TONE, errors=lambda c: [""] * len(c)))
        words.append(Word(token, syllables, pos))
    return words
