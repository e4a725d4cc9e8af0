"""Shared fixtures: a copy of the project to build in, and the built seed site."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from yuedu.config import load_config
from yuedu.site import build

# The parsed CC-CEDICT is kept per user (yuedu.config.dictionary_dir). The tests keep theirs in a
# folder of their own, parsed once per session and removed after it, never in the user's cache;
# builds run as processes inherit it.
_DICTIONARY_DIR = None
if not os.environ.get("YUEDU_DICTIONARY_CACHE"):
    _DICTIONARY_DIR = tempfile.mkdtemp(prefix="yuedu-dictionary-")
    os.environ["YUEDU_DICTIONARY_CACHE"] = _DICTIONARY_DIR


def pytest_unconfigure(config):
    if _DICTIONARY_DIR is not None:
        shutil.rmtree(_DICTIONARY_DIR, ignore_errors=True)


ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
SEED_SLUG = "xiangxiang-goes-green"


def make_project(dest: Path, *, content: bool = True, library: bool = False) -> Path:
    """Copy the project's config, templates and (optionally) the seed article into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "yuedu.toml", dest / "yuedu.toml")
    shutil.copytree(ROOT / "templates", dest / "templates")
    if library:  # every published article: the whole site as readers get it
        shutil.copytree(ROOT / "content", dest / "content")
        return dest
    (dest / "content").mkdir()
    if content:
        # The seed article (and the site glossary): tests don't depend on what else is published.
        for name in (f"{SEED_SLUG}.md", "glossary.yaml"):
            if (ROOT / "content" / name).exists():
                shutil.copy(ROOT / "content" / name, dest / "content" / name)
    return dest


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A throwaway copy of the project (real templates and content)."""
    return make_project(tmp_path / "proj")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real content built once into a temporary project; returns its site/ folder."""
    root = make_project(tmp_path_factory.mktemp("built") / "proj")
    build(load_config(root))
    return root / "site"


@pytest.fixture(scope="session")
def seed_article():
    from yuedu.article import read_article

    return read_article(ROOT / "content" / f"{SEED_SLUG}.md")


@pytest.fixture(scope="session")
def library_site(tmp_path_factory) -> Path:
    """All of content/ built once (both editions); returns its site/ folder."""
    root = make_project(tmp_path_factory.mktemp("library") / "proj", library=True)
    build(load_config(root))
    return root / "site"


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium driven by Playwright (tests using it skip where it is not installed)."""
    from browser import CHROMIUM, CHROMIUM_ARGS

    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
