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
    path.write_bytes(VTT.encode("utf-8").replace("吃早饭".encode(), b"\xff\xfe"))
    with pytest.raises(BuildFailed) as caught:
        audio.read_timings(path, "content/t.vtt")
    assert str(caught.value.errors[0]).startswith("content/t.vtt:13: not valid UTF-8")


def test_large_audio_is_a_warning_and_strict_makes_it_an_error(tmp_path, monkeypatch):
    root = make_audio_project(tmp_path / "p")
    article = parse_article(ARTICLE, "content/xiaoming.md", slug=SLUG, path=root / "content" / f"{SLUG}.md")
    media, warnings = audio.load(article, "content/xiaoming.md")
    assert media.times == tuple(TIMES) and warnings == []
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
    assert "七點起牀" in text and "七点起床" not in text


def test_plain_player_without_timings_and_nothing_without_audio(audio_site):
    untimed = (audio_site / "untimed" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<audio controls preload="metadata" src="\.\./untimed/untimed\.[0-9a-f]{12}\.ogg">', untimed)
    assert "<track" not in untimed and "audio.js" not in untimed and 'class="sn"' not in untimed
    silent = (audio_site / "silent" / "index.html").read_text(encoding="utf-8")
    assert "<audio" not in silent and "audio.js" not in silent and "audio.css" not in silent
    assert 'class="sn"' not in silent
