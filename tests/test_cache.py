"""Incremental builds: the article cache is used when valid and rebuilt when not."""

from __future__ import annotations

import subprocess
import sys

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
    assert build(load_config(root)).annotated == 1
    assert site_bytes(root) == first
    path = root / "content" / f"{SEED_SLUG}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("老工业基地", "新工业基地", 1), encoding="utf-8")
    assert build(load_config(root)).annotated == 1
    assert "新<rp>" in (root / "site" / SEED_SLUG / "index.html").read_text(encoding="utf-8")
    assert build(load_config(root), clean=True).annotated == 1


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
