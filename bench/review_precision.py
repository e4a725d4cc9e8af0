"""How much of the review list is worth reading: precision and recall of the readings it lists.

Two measurements:

* **content/**: the lines a build lists for the site's own articles, against the real reading
  errors found by reading every polyphone of those articles by hand (``REAL_ERRORS`` below:
  article, word, the wrong reading, the right one). Listed lines that are real errors give the
  precision; real errors not listed are the misses.
* **CPP dev** (``../shared/data/cpp/dev.*``, one labelled polyphone per sentence): the review
  list is built for each sentence as for an article; a sentence counts as *flagged* when the
  list names its labelled character, and as *wrong* when the engine's reading differs from the
  label (a neutral-vs-full tone difference is counted apart, as CPP labels neutral tones
  inconsistently). Precision = wrong among flagged; recall = flagged among wrong.

    python bench/review_precision.py [--limit N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: Real reading errors in content/ found by checking every polyphone by hand (2026-11-30, main
#: at c86c708): (article slug, word, engine's reading, right reading). 精神 in "精神还很好" is
#: vigour, jīngshen, not "spirit; mind" (jīngshén).
REAL_ERRORS = [
    ("zuo-gaotie-hui-laojia", "精神", "jīngshén", "jīngshen"),
]


def content_figures(root: Path) -> None:
    """Build content/ (a copy, with the confirmations and fixes taken out) and score its list."""
    import re
    import shutil
    import tempfile

    from yuedu.config import load_config
    from yuedu.site import build

    with tempfile.TemporaryDirectory() as tmp:
        proj = Path(tmp) / "p"
        proj.mkdir()
        shutil.copy(root / "yuedu.toml", proj / "yuedu.toml")
        shutil.copytree(root / "templates", proj / "templates")
        shutil.copytree(root / "content", proj / "content")
        for path in (proj / "content").glob("*.md"):  # as first written: no confirmations, no fixes
            text = path.read_text(encoding="utf-8")
            text = re.sub(r"(?m)^reviewed:.*\n(?:  - .*\n)*", "", text)
            text = text.replace("{精神|jīng shen5}", "精神")
            path.write_text(text, encoding="utf-8")
        result = build(load_config(proj))
    listed = result.review
    real = [(slug, word) for slug, word, _, _ in REAL_ERRORS]
    hits = [line for line in listed if any(f"content/{s}.md:" in line and f"review {w} " in line for s, w in real)]
    missed = [(s, w) for s, w in real if not any(f"content/{s}.md:" in line and f"review {w} " in line for line in listed)]
    print(f"content/: {len(listed)} line(s) listed, {len(hits)} real error(s) among them "
          f"(precision {len(hits) / max(1, len(listed)):.0%}); {len(real)} real error(s) in all, "
          f"{len(missed)} missed {missed or ''}")
    for line in listed:
        print("   ", line)


def cpp_figures(limit: int | None) -> None:
    """Score the review list on CPP dev sentences."""
    from pinyin_accuracy import load_cpp  # noqa: E402  (bench/ is on sys.path when run as a script)

    from yuedu import glossary
    from yuedu.reading import annotate
    from yuedu.review import review_entries
    from yuedu.ruby import _locate

    data = load_cpp(ROOT.parent / "shared")
    if limit:
        step = max(1, len(data) // limit)
        data = data[::step][:limit]
    dictionary = glossary.load(ROOT / ".yuedu-cache")
    counts = {"flagged": 0, "wrong": 0, "flagged_wrong": 0, "neutral_only": 0, "flagged_neutral": 0,
              "raw": 0, "raw_wrong": 0}
    start = time.perf_counter()
    for text, index, gold in data:
        found: list[dict] = []
        words = annotate(text, audit_into=found)
        pred = None
        pos = 0
        for w in words:
            if pos <= index < pos + len(w.text) and w.pinyin:
                from yuedu.reading.syllables import to_tone_number

                pred = to_tone_number(w.pinyin[index - pos]).lower()
            pos += len(w.text)
        flagged = any(e["index"] == index and review_entries([e], [], dictionary)
                      for e, _ in _locate(found, words))
        neutral_only = pred is not None and pred != gold and pred[:-1] == gold[:-1] and "5" in (pred[-1], gold[-1])
        wrong = pred != gold and not neutral_only
        raw = any(e["index"] == index for e in found)  # the engine's own audit: the list before
        counts["raw"] += raw
        counts["raw_wrong"] += raw and wrong
        counts["flagged"] += flagged
        counts["wrong"] += wrong
        counts["flagged_wrong"] += flagged and wrong
        counts["neutral_only"] += neutral_only
        counts["flagged_neutral"] += flagged and neutral_only
    took = time.perf_counter() - start
    n = len(data)
    print(f"CPP dev: {n} sentences in {took:.0f} s; engine wrong on {counts['wrong']} "
          f"(+{counts['neutral_only']} neutral-vs-full only)")
    print(f"  flagged {counts['flagged']} ({counts['flagged'] / n:.1%} of sentences); "
          f"precision {counts['flagged_wrong'] / max(1, counts['flagged']):.1%} "
          f"({counts['flagged_wrong']} wrong among them, +{counts['flagged_neutral']} neutral-only); "
          f"recall {counts['flagged_wrong'] / max(1, counts['wrong']):.1%} of the wrong readings")
    print(f"  the engine's whole audit (the list before): flagged {counts['raw']} ({counts['raw'] / n:.1%}); "
          f"precision {counts['raw_wrong'] / max(1, counts['raw']):.1%}; "
          f"recall {counts['raw_wrong'] / max(1, counts['wrong']):.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="score only N CPP sentences, spread over the set")
    parser.add_argument("--no-cpp", action="store_true")
    args = parser.parse_args()
    content_figures(ROOT)
    if not args.no_cpp:
        cpp_figures(args.limit)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
