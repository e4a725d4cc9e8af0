"""A page's words with their glossary data: the author glossary, popups, and vocabulary exports.

The author glossary comes from two places: ``content/glossary.yaml`` (site-wide) and an article's
``glossary:`` front matter (wins for that article). Each entry is ``word: English`` or
``word: {en: English, pinyin: "cháng zhū tán"}``; a pinyin makes it a reading override too.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from .errors import ContentError
from .reading import HAN_RE

SITE_GLOSSARY = "glossary.yaml"
CEDICT_CREDIT = "CC-CEDICT (https://cc-cedict.org/wiki/), licensed CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/)"


def normalise_entries(raw: Any, name: str, line_of) -> tuple[dict[str, dict[str, Any]], list[ContentError]]:
    """Validate a glossary mapping; return ``{word: {"en": str, "pinyin": str?}}`` and errors.

    ``line_of(word)`` gives the line to report a problem with ``word`` at.
    """
    errors: list[ContentError] = []
    entries: dict[str, dict[str, Any]] = {}
    if raw is None:
        return entries, errors
    if not isinstance(raw, Mapping):
        return entries, [ContentError(name, line_of(None), "glossary: expected 'word: English' entries")]
    for word, value in raw.items():
        word = str(word)
        if not HAN_RE.search(word):
            errors.append(ContentError(name, line_of(word), f"glossary: {word!r} has no Chinese characters"))
            continue
        if isinstance(value, str):
            value = {"en": value}
        if not isinstance(value, Mapping) or not isinstance(value.get("en"), (str, list)) or not value.get("en"):
            errors.append(ContentError(name, line_of(word), f"glossary: {word!r} needs an English 'en' text"))
            continue
        entry: dict[str, Any] = {"en": value["en"]}
        if value.get("pinyin"):
            pinyin = str(value["pinyin"]).split()
            if len(pinyin) != len(word):
                errors.append(ContentError(name, line_of(word), (
                    f"glossary: {word!r} has {len(word)} characters but its pinyin "
                    f"{value['pinyin']!r} has {len(pinyin)} syllables")))
                continue
            entry["pinyin"] = " ".join(pinyin)
        unknown = set(value) - {"en", "pinyin"}
        if unknown:
            errors.append(ContentError(name, line_of(word), f"glossary: {word!r} has unknown key(s) {sorted(unknown)}"))
            continue
        entries[word] = entry
    return entries, errors


def read_site_glossary(content_dir: Path, display: str) -> tuple[dict[str, dict[str, Any]], str]:
    """Read ``content/glossary.yaml``; return its entries and its text (for cache keys)."""
    path = content_dir / SITE_GLOSSARY
    if not path.exists():
        return {}, ""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ContentError(display, None, "not valid UTF-8; save the file as UTF-8") from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ContentError(display, mark.line + 1 if mark else None, f"glossary: {getattr(exc, 'problem', exc)}") from None
    lines = text.splitlines()

    def line_of(word):
        if word is None:
            return 1
        return next((i + 1 for i, line in enumerate(lines) if line.lstrip().startswith((f"{word}:", f'"{word}":'))), None)

    entries, errors = normalise_entries(raw, display, line_of)
    if errors:
        from .errors import BuildFailed

        raise BuildFailed(errors)
    return entries, text


def reading_overrides(glossary: Mapping[str, Mapping[str, Any]]) -> dict[str, tuple[str, ...]]:
    """Every glossary word as a reading override, so the segmenter keeps it whole.

    A word with a ``pinyin`` is read as given; one without is read as the engine reads the word
    on its own (a glossary term is a unit: 湘乡经开区 must not be cut into 湘乡 | 经开 | 区).
    """
    out = {}
    for word, entry in glossary.items():
        if entry.get("pinyin"):
            out[word] = tuple(entry["pinyin"].split())
        elif all(HAN_RE.match(c) for c in word):
            out[word] = _own_reading(word)  # only all-Han words can be read (and kept) whole
    return out


@functools.cache
def _own_reading(word: str) -> tuple[str, ...]:
    from .reading import annotate

    return tuple(s for w in annotate(word) for s in (w.pinyin or ("",) * len(w.text)))


def page_glosses(words, glossary: Mapping[str, Mapping[str, Any]], standard: str, cache_dir: Path | None) -> list[dict]:
    """Glossary data for each distinct word of a page (by vocabulary id)."""
    from . import glossary as cedict

    dictionary = cedict.load(cache_dir)
    out = []
    for w in words:
        if w.text in glossary:  # the author's entry: specific to this article or site
            out.append(cedict.gloss(w, dictionary, author_glossary=glossary, standard=standard))
            continue
        # A dictionary gloss depends only on the word, its reading, its tag and the standard:
        # computed once per build process, not once per article.
        key = (w.text, w.pinyin, w.pos, standard)
        g = _GLOSS_MEMO.get(key)
        if g is None:
            g = _GLOSS_MEMO[key] = cedict.gloss(w, dictionary, standard=standard)
        out.append(g)
    return out


_GLOSS_MEMO: dict[tuple, dict] = {}


def has_english(g: Mapping[str, Any]) -> bool:
    """True if a popup says something in English (senses, a breakdown's senses, or a name label)."""
    if g.get("senses") or g.get("name"):
        return True
    if any(o.get("senses") for o in g.get("other") or []):
        return True
    return all(p.get("senses") for p in g.get("parts") or [{}])


def json_for_script(data: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``</script>``, ``<!--`` or U+2028/9."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def rows(glosses: list[dict], counts: list[int]) -> list[dict]:
    """Vocabulary rows (one per distinct word), sorted by HSK level, then frequency, then order."""
    from .glossary import short_english

    order = {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7-9": 7}
    out = []
    for i, (g, count) in enumerate(zip(glosses, counts)):
        out.append({"id": i, "w": g["w"], "p": g["p"], "en": short_english(g), "hsk": g.get("hsk") or "",
                    "count": count, "name": bool(g.get("name")), "rank": order.get(g.get("hsk") or "", 99)})
    out.sort(key=lambda r: (r["rank"], -r["count"], r["id"]))
    return out


def anki_tsv(title: str, url: str, vocab_rows: list[dict]) -> str:
    """Anki-importable TSV: ``word<TAB>pinyin<TAB>English<TAB>HSK level``; credits in ``#`` lines."""
    head = [
        "#separator:tab",
        "#html:false",
        "#columns:Word\tPinyin\tEnglish\tHSK",
        f"# Vocabulary of {title} ({url})",
        f"# English definitions from {CEDICT_CREDIT}",
    ]
    body = ["\t".join(_tsv(v) for v in (r["w"], r["p"], r["en"], r["hsk"])) for r in vocab_rows]
    return "\n".join(head + body) + "\n"


def pleco_txt(slug: str, vocab_rows: list[dict]) -> str:
    """Pleco flashcard import text: a category line, then ``word<TAB>pinyin<TAB>definition``."""
    lines = [f"//Yuedu/{slug} (definitions: CC-CEDICT, CC BY-SA 4.0)"]
    lines += ["\t".join(_tsv(v) for v in (r["w"], r["p"], r["en"])) for r in vocab_rows]
    return "\n".join(lines) + "\n"


def _tsv(value: str) -> str:
    return " ".join(str(value).split())


class SiteVocabulary:
    """Every word across the site's articles, with its total count and the articles it is in.

    Memory and page size must not grow with words x articles: each word keeps the number of
    articles it occurs in and links to at most :attr:`SHOWN` of them (the first, i.e. newest).
    """

    SHOWN = 5

    def __init__(self) -> None:
        self._words: dict[tuple[str, str], dict] = {}
        self._articles: list[dict] = []

    def add(self, article, vocab_rows: list[dict]) -> None:
        """Add one article's vocabulary rows."""
        ref = {"slug": article.slug, "title": article.title}
        self._articles.append(ref)
        for r in vocab_rows:
            entry = self._words.get((r["w"], r["p"]))
            if entry is None:
                entry = self._words[(r["w"], r["p"])] = {
                    "w": r["w"], "p": r["p"], "en": r["en"], "hsk": r["hsk"], "rank": r["rank"],
                    "name": r["name"], "count": 0, "in": 0, "articles": []}
            entry["count"] += r["count"]
            entry["in"] += 1
            if len(entry["articles"]) < self.SHOWN:
                entry["articles"].append(ref)

    def rows(self) -> list[dict]:
        """All words, by HSK level, then frequency, then pinyin."""
        return sorted(self._words.values(), key=lambda e: (e["rank"], -e["count"], e["p"], e["w"]))
