"""Author markup: inline ``{字|zì}`` markers and the ``overrides`` mapping."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence

from .syllables import HAN, _parse_syllable, is_han


# --------------------------------------------------------------------------------------
# Markup, words, sandhi
# --------------------------------------------------------------------------------------

#: ``{汉字|pinyin}``: only Han characters before the bar, so ``{a|b}`` in ordinary text
#: (code, templates) is left alone.
_MARKER_RE = re.compile(f"\\{{([{HAN}]+)\\|([^{{}}|]*)\\}}")


def _strip_markers(text: str) -> tuple[str, dict[int, str], list[tuple[int, int]]]:
    """Remove ``{字|zì}`` markers: clean text, forced readings by index, multi-char spans."""
    if "{" not in text:
        return text, {}, []
    out: list[str] = []
    forced: dict[int, str] = {}
    spans: list[tuple[int, int]] = []
    last = 0
    pos = 0
    for m in _MARKER_RE.finditer(text):
        out.append(text[last:m.start()])
        pos += m.start() - last
        hanzi, pin = m.group(1), m.group(2)
        sylls = pin.split()
        if not hanzi or not all(is_han(c) for c in hanzi):
            raise ValueError(f"pinyin override {m.group(0)!r}: {hanzi!r} must be Han characters only")
        if len(sylls) != len(hanzi):
            raise ValueError(
                f"pinyin override {m.group(0)!r}: {len(hanzi)} character(s) but {len(sylls)} syllable(s)"
            )
        try:
            parsed = [_parse_syllable(s) for s in sylls]
        except ValueError as e:
            raise ValueError(f"pinyin override {m.group(0)!r}: {e}") from None
        for k, s in enumerate(parsed):
            forced[pos + k] = s
        if len(hanzi) > 1:
            spans.append((pos, pos + len(hanzi)))
        out.append(hanzi)
        pos += len(hanzi)
        last = m.end()
    out.append(text[last:])
    return "".join(out), forced, spans


def _override_spans(
    text: str, overrides: Mapping[str, Sequence[str]] | None, forced: dict[int, str]
) -> list[tuple[int, int]]:
    """Find the ``overrides`` words in text (longest first) and force their readings."""
    if not overrides:
        return []
    taken = [False] * len(text)
    spans = []
    for word in sorted(overrides, key=len, reverse=True):
        sylls = list(overrides[word])
        if len(sylls) == 1 and len(word) > 1:
            sylls = sylls[0].split()
        if len(sylls) != len(word):
            raise ValueError(
                f"pinyin override for {word!r}: {len(word)} character(s) but {len(sylls)} syllable(s)"
            )
        parsed = [_parse_syllable(s) for s in sylls]
        start = text.find(word)
        while start >= 0:
            end = start + len(word)
            if not any(taken[start:end]):
                for k in range(start, end):
                    taken[k] = True
                    forced.setdefault(k, parsed[k - start])
                spans.append((start, end))
            start = text.find(word, start + 1)
    return spans


def _prepare(text: str, overrides: Mapping[str, Sequence[str]] | None, whole: Collection[str] | None = None):
    clean, forced, spans = _strip_markers(text)
    found = _override_spans(clean, overrides, forced)
    if whole is not None:
        found = [(s, e) for s, e in found if clean[s:e] in whole]
    return clean, forced, spans + found
