"""Build the site: read and validate every article, render, write to a temporary folder, swap.

A failed build leaves the previous ``site/`` exactly as it was; two builds of the same input are
byte-identical (no timestamps, sorted iteration everywhere).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from xml.sax.saxutils import escape as xml_escape

from . import cache, vocab
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
        if not p.name.startswith(("_", ".")) and p.is_file()
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


def _write_site(config: Config, renderer, articles: list[Article], tmp: Path, result: BuildResult) -> None:
    standard = config.hsk_standard
    summaries = []
    errors: list[ContentError] = []
    store = cache.ArticleCache(config.cache_dir)
    site_glossary, glossary_text = read_site_glossary(config)
    audits: list[tuple[Article, list[dict]]] = []
    for i, article in enumerate(articles):
        key = store.key(article.digest, glossary_text, standard)
        rendered = store.get(article.slug, key)
        if rendered is None:
            try:
                rendered = renderer.article(article, site_glossary)
            except ContentError as exc:
                errors.append(exc)
                continue
            store.put(article.slug, key, rendered)
            result.annotated += 1
        audits.append((article, rendered.audit))
        for word in rendered.unexplained:
            result.warnings.append(
                f"{article.path.relative_to(config.root).as_posix()}: no English for {word!r} (not in CC-CEDICT or the glossary)")
        text = article.chinese_text
        summary = {
            "article": article,
            "url": f"{article.slug}/",
            "chars": han_count(text),
            "level": text_level(text, standard),
        }
        summaries.append(summary)
        newer = articles[i - 1] if i > 0 else None
        older = articles[i + 1] if i + 1 < len(articles) else None
        vocab_rows = vocab.rows(rendered.glosses, rendered.vocabulary.counts)
        url = config.base_url + f"{article.slug}/"
        _write(tmp / article.slug / "vocabulary.tsv", vocab.anki_tsv(article.title, url, vocab_rows))
        _write(tmp / article.slug / "pleco.txt", vocab.pleco_txt(article.slug, vocab_rows))
        html = renderer.page(
            "article.html", root="../", article=article, r=rendered, summary=summary,
            vocab_rows=vocab_rows, gloss_json=Markup(vocab.json_for_script(rendered.glosses)),
            standard_name=STANDARD_NAMES[standard], newer=newer, older=older,
            page_title=article.title, canonical=config.base_url + f"{article.slug}/",
        )
        _write(tmp / article.slug / "index.html", html)
        result.pages += 1
    if errors:
        raise BuildFailed(errors)
    _report_audit(config, audits, result)
    names = {"standard_name": STANDARD_NAMES[standard]}
    _write(tmp / "index.html", renderer.page(
        "index.html", root="", summaries=summaries, page_title=config.title,
        canonical=config.base_url, **names))
    _write(tmp / "about" / "index.html", renderer.page(
        "about.html", root="../", articles=articles, page_title="About",
        canonical=config.base_url + "about/", **names))
    # GitHub Pages serves 404.html at any missing path, so its links must be absolute paths.
    _write(tmp / "404.html", renderer.page(
        "404.html", root=urlsplit(config.base_url).path or "/", page_title="Page not found",
        canonical="", **names))
    result.pages += 3
    _write(tmp / "sitemap.xml", _sitemap(config, articles))
    _write(tmp / "robots.txt", f"User-agent: *\nAllow: /\nSitemap: {config.base_url}sitemap.xml\n")
    _write(tmp / ".nojekyll", "")  # publish folders as they are, no Jekyll processing
    if config.static_dir.is_dir():
        shutil.copytree(config.static_dir, tmp / "static")


def _sitemap(config: Config, articles: list[Article]) -> str:
    """A sitemap of the index, the about page and every article, with absolute URLs."""
    urls = [(config.base_url, None), (config.base_url + "about/", None)]
    urls += [(config.base_url + f"{a.slug}/", a.date.isoformat()) for a in articles]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for loc, lastmod in urls:
        mod = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
        lines.append(f"  <url><loc>{xml_escape(loc)}</loc>{mod}</url>")
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
    """Put ``new`` in place of ``out``: old renamed aside, new renamed in, old removed."""
    old = out.parent / f"{out.name}.old-{os.getpid()}"
    if out.exists():
        os.replace(out, old)
    os.replace(new, out)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
