"""Incremental builds: the article cache is used when valid and rebuilt when not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT, SEED_SLUG, make_project
from yuedu.config import load_config
from yuedu.site import build


def site_bytes(root):
    return {p.relative_to(root / "site"): p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}


def test_warm_build_uses_cache_and_matches_cold(tmp_path):
    root = make_project(tmp_path / "p")
    cold = build(load_config(root))
    assert cold.annotated == 1
    first = site_bytes(root)
    warm = build(load_config(root))
    assert warm.annotated == 0
    assert site_bytes(root) == first


def test_edit_corrupt_and_clean_rebuild(tmp_path):
    root = make_project(tmp_path / "p")
    build(load_config(root))
    first = site_bytes(root)
    entry = root / ".yuedu-cache" / "articles" / f"{SEED_SLUG}.pickle"
    entry.write_bytes(entry.read_bytes()[:100])  # truncated: must not be trusted
    again = build(load_config(root))
    assert again.annotated == 1 and again.written == 0  # made again; its pages were all fresh
    assert build(load_config(root)).annotated == 0
    (root / "site" / SEED_SLUG / "index.html").unlink()  # now the page must be rendered again
    assert build(load_config(root)).annotated == 0  # from the cache entry
    assert site_bytes(root) == first
    path = root / "content" / f"{SEED_SLUG}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("老工业基地", "新工业基地", 1), encoding="utf-8")
    assert build(load_config(root)).annotated == 1
    assert "新<rt" in (root / "site" / SEED_SLUG / "index.html").read_text(encoding="utf-8")
    assert build(load_config(root), clean=True).annotated == 1


def test_unchanged_files_are_reused_and_hand_edits_undone(tmp_path):
    root = make_project(tmp_path / "p", library=True)
    build(load_config(root))
    first = site_bytes(root)
    warm = build(load_config(root))
    assert warm.written == 0 and warm.reused == len(first)
    # A page changed by hand in site/ is rendered again, not trusted.
    page = root / "site" / "zh-hant" / SEED_SLUG / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("<h1", "<h1 data-x", 1), encoding="utf-8")
    # A corrupt manifest or cache entry is ignored and rebuilt from what is valid: the article
    # is annotated again, and only the page changed by hand is written.
    entry = next((root / ".yuedu-cache" / "articles").glob("*.pickle"))
    entry.write_bytes(b"\x80garbage")
    again = build(load_config(root))
    assert again.annotated == 1 and again.written == 1
    assert site_bytes(root) == first
    (root / ".yuedu-cache" / "site-manifest.json").write_text("{not json", encoding="utf-8")
    assert build(load_config(root)).written == len(first)
    assert site_bytes(root) == first


def test_a_build_that_changes_nothing_leaves_site_as_it_is(tmp_path):
    root = make_project(tmp_path / "p")
    build(load_config(root))
    first = site_bytes(root)
    site, page = root / "site", root / "site" / SEED_SLUG / "index.html"
    folder, inode = site.stat().st_ino, page.stat().st_ino
    warm = build(load_config(root))
    assert warm.written == 0 and warm.reused == len(first)
    # Not swapped for a copy of hard links: the same folder, the same files, no staging left.
    assert site.stat().st_ino == folder and page.stat().st_ino == inode
    assert not list(root.glob("site.tmp-*")) and site_bytes(root) == first
    # A stray file makes it a real build again: the new site has only what the build makes.
    (site / "stray.txt").write_text("x", encoding="utf-8")
    assert build(load_config(root)).written == 0
    assert site.stat().st_ino != folder and site_bytes(root) == first
    # A deleted page is written again (and the rest reused).
    page.unlink()
    again = build(load_config(root))
    assert again.written == 1 and site_bytes(root) == first


def test_editing_one_article_renders_only_what_shows_it(tmp_path):
    root = make_project(tmp_path / "p", library=True)
    build(load_config(root))
    before = site_bytes(root)
    path = root / "content" / f"{SEED_SLUG}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("老工业基地", "新工业基地", 1), encoding="utf-8")
    result = build(load_config(root))
    assert result.annotated == 1
    changed = {str(p) for p, data in site_bytes(root).items() if before.get(p) != data}
    # The article (both editions) and what lists it; its neighbours' links show its title.
    assert f"{SEED_SLUG}/index.html" in changed and f"zh-hant/{SEED_SLUG}/index.html" in changed
    assert "index.html" in changed and "feed.xml" in changed and "search/index.json" in changed
    slugs = [a.slug for a in result.articles]
    i = slugs.index(SEED_SLUG)
    near = set(slugs[max(0, i - 1):i + 2])  # the edit changed the title its neighbours link with
    rendered_articles = {s for s in slugs if f"{s}/index.html" in changed}
    assert rendered_articles <= near and set(slugs) - near, (rendered_articles, near)


def test_warm_build_does_not_load_the_reading_engine(tmp_path):
    root = make_project(tmp_path / "p")
    build(load_config(root))
    probe = (
        "import sys; from yuedu.cli import main; rc = main(['--root', sys.argv[1]]);"
        "heavy = [m for m in ('jieba', 'pypinyin', 'g2pM') if m in sys.modules];"
        "print(rc, heavy)"
    )
    out = subprocess.run([sys.executable, "-c", probe, str(root)], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    assert out.stdout.strip() == "0 []", out.stderr


def test_serve_session_updates_in_place_like_a_full_build(tmp_path):
    """serve's builds (one session, site/ updated in place, the site vocabulary deferred and then
    caught up) end with exactly the site a fresh build makes; a deleted article's pages go."""
    import shutil

    from yuedu.site import Session

    root = make_project(tmp_path / "p", library=True)
    session = Session(incremental=True)
    build(load_config(root), session=session)
    path = root / "content" / f"{SEED_SLUG}.md"
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n\n鹦鹉会说话。\n\nen: The parrot can talk.\n",
                    encoding="utf-8")
    first = build(load_config(root), session=session, defer_vocabulary=True)
    assert first.deferred and first.annotated == 1
    tsv = root / "site" / "vocabulary" / "vocabulary.tsv"
    assert "鹦鹉" not in tsv.read_text(encoding="utf-8")  # not yet: it follows
    assert "鹦鹉" in (root / "site" / SEED_SLUG / "index.html").read_text(encoding="utf-8")
    second = build(load_config(root), session=session)
    assert not second.deferred and "鹦鹉" in tsv.read_text(encoding="utf-8")
    gone = next(p for p in (root / "content").glob("*.md") if p.stem != SEED_SLUG)
    gone.unlink()
    build(load_config(root), session=session)
    assert not (root / "site" / gone.stem).exists() and not (root / "site" / "zh-hant" / gone.stem).exists()
    served = site_bytes(root)
    fresh = tmp_path / "fresh"
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("site", ".yuedu-cache"))
    build(load_config(fresh))
    assert site_bytes(fresh) == served


def test_engine_fingerprint_covers_the_reading_package():
    from yuedu import cache

    pkg = Path(cache.__file__).resolve().parent
    hashed = {p.relative_to(pkg).as_posix() for p in cache.engine_files()}
    reading = {p.relative_to(pkg).as_posix() for p in (pkg / "reading").rglob("*")
               if p.is_file() and "__pycache__" not in p.parts}
    assert reading and reading <= hashed  # every module and data file of the engine
    assert "reading/data/cedict_words.tsv" in hashed and "reading/rules.py" in hashed
    assert "site.py" not in hashed and "site.py" in {p.name for p in cache.engine_files(everything=True)}
