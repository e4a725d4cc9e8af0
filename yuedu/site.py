"""Build the site: read and validate every article, render, write to a temporary folder, swap.

A failed build leaves the previous ``site/`` exactly as it was; two builds of the same input are
byte-identical (no timestamps, sorted iteration everywhere).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from xml.sax.saxutils import escape as xml_escape

from . import cache, parallel, vocab
from .article import Article, read_article
from .errors import BuildFailed, ContentError
from .levels import STANDARD_NAMES, text_level
from .reading import HAN_RE

from markupsafe import Markup

if TYPE_CHECKING:
    from .config import Config

log = logging.getLogger("yuedu")

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


@dataclass
class BuildResult:
    """What a build did, for the report and for tests."""

    articles: list[Article] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pages: int = 0
    #: Articles annotated in this build (the others came from the cache).
    annotated: int = 0
    #: Readings to review, one line each (``path:line: review …``).
    review: list[str] = field(default_factory=list)


def discover(config: Config) -> list[Path]:
    """Return the article files in ``content/``, sorted (files starting with ``_`` or ``.`` are skipped)."""
    if not config.content_dir.is_dir():
        raise BuildFailed([ContentError("content", None, "no content/ folder")])
    return sorted(
        p for p in config.content_dir.glob("*.md")
        if not p.name.startswith(("_", ".")) and (p.is_file() or p.is_symlink())  # a broken link is reported
    )


def read_all(config: Config) -> tuple[list[Article], list[str]]:
    """Read and validate every article; raise :class:`BuildFailed` listing every problem."""
    errors: list[ContentError] = []
    warnings: list[str] = []
    articles: list[Article] = []
    try:
        read_site_glossary(config)
    except BuildFailed as exc:
        errors.extend(exc.errors)
    except ContentError as exc:
        errors.append(exc)
    for path in discover(config):
        display = path.relative_to(config.root).as_posix()
        if not SLUG_RE.match(path.stem):
            errors.append(ContentError(display, None, (
                "file name is not a valid slug: use lowercase ASCII letters, digits and '-' "
                "(the file name is the page's URL)")))
            continue
        try:
            article = read_article(path, display)
        except BuildFailed as exc:
            errors.extend(exc.errors)
            continue
        warnings.extend(article.warnings)
        if not article.draft:
            articles.append(article)
    if errors:
        raise BuildFailed(errors)
    # Newest first; ties broken by slug so the order is stable.
    articles.sort(key=lambda a: (a.date, a.slug), reverse=True)
    return articles, warnings


def read_site_glossary(config: Config) -> tuple[dict, str]:
    """The site-wide author glossary (``content/glossary.yaml``) and its text."""
    return vocab.read_site_glossary(config.content_dir, f"content/{vocab.SITE_GLOSSARY}")


def han_count(text: str) -> int:
    """Count Han characters in ``text``."""
    return len(HAN_RE.findall(text))


def build(config: Config, *, clean: bool = False) -> BuildResult:
    """Build ``content/`` into ``site/``; ``site/`` is replaced only when everything succeeded."""
    from .render import Renderer

    _recover(config.site_dir)
    if clean:
        cache.clear(config.cache_dir)
    articles, warnings = read_all(config)
    renderer = Renderer(config)
    out = config.site_dir
    tmp = out.parent / f"{out.name}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    try:
        result = BuildResult(articles=articles, warnings=warnings)
        _write_site(config, renderer, articles, tmp, result)
        if config.strict and warnings:
            raise BuildFailed([ContentError("build", None, f"--strict: {len(warnings)} warning(s)")])
        _swap(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return result


#: Characters a learner reads per minute, for the reading-time estimate.
READING_SPEED = 200
LEVEL_RANKS = {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7-9": 7}


def _summary(article: Article, rendered, standard: str) -> dict:
    """What the index, search and feed need to know of an article (small; kept for the whole build)."""
    text = article.chinese_text
    chars = han_count(text)
    ranks = [LEVEL_RANKS.get(g.get("hsk") or "", 99) for g in rendered.glosses if not g.get("name")]
    above = {str(level): round(sum(r > level for r in ranks) / len(ranks), 3) if ranks else 0.0
             for level in range(1, 8)}
    return {
        "article": article,
        "url": f"{article.slug}/",
        "chars": chars,
        "level": text_level(text, standard),
        "words": len(rendered.glosses),
        "above": above,
        "minutes": max(1, round(chars / READING_SPEED)),
        "search": sorted({(g["w"], _toneless(g["p"])) for g in rendered.glosses}),
    }


def _toneless(pinyin: str) -> str:
    """``Yínháng`` -> ``yinhang``: what a search box receives from a learner."""
    import unicodedata

    decomposed = unicodedata.normalize("NFD", pinyin.lower().replace("ü", "v"))
    return "".join(c for c in decomposed if c.isascii() and c.isalpha())


def _write_site(config: Config, renderer, articles: list[Article], tmp: Path, result: BuildResult) -> None:
    from .editions import editions as site_editions

    standard = config.hsk_standard
    eds = site_editions(config.editions, config.opencc)
    names = {"standard_name": STANDARD_NAMES[standard]}
    summaries = []
    errors: list[ContentError] = []
    store = cache.ArticleCache(config.cache_dir)
    site_glossary, glossary_text = read_site_glossary(config)
    audits: list[tuple[Article, list[dict]]] = []
    site_vocab = vocab.SiteVocabulary()
    # Articles in order, from the cache or annotated (on worker processes for a large batch).
    stream = parallel.rendered_articles(config, articles, site_glossary, store,
                                        lambda a: store.key(a.digest, glossary_text, standard), renderer=renderer)
    for i, (article, rendered, fresh) in enumerate(stream):
        if isinstance(rendered, ContentError):
            errors.append(rendered)
            continue
        result.annotated += fresh
        name = article.path.relative_to(config.root).as_posix()
        audits.append((article, rendered.audit))
        for word in rendered.unexplained:
            result.warnings.append(f"{name}: no English for {word!r} (not in CC-CEDICT or the glossary)")
        summary = _summary(article, rendered, standard)
        summaries.append(summary)
        vocab_rows = vocab.rows(rendered.glosses, rendered.vocabulary.counts)
        site_vocab.add(article, vocab_rows)
        url = config.base_url + f"{article.slug}/"
        _write(tmp / article.slug / "vocabulary.tsv", vocab.anki_tsv(article.title, url, vocab_rows))
        _write(tmp / article.slug / "pleco.txt", vocab.pleco_txt(article.slug, vocab_rows))
        newer = articles[i - 1] if i > 0 else None
        older = articles[i + 1] if i + 1 < len(articles) else None
        gloss_json = Markup(vocab.json_for_script(rendered.glosses))
        for ed in eds:
            r = rendered if ed.convert is None else _convert_rendered(rendered, ed)
            _write(tmp / ed.prefix / article.slug / "index.html", renderer.page(
                "article.html", **_where(config, eds, ed, f"{article.slug}/"), article=article, r=r,
                summary=summary, vocab_rows=vocab_rows, gloss_json=gloss_json, newer=newer, older=older,
                page_title=ed.text(article.title), **names))
            result.pages += 1
        del rendered  # nothing per article outlives its pages but the small summary
    if errors:
        raise BuildFailed(errors)
    _report_audit(config, audits, result)
    tags = sorted({t for a in articles for t in a.tags})
    levels = sorted({s["level"] for s in summaries}, key=lambda lv: LEVEL_RANKS.get(lv, 99))
    for ed in eds:
        pages = {
            "": ("index.html", config.title, {"summaries": summaries, "tags": tags, "levels": levels}),
            "about/": ("about.html", "About", {"articles": articles}),
            "vocabulary/": ("vocabulary.html", "Vocabulary", {"rows": site_vocab.rows(), "articles": articles}),
            "search/": ("search.html", "Search", {}),
        }
        for path, (template, title, context) in pages.items():
            _write(tmp / ed.prefix / path / "index.html", renderer.page(
                template, **_where(config, eds, ed, path), page_title=title, **context, **names))
            result.pages += 1
    # GitHub Pages serves 404.html at any missing path, so its links must be absolute paths.
    base_path = urlsplit(config.base_url).path or "/"
    _write(tmp / "404.html", renderer.page(
        "404.html", root=base_path, home=base_path, ed=eds[0], other=None, canonical="",
        alternates=[], page_title="Page not found", **names))
    result.pages += 1
    _write(tmp / "vocabulary" / "vocabulary.tsv", vocab.anki_tsv(config.title, config.base_url + "vocabulary/",
                                                                 site_vocab.rows()))
    for ed in eds:
        _write(tmp / ed.prefix / "search" / "index.json", vocab.json_for_script(_search_index(summaries, ed)))
    _write(tmp / "feed.xml", _atom(config, summaries))
    _write(tmp / "sitemap.xml", _sitemap(config, articles, eds))
    _write(tmp / "robots.txt", f"User-agent: *\nAllow: /\nSitemap: {config.base_url}sitemap.xml\n")
    _write(tmp / ".nojekyll", "")  # publish folders as they are, no Jekyll processing
    if config.static_dir.is_dir():
        shutil.copytree(config.static_dir, tmp / "static")


def _where(config: Config, eds, ed, path: str) -> dict:
    """Template context that places a page: relative roots, its edition and its alternates."""
    depth = (ed.prefix + path).count("/")
    root = "../" * depth
    alternates = [{"lang": e.lang, "href": config.base_url + e.prefix + path} for e in eds]
    others = [e for e in eds if e is not ed]
    return {
        "root": root,
        "home": root + ed.prefix,
        "ed": ed,
        "other": {"label": others[0].label, "lang": others[0].lang, "href": root + others[0].prefix + path}
        if others else None,
        "alternates": alternates if len(eds) > 1 else [],
        "canonical": config.base_url + ed.prefix + path,
    }


def _convert_rendered(rendered, ed):
    """The annotated article in another script (readings unchanged)."""
    from dataclasses import replace

    from .render import RenderedBlock

    return replace(
        rendered,
        title=ed.html(rendered.title),
        byline=ed.html(rendered.byline),
        blocks=[RenderedBlock(b.kind, ed.html(b.html), b.en, b.line) for b in rendered.blocks],
    )


def _search_index(summaries: list[dict], ed) -> list[dict]:
    """A small search index: per article its titles and its words (in the edition's script)
    with toneless pinyin."""
    return [{
        "u": s["url"], "t": ed.text(s["article"].title), "e": s["article"].title_en, "l": s["level"],
        "w": [ed.text(w) for w, _ in s["search"]], "p": [p for _, p in s["search"]],
    } for s in summaries]


def _atom(config: Config, summaries: list[dict]) -> str:
    """An Atom feed of the articles, newest first."""
    def esc(text: str) -> str:
        return xml_escape(text, {'"': "&quot;"})

    updated = max((s["article"].date for s in summaries), default=None)
    stamp = f"{updated.isoformat()}T00:00:00Z" if updated else "1970-01-01T00:00:00Z"
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-Hans">',
        f"  <title>{esc(config.title)}</title>",
        f"  <subtitle>{esc(config.tagline)}</subtitle>" if config.tagline else "",
        f'  <link rel="alternate" type="text/html" href="{esc(config.base_url)}"/>',
        f'  <link rel="self" type="application/atom+xml" href="{esc(config.base_url)}feed.xml"/>',
        f"  <id>{esc(config.base_url)}</id>",
        f"  <updated>{stamp}</updated>",
        f"  <author><name>{esc(config.title)}</name></author>",
    ]
    for s in summaries:
        a = s["article"]
        url = config.base_url + s["url"]
        summary = f"{a.title_en} — level {s['level']}, {s['chars']} characters" if a.title_en else f"level {s['level']}"
        lines += [
            "  <entry>",
            f"    <title>{esc(a.title)}</title>",
            f'    <link rel="alternate" type="text/html" href="{esc(url)}"/>',
            f"    <id>{esc(url)}</id>",
            f"    <updated>{a.date.isoformat()}T00:00:00Z</updated>",
            f"    <summary>{esc(summary)}</summary>",
            *[f'    <category term="{esc(t)}"/>' for t in a.tags],
            "  </entry>",
        ]
    lines.append("</feed>")
    return "\n".join(line for line in lines if line) + "\n"


def _sitemap(config: Config, articles: list[Article], eds) -> str:
    """A sitemap of every page of every edition, with absolute URLs."""
    paths = [("", None), ("about/", None), ("vocabulary/", None), ("search/", None)]
    paths += [(f"{a.slug}/", a.date.isoformat()) for a in articles]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for ed in eds:
        for path, lastmod in paths:
            mod = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
            lines.append(f"  <url><loc>{xml_escape(config.base_url + ed.prefix + path)}</loc>{mod}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def _report_audit(config: Config, audits: list[tuple[Article, list[dict]]], result: BuildResult) -> None:
    """Collect the readings to review and write them to ``reports/pinyin-audit.txt`` (outside site/).

    An author resolves one by fixing the reading with an override (``{字|pinyin}`` or
    ``readings:``); with ``--strict`` unresolved readings are errors.
    """
    found = []
    for article, entries in audits:
        name = article.path.relative_to(config.root).as_posix()
        for e in entries:
            others = "/".join(c for c in e["candidates"] if c != e["chosen"])
            found.append(ContentError(name, e["line"], (
                f"review {e['char']} read {e['chosen']} (or {others}) in “{e['context']}” [{e['source']}]")))
    result.review = [str(e) for e in found]
    config.reports_dir.mkdir(exist_ok=True)
    head = ("# Readings the engine was unsure of (sources disagreed or low confidence).\n"
            "# Fix a wrong one with an override: {字|pinyin} in the text or readings: in front matter.\n")
    _atomic_write(config.reports_dir / "pinyin-audit.txt", head + "".join(f"{e}\n" for e in found))
    if config.strict and found:
        raise BuildFailed([ContentError(e.path, e.lineno, "unresolved reading: " + e.message) for e in found])


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def _swap(new: Path, out: Path) -> None:
    """Put ``new`` in place of ``out`` so that ``out`` is never missing or half-written.

    On Linux the two folders are exchanged in one atomic step (renameat2 RENAME_EXCHANGE), so a
    build killed at any moment leaves either the old or the new site. Elsewhere the old site is
    renamed aside first; a build killed between the two renames is repaired by the next build
    (:func:`_recover`).
    """
    if out.exists() and _exchange(new, out):
        shutil.rmtree(new, ignore_errors=True)  # ``new`` now holds the old site
        return
    old = out.parent / f"{out.name}.old-{os.getpid()}"
    if out.exists():
        os.replace(out, old)
    os.replace(new, out)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2); False where the system can't."""
    if sys.platform != "linux":
        return False
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    rc = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return rc == 0


def _recover(out: Path) -> None:
    """Clean up after a build that was killed: restore a site renamed aside, drop temporary folders."""
    leftovers = sorted(out.parent.glob(f"{out.name}.old-*"))
    if not out.exists() and leftovers:
        os.replace(leftovers.pop(), out)
    for path in leftovers + list(out.parent.glob(f"{out.name}.tmp-*")):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


