"""An article's own recording: validation with line numbers, publishing, the page, the player.

The recording is a WAV written by the test with Python's ``wave`` module (no binary fixtures).
"""

from __future__ import annotations

import hashlib
import math
import re
import struct
import subprocess
import sys
import urllib.request
import wave
from pathlib import Path

import pytest

from browser import CHROMIUM, serve_site
from conftest import ROOT, make_project
from yuedu import audio
from yuedu.article import parse_article
from yuedu.config import load_config
from yuedu.errors import BuildFailed
from yuedu.site import build

SLUG = "xiaoming"
ARTICLE = """---
title: 小明的早上
title_en: Xiaoming's morning
date: 2026-11-01
tags: [daily life]
audio: xiaoming.wav
audio_timings: xiaoming.vtt
---

小明七点起床。他先喝一杯水，然后去跑步。

en: Xiaoming gets up at seven. First he drinks a glass of water, then he goes running.

## 吃早饭

en: Breakfast

妈妈问他：“你想吃什么？”他说：“我想吃面条！”

en: His mother asks him, "What would you like to eat?" He says, "I'd like noodles!"
"""
AUDIO_LINE = 6  # the line of `audio:` in ARTICLE
#: The article's sentences: title, two in the first paragraph, the heading, two in the last.
SENTENCES = ["小明的早上", "小明七点起床。", "他先喝一杯水，然后去跑步。", "吃早饭", "妈妈问他：“你想吃什么？”",
             "他说：“我想吃面条！”"]
VTT = """WEBVTT

NOTE Timed by hand; the first paragraph's two sentences are one cue.

00:00.000 --> 00:01.000
小明的早上

first-paragraph
00:01.000 --> 00:02.500
小明七点起床。他先喝一杯水，然后去跑步。

00:02.500 --> 00:03.500
吃早饭

00:03.500 --> 00:04.500
妈妈问他：“你想吃什么？”

00:04.500 --> 00:06.000
他说：“我想吃面条！”
"""
#: Each sentence's cue: (start, end); the first paragraph's two sentences share one.
TIMES = [(0.0, 1.0), (1.0, 2.5), (1.0, 2.5), (2.5, 3.5), (3.5, 4.5), (4.5, 6.0)]
SECONDS = 6.5


def write_wav(path: Path, seconds: float = SECONDS, rate: int = 8000) -> None:
    """A quiet 440 Hz tone, mono 16-bit."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"".join(struct.pack("<h", int(2000 * math.sin(2 * math.pi * 440 * i / rate)))
                               for i in range(int(seconds * rate))))


def make_audio_project(dest: Path) -> Path:
    """A project with the timed article, one with a recording but no timings, and one without audio."""
    root = make_project(dest, content=False)
    content = root / "content"
    (content / f"{SLUG}.md").write_text(ARTICLE, encoding="utf-8")
    (content / f"{SLUG}.vtt").write_text(VTT, encoding="utf-8")
    write_wav(content / f"{SLUG}.wav")
    untimed = ARTICLE.replace("audio_timings: xiaoming.vtt\n", "").replace("audio: xiaoming.wav", "audio: untimed.ogg")
    (content / "untimed.md").write_text(untimed.replace("date: 2026-11-01", "date: 2026-10-01"), encoding="utf-8")
    (content / "untimed.ogg").write_bytes(b"OggS" + bytes(60))  # not played: only published
    silent = "\n".join(line for line in ARTICLE.split("\n") if not line.startswith("audio"))
    (content / "silent.md").write_text(silent.replace("date: 2026-11-01", "date: 2026-09-01"), encoding="utf-8")
    return root


def run_build(root: Path, *args: str, command: str = "build") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(root), command, *args],
                          capture_output=True, text=True, timeout=300)


def tree(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def audio_site(tmp_path_factory) -> Path:
    root = make_audio_project(tmp_path_factory.mktemp("audio") / "proj")
    build(load_config(root))
    return root / "site"


# ---- Sentences and cues ----------------------------------------------------------------------

def test_sentences_of_the_article():
    article = parse_article(ARTICLE, "content/xiaoming.md", slug=SLUG)
    assert audio.article_sentences(article) == SENTENCES
    # List items and lines are sentences too; punctuation alone is none; overrides read as their text.
    text = audio.html_text("<ul>\n<li>一{二|èr}三</li>\n<li>……</li>\n<li>“好！”对。</li>\n</ul>")
    assert [text[s:e] for s, e in audio.sentence_spans(text)] == ["一{二|èr}三", "“好！”", "对。"]
    assert audio.html_text('<ruby data-g="1">好<rp>(</rp><rt>hǎo</rt><rp>)</rp></ruby>&amp;') == "好&"


def test_sentence_markers_go_inside_blocks_before_inline_markup():
    html = ('<ul>\n<li><ruby data-g="0">一<rp>(</rp><rt>yī</rt><rp>)</rp></ruby>。<em><ruby data-g="1">二'
            '<rp>(</rp><rt>èr</rt><rp>)</rp></ruby></em>！</li>\n<li><a href="x">“三</a>”</li>\n</ul>')
    marked, following = audio.mark_html(html, ((0.0, 1.0), None, (2.0, 3.5)), 0)
    assert following == 3
    assert marked == ('<ul>\n<li><span class="sn" data-t="0.000 1.000"></span><ruby data-g="0">一<rp>(</rp><rt>yī</rt>'
                      '<rp>)</rp></ruby>。<span class="sn"></span><em><ruby data-g="1">二<rp>(</rp><rt>èr</rt><rp>)</rp>'
                      '</ruby></em>！</li>\n<li><span class="sn" data-t="2.000 3.500"></span><a href="x">“三</a>”</li>\n</ul>')


def cue(text: str, line: int, start: float = 0.0) -> audio.Cue:
    return audio.Cue(start, start + 1, text, line)


def test_cues_match_sentences_in_order():
    times, unmatched = audio.match([cue("小明的早上", 4), cue("小明七点起床。他先喝一杯水，然后去跑步。", 7, 1),
                                    cue("你想吃什么", 10, 2), cue("他说 我想吃面条", 13, 3)], SENTENCES)
    assert not unmatched
    # A run of two sentences, the heading skipped, a part of a sentence, punctuation and spaces ignored.
    assert times == [(0, 1), (1, 2), (1, 2), None, (2, 3), (3, 4)]
    times, unmatched = audio.match([cue("妈妈问他：“你想吃什么？”", 4, 0), cue("小明七点起床。", 7, 1),
                                    cue("他们去公园。", 10, 2)], SENTENCES)
    assert [c.line for c in unmatched] == [7, 10]  # never back to an earlier sentence; not in the text
    assert times[4] == (0, 1) and times[1] is None


@pytest.mark.parametrize("broken, line, message", [
    ("00:01.000 --> 00:02.500", None, None),
    ("00:01.00 --> 00:02.500", 9, "malformed cue timing '00:01.00 --> 00:02.500'"),
    ("00:01.000 --> 00:62.500", 9, "malformed cue timing"),
    ("00:01.000 -> 00:02.500", 9, "expected a cue timing line"),
    ("00:00.500 --> 00:02.500", 9, "cue overlaps the cue on line 5"),
    ("00:01.000 --> 00:00.900", 9, "cue ends (00:00:00.900) before it starts (00:00:01.000)"),
    ("00:04.600 --> 00:04.900", 12, "cue out of order: starts at 00:00:02.500, before the cue on line 9"),
])
def test_timing_errors_name_the_vtt_line(tmp_path, broken, line, message):
    path = tmp_path / "t.vtt"
    path.write_text(VTT.replace("00:01.000 --> 00:02.500", broken), encoding="utf-8")
    if message is None:
        cues = audio.read_timings(path, "content/t.vtt")
        assert [(c.start, c.end, c.line) for c in cues] == [
            (0, 1, 5), (1, 2.5, 9), (2.5, 3.5, 12), (3.5, 4.5, 15), (4.5, 6, 18)]
        assert cues[1].text == SENTENCES[1] + SENTENCES[2]
        return
    with pytest.raises(BuildFailed) as caught:
        audio.read_timings(path, "content/t.vtt")
    assert any(str(e).startswith(f"content/t.vtt:{line}: {message}") for e in caught.value.errors), caught.value.errors


def test_timing_file_structure_errors(tmp_path):
    path = tmp_path / "t.vtt"
    for text, expected in [
        (VTT.replace("WEBVTT", "WEBVTTX"), "content/t.vtt:1: a WebVTT file must start with a 'WEBVTT' line"),
        (VTT.replace("吃早饭\n", "\n"), "content/t.vtt:12: cue has no text"),
        (VTT.replace("吃早饭", "吃早饭\n00:09.000 --> 00:10.000"), "content/t.vtt:14: a timing line inside a cue"),
    ]:
        path.write_text(text, encoding="utf-8")
        with pytest.raises(BuildFailed) as caught:
            audio.read_timings(path, "content/t.vtt")
        assert str(caught.value.errors[0]).startswith(expected), caught.value.errors
    # Milliseconds count as webvtt-py counts them (1 + 0.473 is not 1.473 in floating point).
    path.write_text("WEBVTT\n\n00:01.473 --> 01:00:02.796\n小明七点起床。\n", encoding="utf-8")
    assert [(c.start, c.end) for c in audio.read_timings(path, "t.vtt")] == [(1.473, 3602.796)]
    path.write_bytes(VTT.encode("utf-8").replace("吃早饭".encode(), b"\xff\xfe"))
    with pytest.raises(BuildFailed) as caught:
        audio.read_timings(path, "content/t.vtt")
    assert str(caught.value.errors[0]).startswith("content/t.vtt:13: not valid UTF-8")


def test_large_audio_is_a_warning_and_strict_makes_it_an_error(tmp_path, monkeypatch):
    root = make_audio_project(tmp_path / "p")
    article = parse_article(ARTICLE, "content/xiaoming.md", slug=SLUG, path=root / "content" / f"{SLUG}.md")
    media, warnings = audio.load(article, "content/xiaoming.md")
    assert media.times == tuple(TIMES) and warnings == []
    # The path may also be written from the project folder.
    written = ARTICLE.replace("audio: xiaoming.wav", "audio: content/xiaoming.wav")
    alike, _ = audio.load(parse_article(written, "content/xiaoming.md", slug=SLUG, path=article.path),
                          "content/xiaoming.md")
    assert alike.audio == media.audio and alike.audio_name == media.audio_name
    monkeypatch.setattr(audio, "MAX_AUDIO_BYTES", 1000)
    media, warnings = audio.load(article, "content/xiaoming.md")
    assert warnings == [f"content/xiaoming.md:{AUDIO_LINE}: audio: content/xiaoming.wav is 0.1 MB, over 0 MB: "
                        "slow to load on a phone (a spoken article needs no more than 64 kbit/s mono)"]
    with pytest.raises(BuildFailed):
        audio.load(article, "content/xiaoming.md", strict=True)


# ---- The build: errors with lines, site/ kept ------------------------------------------------

def test_bad_recordings_and_timings_fail_with_lines_and_keep_the_site(tmp_path):
    root = make_audio_project(tmp_path / "p")
    content, site = root / "content", root / "site"
    first = run_build(root)
    assert first.returncode == 0, first.stderr
    assert "WARNING" not in first.stderr
    good = tree(site)
    md = content / f"{SLUG}.md"

    def fails(expected: str, *args: str) -> None:
        run = run_build(root, *args)
        assert run.returncode == 1, run.stderr
        assert expected in run.stderr, run.stderr
        assert tree(site) == good  # every failure leaves site/ as it was

    md.write_text(ARTICLE.replace("audio: xiaoming.wav", "audio: missing.mp3"), encoding="utf-8")
    fails(f"content/{SLUG}.md:{AUDIO_LINE}: audio: file not found: content/missing.mp3")
    (content / "music.flac").write_bytes(b"fLaC")
    md.write_text(ARTICLE.replace("audio: xiaoming.wav", "audio: music.flac"), encoding="utf-8")
    fails(f"content/{SLUG}.md:{AUDIO_LINE}: audio: content/music.flac: unsupported type '.flac'")
    md.write_text(ARTICLE.replace("audio: xiaoming.wav", "audio: ../secret.wav"), encoding="utf-8")
    fails(f"content/{SLUG}.md:{AUDIO_LINE}: front matter: audio: '../secret.wav' must be a path inside content/")
    md.write_text(ARTICLE, encoding="utf-8")
    vtt = content / f"{SLUG}.vtt"
    vtt.write_text(VTT.replace("00:02.500 --> 00:03.500", "00:02.500 --> 00:3.500"), encoding="utf-8")
    fails(f"content/{SLUG}.vtt:12: malformed cue timing")
    vtt.write_text(VTT.replace("00:03.500 --> 00:04.500", "00:03.000 --> 00:04.500"), encoding="utf-8")
    fails(f"content/{SLUG}.vtt:15: cue overlaps the cue on line 12")
    # A cue that is no sentence of the article: a warning with its line, an error under --strict.
    vtt.write_text(VTT.replace("吃早饭", "吃晚饭"), encoding="utf-8")
    fails(f"content/{SLUG}.vtt:12: cue text '吃晚饭' is no sentence of the article", "--strict")
    run = run_build(root)
    assert run.returncode == 0, run.stderr
    assert f"WARNING: content/{SLUG}.vtt:12: cue text '吃晚饭' is no sentence of the article" in run.stderr


def test_timings_command_prints_a_skeleton_that_validates(tmp_path):
    root = make_audio_project(tmp_path / "p")
    run = subprocess.run([sys.executable, str(ROOT / "build.py"), "timings", f"content/{SLUG}.md"],
                         cwd=root, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("WEBVTT\n\n")
    skeleton = root / "skeleton.vtt"
    skeleton.write_text(run.stdout, encoding="utf-8")
    cues = audio.read_timings(skeleton, "skeleton.vtt")
    assert [c.text for c in cues] == SENTENCES  # one cue per sentence, in order
    assert cues[0].start == 0 and cues[-1].end == pytest.approx(SECONDS, abs=0.002)
    # Times spread by sentence length: 他先喝一杯水，然后去跑步 (11) gets more than 吃早饭 (3).
    lengths = [c.end - c.start for c in cues]
    assert lengths[2] / lengths[3] == pytest.approx(11 / 3, rel=0.01)
    times, unmatched = audio.match(cues, SENTENCES)
    assert not unmatched and None not in times
    no_audio = run_build(root, "content/silent.md", command="timings")
    assert no_audio.returncode == 1 and "content/silent.md: no 'audio:' in the front matter" in no_audio.stderr
    assert no_audio.stdout == ""


# ---- The site --------------------------------------------------------------------------------

def test_recording_and_timings_are_published_beside_the_article(audio_site):
    content = audio_site.parent / "content"
    html = (audio_site / SLUG / "index.html").read_text(encoding="utf-8")
    names = sorted(p.name for p in (audio_site / SLUG).iterdir())
    wav = next(n for n in names if n.endswith(".wav"))
    vtt = next(n for n in names if n.endswith(".vtt"))
    assert re.fullmatch(r"xiaoming\.[0-9a-f]{12}\.wav", wav) and re.fullmatch(r"xiaoming\.[0-9a-f]{12}\.vtt", vtt)
    assert (audio_site / SLUG / wav).read_bytes() == (content / f"{SLUG}.wav").read_bytes()
    assert (audio_site / SLUG / vtt).read_bytes() == (content / f"{SLUG}.vtt").read_bytes()
    assert f'<audio controls preload="metadata" src="../{SLUG}/{wav}">' in html
    assert f'<track kind="metadata" src="../{SLUG}/{vtt}" default>' in html
    assert f'<script src="../static/audio.js" defer></script>' in html
    # The CSP lets the page load media from the site itself, and nothing else changes.
    assert "img-src 'self' data:; media-src 'self'; connect-src 'self';" in html
    marks = re.findall(r'<span class="sn"(?: data-t="([\d.]+) ([\d.]+)")?></span>', html)
    assert [(float(a), float(b)) for a, b in marks] == TIMES
    # The traditional edition: its own text, the same files and times.
    trad = (audio_site / "zh-hant" / SLUG / "index.html").read_text(encoding="utf-8")
    assert f'src="../../{SLUG}/{wav}"' in trad and f'src="../../{SLUG}/{vtt}"' in trad
    assert re.findall(r'<span class="sn"[^>]*></span>', trad) == re.findall(r'<span class="sn"[^>]*></span>', html)
    text = audio.html_text(trad)
    assert "七點起" in text and "七点起" not in text


def test_plain_player_without_timings_and_nothing_without_audio(audio_site):
    untimed = (audio_site / "untimed" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<audio controls preload="metadata" src="\.\./untimed/untimed\.[0-9a-f]{12}\.ogg">', untimed)
    assert "<track" not in untimed and "audio.js" not in untimed and 'class="sn"' not in untimed
    cards = (audio_site / "index.html").read_text(encoding="utf-8").split('<li class="card"')[1:]
    recording = {re.search(r'data-slug="([^"]+)"', c).group(1): re.search(r"<dt>Recording</dt><dd>([^<]*)", c)
                 for c in cards}
    assert {slug: m.group(1) if m else None for slug, m in recording.items()} == {
        SLUG: "with sentence timings", "untimed": "yes", "silent": None}  # the index says which have audio
    silent = (audio_site / "silent" / "index.html").read_text(encoding="utf-8")
    assert "<audio" not in silent and "audio.js" not in silent and "audio.css" not in silent
    assert 'class="sn"' not in silent


def test_recording_and_timings_are_inputs_of_the_article(tmp_path):
    root = make_audio_project(tmp_path / "p")
    config = load_config(root)
    build(config)
    site, content = root / "site", root / "content"
    page = site / SLUG / "index.html"
    files = lambda ext: sorted(p.name for p in (site / SLUG).glob(f"*.{ext}"))  # noqa: E731
    wav, vtt = files("wav"), files("vtt")
    assert build(config).written == 0  # nothing changed: nothing rendered again
    (content / f"{SLUG}.vtt").write_text(VTT.replace("00:04.500 --> 00:06.000", "00:04.600 --> 00:06.000"),
                                         encoding="utf-8")
    result = build(config)
    assert 'data-t="4.600 6.000"' in page.read_text(encoding="utf-8")
    assert files("vtt") != vtt and len(files("vtt")) == 1  # a new name; the old file is gone
    assert files("wav") == wav and result.annotated == 0  # the recording is reused; no text annotated again
    assert 'data-t="4.600 6.000"' in (site / "zh-hant" / SLUG / "index.html").read_text(encoding="utf-8")
    write_wav(content / f"{SLUG}.wav", seconds=7)
    build(config)
    assert files("wav") != wav and f"{files('wav')[0]}\"" in page.read_text(encoding="utf-8")
    assert (site / SLUG / files("wav")[0]).read_bytes() == (content / f"{SLUG}.wav").read_bytes()


def test_serve_rebuilds_on_timing_changes_and_shows_their_errors(tmp_path):
    from test_serve import fetch, free_port, wait_for

    root = make_audio_project(tmp_path / "p")
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--root", str(root), "serve", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/{SLUG}/"
    try:
        wait_for(lambda: _up(fetch, url), 120)
        vtt = root / "content" / f"{SLUG}.vtt"
        vtt.write_text(VTT.replace("00:04.500 --> 00:06.000", "00:04.700 --> 00:06.000"), encoding="utf-8")
        wait_for(lambda: 'data-t="4.700 6.000"' in fetch(url)[1], 10)
        vtt.write_text(VTT.replace("00:02.500 --> 00:03.500", "00:02.500 -> 00:03.500"), encoding="utf-8")
        wait_for(lambda: fetch(url)[0] == 500, 10)
        assert f"content/{SLUG}.vtt:12: expected a cue timing line" in fetch(url)[1]
        assert (root / "site" / SLUG / "index.html").exists()
        vtt.write_text(VTT, encoding="utf-8")
        wait_for(lambda: fetch(url)[0] == 200 and 'data-t="4.500 6.000"' in fetch(url)[1], 10)
        # The published files are served (tornado answers ranges, so the player can seek).
        name = re.search(r'src="\.\./xiaoming/(xiaoming\.[0-9a-f]+\.wav)"', fetch(url)[1]).group(1)
        with urllib.request.urlopen(urllib.request.Request(url + name, headers={"Range": "bytes=0-3"})) as r:
            assert r.status == 206 and r.read() == b"RIFF"
        assert proc.poll() is None
    finally:
        proc.terminate()
        proc.wait(10)


def _up(fetch, url: str) -> bool:
    try:
        return fetch(url)[0] == 200
    except OSError:
        return False


@pytest.mark.browser
def test_quality_gates_hold_on_articles_with_audio(audio_site, tmp_path):
    """Links, HTML validity, axe (with the player built by its script) and overflow at 390 px."""
    import os

    from test_tools import SITECHECK, SITECHECK_HOME

    if not SITECHECK.exists() or not (SITECHECK_HOME / "node_modules").exists():
        pytest.skip("sitecheck is not installed (../shared/tools/sitecheck/install.sh; .ci/run does it)")
    site = audio_site  # as published, CSP included: sitecheck runs axe through the DevTools protocol
    pages = [f"{SLUG}/index.html", f"zh-hant/{SLUG}/index.html", "untimed/index.html"]  # and index.html
    out = tmp_path / "sitecheck"
    args = ["bash", str(SITECHECK), str(site), "/yuedu/", "--skip", "lighthouse,shots", "--out", str(out),
            "--max-html-errors", "0", "--fail-on-broken", "--fail-on-external"]
    for impact in ("critical", "serious", "moderate", "minor"):
        args += ["--max-axe", f"{impact}=0"]
    for page in pages:
        args += ["--pages", page]
    run = subprocess.run(args, capture_output=True, text=True, timeout=900,
                         env={**os.environ, "SITECHECK_HOME": str(SITECHECK_HOME)})
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    rows = [line for line in (out / "summary.md").read_text().splitlines() if line.startswith("| ") and ".html" in line]
    assert len(rows) == len(pages) + 1
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[5] == "0/0/0/0 (0/0/0/0)", row  # axe
        assert cells[10] == "0", row  # requests to other hosts
        assert cells[11] == "0", row  # horizontal overflow at 390 px


# ---- The player in a real browser ------------------------------------------------------------

@pytest.fixture(scope="module")
def audio_url(audio_site: Path):
    with serve_site(audio_site) as url:
        yield url


def open_player(browser, url: str, settings: dict | None = None, **context):
    """The timed article with its player ready (metadata loaded), muted so it may play."""
    ctx = browser.new_context(viewport={"width": 390, "height": 700}, **context)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    if settings is not None:
        page.goto(url + "about/")
        page.evaluate("s => localStorage.setItem('yuedu.settings', JSON.stringify(s))", settings)
    page.goto(url)
    page.wait_for_function("() => document.querySelector('.pl-bar') && document.querySelector('audio').readyState >= 1")
    page.evaluate("() => { document.querySelector('audio').muted = true; }")
    return page, errors


LIT = """() => {
  const a = document.querySelector('audio');
  const lit = Array.from(document.querySelectorAll('.sn.said')).map(s => s.getAttribute('data-t'));
  const words = document.querySelectorAll('ruby.said').length;
  return {t: a.currentTime, paused: a.paused, lit, words};
}"""


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
def test_highlight_follows_the_recording_as_it_plays(browser, audio_url):
    page, errors = open_player(browser, audio_url + SLUG + "/")
    page.evaluate("""() => {
      window.samples = [];
      const a = document.querySelector('audio');
      a.addEventListener('timeupdate', () => window.samples.push([a.currentTime,
        Array.from(document.querySelectorAll('.sn.said')).map(s => s.getAttribute('data-t'))]));
    }""")
    page.get_by_role("button", name="Play", exact=True).click()
    page.wait_for_function("() => document.querySelector('audio').currentTime > 3.2", timeout=15_000)
    samples = page.evaluate("() => window.samples")
    checked = set()
    for t, lit in samples:
        if any(abs(t - edge) < 0.1 for edge in (1.0, 2.5, 3.5)):
            continue  # a sample taken on a boundary may show either neighbour
        expected = [f"{a:.3f} {b:.3f}" for a, b in TIMES if a <= t < b]
        assert lit == expected, (t, lit)
        checked.add(lit[0])
    # The title, the first paragraph's two sentences (one cue, both lit) and the heading were seen lit.
    assert checked == {"0.000 1.000", "1.000 2.500", "2.500 3.500"}, samples
    assert page.get_by_role("button", name="Pause", exact=True).is_visible()
    page.keyboard.press("k")  # K pauses
    assert page.evaluate(LIT)["paused"]
    assert not errors


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
def test_play_this_sentence_seeks_to_its_cue_and_loop_repeats_it(browser, audio_url):
    page, errors = open_player(browser, audio_url + SLUG + "/")
    buttons = page.get_by_role("button", name="Play this sentence")
    assert buttons.count() == len(TIMES)
    buttons.nth(4).click()  # 妈妈问他：“你想吃什么？” (3.5 – 4.5 s)
    state = page.evaluate(LIT)
    assert 3.5 <= state["t"] < 3.8 and not state["paused"] and state["lit"] == ["3.500 4.500"]
    assert state["words"] >= 5
    page.wait_for_function("() => document.querySelector('audio').paused", timeout=5000)
    state = page.evaluate(LIT)  # it stops at the end of the sentence, which stays lit
    assert 4.3 < state["t"] < 4.5 and state["lit"] == ["3.500 4.500"]
    # Loop: the same sentence again and again, for shadowing.
    page.get_by_role("button", name="Loop this sentence").click()
    buttons.nth(4).click()
    page.evaluate("""() => { window.times = []; const a = document.querySelector('audio');
      a.addEventListener('timeupdate', () => window.times.push(a.currentTime)); }""")
    page.wait_for_timeout(2600)
    times = page.evaluate("() => window.times")
    state = page.evaluate(LIT)
    assert not state["paused"] and state["lit"] == ["3.500 4.500"]
    assert all(3.45 <= t < 4.6 for t in times) and max(times) > 4.2 and any(t < 3.8 for t in times[3:])
    page.keyboard.press("l")  # L ends the loop: playing goes on into the next sentence
    page.wait_for_function("() => document.querySelector('audio').currentTime > 4.6", timeout=5000)
    assert page.evaluate(LIT)["lit"] == ["4.500 6.000"]
    assert not errors


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
def test_keys_speed_back_and_a_tap_on_a_word_still_opens_the_glossary(browser, audio_url):
    page, errors = open_player(browser, audio_url + SLUG + "/", has_touch=True, is_mobile=True)
    speed = page.locator(".pl-rate")
    assert speed.inner_text() == "1×"
    speed.click()
    assert page.evaluate("() => document.querySelector('audio').playbackRate") == 1.25
    page.keyboard.press("s")
    assert page.evaluate("() => document.querySelector('audio').playbackRate") == 0.75
    assert speed.get_attribute("aria-label") == "Speed 0.75×"
    page.keyboard.press("s")
    page.evaluate("() => { document.querySelector('audio').currentTime = 5.5; }")
    page.wait_for_function("() => document.querySelector('.sn.said')")
    page.keyboard.press("j")  # back 5 s
    assert abs(page.evaluate(LIT)["t"] - 0.5) < 0.05
    assert page.evaluate(LIT)["lit"] == ["0.000 1.000"]
    # A tap on a word opens its glossary entry and plays nothing.
    word = page.locator(".reading ruby[data-g]").nth(3)
    word.tap()
    assert page.locator("#gloss-pop").is_visible()
    assert page.evaluate(LIT)["paused"]
    # R plays the sentence of the focused word (arrow keys move between words).
    page.keyboard.press("Escape")
    page.locator(".zh ruby[tabindex='0']").focus()
    for _ in range(20):
        if word.evaluate("w => w === document.activeElement"):
            break
        page.keyboard.press("ArrowRight")
    page.keyboard.press("r")
    assert page.evaluate(LIT)["lit"] == ["1.000 2.500"] * 2 and not page.evaluate(LIT)["paused"]
    assert not errors


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
@pytest.mark.parametrize("edition", ["", "zh-hant/"])
def test_player_with_other_reader_settings_and_in_print(browser, audio_url, edition):
    settings = {"pinyin": "off", "tones": "pleco", "sandhi": "spoken", "tr": "all", "size": "4",
                "theme": "dark", "hl": True, "sr": "both"}
    page, errors = open_player(browser, audio_url + edition + SLUG + "/", settings)
    assert page.evaluate("() => document.documentElement.dataset.theme") == "dark"
    page.get_by_role("button", name="Play this sentence").nth(5).click()
    state = page.evaluate(LIT)
    assert state["lit"] == ["4.500 6.000"] and state["words"] >= 4
    said = page.evaluate("() => getComputedStyle(document.querySelector('ruby.said')).backgroundColor")
    other = page.evaluate("() => getComputedStyle(document.querySelector('ruby:not(.said)')).backgroundColor")
    assert said == "rgb(77, 65, 20)" and said != other  # the dark theme's mark, above the known-word mark
    # The sticky bar stays at the top while the text scrolls under it.
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    assert page.evaluate("() => document.querySelector('.player').getBoundingClientRect().top") == 0
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    page.emulate_media(media="print")
    assert page.evaluate("() => getComputedStyle(document.querySelector('.player')).display") == "none"
    assert page.evaluate("() => getComputedStyle(document.querySelector('.sn-play')).display") == "none"
    assert not errors


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
def test_without_script_the_browser_player_loads_the_timings(browser, audio_url):
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    requests: list[str] = []
    page.on("requestfinished", lambda r: requests.append(r.url))
    page.goto(audio_url + SLUG + "/")
    audio_el = page.locator(".player audio")
    assert audio_el.get_attribute("controls") is not None and audio_el.is_visible()
    page.wait_for_timeout(500)
    assert any(u.endswith(".vtt") for u in requests) and any(u.endswith(".wav") for u in requests)
    assert page.locator(".sn-play").count() == 0
    ctx.close()


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
def test_a_recording_the_browser_cannot_play_gets_its_own_controls_back(browser, audio_site, tmp_path):
    import shutil

    site = shutil.copytree(audio_site, tmp_path / "site")
    for wav in (site / SLUG).glob("*.wav"):
        wav.write_bytes(b"RIFF but not audio")
    with serve_site(site) as url:
        page = browser.new_page()
        page.goto(url + SLUG + "/")
        page.wait_for_function("() => document.querySelector('audio').error !== null")
        # The error event comes after the error property is set: wait for the handler, which
        # fails the test (timeout) if the controls never come back.
        page.wait_for_function("() => document.querySelector('audio').controls", timeout=5000)
        assert not page.locator(".pl-bar").is_visible()
        page.close()


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
def test_the_spoken_sentence_is_kept_in_view(browser, audio_url):
    page, errors = open_player(browser, audio_url + SLUG + "/")
    page.set_viewport_size({"width": 390, "height": 320})
    page.evaluate("() => { window.scrollTo(0, 0); document.querySelector('audio').currentTime = 4.3; }")
    last = page.locator(".sn[data-t='4.500 6.000'] + ruby")
    assert last.evaluate("w => w.getBoundingClientRect().top") > 320  # below the fold
    page.get_by_role("button", name="Play", exact=True).click()
    page.wait_for_function("() => document.querySelector('audio').currentTime > 5")
    page.wait_for_timeout(600)  # the smooth scroll
    top, bottom = last.evaluate("w => [w.getBoundingClientRect().top, w.getBoundingClientRect().bottom]")
    below_bar = page.evaluate("() => document.querySelector('.player').getBoundingClientRect().bottom")
    assert below_bar <= top and bottom <= 320, (below_bar, top, bottom)
    assert not errors
