"""Score the importer on scraped pages with expected JSON, through the real command line.

Usage: ``python bench/import_score.py [FOLDER]`` (default ``tests/fixtures/import``). Every
``NAME.txt`` / ``NAME.html`` beside a ``NAME.expected.json`` is run through
``python build.py import PATH --json`` and compared with what it should give. Per page and in
total it prints: paragraph F1, title and byline right, captions found / precision, headings
found / precision, boilerplate items kept, Chinese characters lost, pinyin left (blocks holding some), duplicates.
Full-width and half-width ``，：；？！`` count as equal, as does whitespace.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f]")
#: Pinyin left in the text: a tone-marked syllable, or a bracketed run of Latin letters and digits.
PINYIN_RE = re.compile(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]|[(（\[【][a-z]+[1-5]?(?:\s?[a-z]+[1-5]?)*[)）\]】]")
_WIDTH = str.maketrans({"，": ",", "：": ":", "；": ";", "？": "?", "！": "!"})


def norm(text: str | None) -> str | None:
    """Compare text without whitespace and with ``，：；？！`` folded to half width."""
    return None if text is None else re.sub(r"\s+", "", text.translate(_WIDTH))


@dataclass
class Score:
    """Figures for one page (or, summed, for many)."""

    name: str
    paragraphs_expected: int = 0
    paragraphs_got: int = 0
    paragraphs_matched: int = 0
    title_right: int = 0
    byline_right: int = 0
    captions_expected: int = 0
    captions_got: int = 0
    captions_matched: int = 0
    headings_expected: int = 0
    headings_got: int = 0
    headings_matched: int = 0
    boilerplate_kept: int = 0
    han_expected: int = 0
    han_lost: int = 0
    pinyin_left: int = 0
    duplicates: int = 0
    pages: int = 1
    failed: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def f1(self) -> float:
        """Paragraph F1 (exact paragraphs, width- and whitespace-folded)."""
        if not self.paragraphs_expected and not self.paragraphs_got:
            return 1.0
        p = self.paragraphs_matched / self.paragraphs_got if self.paragraphs_got else 0.0
        r = self.paragraphs_matched / self.paragraphs_expected if self.paragraphs_expected else 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        total = Score("total")
        for name in Score.__dataclass_fields__:
            if name not in ("name", "notes"):
                setattr(total, name, getattr(self, name) + getattr(other, name))
        return total


def _matched(expected: list[str], got: list[str]) -> int:
    pool = Counter(norm(t) for t in expected)
    hits = 0
    for t in got:
        if pool[norm(t)] > 0:
            pool[norm(t)] -= 1
            hits += 1
    return hits


def score(name: str, expected: dict, got: dict) -> Score:
    """Compare one page's importer output with its expected JSON."""
    s = Score(name)
    s.paragraphs_expected, s.paragraphs_got = len(expected["paragraphs"]), len(got["paragraphs"])
    s.paragraphs_matched = _matched(expected["paragraphs"], got["paragraphs"])
    s.title_right = int(norm(expected["title"]) == norm(got["title"]))
    s.byline_right = int(norm(expected["byline"]) == norm(got["byline"]))
    for kind in ("captions", "headings"):
        setattr(s, f"{kind}_expected", len(expected[kind]))
        setattr(s, f"{kind}_got", len(got[kind]))
        setattr(s, f"{kind}_matched", _matched(expected[kind], got[kind]))
    blocks = got["paragraphs"] + got["headings"] + got["captions"]
    wanted = expected["paragraphs"] + expected["headings"] + expected["captions"]
    wanted_text = norm("".join(wanted + [expected["title"] or "", expected["byline"] or ""])) or ""
    for block in blocks:
        # A kept block that is no expected block and mostly not expected text is boilerplate.
        if norm(block) in {norm(w) for w in wanted}:
            continue
        han = HAN_RE.findall(block)
        inside = sum(1 for i in range(len(han) - 1) if han[i] + han[i + 1] in wanted_text)
        if han and inside < 0.5 * max(len(han) - 1, 1):
            s.boilerplate_kept += 1
            s.notes.append(f"kept: {block[:30]}")
    want = Counter(HAN_RE.findall("".join(wanted + [expected["title"] or "", expected["byline"] or ""])))
    have = Counter(HAN_RE.findall("".join(blocks + [got["title"] or "", got["byline"] or ""])))
    s.han_expected = sum(want.values())
    s.han_lost = sum((want - have).values())
    s.pinyin_left = sum(1 for b in blocks + [got["title"] or "", got["byline"] or ""] if PINYIN_RE.search(b))
    s.duplicates = len(blocks) - len({norm(b) for b in blocks})
    if not s.title_right:
        s.notes.append(f"title {got['title']!r} != {expected['title']!r}")
    if not s.byline_right:
        s.notes.append(f"byline {got['byline']!r} != {expected['byline']!r}")
    for kind in ("paragraphs", "headings", "captions"):
        for t in got[kind]:
            if norm(t) not in {norm(e) for e in expected[kind]}:
                s.notes.append(f"extra {kind[:-1]}: {t[:40]}")
        for t in expected[kind]:
            if norm(t) not in {norm(g) for g in got[kind]}:
                s.notes.append(f"missing {kind[:-1]}: {t[:40]}")
    return s


def run_import(page: Path) -> tuple[int, dict | None, str]:
    """Run ``build.py import PAGE --json``; return the exit code, the JSON and stderr."""
    out = subprocess.run([sys.executable, str(ROOT / "build.py"), "import", str(page), "--json"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    try:
        data = json.loads(out.stdout) if out.returncode == 0 else None
    except ValueError:
        data = None
    return out.returncode, data, out.stderr


def pages(folder: Path) -> list[Path]:
    """The pages in ``folder`` that have an expected JSON beside them."""
    return sorted(p for p in folder.iterdir()
                  if p.suffix in (".txt", ".html", ".htm") and p.with_name(p.stem + ".expected.json").is_file())


def score_folder(folder: Path, workers: int = 2) -> tuple[list[Score], dict[str, dict | None]]:
    """Run and score every page in ``folder``; also return each page's output."""
    found = pages(folder)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(run_import, found))
    scores, outputs = [], {}
    for page, (code, data, stderr) in zip(found, results):
        expected = json.loads(page.with_name(page.stem + ".expected.json").read_text(encoding="utf-8"))
        outputs[page.name] = data
        if data is None:
            s = Score(page.name, failed=1, notes=[f"exit {code}: {stderr.strip()[-200:]}"])
            s.paragraphs_expected = len(expected["paragraphs"])
            scores.append(s)
            continue
        scores.append(score(page.name, expected, data))
    return scores, outputs


def _ratio(a: int, b: int) -> str:
    return f"{a}/{b}"


def report(scores: list[Score]) -> str:
    """A table of per-page figures and the totals."""
    head = f"{'page':<22} {'F1':>5} {'title':>5} {'byline':>6} {'capt found':>10} {'capt prec':>9} " \
           f"{'head found':>10} {'head prec':>9} {'boiler':>6} {'lost':>8} {'pinyin':>6} {'dup':>3}"
    rows = [head]
    for s in [*scores, sum(scores[1:], scores[0]) if scores else Score("total", pages=0)]:
        rows.append(
            f"{s.name:<22} {s.f1:>5.3f} {_ratio(s.title_right, s.pages):>5} {_ratio(s.byline_right, s.pages):>6} "
            f"{_ratio(s.captions_matched, s.captions_expected):>10} {_ratio(s.captions_matched, s.captions_got):>9} "
            f"{_ratio(s.headings_matched, s.headings_expected):>10} {_ratio(s.headings_matched, s.headings_got):>9} "
            f"{s.boilerplate_kept:>6} {_ratio(s.han_lost, s.han_expected):>8} {s.pinyin_left:>6} {s.duplicates:>3}"
        )
    for s in scores:
        for note in s.notes:
            rows.append(f"  {s.name}: {note}")
    return "\n".join(rows)


def main(argv: list[str]) -> int:
    """Score the folder given (or the fixtures) and print the table."""
    folder = Path(argv[0]) if argv else ROOT / "tests" / "fixtures" / "import"
    scores, _ = score_folder(folder)
    print(report(scores))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
