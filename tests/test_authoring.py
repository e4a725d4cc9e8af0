"""Writing for Yuedu through the real command line: strict overrides, front matter and block
errors that say what to do, every file in content/ accounted for, ``level:``, Taiwan characters,
credits from yuedu.toml."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, make_project

HEAD = "---\ntitle: 午饭\ndate: 2026-01-01\n---\n\n"


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(root), *args],
                          capture_output=True, text=True, timeout=300)


def site_state(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "site").rglob("*")) if p.is_file()}


GOOD = """---
title: 我的{朋友|péng you5}
title_en: My friend
date: 2026-01-02
level: 2
glossary:
  王红: {en: Wang Hong (a name), name: true}
---

我和王红是好朋友。我们每天一起吃饭，｛好｜hǎo｝吃！

en： Wang Hong and I are good friends. We eat together every day: delicious!

他在床上吃饭，这里很{好|hao3}。{长株潭|cháng zhū tán}{吗|·ma}

EN: He eats in bed; it is nice here.

王红喜欢喝茶。

En: Wang Hong likes tea.
"""

#: Files that look like articles but are not built: each gets a warning naming it.
STRAY = ["x.MD", "x.markdown", "x.md.txt", "sub/x.md", "y.txt"]
#: Files articles use: never warned about.
MEDIA = ["audio/pengyou.mp3", "pengyou.vtt", "glossary.yaml", "img/photo.jpg", "notes.txt"]


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    """A project with one article using every accepted form, plus stray and media files; built once."""
    root = make_project(tmp_path_factory.mktemp("authoring") / "p", content=False)
    (root / "content" / "pengyou.md").write_text(GOOD, encoding="utf-8")
    for name in STRAY:
        path = root / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(GOOD, encoding="utf-8")  # y.txt: a .txt that starts with front matter
    for name in MEDIA:
        path = root / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("王红: Wang Hong\n" if name.endswith(".yaml") else "just notes\n", encoding="utf-8")
    out = run(root)
    assert out.returncode == 0, out.stderr
    return root, out


def page(root: Path, slug: str = "pengyou", prefix: str = "") -> str:
    return (root / "site" / f"{prefix}{slug}" / "index.html").read_text(encoding="utf-8")


def rubies(html: str) -> list[tuple[str, str]]:
    """Each ruby base character with its reading, in page order."""
    return re.findall(r"([^<>])(?:<rp>\(</rp>)?<rt[^>]*>([^<]*)</rt>", html)


# ---- overrides ------------------------------------------------------------------------------

def test_full_width_override_builds_as_an_override(good):
    root, _ = good
    html = page(root)
    body = html[html.index("<article"):]
    assert "｛" not in body and "｝" not in body and "｜" not in body and "{" not in body.split("<script")[0]
    pairs = rubies(body)
    assert ("好", "hǎo") in pairs
    # the other accepted forms: tone numbers, ·neutral, 5 for neutral, several characters
    assert [p for p in pairs if p[0] in "长株潭"][:3] == [("长", "cháng"), ("株", "zhū"), ("潭", "tán")]
    assert ("吗", "ma") in pairs
    title = html[html.index("<h1"):html.index("</h1>")]
    assert rubies(title)[-2:] == [("朋", "péng"), ("友", "you")]


@pytest.mark.parametrize("line, expected", [
    ("我很{好|good}。", ["'good' is not a pinyin syllable", "{好|hǎo}"]),
    ("我很{好|hao}。", ["'hao' has no tone", "{好|hǎo}", "{好|hao3}", "ma5"]),
    ("我很{好|hǎo。", ["unclosed override", "{好|hǎo}"]),
    ("我很{好:hǎo}。", ["use a bar '|'", "{好|hǎo}"]),
    ("我很[好|hǎo]。", ["use curly braces", "{好|hǎo}"]),
    ("我很【好｜hǎo】。", ["use curly braces", "{好|hǎo}"]),
    ("我很好|hǎo}。", ["without its opening brace", "{好|hǎo}"]),
    ("我很{好|hǎo hǎo}。", ["1 character(s) but 'hǎo hǎo' has 2 syllable(s)", "{好|hǎo}"]),
    ("我{很好|hěnhǎo}。", ["one syllable per character", "{很好|hěn hǎo}"]),
    ("我很{好}。", ["without pinyin", "{好|hǎo}"]),
    ("我很{hǎo|好}。", ["Chinese characters before the bar"]),
])
def test_malformed_override_fails_with_path_line_and_the_right_form(good, line, expected):
    root, _ = good
    before = site_state(root)
    bad = root / "content" / "bad.md"
    bad.write_text(HEAD + "第一段。\n\nen: One.\n\n" + line + "\n\nen: Two.\n", encoding="utf-8")
    try:
        out = run(root)
    finally:
        bad.unlink()
    assert out.returncode == 1
    first = out.stderr.splitlines()[0]
    assert first.startswith("content/bad.md:10: "), out.stderr
    for text in expected:
        assert text in first, first
    assert site_state(root) == before  # site/ left exactly as it was
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize("readings, expected", [
    ("  午饭: wu fàn", "'wu' has no tone"),
    ("  午饭: wǔ", "2 character(s) but 'wǔ' has 1 syllable(s)"),
    ("  午饭: lunch time", "'lunch' is not a pinyin syllable"),
    ("  lunch: wǔ fàn", "must be Chinese characters only"),
])
def test_front_matter_readings_get_the_same_checks(tmp_path, readings, expected):
    root = make_project(tmp_path / "p", content=False)
    (root / "content" / "a.md").write_text(
        f"---\ntitle: 午饭\ndate: 2026-01-01\nreadings:\n{readings}\n---\n\n午饭很好。\n", encoding="utf-8")
    out = run(root)
    assert out.returncode == 1
    assert out.stderr.startswith("content/a.md:5: front matter: readings: "), out.stderr
    assert expected in out.stderr.splitlines()[0]


def test_override_in_the_title_is_checked(tmp_path):
    root = make_project(tmp_path / "p", content=False)
    (root / "content" / "a.md").write_text("---\ntitle: 午{饭|fan}\ndate: 2026-01-01\n---\n\n午饭。\n",
                                           encoding="utf-8")
    out = run(root)
    assert out.returncode == 1
    assert out.stderr.startswith("content/a.md:2: front matter: title: override {饭|fan}: 'fan' has no tone")


def test_braces_in_code_and_escapes_are_not_overrides(tmp_path):
    root = make_project(tmp_path / "p", content=False)
    (root / "content" / "a.md").write_text(
        HEAD + "代码 `{好|x}` 和 \\{好\\} 和 {a|b}。\n", encoding="utf-8")
    out = run(root)
    assert out.returncode == 0, out.stderr
    assert "`" not in page(root, "a").split("<article")[1].split("</article>")[0]


# ---- translations, front matter -------------------------------------------------------------

def test_en_variants_are_translation_markers(good):
    root, _ = good
    html = page(root)
    for en in ("Wang Hong and I are good friends.", "He eats in bed; it is nice here.", "Wang Hong likes tea."):
        assert en in html
    assert "en：" not in html and "EN:" not in html and "En:" not in html


def test_en_line_glued_to_its_chinese_block_is_reported(tmp_path):
    root = make_project(tmp_path / "p", content=False)
    (root / "content" / "a.md").write_text(HEAD + "第一段。\nen: One.\n\n第二段。\n\nen: Two.\n", encoding="utf-8")
    out = run(root)
    assert out.returncode == 1
    assert out.stderr.startswith(
        "content/a.md:7: this 'en:' line is glued to the Chinese block above it; put a blank line before it")


def test_chinese_line_glued_to_a_translation_is_reported(tmp_path):
    root = make_project(tmp_path / "p", content=False)
    (root / "content" / "a.md").write_text(HEAD + "第一段。\n\nen: One.\n第二段很长很长。\n\nen: Two.\n",
                                           encoding="utf-8")
    out = run(root)
    assert out.returncode == 1
    assert "content/a.md:9: this Chinese line is glued to the translation above it" in out.stderr


def test_tab_indented_front_matter_list_says_use_spaces(tmp_path):
    root = make_project(tmp_path / "p", content=False)
    (root / "content" / "a.md").write_text(
        "---\ntitle: 午饭\ndate: 2026-01-01\ntags:\n\t- food\n---\n\n午饭。\n", encoding="utf-8")
    out = run(root)
    assert out.returncode == 1
    assert out.stderr.startswith("content/a.md:5: front matter: this line is indented with a tab; indent with spaces")


def test_unquoted_colon_says_put_the_value_in_quotes(tmp_path):
    root = make_project(tmp_path / "p", content=False)
    (root / "content" / "a.md").write_text(
        "---\ntitle: 重庆\ntitle_en: Chongqing: my first trip\ndate: 2026-01-01\n---\n\n重庆。\n", encoding="utf-8")
    out = run(root)
    assert out.returncode == 1
    assert out.stderr.splitlines()[0] == (
        "content/a.md:3: front matter: the value of 'title_en' contains a colon; put the value in quotes: "
        'title_en: "Chongqing: my first trip"')


def test_full_width_colon_after_a_key_is_explained(tmp_path):
    root = make_project(tmp_path / "p", content=False)
    (root / "content" / "a.md").write_text("---\ntitle：重庆\n---\n\n重庆。\n", encoding="utf-8")
    out = run(root)
    assert out.returncode == 1
    assert out.stderr.startswith("content/a.md:2: front matter: use an ASCII colon after the key: title: 重庆")


# ---- files in content/ ----------------------------------------------------------------------

def test_every_file_in_content_is_accounted_for(good):
    _, out = good
    warnings = [line for line in out.stderr.splitlines() if line.startswith("WARNING: ")]
    for name in STRAY:
        assert any(line.startswith(f"WARNING: content/{name}: not built: ") for line in warnings), name
    assert any("sub/x.md" in w and "move it to content/x.md" in w for w in warnings)
    assert any("x.md.txt" in w and "rename it to content/x.md" in w for w in warnings)
    for name in MEDIA:
        assert not any(name in w for w in warnings), name
    assert "Built 1 article(s)" in out.stderr


# ---- level ----------------------------------------------------------------------------------

def test_level_set_in_front_matter_is_shown_with_the_computed_one_in_the_report(good):
    root, out = good
    assert re.search(r"level 2 <span", page(root))
    report = [line for line in out.stderr.splitlines() if line.startswith("content/pengyou.md: level 2")]
    assert report and "computed: " in report[0]


def test_declared_names_do_not_count_against_the_level(tmp_path):
    root = make_project(tmp_path / "p", content=False)
    # 琪琪 (a nickname: no surname) is a name the engine cannot recognise on its own
    text = "我和琪琪是好朋友。我们每天一起吃饭。琪琪喜欢喝茶。\n"
    (root / "content" / "a.md").write_text(HEAD + text, encoding="utf-8")
    (root / "content" / "b.md").write_text(
        HEAD.replace("---\n\n", "glossary:\n  琪琪: {en: Qiqi, name: true}\n---\n\n") + text, encoding="utf-8")
    assert run(root).returncode == 0
    from yuedu.levels import text_level

    level = {slug: re.search(r"level ([^<]+?) <span", page(root, slug)).group(1) for slug in "ab"}
    assert text_level("午饭\n" + text) == "beyond HSK 9"  # 琪 is no HSK character: counted, it decides
    assert level["b"] == text_level("午饭\n" + text.replace("琪琪", "")) == "1"
    assert level["a"] == "beyond HSK 9"  # undeclared, 琪琪 is not known as a name: 琪 counts


def test_bad_level_is_an_error(tmp_path):
    root = make_project(tmp_path / "p", content=False)
    (root / "content" / "a.md").write_text(HEAD.replace("---\n\n", "level: easy\n---\n\n") + "午饭。\n",
                                           encoding="utf-8")
    out = run(root)
    assert out.returncode == 1
    assert out.stderr.startswith("content/a.md:4: front matter: 'level' must be one of 1, 2, 3, 4, 5, 6, 7-9")


# ---- editions and credits -------------------------------------------------------------------

def test_traditional_edition_uses_taiwan_characters_with_the_same_pinyin(good):
    root, _ = good
    trad = page(root, prefix="zh-hant/")
    body = trad[trad.index("<article"):]
    assert "牀" not in body and "喫" not in body and "這裏" not in body
    pairs = rubies(body)
    assert ("床", "chuáng") in pairs and ("吃", "chī") in pairs
    assert ("裡", "lǐ") in pairs or ("裡", "li") in pairs
    simp = rubies(page(root)[page(root).index("<article"):])
    assert [r for _, r in pairs] == [r for _, r in simp]  # character for character, readings kept


def test_opencc_defaults_to_s2tw_and_yuedu_toml_keeps_the_choice(tmp_path):
    from yuedu.config import load_config

    root = make_project(tmp_path / "p", content=False)
    toml = root / "yuedu.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(re.sub(r"(?m)^opencc = .*\n", "", text), encoding="utf-8")
    assert load_config(root).opencc == "s2tw"
    toml.write_text(re.sub(r"(?m)^opencc = .*$", 'opencc = "s2t"', text), encoding="utf-8")
    assert load_config(root).opencc == "s2t"


def test_footer_credit_comes_from_yuedu_toml(good, tmp_path):
    root, _ = good
    html = page(root)
    from yuedu.config import load_config

    credits = load_config(root).credits
    assert credits and credits in html.split('class="site-footer"')[1]
    assert "Translations by Yuedu" not in html
    other = make_project(tmp_path / "q", content=False)
    shutil.copy(root / "content" / "pengyou.md", other / "content" / "pengyou.md")
    toml = other / "yuedu.toml"
    toml.write_text(re.sub(r'(?m)^credits = .*$', 'credits = "Texts by Ms Li, class 3B."',
                           toml.read_text(encoding="utf-8")), encoding="utf-8")
    assert run(other).returncode == 0
    footer = page(other).split('class="site-footer"')[1]
    assert "Texts by Ms Li, class 3B." in footer and credits not in footer


# ---- serve's error page ---------------------------------------------------------------------

def test_serve_error_page_fits_a_phone_and_says_what_the_terminal_says(tmp_path, browser):
    import socket
    import time
    import urllib.error
    import urllib.request

    root = make_project(tmp_path / "p", content=False)
    article = root / "content" / "a.md"
    article.write_text(HEAD + "午饭很好。\n", encoding="utf-8")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--root", str(root), "serve", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/a/"

    def status() -> int:
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                return resp.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError:
            return 0

    try:
        deadline = time.monotonic() + 60
        while status() != 200:
            assert time.monotonic() < deadline, "serve did not come up"
            time.sleep(0.1)
        article.write_text(HEAD + "午饭很{好|good}，" + "非常好吃" * 30 + "。\n", encoding="utf-8")
        deadline = time.monotonic() + 10
        while status() != 500:
            assert time.monotonic() < deadline, "the error page did not appear"
            time.sleep(0.1)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(url)
        shown = page.locator("pre.build-error").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert page.evaluate("getComputedStyle(document.body).fontSize") == "16px"  # not shrunk to fit
        assert "every page shows this error" in page.locator("body").inner_text()
        page.close()
    finally:
        proc.terminate()
        _, stderr = proc.communicate(timeout=10)
    assert shown.startswith("content/a.md:6: override {好|good}: 'good' is not a pinyin syllable")
    assert shown in stderr  # the terminal printed exactly what the browser shows
    assert "every page in the browser shows this error" in stderr
    assert "still serving the last good site" not in stderr


def test_braces_in_ordinary_text_are_not_overrides():
    """Only braces touching Chinese are override attempts: {{ x }} or {a, b} stay as written."""
    from yuedu.overrides import check_text

    for text in ("模板里写 {{ name }} 就行。", "集合 {a, b} 和 { 的用法", "代码 } 结束", "x = {1: 2}"):
        assert check_text(text) == (text, []), text
    assert check_text("我很{好|hǎo。")[1], "an unclosed override next to Chinese is still reported"


# ---- the review list ------------------------------------------------------------------------

def test_review_list_shows_what_the_student_sees_and_a_confirmation_silences_it(tmp_path):
    root = make_project(tmp_path / "p", content=False)
    article = root / "content" / "a.md"
    body = "爷爷的精神还很好。\n\n“你们去玩吧。”“你好吗？”“是的，那天我们去了。”\n"
    article.write_text(HEAD + body, encoding="utf-8")
    out = run(root)
    assert out.returncode == 0, out.stderr
    review = [line for line in out.stderr.splitlines() if ": review " in line]
    assert len(review) == 1, review  # particles 吧 吗, 是, 那 are not worth a look
    line = review[0]
    m = re.match(r"content/a\.md:6: review 精神 (\S+) \"([^\"]*)\"\? or (\S+) \"([^\"]*)\" — in “爷爷的精神还很好。”$", line)
    assert m, line
    readings, glosses = {m.group(1), m.group(3)}, {m.group(2), m.group(4)}
    assert readings == {"jīngshén", "jīngshen"}  # tone marks, as on the page
    assert glosses == {"spirit", "vigor"}  # what the student would read in the popup
    assert line in (root / "reports" / "pinyin-audit.txt").read_text(encoding="utf-8")
    # The author confirms the reading as listed: it is not listed again.
    article.write_text(HEAD.replace("---\n\n", f"reviewed: [精神 {m.group(1)}]\n---\n\n") + body, encoding="utf-8")
    out = run(root)
    assert out.returncode == 0 and ": review " not in out.stderr, out.stderr
    # Or fixes it with a plain override: not listed either, and the page reads as fixed.
    article.write_text(HEAD + body.replace("精神", "{精神|jīng shen5}"), encoding="utf-8")
    out = run(root)
    assert out.returncode == 0 and ": review " not in out.stderr, out.stderr
    assert [p for p in rubies(page(root, "a")) if p[0] in "精神"] == [("精", "jīng"), ("神", "shen")]


def test_reviewed_entries_are_checked(tmp_path):
    root = make_project(tmp_path / "p", content=False)
    (root / "content" / "a.md").write_text(HEAD.replace("---\n\n", "reviewed: [教会]\n---\n\n") + "教会。\n",
                                           encoding="utf-8")
    out = run(root)
    assert out.returncode == 1
    assert out.stderr.startswith("content/a.md:4: front matter: reviewed: '教会' must be a word and its pinyin, "
                                 "e.g. reviewed: [精神 jīngshen]")

