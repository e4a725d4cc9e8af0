"""An article's own recording: the audio file, its WebVTT sentence timings, their validation.

Front matter ``audio:`` names a file under ``content/`` and ``audio_timings:`` a WebVTT file whose
cues are sentences (or runs of consecutive sentences) of the article, in order. The build checks
both with line numbers (webvtt-py reads well-formed files but drops a malformed cue silently, so
a pass of our own walks the lines first), matches each cue to the article's sentences, and marks
the start of every sentence in the page with an empty ``<span class="sn">`` carrying its times,
which the player script (``templates/static/audio.js``) lights up as the recording plays.
"""

from __future__ import annotations

import functools
import hashlib
import html as html_lib
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from .errors import BuildFailed, ContentError

if TYPE_CHECKING:
    from .article import Article
    from .render import RenderedArticle

#: Audio types an article may carry, by extension, with the MIME type a page may announce.
AUDIO_TYPES = {".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".ogg": "audio/ogg", ".opus": "audio/ogg",
               ".wav": "audio/wav"}
#: A recording larger than this is a warning: slow to load on a phone (an hour of 96 kbit/s mp3 is 43 MB).
MAX_AUDIO_BYTES = 50_000_000

#: A sentence ends at 。！？!? (a run of them), with the closing quotes and brackets after it.
_SENTENCE = re.compile(r"[^。！？!?\n]*(?:[。！？!?]+[”’」』）)》〉】〕\"']*|\n|$)")
#: One WebVTT timestamp: ``[hh:]mm:ss.ttt``.
_TIMESTAMP = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_TIMING = re.compile(rf"^{_TIMESTAMP}[ \t]+-->[ \t]+{_TIMESTAMP}(?:[ \t]+\S.*)?$")
_MARKER = re.compile(r"\{([^{}|]+)\|[^{}|]*\}")  # a reading override {字|zì}: its text is 字
_TOKEN = re.compile(r"<[^>]*>|[^<]+")
_CHAR = re.compile(r"&#?\w+;|[^&]|&")
#: Inline elements a sentence marker may be put in front of (never block ones: not between <li>s).
_INLINE = frozenset({"ruby", "a", "strong", "em", "b", "i", "code", "span", "mark", "small", "sub", "sup",
                     "del", "ins", "s", "u", "q", "abbr", "cite", "dfn", "kbd", "samp", "var", "bdi", "bdo"})


@dataclass(frozen=True)
class Cue:
    """One timed cue of a WebVTT file (seconds), with the line of its timing line."""

    start: float
    end: float
    text: str
    line: int


@dataclass(frozen=True)
class Media:
    """An article's recording and timings as the site publishes them."""

    audio: Path
    #: Published names (beside the article's page), the content hash in each: ``name.<hash>.mp3``.
    audio_name: str
    audio_type: str
    audio_digest: str
    timings: Path | None = None
    timings_name: str = ""
    timings_digest: str = ""
    #: Per sentence of the article (title, byline, blocks), its ``(start, end)`` or None (not timed).
    times: tuple[tuple[float, float] | None, ...] = ()

    @property
    def key(self) -> str:
        """What the article's pages depend on: both files' contents and the sentence times."""
        return f"{self.audio_name}|{self.timings_name}|{self.times!r}"

    def files(self) -> list[tuple[str, str, Path]]:
        """``(published name, key, source path)`` of each file to publish."""
        out = [(self.audio_name, self.audio_digest, self.audio)]
        if self.timings is not None:
            out.append((self.timings_name, self.timings_digest, self.timings))
        return out


# ---- Sentences -------------------------------------------------------------------------------

def html_text(html: str) -> str:
    """The text of an HTML fragment as read: tags dropped, ``<rt>``/``<rp>`` left out, entities decoded."""
    out: list[str] = []
    depth = 0
    for m in _TOKEN.finditer(html):
        tok = m.group()
        if tok.startswith("<"):
            name = _tag_name(tok)
            if name in ("rt", "rp"):
                depth += -1 if tok.startswith("</") else 1
            continue
        if not depth:
            out.append(html_lib.unescape(tok))
    return "".join(out)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text``: up to 。！？!? and closing quotes, or a line end;
    spans with no letter, digit or Han character (punctuation, space) are left out."""
    spans = []
    for m in _SENTENCE.finditer(text):
        start, end = m.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if normalise(text[start:end]):
            spans.append((start, end))
    return spans


def normalise(text: str) -> str:
    """Text as cues are matched: letters, digits and Han only, width-folded, lower case."""
    return "".join(c for c in unicodedata.normalize("NFKC", text).lower()
                   if unicodedata.category(c)[0] in "LN")


def article_sentences(article: Article) -> list[str]:
    """The article's sentences in reading order: title, byline, then every block."""
    from .render import _markdown

    md = _markdown()
    texts = [_MARKER.sub(r"\1", article.title)]
    if article.byline:
        texts.append(_MARKER.sub(r"\1", article.byline))
    for block in article.blocks:
        md.reset()
        texts.append(_MARKER.sub(r"\1", html_text(md.convert(block.text))))
    return [text[s:e] for text in texts for s, e in sentence_spans(text)]


# ---- Loading and validation ------------------------------------------------------------------

def load(article: Article, display: str, *, strict: bool = False) -> tuple[Media | None, list[str]]:
    """Check an article's ``audio:`` and ``audio_timings:``; return its :class:`Media` and warnings.

    ``display`` is the article's path as messages show it (``content/<slug>.md``). Raise
    :class:`BuildFailed` with every problem; ``strict`` makes the warnings errors too.
    """
    meta, lines = article.meta, article.key_lines
    if "audio" not in meta and "audio_timings" not in meta:
        return None, []
    errors: list[ContentError] = []
    warnings: list[ContentError] = []
    folder = article.path.parent
    shown = PurePosixPath(display).parent

    def file_value(key: str) -> tuple[Path, str] | None:
        value = meta.get(key)
        line = lines.get(key)
        if not isinstance(value, str) or not value.strip():
            errors.append(ContentError(display, line, f"front matter: '{key}' must name a file in content/"))
            return None
        rel = PurePosixPath(value.strip())
        if rel.is_absolute() or ".." in rel.parts or "\\" in value:
            errors.append(ContentError(display, line, (
                f"front matter: {key}: {value!r} must be a path inside content/ (no '..', not absolute)")))
            return None
        path = folder / rel
        if not path.is_file() and len(rel.parts) > 1 and rel.parts[0] == folder.name:
            # ``audio: content/x.mp3`` (the path from the project) means content/x.mp3 too.
            rel = PurePosixPath(*rel.parts[1:])
            path = folder / rel
        if not path.is_file():
            errors.append(ContentError(display, line, f"{key}: file not found: {(shown / rel).as_posix()}"))
            return None
        return path, (shown / rel).as_posix()

    audio = file_value("audio") if "audio" in meta else None
    if "audio" not in meta:
        errors.append(ContentError(display, lines.get("audio_timings"),
                                   "front matter: 'audio_timings' needs an 'audio' file"))
    elif audio is not None and audio[0].suffix.lower() not in AUDIO_TYPES:
        errors.append(ContentError(display, lines.get("audio"), (
            f"audio: {audio[1]}: unsupported type {audio[0].suffix or '(none)'!r}; "
            f"use {', '.join(t[1:] for t in AUDIO_TYPES)}")))
        audio = None
    timings = file_value("audio_timings") if "audio_timings" in meta else None
    if timings is not None and timings[0].suffix.lower() != ".vtt":
        errors.append(ContentError(display, lines.get("audio_timings"),
                                   f"audio_timings: {timings[1]}: expected a WebVTT file (.vtt)"))
        timings = None
    cues: list[Cue] = []
    if timings is not None:
        try:
            cues = read_timings(timings[0], timings[1])
        except BuildFailed as exc:
            errors.extend(exc.errors)
    if errors:
        raise BuildFailed(errors)
    assert audio is not None
    path, audio_shown = audio
    size = path.stat().st_size
    if size > MAX_AUDIO_BYTES:
        warnings.append(ContentError(display, lines.get("audio"), (
            f"audio: {audio_shown} is {size / 1e6:.1f} MB, over {MAX_AUDIO_BYTES // 1_000_000} MB: slow to load "
            "on a phone (a spoken article needs no more than 64 kbit/s mono)")))
    length = duration(path)
    times: tuple = ()
    if timings is not None:
        if length is not None and cues and cues[-1].end > length + 0.5:
            last = cues[-1]
            warnings.append(ContentError(timings[1], last.line, (
                f"cue ends at {last.end:.3f} s, after the end of the audio ({length:.3f} s)")))
        matched, unmatched = match(cues, article_sentences(article))
        times = tuple(matched)
        warnings.extend(ContentError(timings[1], cue.line, (
            f"cue text {_preview(cue.text)!r} is no sentence of the article (in order after the cue before)"))
            for cue in unmatched)
    if strict and warnings:
        raise BuildFailed(warnings)
    name = _published_name(path, file_digest(path))
    media = Media(audio=path, audio_name=name, audio_type=AUDIO_TYPES[path.suffix.lower()],
                  audio_digest=file_digest(path), times=times)
    if timings is not None:
        vtt_digest = file_digest(timings[0])
        media = replace(media, timings=timings[0], timings_name=_published_name(timings[0], vtt_digest),
                        timings_digest=vtt_digest)
    return media, [str(w) for w in warnings]


def read_timings(path: Path, display: str) -> list[Cue]:
    """Read a WebVTT file, checking it line by line; raise :class:`BuildFailed` with every problem.

    The checks: the ``WEBVTT`` header, each cue's timing line (``[hh:]mm:ss.ttt --> [hh:]mm:ss.ttt``),
    an end after the start, cues in order without overlap, and text in every cue. The cues are then
    read with webvtt-py, which must find exactly the cues we checked.
    """
    import webvtt

    errors: list[ContentError] = []
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BuildFailed([ContentError(display, line, "not valid UTF-8; save the file as UTF-8")]) from None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not re.match(r"^WEBVTT(?:[ \t].*)?$", lines[0]):
        raise BuildFailed([ContentError(display, 1, "a WebVTT file must start with a 'WEBVTT' line")])
    checked: list[Cue] = []
    previous: Cue | None = None
    for first, block in _blocks(lines):
        if first == 1:  # the header block (WEBVTT and its header lines)
            continue
        head = block[0]
        if re.match(r"^(NOTE|STYLE|REGION)(?:[ \t]|$)", head) and "-->" not in head:
            continue
        at = 0 if "-->" in head else 1 if len(block) > 1 and "-->" in block[1] else None
        if at is None:
            # Report the line that looks most like a (broken) timing line: a cue id may come first.
            near = next((i for i, row in enumerate(block[:2]) if re.match(r"^\s*\d+:", row)), 0)
            errors.append(ContentError(display, first + near, (
                "expected a cue timing line 'hh:mm:ss.ttt --> hh:mm:ss.ttt' (or a cue id before one)")))
            continue
        line = first + at
        m = _TIMING.match(block[at].strip())
        if m is None:
            errors.append(ContentError(display, line, (
                f"malformed cue timing {block[at].strip()!r}: expected 'hh:mm:ss.ttt --> hh:mm:ss.ttt' "
                "(hours optional, minutes and seconds two digits, three digits of milliseconds)")))
            continue
        start, end = _seconds(m.groups()[:4]), _seconds(m.groups()[4:])
        cue = Cue(start, end, "\n".join(block[at + 1:]), line)
        if end <= start:
            errors.append(ContentError(display, line, f"cue ends ({_clock(end)}) before it starts ({_clock(start)})"))
        elif previous is not None and start < previous.start:
            errors.append(ContentError(display, line, (
                f"cue out of order: starts at {_clock(start)}, before the cue on line {previous.line} "
                f"({_clock(previous.start)})")))
        elif previous is not None and start < previous.end:
            errors.append(ContentError(display, line, (
                f"cue overlaps the cue on line {previous.line}: starts at {_clock(start)}, before that one "
                f"ends ({_clock(previous.end)})")))
        if not cue.text.strip():
            errors.append(ContentError(display, line, "cue has no text (it should be a sentence of the article)"))
        for i, cue_line in enumerate(block[at + 1:], line + 1):
            if "-->" in cue_line:
                errors.append(ContentError(display, i, "a timing line inside a cue: put a blank line before it"))
        checked.append(cue)
        previous = cue
    if errors:
        raise BuildFailed(errors)
    # Our pass found the file well formed; webvtt-py reads the cues (and their text markup).
    try:
        parsed = webvtt.from_string(text).captions
    except Exception as exc:  # webvtt-py's own errors carry no line; ours above should have caught it
        raise BuildFailed([ContentError(display, None, f"WebVTT: {exc}")]) from None
    cues = []
    for i, cue in enumerate(checked):
        if i >= len(parsed):
            raise BuildFailed([ContentError(display, cue.line, "WebVTT: this cue could not be read")])
        p = parsed[i]
        start, end = p.start_time.in_milliseconds() / 1000, p.end_time.in_milliseconds() / 1000
        if (start, end) != (cue.start, cue.end):
            raise BuildFailed([ContentError(display, cue.line, "WebVTT: this cue could not be read")])
        cues.append(Cue(start, end, html_lib.unescape(re.sub(r"<[^>]*>", "", p.text)), cue.line))
    if len(parsed) != len(checked):
        raise BuildFailed([ContentError(display, None, "WebVTT: the file has cues we could not check")])
    return cues


def match(cues: list[Cue], sentences: list[str]) -> tuple[list[tuple[float, float] | None], list[Cue]]:
    """Match cues to sentences in order; return each sentence's ``(start, end)`` and the cues that
    matched none.

    A cue matches a run of consecutive sentences (its text, letters and Han only, is theirs joined)
    or a part of one sentence (a long sentence may be timed in several cues). Sentences may be
    skipped (a caption nobody reads) but never gone back to.
    """
    norm = [normalise(s) for s in sentences]
    times: list[tuple[float, float] | None] = [None] * len(sentences)
    unmatched: list[Cue] = []
    at = 0
    for cue in cues:
        want = normalise(cue.text)
        found = None
        for k in range(at, len(norm)) if want else ():
            if want.startswith(norm[k]):
                joined, m = norm[k], k
                while joined != want and m + 1 < len(norm) and want.startswith(joined + norm[m + 1]):
                    m += 1
                    joined += norm[m]
                if joined == want:
                    found = (k, m, m + 1)
                    break
            if want in norm[k]:
                found = (k, k, k)  # a part of sentence k: the next cue may continue it
                break
        if found is None:
            unmatched.append(cue)
            continue
        first, last, at = found
        for k in range(first, last + 1):
            held = times[k]
            times[k] = (min(held[0], cue.start), max(held[1], cue.end)) if held else (cue.start, cue.end)
    return times, unmatched


# ---- The page --------------------------------------------------------------------------------

def mark(rendered: RenderedArticle, times: tuple[tuple[float, float] | None, ...]) -> RenderedArticle:
    """Put a sentence marker, with its times, at the start of every sentence of the rendered article."""
    from markupsafe import Markup

    from .render import RenderedBlock

    count = [0]

    def marked(html: str) -> Markup:
        out, count[0] = mark_html(str(html), times, count[0])
        return Markup(out)

    title = marked(rendered.title)
    byline = marked(rendered.byline) if str(rendered.byline) else rendered.byline
    blocks = [RenderedBlock(b.kind, marked(b.html), b.en, b.line) for b in rendered.blocks]
    if count[0] != len(times):  # the page and the check read the text differently: a bug of ours
        raise AssertionError(f"{count[0]} sentences on the page, {len(times)} timed")
    return replace(rendered, title=title, byline=byline, blocks=blocks)


def mark_html(html: str, times: tuple[tuple[float, float] | None, ...], first: int) -> tuple[str, int]:
    """Insert ``<span class="sn">`` before each sentence of ``html`` (sentences numbered from
    ``first``); return the new HTML and the next sentence number."""
    starts = [s for s, _ in sentence_spans(html_text(html))]
    if not starts:
        return html, first
    out: list[str] = []
    pos = 0  # characters of text read so far
    depth = 0  # inside <rt>/<rp>
    before = None  # where a run of inline opening tags began, just before the text
    wanted = iter(starts)
    target = next(wanted)
    index = first
    for m in _TOKEN.finditer(html):
        tok = m.group()
        if tok.startswith("<"):
            name = _tag_name(tok)
            if name in ("rt", "rp"):
                depth += -1 if tok.startswith("</") else 1
            if not tok.startswith("</") and name in _INLINE and not depth:
                if before is None:
                    before = len(out)
            else:
                before = None
            out.append(tok)
            continue
        if depth:
            out.append(tok)
            continue
        for c in _CHAR.finditer(tok):
            if target is not None and pos == target:
                t = times[index] if index < len(times) else None
                attr = f' data-t="{t[0]:.3f} {t[1]:.3f}"' if t else ""
                out.insert(before if before is not None else len(out), f'<span class="sn"{attr}></span>')
                index += 1
                target = next(wanted, None)
            out.append(c.group())
            before = None
            pos += 1
    return "".join(out), index


# ---- Files -----------------------------------------------------------------------------------

def duration(path: Path) -> float | None:
    """The length of a recording in seconds (read with mutagen), or None if it can't be read."""
    import mutagen

    try:
        info = mutagen.File(str(path))
    except Exception:  # mutagen raises its own error classes for damaged files
        return None
    length = getattr(getattr(info, "info", None), "length", None)
    return float(length) if length else None


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes (remembered while its size and modification time stay the same)."""
    st = path.stat()
    return _digest(str(path), st.st_ino, st.st_size, st.st_mtime_ns)


@functools.lru_cache(maxsize=256)
def _digest(path: str, ino: int, size: int, mtime_ns: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _published_name(path: Path, digest: str) -> str:
    """``name.<hash>.ext``: a new name whenever the bytes change, so caches never serve an old file."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", path.stem).strip("-") or "audio"
    return f"{stem}.{digest[:12]}{path.suffix}"


def skeleton(article: Article, display: str) -> str:
    """A WebVTT file with one cue per sentence, times spread by sentence length over the recording."""
    from .errors import YueduError

    media, _ = load(replace(article, meta={k: v for k, v in article.meta.items() if k != "audio_timings"}),
                    display)
    if media is None:
        raise YueduError(f"{display}: no 'audio:' in the front matter; add the recording first")
    length = duration(media.audio)
    if length is None:
        raise YueduError(f"{display}: cannot read the length of {media.audio.name} (not an audio file?)")
    sentences = article_sentences(article)
    weights = [max(1, len(normalise(s))) for s in sentences]
    total = sum(weights)
    out = ["WEBVTT", ""]
    start = 0.0
    done = 0
    for sentence, weight in zip(sentences, weights):
        done += weight
        end = length * done / total
        out += [f"{_clock(start)} --> {_clock(end)}", sentence, ""]
        start = end
    return "\n".join(out)


def _blocks(lines: list[str]):
    """Blank-line separated blocks of a WebVTT file: ``(first line number, lines)``."""
    block: list[str] = []
    first = 0
    for i, line in enumerate(lines, 1):
        if line.strip():
            if not block:
                first = i
            block.append(line)
        elif block:
            yield first, block
            block = []
    if block:
        yield first, block


def _seconds(parts) -> float:
    hours, minutes, seconds, millis = parts
    # Whole milliseconds first, as webvtt-py counts them, so both readings compare equal.
    return ((int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)) * 1000 + int(millis)) / 1000


def _clock(seconds: float) -> str:
    ms = round(seconds * 1000)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def _tag_name(tok: str) -> str:
    m = re.match(r"</?\s*([A-Za-z][A-Za-z0-9]*)", tok)
    return m.group(1).lower() if m else ""


def _preview(text: str, width: int = 24) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width] + "…"
