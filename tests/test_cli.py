"""The command line as a user runs it: exit codes, stderr reports, stdout only for machine output."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, make_project

SEED_RAW = ROOT.parent / "shared" / "seed" / "000_61b27a5be6fad6c5.txt"


def run(*args: str, cwd: Path = ROOT, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, timeout=300)


def test_build_reports_every_problem_with_file_and_line(tmp_path):
    root = make_project(tmp_path / "p")
    assert run("--root", str(root)).returncode == 0
    shutil.copy(FIXTURES / "content" / "article_misaligned_translation.md", root / "content" / "bad.md")
    shutil.copy(FIXTURES / "content" / "article_bad_date.md", root / "content" / "bad-date.md")
    out = run("--root", str(root), "build")
    assert out.returncode == 1
    assert out.stdout == ""
    lines = out.stderr.splitlines()
    assert "content/bad-date.md:3: front matter: 'date' '2026-13-45' is not a date YYYY-MM-DD" in lines
    assert any(line.startswith("content/bad.md:11: missing translation") for line in lines)
    assert any(line.startswith("content/bad.md:17: extra translation") for line in lines)
    assert "Traceback" not in out.stderr


def test_clean_flag_without_command_builds(tmp_path):
    root = make_project(tmp_path / "p")
    out = run("--root", str(root), "--clean")
    assert out.returncode == 0, out.stderr
    assert (root / "site" / "index.html").exists()
    assert "Built 1 article(s)" in out.stderr


def test_strict_turns_warnings_into_errors(tmp_path):
    root = make_project(tmp_path / "p", content=False)
    shutil.copy(FIXTURES / "content" / "article_untranslated.md", root / "content" / "zaofan.md")
    assert run("--root", str(root)).returncode == 0
    out = run("--root", str(root), "build", "--strict")
    assert out.returncode == 1 and "--strict" in out.stderr


@pytest.mark.skipif(not SEED_RAW.exists(), reason="../shared/seed is not beside the project")
def test_import_json_on_stdout_report_on_stderr(tmp_path):
    out = run("--root", str(make_project(tmp_path / "p")), "import", str(SEED_RAW), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"title", "byline", "captions", "headings", "paragraphs"}
    assert data["byline"] == "本刊记者 郭志强 | 湖南报道"
    assert "paragraphs kept: 22" in out.stderr


@pytest.mark.skipif(not SEED_RAW.exists(), reason="../shared/seed is not beside the project")
def test_import_writes_a_draft_that_builds_and_never_overwrites(tmp_path):
    root = make_project(tmp_path / "p")
    first = run("--root", str(root), "import", str(SEED_RAW), "--slug", "draft")
    assert first.returncode == 0, first.stderr
    assert (root / "content" / "draft.md").exists()
    again = run("--root", str(root), "import", str(SEED_RAW), "--slug", "draft")
    assert again.returncode == 1 and "--force" in again.stderr
    assert run("--root", str(root), "import", str(SEED_RAW), "--slug", "draft", "--force").returncode == 0
    built = run("--root", str(root))
    assert built.returncode == 0, built.stderr
    assert "content/draft.md: no translations yet" in built.stderr
