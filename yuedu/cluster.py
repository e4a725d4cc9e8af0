"""Annotate uncached articles on a Dask cluster (``build --scheduler ADDRESS``).

The local process pool (:mod:`yuedu.parallel`) is the default; this module is imported, and
``dask.distributed`` with it, only when a build names a scheduler. It offers the same
interface: :func:`render_articles` yields ``(article, RenderedArticle or ContentError)`` in
the order given.

* **What travels.** A task is a batch of articles (their parsed text, front matter, glossary
  and reading overrides), the site settings that shape an article's HTML and the site
  glossary. A worker needs only the installed ``yuedu`` package: it never reads the project
  folder (on a cluster it is not there). Its parsed CC-CEDICT is kept in its user's cache
  folder (:func:`yuedu.config.dictionary_dir`). The build cache stays on the machine that runs
  ``build.py``: results come back to it and are stored there, as in a local build.
* **Once per worker.** A worker process loads the reading engine and CC-CEDICT on its first
  task and keeps them (a module global), with one :class:`~yuedu.render.Renderer` per set of
  site settings. Rendering holds a lock: run workers with ``--nthreads 1`` (one process per
  core, ``--nworkers``); more threads in one process would only take turns.
* **Versions.** Before anything is sent, every worker reports its Yuedu version and engine
  fingerprint (:func:`yuedu.cache.engine_version`); any difference refuses the build with a
  message naming the worker. Every task checks again, for a worker that joins later.
* **Failures.** A worker that dies mid-build loses nothing: the scheduler gives its tasks to
  another worker (a task that kills several workers in turn comes back as an error). The build
  fails only when the scheduler cannot be reached or is lost, or no worker has been there for
  :data:`NO_WORKERS_GRACE` seconds: with a :class:`~yuedu.errors.YueduError`, and ``site/`` as
  it was.

A worker renders with the same code and data as this process and its result crosses back by
pickle, as through the article cache and the local pool, so the site is byte-identical to a
local build (``tests/test_cluster.py`` checks it with a scheduler and two workers).
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ContentError, YueduError

if TYPE_CHECKING:
    from .article import Article
    from .config import Config
    from .render import RenderedArticle, Renderer

log = logging.getLogger("yuedu")

#: Largest number of articles in one task: large enough that a task's overhead (a few ms of
#: scheduling and transfer) is small beside its work (about 0.1 s per article), small enough
#: that every worker gets several tasks and a lost worker costs little.
MAX_BATCH = 8
#: Tasks in flight per worker thread (results come back in order; this bounds what waits).
IN_FLIGHT_PER_THREAD = 3
#: Seconds to wait for the scheduler to answer when connecting.
CONNECT_TIMEOUT = 10.0
#: Seconds a build waits with no worker in the cluster before it gives up.
NO_WORKERS_GRACE = 60.0
#: Site settings a rendered article depends on (everything else of the Config stays here).
SETTINGS = ("title", "tagline", "base_url", "hsk_standard", "editions", "opencc")


class ClusterError(YueduError):
    """The Dask cluster could not be used: unreachable, lost, or a worker of another version."""


# ---------------------------------------------------------------------------------------------
# The worker side (runs inside ``dask worker`` processes; imports only the installed package)

_lock = threading.Lock()
_renderers: dict[tuple, Renderer] = {}
#: Batches this process has rendered (tests read it through ``Client.run``).
batches_done = 0


def versions() -> dict[str, str]:
    """This process's Yuedu version and engine fingerprint (what a worker must match)."""
    from . import __version__
    from .cache import engine_version

    return {"yuedu": __version__, "engine": engine_version()}


def worker_cache_root() -> Path:
    """The folder a worker's settings take as their project root (``$YUEDU_WORKER_CACHE``, else
    ``~/.cache/yuedu``): never read; its ``.yuedu-cache`` keeps the parsed CC-CEDICT only where
    the user's dictionary folder (:func:`yuedu.config.dictionary_dir`) cannot be written."""
    env = os.environ.get("YUEDU_WORKER_CACHE")
    if env:
        return Path(env)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "yuedu"


def worker_state() -> dict[str, int]:
    """This worker process's id and the batches it has rendered (for tests and monitoring)."""
    return {"pid": os.getpid(), "batches": batches_done}


def _renderer(settings: tuple[tuple[str, Any], ...]) -> Renderer:
    """The Renderer for these site settings, with the engine loaded (once per process)."""
    renderer = _renderers.get(settings)
    if renderer is None:
        from . import glossary
        from .config import Config
        from .reading import warm_up
        from .render import Renderer

        # A folder of the worker's own, never read: the parsed CC-CEDICT is in the user's
        # dictionary folder (config.dictionary_dir), as for a local build.
        config = Config(root=worker_cache_root(), **dict(settings))
        warm_up()
        glossary.load(config.dictionary_dir)
        renderer = Renderer(config)
        renderer.ruby  # noqa: B018 -- creates the ruby Markdown instance now
        _renderers[settings] = renderer
    return renderer


def render_batch(expected: dict[str, str], settings: tuple[tuple[str, Any], ...], site_glossary: dict | None,
                 articles: Sequence[Article]) -> list[tuple[str, Any]]:
    """Render a batch on a worker; per article a result as :func:`yuedu.parallel._render_chunk` gives."""
    global batches_done
    mine = versions()
    if mine != expected:
        raise ClusterError(_mismatch_message("this worker", mine, expected))
    from .parallel import render_outcomes

    with _lock:
        out = render_outcomes(_renderer(settings), articles, site_glossary)
        batches_done += 1
    return out


def _mismatch_message(who: str, theirs: dict[str, str], ours: dict[str, str]) -> str:
    if theirs.get("yuedu") != ours["yuedu"]:
        what = f"Yuedu {theirs.get('yuedu')}, this build runs {ours['yuedu']}"
    else:
        what = (f"another engine (fingerprint {str(theirs.get('engine'))[:12]}, this build's is "
                f"{ours['engine'][:12]}): its yuedu package or an engine library differs")
    return (f"Dask worker {who} has {what}; install the same Yuedu on every worker "
            f"(pip install the same checkout or wheel) and restart it")


# ---------------------------------------------------------------------------------------------
# The build side


def _connect(address: str):
    """A Client connected to ``address``, or ClusterError saying why not."""
    try:
        from distributed import Client
    except ImportError:
        raise ClusterError("--scheduler needs dask.distributed: pip install -e \".[dask]\"") from None
    try:
        return Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {exc}") from None


def check_workers(client, address: str) -> int:
    """Refuse workers of another Yuedu or engine version; return the number of worker threads."""
    ours = versions()
    try:
        theirs = client.run(versions)
    except (ImportError, AttributeError) as exc:  # no yuedu, or one without this module's API
        raise ClusterError(f"a Dask worker at {address} cannot run Yuedu's tasks ({exc}); "
                           f"install the same Yuedu on every worker and restart it") from None
    workers = _workers(client)
    for worker, found in sorted(theirs.items()):
        if found != ours:
            name = workers.get(worker, {}).get("name", "")
            who = f"{name} ({worker})" if name not in ("", worker) else worker
            raise ClusterError(_mismatch_message(who, found, ours))
    return sum(w.get("nthreads", 1) for w in workers.values())


def _workers(client) -> dict[str, dict]:
    """The scheduler's record of every worker (newer versions list only 5 unless asked for all)."""
    import inspect

    if "n_workers" in inspect.signature(client.scheduler_info).parameters:
        return client.scheduler_info(n_workers=-1).get("workers", {})
    return client.scheduler_info().get("workers", {})


def _settings(config: Config) -> tuple[tuple[str, Any], ...]:
    return tuple((name, getattr(config, name)) for name in SETTINGS)


def batch_size(n: int, threads: int) -> int:
    """Articles per task: several tasks per worker thread, at most :data:`MAX_BATCH`."""
    return max(1, min(MAX_BATCH, n // (max(1, threads) * 4)))


def render_articles(
    config: Config,
    articles: Sequence[Article],
    site_glossary: dict | None,
    address: str,
) -> Iterator[tuple[Article, RenderedArticle | ContentError]]:
    """Render ``articles`` on the Dask cluster at ``address``; yield results in their order.

    Raises :class:`ClusterError` when the scheduler is unreachable or lost, when a worker runs
    another Yuedu or engine version, or when no worker is left for :data:`NO_WORKERS_GRACE` s.
    """
    from .parallel import _unpack

    articles = list(articles)
    if not articles:
        return
    client = _connect(address)
    try:
        threads = check_workers(client, address)
        size = batch_size(len(articles), threads)
        batches = [articles[i:i + size] for i in range(0, len(articles), size)]
        expected, settings, build_id = versions(), _settings(config), uuid.uuid4().hex
        log.debug("rendering %d article(s) on the Dask cluster at %s (%d thread(s)), %d per task",
                  len(articles), address, threads, size)
        in_flight: deque[tuple[int, Any]] = deque()
        next_batch = 0
        while next_batch < len(batches) or in_flight:
            window = max(4, IN_FLIGHT_PER_THREAD * max(threads, 1))
            while next_batch < len(batches) and len(in_flight) < window:
                future = client.submit(render_batch, expected, settings, site_glossary, batches[next_batch],
                                       pure=False, key=f"yuedu-render-{build_id}-{next_batch}")
                in_flight.append((next_batch, future))
                next_batch += 1
            index, future = in_flight[0]
            results = _wait(client, future, address)
            in_flight.popleft()
            threads = _threads(client) or threads
            for article, (kind, value) in zip(batches[index], results):
                yield article, _unpack(kind, value)
    finally:
        try:
            client.close(timeout=5)
        except Exception:  # a client whose scheduler is gone may fail to close; nothing to keep
            pass


def _threads(client) -> int:
    try:
        return sum(w.get("nthreads", 1) for w in _workers(client).values())
    except Exception:  # the scheduler is gone: the caller finds out from the future
        return 0


def _wait(client, future, address: str) -> list[tuple[str, Any]]:
    """The future's result; ClusterError if the cluster is lost or stays without workers."""
    from concurrent.futures import CancelledError
    from concurrent.futures import TimeoutError as FutureTimeout

    from distributed.scheduler import KilledWorker

    alone_since: float | None = None
    while True:
        try:
            return future.result(timeout=2)
        except (FutureTimeout, TimeoutError):
            pass
        except CancelledError:
            raise ClusterError(f"lost the Dask scheduler at {address} during the build") from None
        except KilledWorker as exc:
            raise ClusterError(f"a task of this build ended every Dask worker that ran it ({exc})") from None
        except OSError as exc:
            raise ClusterError(f"lost the Dask scheduler at {address} during the build: {exc}") from None
        if client.status not in ("running", "connecting"):
            raise ClusterError(f"lost the Dask scheduler at {address} during the build")
        if _threads(client):
            alone_since = None
        elif alone_since is None:
            alone_since = time.monotonic()
        elif time.monotonic() - alone_since > NO_WORKERS_GRACE:
            raise ClusterError(f"the Dask cluster at {address} has had no workers for {NO_WORKERS_GRACE:.0f} s")
