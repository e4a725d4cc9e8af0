"""Syllable forms: Han characters, tone marks <-> tone numbers, user-written syllables.

Readings travel through the engine as tone-number syllables (``zhong1``, ``le5``, ``lv4``,
erhua 儿 as ``r5``) and reach pages as tone marks.
"""

from __future__ import annotations

import functools
import re
import unicodedata


HAN = (
    "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0002a6df\U0002a700-\U0002ebef\U00030000-\U000323af\U0002f800-\U0002fa1f"
)
HAN_RE = re.compile(f"[{HAN}]")
HAN_RUN_RE = re.compile(f"[{HAN}]+")


def is_han(char: str) -> bool:
    """Return True if ``char`` is one Han character."""
    return bool(HAN_RE.fullmatch(char))



# --------------------------------------------------------------------------------------
# Syllable forms: tone marks <-> tone numbers
# --------------------------------------------------------------------------------------

_TONE_MARKS = {
    "ā": ("a", 1), "á": ("a", 2), "ǎ": ("a", 3), "à": ("a", 4),
    "ē": ("e", 1), "é": ("e", 2), "ě": ("e", 3), "è": ("e", 4),
    "ī": ("i", 1), "í": ("i", 2), "ǐ": ("i", 3), "ì": ("i", 4),
    "ō": ("o", 1), "ó": ("o", 2), "ǒ": ("o", 3), "ò": ("o", 4),
    "ū": ("u", 1), "ú": ("u", 2), "ǔ": ("u", 3), "ù": ("u", 4),
    "ǖ": ("ü", 1), "ǘ": ("ü", 2), "ǚ": ("ü", 3), "ǜ": ("ü", 4),
    "ń": ("n", 2), "ň": ("n", 3), "ǹ": ("n", 4), "ḿ": ("m", 2),
}
_MARK_OF = {(base, t): mark for mark, (base, t) in _TONE_MARKS.items()}
_NUMBERED_RE = re.compile(r"^([a-zü]+?)([0-5]?)$")


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


@functools.lru_cache(maxsize=4096)
def _to_marks(numbered: str) -> str:
    """Tone-number syllable -> tone marks (``lv4`` -> ``lǜ``, ``le5`` -> ``le``, ``r5`` -> ``r``).

    The mark goes on a or e if present, on the o of ``ou``, else on the last vowel (the
    standard placement rule).
    """
    m = _NUMBERED_RE.match(numbered.lower().replace("u:", "ü").replace("v", "ü"))
    if not m:
        raise ValueError(f"not a pinyin syllable: {numbered!r}")
    base, digit = m.group(1), m.group(2)
    tone = int(digit) if digit and digit != "0" else 5
    if tone == 5:
        return base
    for target in ("a", "e", "ou"):
        i = base.find(target)
        if i >= 0:
            return base[:i] + _MARK_OF[(base[i], tone)] + base[i + 1:]
    for vowels in ("iouü", "nm"):  # the last vowel; syllabic n/m (ń, ḿ) when there is none
        for i in range(len(base) - 1, -1, -1):
            if base[i] in vowels and (base[i], tone) in _MARK_OF:
                return base[:i] + _MARK_OF[(base[i], tone)] + base[i + 1:]
    if base == "r":
        return base  # erhua has no tone of its own
    raise ValueError(f"cannot place a tone mark on {numbered!r}")


_SYLLABLE_RE = re.compile(r"^(?:[a-zü]|u:)+[0-5]?$")


def _parse_syllable(syl: str) -> str:
    """A user-written syllable (tone marks or tone number) -> our tone-number form."""
    s = unicodedata.normalize("NFC", syl.strip().lower())
    if any(ch in _TONE_MARKS for ch in s):
        s = to_tone_number(s)
    if not _SYLLABLE_RE.match(s):
        raise ValueError(f"not a pinyin syllable: {syl!r}")
    s = s.replace("u:", "v").replace("ü", "v")
    if s[-1] == "0":
        s = s[:-1] + "5"
    if not s[-1].isdigit():
        s += "5"
    return s

