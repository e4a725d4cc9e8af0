"""Tone sandhi of 一 and 不: the spoken tone beside the dictionary one."""

from __future__ import annotations

from .segment import _Token


def _sandhi(text: str, chars: list[_Char | None], tokens: list[_Token]) -> list[str | None]:
    """Spoken tone-number readings after 一/不 sandhi (None where they are not 一/不)."""
    spoken: list[str | None] = [None] * len(text)
    numerals = set("零〇一二三四五六七八九十两百千万亿第")
    tok_of: dict[int, _Token] = {}
    for t in tokens:
        for k in range(t.start, t.end):
            tok_of[k] = t
    for i, ch in enumerate(text):
        c = chars[i]
        if c is None or ch not in "一不" or c.source == "override":
            continue
        nxt = chars[i + 1] if i + 1 < len(text) else None
        if nxt is None or not nxt.reading:
            continue  # before non-Han or at the end: citation tone
        tone = int(nxt.reading[-1])
        if ch == "不":
            if tone == 4 and c.reading == "bu4":
                spoken[i] = "bu2"
            continue
        prev = text[i - 1] if i > 0 else ""
        nch = text[i + 1]
        tok = tok_of[i]
        # 一 keeps yī as a number: ordinals (第一), within numerals (十一, 一九八四), dates
        # (一月, 一号), and at the end of a word (统一, 唯一).
        prev_tok = tok_of.get(i - 1)
        in_number = prev in numerals and prev_tok is not None and (prev_tok is tok or prev_tok.tag in ("m", "mq"))
        if in_number or (nch in numerals and nch not in "百千万亿"):
            continue
        if nch in "月号楼层" and prev != "" and prev in numerals:
            continue
        if nch in "月号":
            continue
        if tok.end - 1 == i and tok.start < i:
            continue
        if tone == 4 or (tone == 5 and nxt.reading in ("ge5",)):
            spoken[i] = "yi2"
        elif tone in (1, 2, 3):
            spoken[i] = "yi4"
    return spoken
