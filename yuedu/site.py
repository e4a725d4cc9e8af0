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

from . import cache
from .article import Article, read_article
from .errors import BuildFailed, ContentError
from .levels import STANDARD_NAMES, text_level
from .reading import HAN_RE

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
    for i, article in enumerate(articles):
        key = store.key(article.digest)
        rendered = store.get(article.slug, key)
        if rendered is None:
            try:
                rendered = renderer.article(article)
            except ContentError as exc:
                errors.append(exc)
                continue
            store.put(article.slug, key, rendered)
            result.annotated += 1
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
        html = renderer.page(
            "article.html", root="../", article=article, r=rendered, summary=summary,
            standard_name=STANDARD_NAMES[standard], newer=newer, older=older,
            page_title=article.title,
        )
        _write(tmp / article.slug / "index.html", html)
        result.pages += 1
    if errors:
        raise BuildFailed(errors)
    _write(tmp / "index.html", renderer.page(
        "index.html", root="", summaries=summaries, standard_name=STANDARD_NAMES[standard],
        page_title=config.title))
    _write(tmp / "about" / "index.html", renderer.page(
        "about.html", root="../", articles=articles, standard_name=STANDARD_NAMES[standard],
        page_title="About"))
    result.pages += 2
    if config.static_dir.is_dir():
        shutil.copytree(config.static_dir, tmp / "static")


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
