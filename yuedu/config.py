"""Site configuration: paths and settings, with every default in one place."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import ContentError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CONFIG_NAME = "yuedu.toml"
HSK_STANDARDS = ("2025", "2021", "2.0")


@dataclass(frozen=True)
class Config:
    """Everything a command needs to know about the site it works on."""

    root: Path
    title: str = "阅读 Yuedu"
    tagline: str = ""
    #: The site's own credit line in every page footer (who wrote the translations…); "" for none.
    credits: str = ""
    base_url: str = "/"
    hsk_standard: str = "2025"
    editions: tuple[str, ...] = ("simplified",)
    opencc: str = "s2tw"
    strict: bool = False
    debug: bool = False
    #: Address of a Dask scheduler to annotate uncached articles on (``build --scheduler``);
    #: None: the local process pool.
    scheduler: str | None = None
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def static_dir(self) -> Path:
        return self.root / "templates" / "static"

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    @property
    def cache_dir(self) -> Path:
        return self.root / ".yuedu-cache"

    @property
    def dictionary_dir(self) -> Path:
        """Where the parsed CC-CEDICT is kept (see :func:`dictionary_dir`)."""
        return dictionary_dir(self.cache_dir)

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    def with_options(self, **changes) -> Config:
        """Return a copy with command-line options applied."""
        return replace(self, **changes)


def dictionary_dir(fallback: Path) -> Path:
    """The folder that keeps the parsed CC-CEDICT: ``YUEDU_DICTIONARY_CACHE`` if set, else
    ``yuedu/`` in the user's cache folder (``$XDG_CACHE_HOME``, or ``~/.cache``), else, where
    that cannot be written, ``fallback`` (the project's ``.yuedu-cache``).

    The parse depends only on the installed dictionary and the parser (the file's name and
    header say which, and its digest is checked on every load), so every project of the user
    shares it: a new project, or a ``--clean`` build, does not parse the dictionary again
    (0.6 CPU s), as jieba keeps its own parsed dictionary for every program that uses it.
    """
    env = os.environ.get("YUEDU_DICTIONARY_CACHE", "").strip()
    if env:
        return Path(env).resolve()
    try:
        base = os.environ.get("XDG_CACHE_HOME", "").strip()
        folder = (Path(base) if base else Path.home() / ".cache") / "yuedu"
        folder.mkdir(parents=True, exist_ok=True)
        if os.access(folder, os.W_OK):
            return folder
    except (OSError, RuntimeError):  # no home folder, or not writable
        pass
    return fallback


def load_config(root: str | Path = ".") -> Config:
    """Read ``yuedu.toml`` from ``root`` (defaults where it is absent)."""
    root = Path(root).resolve()
    path = root / CONFIG_NAME
    if not path.exists():
        return Config(root=root)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ContentError(CONFIG_NAME, _toml_line(exc), f"cannot read config: {exc}") from None
    site = data.get("site", {})
    known = {"title", "tagline", "credits", "base_url", "hsk_standard", "editions", "opencc"}
    for key in site:
        if key not in known:
            raise ContentError(CONFIG_NAME, None, f"[site] has unknown key {key!r}")
    standard = str(site.get("hsk_standard", "2025"))
    if standard not in HSK_STANDARDS:
        raise ContentError(CONFIG_NAME, None, f"hsk_standard must be one of {', '.join(HSK_STANDARDS)}, not {standard!r}")
    base_url = str(site.get("base_url", "/"))
    if not base_url.endswith("/"):
        base_url += "/"
    return Config(
        root=root,
        title=str(site.get("title", Config.title)),
        tagline=str(site.get("tagline", "")),
        credits=str(site.get("credits", "")),
        base_url=base_url,
        hsk_standard=standard,
        editions=tuple(site.get("editions", ("simplified",))),
        opencc=str(site.get("opencc", "s2tw")),
        extra={k: v for k, v in data.items() if k != "site"},
    )


def _toml_line(exc: Exception) -> int | None:
    return getattr(exc, "lineno", None)
