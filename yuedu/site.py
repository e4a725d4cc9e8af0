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
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from xml.sax.saxutils import escape as xml_escape

from . import audio, cache, parallel, vocab
from .article import Article, read_article
from .errors import BuildFailed, ContentError
from .levels import STANDARD_NAMES
from .vocab import LEVEL_RANKS

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
    #: Output files reused from the previous site, and files written afresh.
    reused: int = 0
    written: int = 0
    #: The site vocabulary was left as it was (``defer_vocabulary``): build again to bring it up to date.
    deferred: bool = False
    #: Articles whose level the author set, each with the computed one (``path: level 2 (…)``).
    levels: list[str] = field(default_factory=list)
    #: Per article, the word units whose popup has no entry (no dictionary, glossary, name or
    #: number explains them: a breakdown only), as ``(path, unique units, [units])``.
    no_entry: list[tuple[str, int, list[str]]] = field(default_factory=list)


def discover(config: Config) -> list[Path]:
    """Return the article files in ``content/``, sorted (files starting with ``_`` or ``.`` are skipped)."""
    if not config.content_dir.is_dir():
        raise BuildFailed([ContentError("content", None, "no content/ folder")])
    return sorted(
        p for p in config.content_dir.glob("*.md")
        if not p.name.startswith(("_", ".")) and (p.is_file() or p.is_symlink())  # a broken link is reported
    )


#: Files in content/ that articles use (media, subtitles, data): never warned about.
MEDIA_SUFFIXES = frozenset({
    ".mp3", ".m4a", ".aac", ".ogg", ".oga", ".opus", ".wav", ".flac", ".webm", ".mp4",
    ".vtt", ".srt", ".yaml", ".yml", ".json", ".csv", ".tsv",
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg",
})
#: Names that look like an article but are not read as one.
_ARTICLE_LIKE = re.compile(r"\.(md|markdown|mdown|mkd|mkdn|txt)$", re.IGNORECASE)


def stray_files(config: Config) -> list[str]:
    """Warnings for files in ``content/`` that look like articles but are not built.

    Articles are ``*.md`` directly in ``content/``; ``x.MD``, ``x.markdown``, ``x.md.txt`` (a
    text editor's default), a ``.txt`` starting with front matter and any ``.md`` in a subfolder
    are named with what to do. Media and data files (audio, subtitles, images, YAML) are not.
    """
    out = []
    root = config.content_dir
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if not path.is_file() or any(part.startswith((".", "_")) for part in rel.parts):
            continue
        if len(rel.parts) == 1 and path.suffix == ".md":
            continue  # an article
        if path.suffix.lower() in MEDIA_SUFFIXES or not _ARTICLE_LIKE.search(path.name):
            continue
        stem = path.name
        while True:  # x.md.txt -> x
            m = _ARTICLE_LIKE.search(stem)
            if not m:
                break
            stem = stem[:m.start()]
        if path.suffix.lower() == ".txt" and not re.search(r"\.(md|markdown)\.txt$", path.name, re.I):
            try:
                with path.open("rb") as fh:
                    if not fh.read(3).lstrip(b"\xef\xbb\xbf").startswith(b"---"):
                        continue  # a plain text file, not an article
            except OSError:
                continue
        shown = f"content/{rel.as_posix()}"
        target = f"content/{stem}.md"
        if len(rel.parts) > 1:
            what = f"articles are read only directly in content/; move it to {target} to publish it"
        else:
            what = f"articles must be named *.md; rename it to {target} to publish it"
        out.append(f"{shown}: not built: {what} (or name it starting with '_' to keep it unpublished)")
    return out


def read_all(config: Config, session: Session | None = None) -> tuple[list[Article], list[str]]:
    """Read and validate every article; raise :class:`BuildFailed` listing every problem.

    With a ``session``, a file unchanged since the session last read it (same inode, size and
    modification time) is not parsed again.
    """
    errors: list[ContentError] = []
    warnings: list[str] = stray_files(config) if config.content_dir.is_dir() else []
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
            article = _read_article(path, display, session)
            if "audio" in article.meta or "audio_timings" in article.meta:
                media, media_warnings = audio.load(article, display, strict=config.strict)
                article = replace(article, media=media)
                warnings.extend(media_warnings)
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


def _read_article(path: Path, display: str, session: Session | None) -> Article:
    if session is None:
        return read_article(path, display)
    try:
        st = path.stat()
        sig = (st.st_ino, st.st_size, st.st_mtime_ns, display)
    except OSError:
        return read_article(path, display)  # reports the problem
    held = session.parsed.get(path)
    if held is not None and held[0] == sig:
        if isinstance(held[1], BuildFailed):
            raise held[1]
        return held[1]
    try:
        article = read_article(path, display)
    except BuildFailed as exc:
        session.parsed[path] = (sig, exc)
        raise
    session.parsed[path] = (sig, article)
    return article


def read_site_glossary(config: Config) -> tuple[dict, str]:
    """The site-wide author glossary (``content/glossary.yaml``) and its text."""
    return vocab.read_site_glossary(config.content_dir, f"content/{vocab.SITE_GLOSSARY}")




class Session:
    """What a process keeps from one build to the next (``serve`` builds many times).

    Parsed articles (by file identity: inode, size, modification time), each article's small
    metadata and the renderer with its loaded reading engine. With ``incremental`` (``serve``)
    also the site vocabulary, summed up once and then updated per changed article, and the
    HTML of vocabulary rows and search entries. A plain ``build`` uses a fresh session; every
    value is checked against the current input's key before use.
    """

    def __init__(self, *, incremental: bool = False) -> None:
        self.incremental = incremental
        self.parsed: dict[Path, tuple[tuple, Article | BuildFailed]] = {}
        self.meta: dict[str, tuple[str, dict]] = {}
        self.lists: dict[str, tuple[str, dict]] = {}
        self.site_vocab = vocab.SiteVocabulary(incremental=True) if incremental else None
        self.row_html: dict = {}
        self.search_json: dict = {}
        self.cards: dict = {}
        self.audit_lines: dict = {}
        self.renderer = None
        self.renderer_config: Config | None = None

    def renderer_for(self, config: Config):
        from .render import Renderer

        if self.renderer is None or self.renderer_config != config:
            self.renderer, self.renderer_config = Renderer(config), config
        return self.renderer


def build(config: Config, *, clean: bool = False, session: Session | None = None,
          defer_vocabulary: bool = False, progress: bool = False) -> BuildResult:
    """Build ``content/`` into ``site/``; ``site/`` is replaced only when everything succeeded.

    Files whose inputs did not change are reused from the previous ``site/`` (see
    :mod:`yuedu.output`); ``clean`` discards the cache and renders everything.
    """
    from .output import SiteWriter

    session = session or Session()
    _recover(config.site_dir)
    if clean:
        cache.clear(config.cache_dir)
        session.meta.clear()
        session.lists.clear()
    articles, warnings = read_all(config, session)
    out = config.site_dir
    tmp = out.parent / f"{out.name}.tmp-{os.getpid()}"
    writer = SiteWriter(tmp, out if not clean else tmp / ".none", config.cache_dir)
    # serve: update site/ in place (only the rendered files change), once it has a manifest.
    in_place = session.incremental and writer.in_place()
    if not in_place:
        if tmp.exists():
            shutil.rmtree(tmp)
        tmp.mkdir(parents=True)
    try:
        result = BuildResult(articles=articles, warnings=warnings)
        _write_site(config, session, articles, writer, result, defer_vocabulary, progress)
        if config.strict and warnings:
            raise BuildFailed([ContentError("build", None, f"--strict: {len(warnings)} warning(s)")])
        if in_place:
            writer.commit()
        elif writer.unchanged():
            tmp.rmdir()  # nothing changed: site/ stays as it is
        else:
            writer.stage()
            _swap(tmp, out)
    except BaseException:
        if not in_place:
            shutil.rmtree(tmp, ignore_errors=True)
        raise
    writer.save()
    result.reused, result.written = writer.reused, writer.written
    return result


def _summary(article: Article, meta: dict) -> dict:
    """An article as the index, search and feed see it."""
    return {"article": article, "url": f"{article.slug}/",
            **{k: v for k, v in meta.items() if k not in ("audit", "unexplained", "entries")}}


def _fingerprint(config: Config) -> str:
    """Everything besides the articles that any output depends on: engine, templates, config."""
    from .output import digest, tree_digest

    settings = repr((config.title, config.tagline, config.credits, config.base_url, config.hsk_standard,
                     config.editions, config.opencc))
    return digest(cache.engine_version(everything=True), tree_digest(config.templates_dir), settings)


def _write_site(config: Config, session: Session, articles: list[Article], writer, result: BuildResult,
                defer_vocabulary: bool = False, show_progress: bool = False) -> None:
    from .progress import Progress

    from .editions import editions as site_editions
    from .output import digest

    standard = config.hsk_standard
    eds = site_editions(config.editions, config.opencc)
    names = {"standard_name": STANDARD_NAMES[standard]}
    fp = _fingerprint(config)
    store = cache.ArticleCache(config.cache_dir)
    site_glossary, glossary_text = read_site_glossary(config)
    keys = [store.key(a.digest, glossary_text, standard) for a in articles]
    key_of = {a.slug: k for a, k in zip(articles, keys)}

    def neighbours(i: int) -> tuple[Article | None, Article | None]:
        return (articles[i - 1] if i > 0 else None, articles[i + 1] if i + 1 < len(articles) else None)

    def page_keys(i: int, meta: dict | None) -> dict[str, str] | None:
        """The output files of article ``i`` and their keys (None until its metadata is known:
        the number of glossary files depends on its words)."""
        if meta is None:
            return None
        a, key = articles[i], keys[i]
        near = [(n.slug, n.title) if n else None for n in neighbours(i)]
        out = {f"{a.slug}/vocabulary.tsv": digest(fp, key, "tsv"), f"{a.slug}/pleco.txt": digest(fp, key, "pleco")}
        for k in range(vocab.gloss_files(meta["words"])):
            out[f"{a.slug}/{k}.json"] = digest(fp, key, "gloss", str(k))
        media = a.media.key if a.media is not None else ""
        for ed in eds:
            out[f"{ed.prefix}{a.slug}/index.html"] = digest(fp, key, ed.key, repr(near), media)
        return out

    # The listings (index, vocabulary, search, feed …) show every article: one key for all.
    site_key = digest(fp, *[f"{a.slug}:{k}" for a, k in zip(articles, keys)])
    listings_fresh = writer.group_fresh("listings", site_key)
    vocab_fresh = writer.group_fresh("vocabulary", site_key)
    listing = None if listings_fresh and vocab_fresh else _Listings(config, session, eds, articles, keys)

    # Which articles need their annotated HTML: a page to render, or no metadata at hand.
    metas: list[dict | None] = []
    for a, key in zip(articles, keys):
        held = session.meta.get(a.slug)
        metas.append(held[1] if held and held[0] == key else store.get_meta(a.slug, key))
    outputs = [page_keys(i, meta) for i, meta in enumerate(metas)]
    needed = [a for a, meta, outs in zip(articles, metas, outputs)
              if meta is None or not all(writer.fresh(rel, k) for rel, k in outs.items())]
    renderer = session.renderer_for(config) if needed else None
    if needed and not config.scheduler:
        # Parse CC-CEDICT (when not cached) in a process of its own while this process or the
        # workers load the reading engine; they wait for its cache file rather than parse it too.
        from . import glossary

        glossary.prepare_in_background(config.dictionary_dir)
    stream = parallel.rendered_articles(config, needed, site_glossary, store, lambda a: key_of[a.slug],
                                        renderer=renderer)
    needed_slugs = {a.slug for a in needed}
    errors: list[ContentError] = []
    audits: list[tuple[Article, str, list[tuple]]] = []
    bar = Progress(len(needed)) if show_progress else None
    try:
        for i, article in enumerate(articles):
            meta, lists, rendered = metas[i], None, None
            if article.slug in needed_slugs:
                done, entry, fresh = next(stream)
                assert done is article
                if bar is not None:
                    bar.advance()
                if isinstance(entry, ContentError):
                    errors.append(entry)
                    continue
                result.annotated += fresh
                rendered, lists = entry.rendered, entry.lists
                if meta is None:
                    meta = entry.meta
                    outputs[i] = page_keys(i, meta)
            if session.incremental:
                session.meta[article.slug] = (keys[i], meta)
            metas[i] = None  # a build of 10,000 articles must not hold every article's audit
            name = article.path.relative_to(config.root).as_posix()
            audits.append((article, keys[i], _audit_lines(session, article, keys[i], name, meta["audit"])))
            if article.level:
                result.levels.append(f"{name}: level {meta['level']} (set by level:; computed: "
                                     f"{meta.get('computed_level', '?')})")
            for word in meta["unexplained"]:
                result.warnings.append(f"{name}: no English for {word!r} (not in CC-CEDICT or the glossary)")
            entries = meta.get("entries")
            if entries:
                result.no_entry.append((name, entries["units"], entries["missing"]))
            summary = _summary(article, meta)
            if listing is not None:
                listing.add(i, summary, lists)
            if article.media is not None:
                _write_media(writer, article)
            if rendered is None:  # every file of this article is fresh
                for rel in outputs[i]:
                    writer.reuse(rel)
                result.pages += len(eds)
                continue
            _write_article(config, writer, renderer, eds, outputs[i], article, rendered, summary, lists,
                           neighbours(i), names)
            result.pages += len(eds)
            del rendered  # nothing per article outlives its pages but the small metadata
    finally:
        if bar is not None:
            bar.close()
    if errors:
        raise BuildFailed(errors)
    live = {a.slug for a in articles}
    for memo in (session.meta, session.lists, session.audit_lines):
        for slug in [s for s in memo if s not in live]:
            del memo[slug]
    _report_audit(config, session, audits, result)
    _report_entries(config, result)
    for group, fresh in (("listings", listings_fresh), ("vocabulary", vocab_fresh)):
        if fresh:
            writer.reuse_group(group)
        elif group == "listings":
            listing.write(writer, fp, site_key, result, names)
        elif defer_vocabulary and writer.has_group(group):
            # serve: the edited page first; the site vocabulary follows in a second build.
            writer.reuse_group(group, stale=True)
            result.deferred = True
        else:
            listing.write_vocabulary(writer, site_key, result, names)
        result.pages += writer.group_pages(group)


def _write_media(writer, article: Article) -> None:
    """Publish an article's recording and timings beside its page, byte for byte."""
    from .output import digest

    for name, content_digest, path in article.media.files():
        rel, key = f"{article.slug}/{name}", digest("media", content_digest)
        if writer.fresh(rel, key):
            writer.reuse(rel)
            continue
        with open(path, "rb") as fh:
            writer.write_parts(rel, key, [fh])


def _write_article(config: Config, writer, renderer, eds, outs: dict[str, str], article: Article, rendered,
                   summary: dict, lists: dict, near, names: dict) -> None:
    """An article's page in each edition and its flashcard files."""
    vocab_rows = lists["vocab_rows"]
    url = config.base_url + f"{article.slug}/"
    writer.emit(f"{article.slug}/vocabulary.tsv", outs[f"{article.slug}/vocabulary.tsv"],
                lambda: vocab.anki_tsv(article.title, url, vocab_rows))
    writer.emit(f"{article.slug}/pleco.txt", outs[f"{article.slug}/pleco.txt"],
                lambda: vocab.pleco_txt(article.slug, vocab_rows))
    for rel, key in outs.items():
        if rel.endswith(".json"):  # <slug>/<k>.json: the popup data, fetched on a tap
            k = int(rel.rsplit("/", 1)[1][:-5])
            writer.emit(rel, key, lambda k=k: rendered.gloss_files[k])
    newer, older = near
    gloss_json = None
    if article.media is not None and article.media.times:
        rendered = audio.mark(rendered, article.media.times)
    tails = None
    for ed in eds:
        rel = f"{ed.prefix}{article.slug}/index.html"
        if writer.fresh(rel, outs[rel]):
            writer.reuse(rel)
            continue
        if gloss_json is None:
            gloss_json = Markup(vocab.json_for_script(vocab.page_words(rendered.words)))
        r = rendered if ed.convert is None else _convert_rendered(rendered, ed)
        if tails is None:
            tails = vocab.article_row_tails(vocab_rows)
        writer.write(rel, outs[rel], renderer.page(
            "article.html", **_where(config, eds, ed, f"{article.slug}/"), article=article, r=r,
            summary=summary, vocab_html=vocab.article_rows_html(vocab_rows, ed, tails), vocab_count=len(vocab_rows),
            gloss_json=gloss_json, gloss_chunk=vocab.GLOSS_CHUNK, newer=newer, older=older, page_title=ed.text(article.title), **names))


class _Listings:
    """The pages that list articles or words, the feed, sitemap and static files.

    They depend on every article, so they share one key: a build with nothing changed reuses
    them all, any article change renders them again. Articles are added one by one as the
    build streams through them (memory grows with the site's words, not its articles), or,
    in ``serve``, the session's site vocabulary is updated for the changed articles only.
    """

    def __init__(self, config: Config, session: Session, eds, articles: list[Article], keys: list[str]) -> None:
        self.config, self.session, self.eds = config, session, eds
        self.articles, self.keys = articles, keys
        self.summaries: list[dict] = []
        # Each edition's search index, entry by entry: in memory for serve (a rebuild joins the
        # entries it keeps), in a temporary file for a build (memory flat however many articles).
        self.search: dict[str, list[bytes]] = {ed.key: [] for ed in eds}
        self.search_files = {} if session.incremental else {ed.key: tempfile.TemporaryFile() for ed in eds}
        self.store = cache.ArticleCache(config.cache_dir)
        self.vocab = session.site_vocab if session.incremental else vocab.SiteVocabulary()
        if session.incremental:
            self.vocab.retain({a.slug for a in articles})

    def _lists(self, i: int, lists: dict | None) -> dict:
        a, key = self.articles[i], self.keys[i]
        if lists is not None:
            if self.session.incremental:
                self.session.lists[a.slug] = (key, lists)
            return lists
        held = self.session.lists.get(a.slug)
        if held is not None and held[0] == key:
            return held[1]
        lists = self.store.get_lists(a.slug, key)
        if lists is None:  # lost from the cache: the build will find it missing next time
            raise BuildFailed([ContentError(str(a.path), None, "internal: article cache entry vanished; "
                                                               "run `python build.py --clean`")])
        if self.session.incremental:
            self.session.lists[a.slug] = (key, lists)
        return lists

    def add(self, i: int, summary: dict, lists: dict | None) -> None:
        a, key = self.articles[i], self.keys[i]
        self.summaries.append(summary)
        lists = self._lists(i, lists)
        if not self.session.incremental:
            self.vocab.add(a, lists["vocab_rows"])
        elif not self.vocab.has(a.slug, key, a.title):
            self.vocab.update(a.slug, key, a.title, lists["vocab_rows"])
        memo = self.session.search_json if self.session.incremental else None
        for ed in self.eds:
            mkey = (a.slug, key, ed.key)
            entry = memo.get(mkey) if memo is not None else None
            if entry is None:
                entry = _search_entry(summary, lists["search"], ed).encode("utf-8")
                if memo is not None:
                    memo[mkey] = entry
            fh = self.search_files.get(ed.key)
            if fh is None:
                self.search[ed.key].append(entry)
            else:
                fh.write(b"," + entry if fh.tell() else entry)

    def write(self, writer, fp: str, site_key: str, result: BuildResult, names: dict) -> None:
        from .output import digest

        config, eds, articles, summaries = self.config, self.eds, self.articles, self.summaries
        renderer = self.session.renderer_for(config)
        writer.start_group("listings", site_key)
        tags = sorted({t for a in articles for t in a.tags})
        levels = sorted({s["level"] for s in summaries}, key=lambda lv: LEVEL_RANKS.get(lv, 99))
        memo = self.session.cards if self.session.incremental else {}
        for ed in eds:
            cards = []
            for s, key in zip(summaries, self.keys):
                mkey = (s["article"].slug, key, ed.key, fp)
                card = memo.get(mkey)
                if card is None:
                    card = memo[mkey] = renderer.fragment("_card.html", s=s, ed=ed, **names)
                cards.append(card)
            pages = [
                ("", "index.html", config.title, {"cards": cards, "tags": tags, "levels": levels}),
                ("about/", "about.html", "About", {"articles": articles}),
                ("search/", "search.html", "Search", {}),
                ("review/", "review.html", "Review", {}),
            ]
            for path, template, title, context in pages:
                writer.write(f"{ed.prefix}{path}index.html", digest(site_key, ed.key, path), renderer.page(
                    template, **_where(config, eds, ed, path), page_title=title, **context, **names))
            fh = self.search_files.get(ed.key)
            if fh is not None:
                fh.seek(0)
            writer.write_parts(f"{ed.prefix}search/index.json", digest(site_key, ed.key, "search.json"),
                               [b"[", fh if fh is not None else b",".join(self.search[ed.key]), b"]"])
        for fh in self.search_files.values():
            fh.close()
        if self.session.incremental:
            live_keys = {(a.slug, k) for a, k in zip(articles, self.keys)}
            for held in (self.session.search_json, self.session.cards):
                for mkey in [m for m in held if m[:2] not in live_keys]:
                    del held[mkey]
        # GitHub Pages serves 404.html at any missing path, so its links must be absolute paths.
        base_path = urlsplit(config.base_url).path or "/"
        writer.write("404.html", digest(fp, "404"), renderer.page(
            "404.html", root=base_path, home=base_path, ed=eds[0], other=None, canonical="",
            alternates=[], page_title="Page not found", **names))
        writer.write("feed.xml", digest(site_key, "feed"), _atom(config, summaries))
        writer.write("robots.txt", digest(fp, "robots"),
                     f"User-agent: *\nAllow: /\nSitemap: {config.base_url}sitemap.xml\n")
        writer.write(".nojekyll", digest(fp, "nojekyll"), "")  # publish folders as they are, no Jekyll
        static = []
        if config.static_dir.is_dir():
            for path in sorted(p for p in config.static_dir.rglob("*") if p.is_file()):
                rel = "static/" + path.relative_to(config.static_dir).as_posix()
                static.append(rel)
                writer.write(rel, digest(fp, rel), path.read_bytes())
        from .offline import manifest, service_worker

        writer.write("site.webmanifest", digest(fp, "manifest"), manifest(config))
        # Each edition's shell: its index and review/ with the files they use. Audio files are saved
        # by the articles that use them, not with the shell.
        common = [rel for rel in static if not rel.startswith("static/audio.")] + ["site.webmanifest"]
        shell = {ed.prefix: [f"{ed.prefix}{path}" for path in ("", "review/")] + common for ed in eds}
        writer.write("sw.js", digest(site_key, "sw"), service_worker(config, site_key, shell))
        writer.end_group()

    def write_vocabulary(self, writer, site_key: str, result: BuildResult, names: dict) -> None:
        """The site vocabulary's pages and download, and the sitemap (which lists those pages)."""
        from .output import digest

        config, eds, articles = self.config, self.eds, self.articles
        renderer = self.session.renderer_for(config)
        writer.start_group("vocabulary", site_key)
        rows = self.vocab.rows(articles)
        vocab_pages = vocab.site_pages(rows)
        memo = self.session.row_html if self.session.incremental else None
        for ed in eds:
            for vp in vocab_pages:
                path = vp["path"]
                where = _where(config, eds, ed, path)
                writer.write(f"{ed.prefix}{path}index.html", digest(site_key, ed.key, path), renderer.page(
                    "vocabulary.html", **where, page_title=vp["title"], vp=vp,
                    rows_html=vocab.site_rows_html(vp["rows"] or [], ed, where["home"], memo),
                    articles=articles, **names))
        if memo is not None:  # keep only the rows on the pages now
            live = set(memo.values())
            if len(memo) > 2 * len(live):
                self.session.row_html = {k: v for k, v in memo.items() if v in live}
        writer.write("vocabulary/vocabulary.tsv", digest(site_key, "tsv"),
                     vocab.anki_tsv(config.title, config.base_url + "vocabulary/", rows))
        writer.write("sitemap.xml", digest(site_key, "sitemap"), _sitemap(config, articles, eds, vocab_pages))
        writer.end_group()


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
        questions=[{**q, "q": ed.html(q["q"]), "choices": [ed.html(c) for c in q["choices"]],
                    "explain": ed.html(q["explain"])} for q in rendered.questions],
    )


def _search_entry(summary: dict, words: list[tuple[str, str]], ed) -> str:
    """One article's entry in the search index (JSON): its titles and its words in the
    edition's script, each with toneless pinyin."""
    a = summary["article"]
    return vocab.json_for_script({
        "u": summary["url"], "t": ed.text(a.title), "e": a.title_en, "l": summary["level"],
        "w": ed.texts(w for w, _ in words),
        "p": [p for _, p in words],
    })


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


def _sitemap(config: Config, articles: list[Article], eds, vocab_pages: list[dict]) -> str:
    """A sitemap of every page of every edition, with absolute URLs."""
    paths = [("", None), ("about/", None), ("search/", None), ("review/", None)] + [(vp["path"], None) for vp in vocab_pages]
    paths += [(f"{a.slug}/", a.date.isoformat()) for a in articles]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for ed in eds:
        for path, lastmod in paths:
            mod = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
            lines.append(f"  <url><loc>{xml_escape(config.base_url + ed.prefix + path)}</loc>{mod}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def _audit_lines(session: Session, article: Article, key: str, name: str, entries: list[dict]) -> list[tuple]:
    """An article's readings to review as ``(path, line, message)`` (small: a build holds all of
    them until the report; serve keeps them per article)."""
    held = session.audit_lines.get(article.slug)
    if held is not None and held[0] == key:
        return held[1]
    errs = [(name, e["line"], f"review {e['text']}") for e in entries]
    if session.incremental:
        session.audit_lines[article.slug] = (key, errs)
    return errs


def _report_audit(config: Config, session: Session, audits: list[tuple[Article, str, list[tuple]]],
                  result: BuildResult) -> None:
    """Collect the readings to review and write them to ``reports/pinyin-audit.txt`` (outside site/).

    An author resolves one by fixing the reading with an override (``{字|pinyin}`` or
    ``readings:``); with ``--strict`` unresolved readings are errors.
    """
    found = [e for _, _, errs in audits for e in errs]
    result.review = [f"{path}:{line}: {message}" if line else f"{path}: {message}" for path, line, message in found]
    config.reports_dir.mkdir(exist_ok=True)
    head = ("# Readings to check: the engine was unsure, and another reading is another word.\n"
            "# Each line: the word as the student sees it (pinyin and gloss), the other reading(s), the sentence.\n"
            "# Wrong: fix it with an override, {字|pinyin} in the text or readings: in front matter.\n"
            "# Right: confirm it in the article's front matter, e.g. reviewed: [精神 jīngshen], and it is not listed again.\n")
    text = head + "".join(f"{e}\n" for e in result.review)
    _write_report(config, "pinyin-audit.txt", text)
    if config.strict and found:
        raise BuildFailed([ContentError(path, line, "unresolved reading: " + message) for path, line, message in found])


def _report_entries(config: Config, result: BuildResult) -> None:
    """Write ``reports/word-entries.txt``: per article, the word units without an entry.

    A unit has an entry when CC-CEDICT, the author's glossary, a name label or a number
    explanation stands behind its popup; the others show only a breakdown into characters.
    An author adds a glossary entry for the ones worth one.
    """
    lines = ["# Word units whose popup has no entry (CC-CEDICT, glossary, name or number): only a breakdown.",
             "# Give the ones that matter a glossary entry (glossary: in front matter or content/glossary.yaml)."]
    for path, units, missing in result.no_entry:
        covered = 100.0 * (units - len(missing)) / units if units else 100.0
        lines.append(f"{path}: {len(missing)} of {units} units without an entry ({covered:.1f}% with one)"
                     + (": " + " ".join(missing) if missing else ""))
    _write_report(config, "word-entries.txt", "\n".join(lines) + "\n")


def _write_report(config: Config, name: str, text: str) -> None:
    """Write ``reports/<name>`` unless it already holds ``text`` (an unchanged report keeps its time)."""
    report = config.reports_dir / name
    try:
        if report.read_text(encoding="utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass
    config.reports_dir.mkdir(exist_ok=True)
    _atomic_write(report, text)


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)




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


