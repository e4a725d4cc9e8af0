"""A page's words with their glossary data: the author glossary, popups, and vocabulary exports.

The author glossary comes from two places: ``content/glossary.yaml`` (site-wide) and an article's
``glossary:`` front matter (wins for that article). Each entry is ``word: English`` or
``word: {en: English, pinyin: "cháng zhū tán"}``; a pinyin makes it a reading override too.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup, escape

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
        if value.get("name") is not None:
            if not isinstance(value["name"], bool):
                errors.append(ContentError(name, line_of(word), f"glossary: {word!r}: 'name' must be true or false"))
                continue
            if value["name"]:
                entry["name"] = True
        unknown = set(value) - {"en", "pinyin", "name"}
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


def with_short_names(glossary: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """The glossary plus the short forms of its declared personal names: 王小明 also gives 小明.

    A name entry (``name: true``) that looks like a personal name -- three characters, a
    surname and a given name, or four with a two-character surname such as 欧阳 -- adds its
    given name as a name of its own, read as in the full name, unless the glossary lists that
    word itself.
    """
    from .reading.units import name_short_forms, segmenter

    out = {w: dict(e) for w, e in glossary.items()}
    if not any(e.get("name") for e in glossary.values()):
        return out
    seg = segmenter()
    for word, entry in glossary.items():
        if not entry.get("name") or (len(word) == 3 and not seg.looks_like_name(word, found=False)):
            continue  # 虹桥站 is a name, but 桥站 is not a short form of it
        for short in name_short_forms(word, seg.names.surnames3):
            if short in out:
                continue
            new: dict[str, Any] = {"en": f"{_first(entry['en'])} (short for {word})", "name": True}
            if entry.get("pinyin"):
                new["pinyin"] = " ".join(entry["pinyin"].split()[len(word) - len(short):])
            out[short] = new
    return out


def _first(en: Any) -> str:
    return en if isinstance(en, str) else (en[0] if en else "")


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
        # A dictionary gloss depends only on the word, its reading, its tag, its context flags
        # and the standard: computed once per build process, not once per article.
        out.append(_memo_gloss(w, dictionary, standard))
    return out


_GLOSS_MEMO: dict[tuple, dict] = {}


def _memo_gloss(w, dictionary, standard: str) -> dict:
    from . import glossary as cedict

    key = (w.text, w.pinyin, w.pos, cedict.context_key(w, dictionary), standard)
    g = _GLOSS_MEMO.get(key)
    if g is None:
        g = _GLOSS_MEMO[key] = cedict.gloss(w, dictionary, standard=standard)
    return g


def occurrence_lead(first, word, glossary: Mapping[str, Mapping[str, Any]], standard: str,
                    cache_dir: Path | None) -> int | None:
    """Where, in the senses of ``first`` (a page's first occurrence of a word), the sense this
    occurrence ``word`` leads with stands; None when it leads with the same one.

    A page glosses a word once (by text and reading), ranked for its first sentence; a later
    sentence that uses it otherwise (想你 "to miss", then 想去 "to want (to)") marks its ruby with
    this index so that its popup leads with its own sense.
    """
    if word.text in glossary or (first.pos, getattr(first, "context", ())) == (word.pos, getattr(word, "context", ())):
        return None
    from . import glossary as cedict

    dictionary = _DICTIONARY.get(cache_dir) or _DICTIONARY.setdefault(cache_dir, cedict.load(cache_dir))
    # what of each sentence can reorder the word's senses (cedict.context_key): usually nothing
    first_key, word_key = cedict.context_key(first, dictionary), cedict.context_key(word, dictionary)
    if (first.pos, first_key) == (word.pos, word_key):
        return None
    key = (first.text, first.pinyin, first.pos, first_key, word.pos, word_key, standard)
    if key in _LEAD_MEMO:
        return _LEAD_MEMO[key]
    base = _memo_gloss(first, dictionary, standard)
    senses = base.get("senses") or []
    here = _GLOSS_MEMO.get((word.text, word.pinyin, word.pos, word_key, standard))
    # only the sense it leads with is needed here, not a whole popup
    lead = (here.get("senses") or [None])[0] if here is not None else cedict.lead_sense(word, dictionary,
                                                                                       standard=standard)
    k = None if not senses or lead is None or lead == senses[0] or lead not in senses else senses.index(lead)
    _LEAD_MEMO[key] = k
    return k


_LEAD_MEMO: dict[tuple, int | None] = {}
_DICTIONARY: dict[Path | None, Any] = {}


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


#: Words per glossary file of an article (``<slug>/<k>.json``, beside its page): the page carries each word's
#: text and level, and the first tap of a word fetches the file holding its popup data (senses,
#: other readings, parts), so a reader downloads the glossary a hundred words at a time. 96, not
#: 64: the seed article's heaviest file is 4.9 KB gzip instead of 3.4 (its first visit, tap
#: included, 57.8 KB of the 60 KB budget), and an article saved for offline reading takes 6
#: requests instead of 9 and a site a third fewer files (each costs more to create than to fill).
GLOSS_CHUNK = 96


def gloss_files(words: int) -> int:
    """How many glossary files an article with ``words`` distinct words has."""
    return -(-words // GLOSS_CHUNK)


def word_summary(g: Mapping[str, Any]) -> tuple[str, str, str, bool, str, str]:
    """What the pages and listings need of a word's gloss ``g``: ``(word, pinyin, HSK level or
    "", is a name, source, short English)``."""
    from .glossary import short_english

    return (g["w"], g["p"], g.get("hsk") or "", bool(g.get("name")), g.get("src") or "", short_english(g))


def page_words(words: list[tuple]) -> list[dict]:
    """What the page itself carries of each word (:func:`word_summary`): its text and HSK level
    (for the pinyin and known-word settings, which apply on load)."""
    return [{"w": w[0], "hsk": w[2]} if w[2] else {"w": w[0]} for w in words]


def gloss_file(glosses: list[dict], k: int) -> str:
    """The ``k``-th glossary file of a page: the popup data of its words ``k * GLOSS_CHUNK`` on.

    Compact: the text and level are on the page already; defaults (no traditional form, no
    other readings, not a name, from CC-CEDICT) are left out, and other readings and a
    breakdown's parts keep only the senses the popup shows.
    """
    out = []
    for g in glosses[k * GLOSS_CHUNK:(k + 1) * GLOSS_CHUNK]:
        c: dict[str, Any] = {"p": g["p"], "senses": g.get("senses") or []}
        if g.get("t"):
            c["t"] = g["t"]
        if g.get("other"):
            c["other"] = [{"p": o["p"], "senses": o["senses"][:3]} for o in g["other"]]
        if g.get("name"):
            c["name"] = True
        if g.get("src") != "cedict":
            c["src"] = g.get("src")
        if g.get("parts"):
            c["parts"] = [{"w": p["w"], "p": p["p"], "senses": p["senses"][:1]} for p in g["parts"]]
        out.append(c)
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


def rows(words: list[tuple], counts: list[int]) -> list[dict]:
    """Vocabulary rows (one per distinct word, from :func:`word_summary`), sorted by HSK level,
    then frequency, then order."""
    order = {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7-9": 7}
    out = []
    for i, ((w, p, hsk, name, _src, en), count) in enumerate(zip(words, counts)):
        out.append({"id": i, "w": w, "p": p, "en": en, "hsk": hsk,
                    "count": count, "name": name, "rank": order.get(hsk, 99)})
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
    body = ["\t".join(map(_tsv, (r["w"], r["p"], r["en"], r["hsk"]))) for r in vocab_rows]
    return "\n".join(head + body) + "\n"


def pleco_txt(slug: str, vocab_rows: list[dict]) -> str:
    """Pleco flashcard import text: a category line, then ``word<TAB>pinyin<TAB>definition``."""
    lines = [f"//Yuedu/{slug} (definitions: CC-CEDICT, CC BY-SA 4.0)"]
    lines += ["\t".join(map(_tsv, (r["w"], r["p"], r["en"]))) for r in vocab_rows]
    return "\n".join(lines) + "\n"


@functools.lru_cache(maxsize=1 << 16)
def _tsv(value: str) -> str:
    return " ".join(str(value).split())


class SiteVocabulary:
    """Every word across the site's articles, with its total count and the articles it is in.

    Pages must not grow with words x articles: a row links to at most :attr:`SHOWN` articles
    (the first in site order, i.e. the newest) and says how many more there are.

    Two modes. A build adds every article once, in site order, and keeps per word only its
    counts and first :attr:`SHOWN` articles (memory grows with the words, not with the
    articles). ``serve`` keeps one instance between builds with ``incremental=True``: it also
    remembers which articles each word came from, so :meth:`update` can replace one article's
    words without adding up the whole site again.
    """

    SHOWN = 5

    def __init__(self, *, incremental: bool = False) -> None:
        self.incremental = incremental
        self._words: dict[tuple[str, str], dict] = {}
        #: incremental: slug -> (key, title, [(word key, count)])
        self._from: dict[str, tuple[str, str, list]] = {}

    def add(self, article, vocab_rows: list[dict]) -> None:
        """Add one article's vocabulary rows (articles in site order)."""
        ref = {"slug": article.slug, "title": article.title}
        for r in vocab_rows:
            entry = self._entry(r)
            entry["count"] += r["count"]
            entry["in"] += 1
            if len(entry["articles"]) < self.SHOWN:
                entry["articles"].append(ref)

    def _entry(self, r: dict) -> dict:
        entry = self._words.get((r["w"], r["p"]))
        if entry is None:
            entry = self._words[(r["w"], r["p"])] = {
                "w": r["w"], "p": r["p"], "en": r["en"], "hsk": r["hsk"], "rank": r["rank"],
                "name": r["name"], "count": 0, "in": 0, "articles": []}
            if self.incremental:
                entry["from"] = {}
                #: slug -> (en, name) as that article glosses the word (its first sentence
                #: decides the sense): the row says what the first article in site order says,
                #: as a full build does, whichever article was updated last
                entry["said"] = {}
        return entry

    def has(self, slug: str, key: str, title: str) -> bool:
        """True if ``slug`` is in (incremental mode) with this key and title."""
        held = self._from.get(slug)
        return held is not None and held[0] == key and held[1] == title

    def update(self, slug: str, key: str, title: str, vocab_rows: list[dict]) -> None:
        """Put (or replace) one article's words (incremental mode)."""
        self.remove(slug)
        words = []
        for r in vocab_rows:
            entry = self._entry(r)
            entry["count"] += r["count"]
            entry["from"][slug] = r["count"]
            entry["said"][slug] = (r["en"], r["name"])
            words.append(((r["w"], r["p"]), r["count"]))
        self._from[slug] = (key, title, words)

    def remove(self, slug: str) -> None:
        held = self._from.pop(slug, None)
        if held is None:
            return
        for wkey, count in held[2]:
            entry = self._words[wkey]
            entry["count"] -= count
            del entry["from"][slug]
            del entry["said"][slug]
            if not entry["from"]:
                del self._words[wkey]

    def retain(self, slugs) -> None:
        """Drop every article not in ``slugs`` (incremental mode)."""
        for slug in [s for s in self._from if s not in slugs]:
            self.remove(slug)

    def rows(self, order: list | None = None) -> list[dict]:
        """All words, by HSK level, then frequency, then pinyin.

        In incremental mode ``order`` (the articles in site order) picks the articles shown.
        """
        if self.incremental:
            import heapq

            pos = {a.slug: i for i, a in enumerate(order or [])}
            titles = {slug: held[1] for slug, held in self._from.items()}
            for e in self._words.values():
                e["in"] = len(e["from"])
                first = heapq.nsmallest(self.SHOWN, e["from"], key=lambda s: pos.get(s, len(pos)))
                e["articles"] = [{"slug": s, "title": titles[s]} for s in first]
                e["en"], e["name"] = e["said"][first[0]]
        return sorted(self._words.values(), key=lambda e: (e["rank"], -e["count"], e["p"], e["w"]))


# ---------------------------------------------------------------------------------------------
# Vocabulary tables as HTML. Rows are written here rather than in a template loop: a site of a
# thousand articles has tens of thousands of rows, and a Jinja loop with attribute lookups and
# autoescaping per cell was a large share of a build.

def _esc(text: str) -> str:
    """``markupsafe.escape(text)`` as a plain string, without a Markup object per cell (most
    cells need no escaping at all)."""
    if _SPECIAL.search(text) is None:
        return text
    return str(escape(text))


_SPECIAL = re.compile("[&<>'\"]")


def article_row_tails(vocab_rows: list[dict]) -> list[str]:
    """The cells after the word of each word-list row: the same in every edition, made once."""
    return [f'</td><td>{_esc(v["p"])}</td><td>{_esc(v["en"])}</td><td>{_esc(v["hsk"])}</td>'
            f'<td>{v["count"]}</td></tr>' for v in vocab_rows]


def article_rows_html(vocab_rows: list[dict], ed, tails: list[str] | None = None) -> Markup:
    """The ``<tr>`` rows of an article's word list in edition ``ed`` (``tails``: the rows'
    :func:`article_row_tails`, when already made for another edition).

    The list sorts by its cells' text (pinyin, level, count), so rows carry no copies of them.
    """
    if tails is None:
        tails = article_row_tails(vocab_rows)
    head = f'<tr><td lang="{ed.lang}">'
    words = ed.texts(v["w"] for v in vocab_rows)
    return Markup("\n".join([head + _esc(w) + tail for w, tail in zip(words, tails)]))


def site_rows_html(rows: list[dict], ed, home: str, memo: dict | None = None) -> Markup:
    """The ``<tr>`` rows of a site vocabulary page; article links are relative (``home`` is the
    edition's root as seen from the page).

    ``memo`` (kept by ``serve`` between builds) maps a row's content to its HTML, so a rebuild
    writes only the rows whose word, count or articles changed.
    """
    lang = ed.lang
    out = []
    titles: dict[str, str] = {}
    for v in rows:
        if memo is not None:
            mkey = (v["w"], v["p"], v["en"], v["count"], v["in"], ed.key, home,
                    tuple((a["slug"], a["title"]) for a in v["articles"]))
            row = memo.get(mkey)
            if row is None:
                row = memo[mkey] = site_rows_html([v], ed, home)
            out.append(row)
            continue
        links = []
        for a in v["articles"]:
            title = titles.get(a["slug"])
            if title is None:
                title = titles[a["slug"]] = _esc(ed.text(a["title"]))
            links.append(f'<a href="{home}{a["slug"]}/" lang="{lang}">{title}</a>')
        more = v["in"] - len(v["articles"])
        out.append(
            f'<tr data-count="{v["count"]}" data-w="{_esc(v["p"])}" data-key="{_esc(v["w"])} {_esc(v["p"])}">'
            f'<td lang="{lang}">{_esc(ed.text(v["w"]))}</td><td>{_esc(v["p"])}</td><td>{_esc(v["en"])}</td>'
            f'<td>{v["count"]}</td><td>{", ".join(links)}{f" and {more} more" if more > 0 else ""}</td></tr>')
    return Markup("\n".join(out))


#: Rows on one page of the site vocabulary (a page per HSK level, split further when long):
#: a table of thousands of rows is slow to lay out on a phone.
PAGE_ROWS = 400
LEVEL_PATHS = {1: "hsk-1", 2: "hsk-2", 3: "hsk-3", 4: "hsk-4", 5: "hsk-5", 6: "hsk-6", 7: "hsk-7-9", 99: "other"}


def site_pages(rows: list[dict]) -> list[dict]:
    """The pages of the site vocabulary: an overview (``vocabulary/``), then each level's words
    in pages of at most :data:`PAGE_ROWS` (``vocabulary/hsk-1/``, ``vocabulary/hsk-1-2/`` …).

    ``rows`` come sorted by level (:meth:`SiteVocabulary.rows`).
    """
    groups: dict[int, list[dict]] = {}
    for r in rows:
        groups.setdefault(r["rank"], []).append(r)
    overview = {"path": "vocabulary/", "title": "Vocabulary", "rows": None, "levels": [], "total": len(rows)}
    pages = [overview]
    for rank, group in sorted(groups.items()):
        label = f"HSK {group[0]['hsk']}" if group[0]["hsk"] else "Not in the HSK lists"
        name = LEVEL_PATHS.get(rank, "other")
        base = f"vocabulary/{name}/"
        n = -(-len(group) // PAGE_ROWS)  # pages of equal length, each at most PAGE_ROWS rows
        size = -(-len(group) // n)
        chunks = [group[i:i + size] for i in range(0, len(group), size)]
        # Every page at the same depth, so a row's HTML (its relative links) is the same on any page.
        paths = [base if n == 0 else f"vocabulary/{name}-{n + 1}/" for n in range(len(chunks))]
        overview["levels"].append({"label": label, "count": len(group), "path": base, "pages": len(chunks)})
        for n, chunk in enumerate(chunks):
            pages.append({
                "path": paths[n], "rows": chunk, "label": label, "count": len(group),
                "title": f"{label} words" + (f", page {n + 1} of {len(chunks)}" if len(chunks) > 1 else ""),
                "page": n + 1, "page_paths": paths, "levels": overview["levels"], "total": len(rows),
            })
    return pages


# ---------------------------------------------------------------------------------------------
# An article's metadata: cached with its annotation (this module is part of the engine's fingerprint).

#: Characters a learner reads per minute, for the reading-time estimate.
READING_SPEED = 200
LEVEL_RANKS = {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7-9": 7}


def article_meta(article, rendered, standard: str) -> tuple[dict, dict]:
    """What the site-wide pages and the report need of an article, without its HTML (cached).

    Two parts: the small one every build reads (counts, level, readings to review), and the
    lists only a build that renders the listings reads (search words, vocabulary rows).
    """
    from .levels import text_level

    text = article.chinese_text
    chars = len(HAN_RE.findall(text))
    words = rendered.words  # (word, pinyin, level, name, source, English): vocab.word_summary
    ranks = [LEVEL_RANKS.get(w[2], 99) for w in words if not w[3]]
    above = {str(level): round(sum(r > level for r in ranks) / len(ranks), 3) if ranks else 0.0
             for level in range(1, 8)}
    # Names (recognised or declared in the glossary) are read from their popup, not learnt:
    # the surname 王 must not make an HSK 2 text level 3.
    graded = text
    for name in sorted({w[0] for w in words if w[3]}, key=len, reverse=True):
        graded = graded.replace(name, "")
    computed = text_level(graded if HAN_RE.search(graded) else text, standard)
    meta = {
        "chars": chars,
        # The author's ``level:`` wins; the computed one is kept for the build report.
        "level": getattr(article, "level", "") or computed,
        "computed_level": computed,
        "words": len(words),
        "above": above,
        "minutes": max(1, round(chars / READING_SPEED)),
        "audit": rendered.audit,
        "unexplained": rendered.unexplained,
        # word units and those a popup explains only by a breakdown (see reports/word-entries.txt)
        "entries": {"units": len({w[0] for w in words}),
                    "missing": sorted({w[0] for w in words if w[4] == "breakdown"})},
    }
    lists = {
        "search": sorted({(w[0], _toneless(w[1])) for w in words}),
        "vocab_rows": rows(words, rendered.counts),
    }
    return meta, lists


@functools.lru_cache(maxsize=1 << 16)
def _toneless(pinyin: str) -> str:
    """``Yínháng`` -> ``yinhang``: what a search box receives from a learner."""
    import unicodedata

    decomposed = unicodedata.normalize("NFD", pinyin.lower().replace("ü", "v"))
    return "".join(c for c in decomposed if c.isascii() and c.isalpha())
