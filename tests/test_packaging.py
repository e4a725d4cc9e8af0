"""A fresh, non-editable install ships every module and data file and builds the seed site."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import ROOT, SEED_SLUG, make_project


def _package_files() -> set[str]:
    """The package's own files as a wheel names them (sources and data, no caches)."""
    pkg = ROOT / "yuedu"
    return {
        p.relative_to(ROOT).as_posix()
        for p in pkg.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo")
    }


def test_wheel_installs_and_builds_the_seed_site(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(wheels)],
        check=True, cwd=tmp_path, capture_output=True,
    )
    (wheel,) = wheels.glob("yuedu-*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    missing = _package_files() - shipped
    assert not missing, f"the wheel leaves out {sorted(missing)}"
    assert "yuedu/reading/data/cedict_words.tsv" in shipped

    target = tmp_path / "installed"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True, cwd=tmp_path, stdout=subprocess.DEVNULL,
    )
    project = make_project(tmp_path / "proj")
    env = {**os.environ, "PYTHONPATH": str(target)}
    where = subprocess.run(
        [sys.executable, "-c", "import yuedu.reading as r; print(r.__file__)"],
        check=True, cwd=project, env=env, capture_output=True, text=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(target), where  # the installed copy, not this checkout
    subprocess.run(
        [sys.executable, "-c", "import sys; from yuedu.cli import main; sys.exit(main(['build']))"],
        check=True, cwd=project, env=env, capture_output=True, text=True,
    )
    html = (project / "site" / SEED_SLUG / "index.html").read_text(encoding="utf-8")
    readings = re.findall(r"<rt[^>]*>([^<]+)</rt>", html)
    assert len(readings) > 500 and "zhuǎn" in readings  # the seed article is read: 转型
