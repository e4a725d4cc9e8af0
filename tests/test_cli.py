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
    # Where the page's own annotation disagrees with the engine: 以科技创新为(wèi)引擎 reads wéi.
    assert "reading: the page reads 为 as wèi, the engine as wéi" in out.stderr


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


def test_pinyin_command_answers_each_json_line():
    lines = [{"text": "我们一起去银行。"}, {"text": ""}, {"text": "A〇年"}, {"text": "绿"}]
    out = run("pinyin", stdin="".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines))
    assert out.returncode == 0, out.stderr
    answers = [json.loads(line) for line in out.stdout.splitlines()]
    assert answers == [
        {"pinyin": ["wo3", "men5", "yi1", "qi3", "qu4", "yin2", "hang2", None],  # dictionary tones
         "words": ["我们", "一起", "去", "银行", "。"]},
        {"pinyin": [], "words": []},
        {"pinyin": [None, "ling2", "nian2"], "words": ["A", "〇", "年"]},
        {"pinyin": ["lv4"], "words": ["绿"]},
    ]


def test_pinyin_command_words_are_the_units_the_site_shows():
    text = "小明说他家要去车上拿三百公里外的纸。"
    out = run("pinyin", stdin=json.dumps({"text": text}, ensure_ascii=False) + "\n")
    assert out.returncode == 0, out.stderr
    answer = json.loads(out.stdout)
    assert "".join(answer["words"]) == text
    assert answer["words"] == ["小明", "说", "他", "家", "要", "去", "车", "上", "拿", "三百", "公里", "外", "的", "纸", "。"]


def test_pinyin_command_rejects_bad_lines_with_line_number():
    out = run("pinyin", stdin='{"text": "好"}\nnot json\n')
    assert out.returncode == 1
    assert json.loads(out.stdout.splitlines()[0]) == {"pinyin": ["hao3"], "words": ["好"]}
    assert "<stdin>:2:" in out.stderr


def test_strict_makes_unresolved_readings_errors_and_writes_the_audit(tmp_path):
    root = make_project(tmp_path / "p", content=False)
    (root / "content" / "wei.md").write_text(
        "---\ntitle: 午饭\ndate: 2026-01-01\n---\n\n公司为员工提供午饭，他为人很好。\n", encoding="utf-8")
    plain = run("--root", str(root))
    assert plain.returncode == 0, plain.stderr
    report = (root / "reports" / "pinyin-audit.txt").read_text(encoding="utf-8")
    strict = run("--root", str(root), "build", "--strict")
    if "content/wei.md:6: review" in report:
        assert strict.returncode == 1
        assert "content/wei.md:6: unresolved reading: review 为" in strict.stderr
    # An override resolves it.
    (root / "content" / "wei.md").write_text(
        "---\ntitle: 午饭\ndate: 2026-01-01\n---\n\n公司{为|wèi}员工提供午饭，他{为|wéi}人很好。\n", encoding="utf-8")
    assert run("--root", str(root)).returncode == 0
    assert "content/wei.md" not in (root / "reports" / "pinyin-audit.txt").read_text(encoding="utf-8")
