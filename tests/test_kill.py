"""A build killed at any moment (SIGKILL) leaves the previous site/ intact; the next build succeeds."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time

import pytest

from conftest import FIXTURES, ROOT, make_project

TRIALS = 20


def snapshot(site):
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def build_cmd(root, clean=True):
    return [sys.executable, str(ROOT / "build.py"), "--root", str(root), "build"] + (["--clean"] if clean else [])


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_killed_builds_never_damage_the_site(tmp_path):
    root = make_project(tmp_path / "p")
    shutil.copy(FIXTURES / "content" / "article_good.md", root / "content" / "yinhang.md")
    took = {}
    for clean in (True, False):
        start = time.monotonic()
        subprocess.run(build_cmd(root, clean), check=True, capture_output=True, timeout=300)
        took[clean] = time.monotonic() - start
    good = snapshot(root / "site")
    rng = random.Random(20261128)
    for trial in range(TRIALS):
        # Kill points spread over whole builds: cold ones (annotating) and warm ones, where most of
        # the time goes to writing pages and swapping the folders.
        clean = trial % 2 == 0
        delay = rng.uniform(0.02, took[clean] * 1.05)
        proc = subprocess.Popen(build_cmd(root, clean), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        site = root / "site"
        assert site.is_dir(), f"trial {trial}: site/ missing after a kill at {delay:.2f} s"
        assert snapshot(site) == good, f"trial {trial}: site/ changed after a kill at {delay:.2f} s"
    done = subprocess.run(build_cmd(root), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert snapshot(root / "site") == good
    assert not list(root.glob("site.tmp-*")) and not list(root.glob("site.old-*"))
