"""Write a new ``site/`` next to the old one, reusing every file whose inputs did not change.

Each output file is written under a *key*: a digest of everything that went into it (the
article's cache key, its neighbours, the templates, the site config, the engine). The keys of the
last site written are kept in ``.yuedu-cache/site-manifest.json`` with each file's size and
modification time. A file whose key is unchanged is hard-linked from the previous ``site/`` into
the new one instead of being rendered again -- only when the old file still has the size and
modification time recorded, so a file changed or removed by hand is rendered again, and a
manifest left behind by a killed build is never trusted for a file it does not describe.

The new folder is still swapped in as a whole (:func:`yuedu.site._swap`): a build stays atomic.
Reused files are linked in only once something is written: a build that changes nothing (no
file written, none removed, nothing stray in ``site/``) leaves the old folder where it is.
``serve`` updates ``site/`` in place instead (:meth:`SiteWriter.in_place`): the files it renders
are held until the build has succeeded, then each is replaced atomically, so a save touches a
few files rather than linking thousands into a new folder.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger("yuedu")

MANIFEST = "site-manifest.json"


def digest(*parts: bytes | str) -> str:
    """One key from several inputs (length-prefixed, so parts never run together)."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def tree_digest(folder: Path) -> str:
    """A digest of every file under ``folder`` (names and bytes)."""
    h = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            h.update(path.relative_to(folder).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


class SiteWriter:
    """Fill ``tmp`` with the new site; reuse files of ``old`` whose key is unchanged."""

    def __init__(self, tmp: Path, old: Path, cache_dir: Path) -> None:
        self.tmp = tmp
        self.old = old
        self._old = os.fspath(old)
        self.manifest_path = cache_dir / MANIFEST
        self.previous, self.previous_groups = self._load() if old.is_dir() else ({}, {})
        self.current: dict[str, list] = {}
        self.groups: dict[str, list] = {}
        self._group: tuple[str, str, list[str]] | None = None
        self.pending: dict[str, tuple[str, bytes]] | None = None
        self.reused = 0
        self.written = 0
        self._dirs: set[Path] = set()
        # Reused files are linked into ``tmp`` only once a file is written: a build that changes
        # nothing then leaves ``old`` as it is (no new folder of hard links to make and swap).
        self._deferred: list[str] | None = []

    def in_place(self) -> bool:
        """Update the previous site where it is, if there is one with a manifest; True if so."""
        if not self.previous:
            return False
        self.tmp, self.pending = self.old, {}
        return True

    def _load(self) -> tuple[dict[str, list], dict[str, list]]:
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
            files, groups = data["files"], data["groups"]
            if not (isinstance(files, dict) and all(
                    isinstance(v, list) and len(v) == 3 and isinstance(v[0], str) for v in files.values())
                    and isinstance(groups, dict) and all(
                    isinstance(v, list) and len(v) == 2 and isinstance(v[0], str) and isinstance(v[1], list)
                    for v in groups.values())):
                raise ValueError("unexpected layout")
        except FileNotFoundError:
            return {}, {}
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.debug("site manifest unreadable (%s); every file is rendered", exc)
            return {}, {}
        return files, groups

    # A group: files that share one key and are reused or rendered together (the listings).
    def start_group(self, name: str, key: str) -> None:
        self._group = (name, key, [])

    def end_group(self) -> None:
        assert self._group is not None
        name, key, rels = self._group
        self.groups[name] = [key, rels]
        self._group = None

    def group_fresh(self, name: str, key: str) -> bool:
        """True if every file of group ``name`` in the previous site is fresh under ``key``."""
        prev = self.previous_groups.get(name)
        return bool(prev and prev[0] == key and prev[1] and all(
            rel in self.previous and self.fresh(rel, self.previous[rel][0]) for rel in prev[1]))

    def has_group(self, name: str) -> bool:
        """True if the previous site has every file of group ``name`` untouched (whatever its key)."""
        prev = self.previous_groups.get(name)
        return bool(prev and prev[1] and all(
            rel in self.previous and self.fresh(rel, self.previous[rel][0]) for rel in prev[1]))

    def reuse_group(self, name: str, *, stale: bool = False) -> None:
        """Reuse every file of group ``name``; ``stale`` records them as out of date, so the next
        build renders them (``serve`` shows the edited page first, the slow listings after)."""
        key, rels = self.previous_groups[name]
        for rel in rels:
            self.reuse(rel)
            if stale:
                self.current[rel] = ["stale", *self.current[rel][1:]]
        self.groups[name] = ["stale" if stale else key, list(rels)]

    def group_pages(self, name: str) -> int:
        return sum(rel.endswith(".html") for rel in self.groups.get(name, ["", []])[1])

    def fresh(self, rel: str, key: str) -> bool:
        """True if the previous site has ``rel`` written under ``key`` and untouched since."""
        prev = self.previous.get(rel)
        if prev is None or prev[0] != key:
            return False
        try:
            st = os.stat(f"{self._old}/{rel}")  # a string path: thousands of these per build
        except OSError:
            return False
        return st.st_size == prev[1] and st.st_mtime_ns == prev[2]

    def _mkdir(self, folder: Path) -> None:
        if folder not in self._dirs:
            folder.mkdir(parents=True, exist_ok=True)
            self._dirs.add(folder)

    def reuse(self, rel: str) -> None:
        """Put the previous site's ``rel`` into the new site (a hard link: no bytes copied)."""
        if self.pending is not None or self._deferred is not None:
            if self.pending is None:
                self._deferred.append(rel)  # linked by stage(), if anything is written
            # (in place, the file stays where it is)
            self.current[rel] = self.previous[rel]
            self.reused += 1
            return
        self._link(rel)
        self.reused += 1

    def _link(self, rel: str) -> None:
        dest = self.tmp / rel
        self._mkdir(dest.parent)
        src = self.old / rel
        try:
            os.link(src, dest)
            self.current[rel] = self.previous[rel]
        except OSError:  # no hard links on this file system
            shutil.copy2(src, dest)
            st = dest.stat()
            self.current[rel] = [self.previous[rel][0], st.st_size, st.st_mtime_ns]

    def stage(self) -> None:
        """Link the reused files deferred so far into ``tmp`` (before the first file is written,
        or before ``tmp`` is swapped in)."""
        deferred, self._deferred = self._deferred, None
        for rel in deferred or ():
            self._link(rel)

    def unchanged(self) -> bool:
        """True if this build wrote nothing and ``old`` holds exactly the files it would have
        (same keys, untouched, nothing more): ``old`` can stay as it is."""
        if self.pending is not None or self._deferred is None or self.current != self.previous \
                or self.groups != self.previous_groups:
            return False
        count = 0
        for _, _, files in os.walk(self._old):
            count += len(files)
        return count == len(self.previous)

    def write(self, rel: str, key: str, text: str | bytes) -> None:
        """Write ``rel`` afresh under ``key``."""
        if isinstance(text, str):
            text = text.encode("utf-8")
        if self.pending is not None:
            self._start(rel)
            self.pending[rel] = (key, text)
            return
        dest = self._start(rel)
        with open(dest, "wb") as fh:
            fh.write(text)
        self._record(rel, key, dest)

    def _start(self, rel: str) -> Path:
        """Count a file written and put it in the open group; its path, with its folder made."""
        self.written += 1
        if self._group is not None:
            self._group[2].append(rel)
        dest = self.tmp / rel
        if self.pending is None:
            if self._deferred is not None:
                self.stage()
            self._mkdir(dest.parent)
        return dest

    def _record(self, rel: str, key: str, dest: Path) -> None:
        st = dest.stat()
        self.current[rel] = [key, st.st_size, st.st_mtime_ns]

    def write_parts(self, rel: str, key: str, parts) -> None:
        """Write ``rel`` from byte strings and open binary files, in order, without joining them
        in memory first (a 10,000-article search index is a hundred megabytes)."""
        if self.pending is not None:
            self.write(rel, key, b"".join(p if isinstance(p, bytes) else p.read() for p in parts))
            return
        dest = self._start(rel)
        with open(dest, "wb") as fh:
            for part in parts:
                if isinstance(part, bytes):
                    fh.write(part)
                else:
                    shutil.copyfileobj(part, fh, 1 << 20)
        self._record(rel, key, dest)

    def commit(self) -> None:
        """In place: put the rendered files into the site (each atomically) and remove the
        files of the previous site that the new one no longer has."""
        if self.pending is None:
            return
        for rel, (key, data) in self.pending.items():
            dest = self.old / rel
            self._mkdir(dest.parent)
            tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
            with open(tmp, "wb") as fh:
                fh.write(data)
            os.replace(tmp, dest)
            self._record(rel, key, dest)
        self.pending = {}
        for rel in sorted(set(self.previous) - set(self.current)):
            path = self.old / rel
            path.unlink(missing_ok=True)
            for folder in path.parents:  # drop folders left empty (a deleted article's)
                if folder == self.old or any(folder.iterdir()):
                    break
                folder.rmdir()

    def emit(self, rel: str, key: str, produce: Callable[[], str | bytes]) -> bool:
        """Reuse ``rel`` if fresh, else write ``produce()``; True if it was reused."""
        if self.fresh(rel, key):
            self.reuse(rel)
            return True
        self.write(rel, key, produce())
        return False

    def save(self) -> None:
        """Record the keys of the site just swapped in (call only after the swap)."""
        self.manifest_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.manifest_path.with_name(f"{MANIFEST}.{os.getpid()}.tmp")
        data = {"files": self.current, "groups": self.groups}
        tmp.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.manifest_path)
