"""Annotate many articles at once on all CPU cores; small batches stay in this process.

Annotation (the reading engine, Markdown with ruby, glossing) is nearly all of a cold build and
every article is independent, so a large site is split over worker processes:

* :func:`render_articles` renders a list of articles and yields ``(article, result)`` in the
  order given, where ``result`` is the :class:`~yuedu.render.RenderedArticle` or the
  :class:`~yuedu.errors.ContentError` that article raised (one bad article does not stop the
  others). Fewer than :data:`MIN_PARALLEL` articles, or ``jobs=1``, are rendered here, in
  this process, exactly as before.
* :func:`rendered_articles` is what a build calls: every article in order, from the article
  cache when its entry is valid, otherwise rendered (through :func:`render_articles`, so the
  uncached ones of a large build go to the workers together) and stored.

Workers are direct children, so the build's own resource usage (``wait4``,
``RUSAGE_CHILDREN``) includes theirs, and each ends when the build process dies. On Linux,
when no other thread runs in this process (a plain build), this process loads the reading
engine, CC-CEDICT and a :class:`~yuedu.render.Renderer` once and *forks* the workers, which
start with all of it (copy-on-write). Elsewhere, or when threads run (``serve`` runs a
Tornado loop; forking a process that holds threads can deadlock the child), workers are
started with ``spawn`` and each loads the engine in its initializer. ``YUEDU_START_METHOD=spawn``
forces the second way (tests compare both). A worker stores each article it renders in the
article cache itself, with the metadata and lists the site needs of it
(:func:`yuedu.vocab.article_meta`), and sends back the entry's bytes: an article is pickled
once, and the build process only reads it.
Articles go out in small chunks, at most a few chunks per worker in flight, so memory stays
flat however large the site: results are yielded in order as they come back and nothing holds
all rendered articles.

A worker renders with the same code and data as this process, and a rendered article crosses
back by pickle, exactly as it does through the article cache, so the site is byte-identical
to a serial build (``tests/test_parallel.py`` checks it).

``jobs`` defaults to the CPUs this process may use, at most :data:`MAX_JOBS` (each worker holds
the reading engine, about 330 MiB; four keep a build under 2 GiB); the environment variable
``YUEDU_JOBS`` overrides it (``YUEDU_JOBS=1``: never start workers).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing
import os
import pickle
import sys
import threading
import traceback
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import ArticleCache, Entry
from .errors import ContentError

if TYPE_CHECKING:
    from .article import Article
    from .config import Config
    from .render import Renderer, RenderedArticle

log = logging.getLogger("yuedu")

#: Fewer uncached articles than this are rendered in this process: starting workers (each
#: loads the reading engine, a few seconds) costs more than it saves on a handful.
MIN_PARALLEL = 8
#: Default upper bound on worker processes: each holds the reading engine and CC-CEDICT
#: (about 330 MiB), and the issue asks for a build under 2 GiB RSS.
MAX_JOBS = 4
#: Largest number of articles sent to a worker in one task.
MAX_CHUNK = 4
#: Chunks in flight per worker (bounds memory held by finished, not yet yielded results).
IN_FLIGHT_PER_JOB = 2


def default_jobs() -> int:
    """Worker processes to use: ``YUEDU_JOBS`` if set, else the usable CPUs (at most MAX_JOBS)."""
    env = os.environ.get("YUEDU_JOBS", "").strip()
    if env:
        try:
            return max(1, int(env))
        except ValueError:
            log.warning("YUEDU_JOBS=%r is not a number; using the CPU count", env)
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_JOBS))


# ---------------------------------------------------------------------------------------------
# The worker side

_renderer: Renderer | None = None
_site_glossary: dict | None = None


def _die_with_parent(parent: int) -> None:
    """Have the kernel end this worker when the build process dies (Linux): a build killed by
    SIGKILL must not leave workers holding the reading engine's memory."""
    if sys.platform != "linux":
        return
    import ctypes
    import signal

    pr_set_pdeathsig = 1
    ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


def _init_worker(config: Config, site_glossary: dict | None, parent: int | None = None) -> None:
    """Load everything heavy once per worker: the reading engine, CC-CEDICT, a Renderer."""
    global _renderer, _site_glossary
    if parent is not None:
        _die_with_parent(parent)
    from . import glossary
    from .reading import warm_up
    from .render import Renderer

    with _frozen():
        warm_up()
        glossary.load(config.dictionary_dir)
        _renderer = Renderer(config)
        _renderer.ruby  # noqa: B018 -- creates the ruby Markdown instance now
    _site_glossary = site_glossary


def _portable(exc: BaseException) -> BaseException:
    """``exc`` if it survives pickling, else a RuntimeError carrying its traceback."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        return RuntimeError(f"in a build worker:\n{text}")


def _forget_parent() -> None:
    """Drop what :func:`_warm_parent` set up here (the caller still holds its renderer) and give
    the garbage collector back its objects and thresholds."""
    global _renderer, _site_glossary, _gc_before
    from . import glossary

    _renderer = _site_glossary = None
    glossary.wait_background()
    if _gc_before is not None:
        gc.unfreeze()
        gc.set_threshold(*_gc_before)
        _gc_before = None


def _render_chunk(articles: Sequence[Article], keys: Sequence[str] | None = None,
                  cache_dir: Path | None = None) -> list[tuple[str, Any]]:
    """Render each article; per article ``("ok", rendered)``, ``("content", (path, line,
    message))`` or ``("raise", exception)``. ContentError is sent as its fields because its
    constructor does not match its ``args`` (it would not unpickle).

    With ``keys`` and ``cache_dir``, a rendered article is stored in the article cache here
    with its metadata (:func:`entry`), and comes back as ``("stored", entry bytes)``: it is
    pickled once, for the cache and the trip back together, and the build process only reads it."""
    assert _renderer is not None, "worker not initialised"
    out = render_outcomes(_renderer, articles, _site_glossary)
    if keys is None or cache_dir is None:
        return out
    store = ArticleCache(cache_dir)
    standard = _renderer.config.hsk_standard
    for i, (article, key, (kind, value)) in enumerate(zip(articles, keys, out)):
        if kind == "ok":
            out[i] = ("stored", store.put(article.slug, key, entry(article, value, standard)))
    return out


def entry(article: Article, rendered: RenderedArticle, standard: str) -> Entry:
    """An article's cache entry: its rendered HTML with what the site needs of it."""
    from .vocab import article_meta

    return Entry(*article_meta(article, rendered, standard), rendered)


def render_outcomes(renderer, articles: Sequence[Article], site_glossary) -> list[tuple[str, Any]]:
    """Render each article with ``renderer`` into the outcomes :func:`_render_chunk` describes
    (shared by the local pool and Dask workers)."""
    out: list[tuple[str, Any]] = []
    for article in articles:
        try:
            out.append(("ok", renderer.article(article, site_glossary)))
        except ContentError as exc:
            out.append(("content", (exc.path, exc.lineno, exc.message)))
        except Exception as exc:  # a bug of ours: raised in the parent when its turn comes
            out.append(("raise", _portable(exc)))
    return out


def _unpack(kind: str, value: Any) -> RenderedArticle | Entry | ContentError:
    if kind == "ok":
        return value
    if kind == "stored":  # an Entry, stored by the worker
        return ArticleCache.loads(value)
    if kind == "content":
        return ContentError(*value)
    raise value


# ---------------------------------------------------------------------------------------------
# The parent side


def _fork_safe() -> bool:
    """True where workers may be forked from this process: Linux, and no other thread running
    (``serve`` runs Tornado's; forking a process that holds threads can deadlock the child)."""
    return (sys.platform == "linux" and threading.active_count() == 1
            and "fork" in multiprocessing.get_all_start_methods()
            and os.environ.get("YUEDU_START_METHOD", "fork") == "fork")


def _warm_parent(config: Config, site_glossary: dict | None, renderer: Renderer | None) -> Renderer:
    """Load the engine, CC-CEDICT and a Renderer here, once, for forked workers to inherit."""
    global _renderer, _site_glossary
    from . import glossary
    from .reading import warm_up
    from .render import Renderer

    with _frozen():
        warm_up()
        # CC-CEDICT is shared too: its background parse ran while the engine loaded, and the
        # workers inherit it rather than each reading the parsed file again (~0.1 CPU s each).
        glossary.load(config.dictionary_dir)
        _renderer = renderer if renderer is not None else Renderer(config)
        _renderer.ruby  # noqa: B018 -- creates the ruby Markdown instance now
    _site_glossary = site_glossary
    return _renderer


#: The collector's first threshold while the engine is loaded (Python's default is 700): a
#: build allocates millions of short-lived objects and makes few reference cycles, so with the
#: default the collector ran about a thousand times in a 100-article build's own process alone.
#: At 50,000 each worker still spent ~0.11 s of a 100-article build in young collections, walking
#: the glossary memos as they grew; at a million, 4 ms (a cycle waits longer to be freed, and
#: the build makes few).
GC_THRESHOLD = 1_000_000
_gc_before: tuple[int, ...] | None = None


@contextlib.contextmanager
def _frozen() -> Iterator[None]:
    """Load what lives as long as the process without the cyclic garbage collector, then put it
    out of the collector's reach (``gc.freeze``) and collect less often (:data:`GC_THRESHOLD`):
    the engine's millions of objects would otherwise be walked again and again while loading and
    in every full collection after, and in forked workers each walk would touch, so copy, their
    pages. :func:`_forget_parent` undoes it in the build process."""
    global _gc_before
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if _gc_before is None:
            _gc_before = gc.get_threshold()
            gc.set_threshold(max(GC_THRESHOLD, _gc_before[0]), *_gc_before[1:])
        if was_enabled:
            gc.enable()


def _serial(config: Config, articles: Sequence[Article], site_glossary: dict | None,
            renderer: Renderer | None) -> Iterator[tuple[Article, RenderedArticle | ContentError]]:
    if renderer is None:
        from .render import Renderer

        renderer = Renderer(config)
    for article in articles:
        try:
            rendered: RenderedArticle | ContentError = renderer.article(article, site_glossary)
        except ContentError as exc:
            rendered = exc
        yield article, rendered


def _chunk_size(n: int, jobs: int) -> int:
    """Small enough that every worker gets several chunks (balance, streaming), at most MAX_CHUNK."""
    return max(1, min(MAX_CHUNK, n // (jobs * 4)))


def render_articles(
    config: Config,
    articles: Sequence[Article],
    site_glossary: dict | None = None,
    jobs: int | None = None,
    *,
    min_parallel: int | None = None,
    renderer: Renderer | None = None,
    store: ArticleCache | None = None,
    key_of: Callable[[Article], str] | None = None,
) -> Iterator[tuple[Article, RenderedArticle | Entry | ContentError]]:
    """Render ``articles``; yield ``(article, RenderedArticle or ContentError)`` in their order.

    Uses up to ``jobs`` worker processes (default :func:`default_jobs`) when there are at least
    ``min_parallel`` articles (default :data:`MIN_PARALLEL`), else renders here with
    ``renderer`` (a new Renderer if None).
    A ContentError comes back as that article's result; any other exception is raised when
    that article's turn comes, as in a serial build. If the pool breaks (a worker killed), the
    rest is rendered here. With ``store`` and ``key_of``, a worker stores each article it
    renders there (under ``key_of(article)``), and it comes back as its cache
    :class:`~yuedu.cache.Entry`.
    """
    articles = list(articles)
    min_parallel = MIN_PARALLEL if min_parallel is None else min_parallel
    jobs = default_jobs() if jobs is None else max(1, jobs)
    jobs = min(jobs, len(articles))
    if jobs <= 1 or len(articles) < max(min_parallel, 2):
        yield from _serial(config, articles, site_glossary, renderer)
        return
    size = _chunk_size(len(articles), jobs)
    chunks = [articles[i:i + size] for i in range(0, len(articles), size)]
    log.debug("rendering %d article(s) on %d worker(s), %d per task", len(articles), jobs, size)
    if _fork_safe():
        # The engine is loaded once, here, and every worker starts with it (copy-on-write):
        # a spawned worker would spend about a CPU second loading it again.
        try:
            renderer = _warm_parent(config, site_glossary, renderer)
            pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"),
                                       initializer=_die_with_parent, initargs=(os.getpid(),))
        except BaseException:
            _forget_parent()
            raise
    else:
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_init_worker, initargs=(config, site_glossary, os.getpid()))

    def task(chunk: list[Article]) -> tuple:
        if store is None or key_of is None:
            return (chunk,)
        return chunk, [key_of(a) for a in chunk], store.dir.parent

    in_flight: deque[tuple[int, Future]] = deque()
    next_chunk = 0
    broken_at: int | None = None
    try:
        while next_chunk < len(chunks) or in_flight:
            while next_chunk < len(chunks) and len(in_flight) < jobs * IN_FLIGHT_PER_JOB:
                in_flight.append((next_chunk, pool.submit(_render_chunk, *task(chunks[next_chunk]))))
                next_chunk += 1
            index, future = in_flight.popleft()
            try:
                results = future.result()
            except BrokenProcessPool as exc:
                log.warning("build workers stopped (%s); rendering the rest in this process", exc)
                broken_at = index
                break
            for article, (kind, value) in zip(chunks[index], results):
                yield article, _unpack(kind, value)
    finally:
        for _, future in in_flight:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
        _forget_parent()
    if broken_at is not None:
        rest = [a for chunk in chunks[broken_at:] for a in chunk]
        yield from _serial(config, rest, site_glossary, renderer)


def rendered_articles(
    config: Config,
    articles: Sequence[Article],
    site_glossary: dict | None,
    store: ArticleCache,
    key_of: Callable[[Article], str],
    *,
    renderer: Renderer | None = None,
    jobs: int | None = None,
    min_parallel: int | None = None,
) -> Iterator[tuple[Article, Entry | ContentError, bool]]:
    """Every article in order as ``(article, cache Entry or ContentError, fresh)``.

    An article whose cache entry is valid comes from the cache (``fresh`` False); the others
    are rendered -- in worker processes when there are at least ``min_parallel`` of them, or on
    the Dask cluster at ``config.scheduler`` (:mod:`yuedu.cluster`) -- stored in the cache with
    their metadata (:func:`entry`), and come back with ``fresh`` True. Only a few rendered
    articles are held at a time.
    """
    keys = [key_of(a) for a in articles]
    todo = [a for a, k in zip(articles, keys) if not store.has(a.slug, k)]
    if config.scheduler and todo:
        from . import cluster  # imports dask.distributed: only when a build names a scheduler

        fresh_iter = cluster.render_articles(config, todo, site_glossary, config.scheduler)
    else:
        fresh_iter = render_articles(config, todo, site_glossary, jobs, min_parallel=min_parallel,
                                     renderer=renderer, store=store, key_of=key_of)
    todo_slugs = {a.slug for a in todo}
    own: Renderer | None = renderer
    try:
        for article, key in zip(articles, keys):
            fresh = article.slug in todo_slugs
            if fresh:
                done, result = next(fresh_iter)
                assert done is article
            else:
                result = store.get(article.slug, key)
                if result is None:  # the guess was wrong (a damaged entry): render it here
                    if own is None:
                        from .render import Renderer

                        own = Renderer(config)
                    try:
                        result = own.article(article, site_glossary)
                    except ContentError as exc:
                        result = exc
                    fresh = True
            if not isinstance(result, (Entry, ContentError)):  # rendered here or on the cluster
                result = entry(article, result, config.hsk_standard)
                store.put(article.slug, key, result)
            yield article, result, fresh
    finally:
        fresh_iter.close()
