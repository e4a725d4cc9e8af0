"""Read one article file: YAML front matter, then Chinese blocks each followed by its ``en:`` block.

The format is described in ``docs/authoring.md``. Every problem found in a file is collected and
raised together, each as ``path:line: message``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from .errors import BuildFailed, ContentError
from .overrides import PinyinError, check_reading, check_text
from .reading import HAN_RE

#: A block that translates the block before it: ``en: ...`` (also ``EN:``, ``En:`` and the
#: full-width colon ``en：`` a Chinese keyboard types).
EN_PREFIX = re.compile(r"^en[ \t]*[:：][ \t]?", re.IGNORECASE)
#: A photo caption block: ``caption: ...``.
CAPTION_PREFIX = re.compile(r"^caption:[ \t]?")
#: Larger files are refused: a reading page of more than ~600,000 characters helps no learner,
#: and annotating it would take minutes.
MAX_ARTICLE_BYTES = 2_000_000
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: Levels an author may set with ``level:`` (as the site shows them).
LEVELS = ("1", "2", "3", "4", "5", "6", "7-9")


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text, so a bad date is our message, not a traceback."""


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The same with libyaml's parser (about 5x faster); on an error :class:`_Loader` parses
    again, for its clearer line numbers."""


_Loader.yaml_implicit_resolvers = _FastLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

KNOWN_KEYS = {
    "title", "title_en", "date", "byline", "byline_en", "source", "tags", "draft",
    "title_check", "glossary", "readings", "level", "audio", "audio_timings", "questions", "reviewed",
}


@dataclass(frozen=True)
class Block:
    """One Chinese block of the body and its translation."""

    kind: str  # "text" (Markdown: paragraph, heading, list) or "caption"
    text: str
    line: int
    en: str | None = None

    @property
    def is_heading(self) -> bool:
        return self.kind == "text" and self.text.startswith("#")


@dataclass(frozen=True)
class Article:
    """A parsed article, ready to render."""

    path: Path
    slug: str
    title: str
    date: dt.date
    title_en: str = ""
    byline: str = ""
    byline_en: str = ""
    source: str = ""
    tags: tuple[str, ...] = ()
    draft: bool = False
    blocks: tuple[Block, ...] = ()
    meta: dict = field(default_factory=dict, compare=False)
    warnings: tuple[str, ...] = ()
    #: sha256 of the source text: the article's part of its cache key.
    digest: str = ""
    #: The article's own glossary entries (``{word: {"en": ..., "pinyin": ...}}``).
    glossary: dict = field(default_factory=dict, compare=False)
    #: Reading overrides from front matter (``{word: ("chang2", "sha1")}``).
    readings: dict = field(default_factory=dict, compare=False)
    #: The level the author set with ``level:`` ("" when the computed level is shown).
    level: str = ""
    #: The line of each front matter key (``{"audio": 7}``), for messages about its value.
    key_lines: dict = field(default_factory=dict, compare=False)
    #: The article's recording and timings (:class:`yuedu.audio.Media`), set by the build.
    media: object = field(default=None, compare=False)
    #: Comprehension questions from front matter (:mod:`yuedu.questions`).
    questions: tuple = ()
    #: Readings the author confirmed with ``reviewed:`` (``{word: [("jing1", "shen5")]}``).
    reviewed: dict = field(default_factory=dict, compare=False)

    @property
    def has_translations(self) -> bool:
        return any(b.en for b in self.blocks)

    @property
    def chinese_text(self) -> str:
        """The reading text (title, byline, blocks) as one string, for counts and grading."""
        parts = [self.title, self.byline] + [b.text.lstrip("#").strip() for b in self.blocks]
        return "\n".join(p for p in parts if p)


def read_article(path: Path, display: str | None = None) -> Article:
    """Parse ``path`` into an :class:`Article`, raising :class:`BuildFailed` with every problem."""
    name = display or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BuildFailed([ContentError(name, None, f"cannot read file: {exc.strerror}")]) from None
    if len(data) > MAX_ARTICLE_BYTES:
        raise BuildFailed([ContentError(name, None, (
            f"the article is {len(data) / 1e6:.1f} MB; the limit is {MAX_ARTICLE_BYTES // 1_000_000} MB "
            "(split it into several articles)"))])
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BuildFailed([ContentError(
            name, line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8")]) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return parse_article(text, name, slug=path.stem, path=path)


def parse_article(text: str, name: str, *, slug: str, path: Path | None = None) -> Article:
    """Parse article source ``text``; ``name`` is used in messages."""
    errors: list[ContentError] = []
    warnings: list[str] = []
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise BuildFailed([ContentError(name, 1, "front matter: the file must start with a '---' line")])
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        raise BuildFailed([ContentError(name, 1, "front matter: no closing '---' line")])
    tabs = _tab_errors(lines, end, name)
    if tabs:
        raise BuildFailed(tabs)
    try:
        try:
            meta = yaml.load("\n".join(lines[1:end]), Loader=_FastLoader) or {}
        except yaml.YAMLError:
            meta = yaml.load("\n".join(lines[1:end]), Loader=_Loader) or {}
    except yaml.YAMLError as exc:
        raise BuildFailed([_yaml_error(exc, lines, name)]) from None
    if not isinstance(meta, dict):
        raise BuildFailed([_full_width_key(lines, end, name)
                           or ContentError(name, 2, "front matter: expected 'key: value' lines")])

    def key_line(key: str) -> int:
        """The line of a top-level key, else of a nested one (a glossary or readings word)."""
        for pattern in (rf"^{re.escape(key)}\s*[:：]", rf"^\s+[\"']?{re.escape(key)}[\"']?\s*[:：]"):
            for i in range(1, end):
                if re.match(pattern, lines[i]):
                    return i + 1
        return 1

    for key in meta:
        if key not in KNOWN_KEYS:
            errors.append(ContentError(name, key_line(str(key)), f"front matter: unknown key {key!r}"))
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        errors.append(ContentError(name, key_line("title"), "front matter: 'title' is missing or empty"))
        title = ""
    date = meta.get("date")
    if isinstance(date, dt.datetime):
        date = date.date()
    if not isinstance(date, dt.date):
        raw = str(date) if date is not None else ""
        parsed = None
        if DATE_RE.match(raw):
            try:
                parsed = dt.date.fromisoformat(raw)
            except ValueError:
                parsed = None
        if parsed is None:
            what = "missing" if date is None else f"{raw!r} is not a date YYYY-MM-DD"
            errors.append(ContentError(name, key_line("date"), f"front matter: 'date' {what}"))
        date = parsed
    strings = {}
    for key in ("title_en", "byline", "byline_en", "source"):
        value = meta.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, (str, int, float)):
            errors.append(ContentError(name, key_line(key), f"front matter: '{key}' must be text"))
            value = ""
        strings[key] = str(value).strip()
    tags = meta.get("tags", []) or []
    if isinstance(tags, str):
        tags = [tags]
    if not isinstance(tags, list) or not all(isinstance(t, (str, int)) for t in tags):
        errors.append(ContentError(name, key_line("tags"), "front matter: 'tags' must be a list of words"))
        tags = []
    draft = meta.get("draft", False)
    if not isinstance(draft, bool):
        errors.append(ContentError(name, key_line("draft"), "front matter: 'draft' must be true or false"))
        draft = False

    from .vocab import normalise_entries

    glossary, gloss_errors = normalise_entries(
        meta.get("glossary"), name, lambda w: key_line(w) if w else key_line("glossary"))
    errors.extend(gloss_errors)
    readings = _readings(meta.get("readings"), name, key_line, errors)
    level = _level(meta.get("level"), name, key_line, errors)
    reviewed = _reviewed(meta.get("reviewed"), name, key_line, errors)
    from .questions import parse_questions

    questions, question_errors = parse_questions(
        meta.get("questions"), name, "\n".join(lines[1:end]), 2, key_line("questions"))
    errors.extend(question_errors)

    blocks = _pair_blocks(_split_blocks(lines, end + 1), name, errors, warnings)
    if not blocks:
        errors.append(ContentError(name, end + 1, "the article has no body text"))
    blocks = _check_overrides(blocks, name, errors)
    for key in ("title", "byline"):
        fixed, problems = check_text(title if key == "title" else strings["byline"])
        errors.extend(ContentError(name, key_line(key), f"front matter: {key}: {message}")
                      for _, message in problems)
        if key == "title":
            title = fixed
        else:
            strings["byline"] = fixed
    if errors:
        raise BuildFailed(errors)
    return Article(
        path=path or Path(name), slug=slug, title=title.strip(), date=date,
        title_en=strings["title_en"], byline=strings["byline"], byline_en=strings["byline_en"],
        source=strings["source"], tags=tuple(str(t) for t in tags), draft=draft,
        blocks=tuple(blocks), meta=meta, warnings=tuple(warnings),
        digest=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        glossary=glossary, readings=readings, level=level, questions=questions, reviewed=reviewed,
        key_lines={str(k): key_line(str(k)) for k in meta},
    )


def _readings(raw, name: str, key_line, errors: list[ContentError]) -> dict[str, tuple[str, ...]]:
    """Validate ``readings: {word: "pin yin"}`` front matter (one syllable per character)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        errors.append(ContentError(name, key_line("readings"), "front matter: 'readings' must map words to pinyin"))
        return {}
    out = {}
    for word, pinyin in raw.items():
        word = str(word)
        if not word or not all(HAN_RE.match(c) for c in word):
            errors.append(ContentError(name, key_line(word), (
                f"front matter: readings: {word!r} must be Chinese characters only, e.g. 长沙: cháng shā")))
            continue
        if isinstance(pinyin, list):
            pinyin = " ".join(str(p) for p in pinyin)
        try:
            out[word] = check_reading(word, str(pinyin or ""))
        except PinyinError as exc:
            message = str(exc).replace(f"{{{word}|", f"{word}: ").replace("}", "")
            errors.append(ContentError(name, key_line(word), f"front matter: readings: {message}"))
    return out


def _reviewed(raw, name: str, key_line, errors: list[ContentError]) -> dict[str, list[tuple[str, ...]]]:
    """Validate ``reviewed: [精神 jīngshen, 过去 guòqù]``: confirmed readings, word then pinyin."""
    if raw is None:
        return {}
    items = [raw] if isinstance(raw, str) else raw
    example = "reviewed: [精神 jīngshen]"
    if not isinstance(items, list):
        errors.append(ContentError(name, key_line("reviewed"), f"front matter: 'reviewed' must be a list, e.g. {example}"))
        return {}
    out: dict[str, list[tuple[str, ...]]] = {}
    for item in items:
        parts = str(item).split(None, 1)
        word = parts[0] if parts else ""
        if len(parts) != 2 or not all(HAN_RE.match(c) for c in word):
            errors.append(ContentError(name, key_line("reviewed"), (
                f"front matter: reviewed: {item!r} must be a word and its pinyin, e.g. {example}")))
            continue
        pinyin = parts[1]
        if " " not in pinyin.strip() and len(word) > 1:
            pinyin = " ".join(_split_joined(pinyin, len(word)))
        # The report writes a neutral tone without a mark (jīngshen), so here a toneless
        # syllable is the neutral tone: the author copies the reading as the report shows it.
        syllables = pinyin.split()
        try:
            if len(syllables) != len(word):
                raise PinyinError(f"{word} has {len(word)} character(s) but {pinyin!r} has {len(syllables)} syllable(s)")
            out.setdefault(word, []).append(tuple(_neutral_ok(s) for s in syllables))
        except PinyinError as exc:
            errors.append(ContentError(name, key_line("reviewed"), f"front matter: reviewed: {item}: {exc}"))
    return out


def _neutral_ok(syllable: str) -> str:
    from .overrides import numbered, parse_syllable

    try:
        return numbered(syllable)
    except PinyinError:
        try:
            return numbered("·" + syllable)
        except PinyinError:
            parse_syllable(syllable)  # raises with the real problem
            raise


def _split_joined(pinyin: str, count: int) -> list[str]:
    """Split pinyin written as one word (``jīngshen``, ``guo4qu4``, ``Xī'ān``) into ``count``
    syllables, or leave it whole (the check then says what is wrong)."""
    from .overrides import SYLLABLES

    def base(piece: str) -> str:
        return "".join(c for c in unicodedata.normalize("NFD", piece.lower()) if c.isascii() and c.isalpha())

    def walk(text: str, left: int) -> list[str] | None:
        text = text.lstrip("'’")
        if not text or not left:
            return [] if not text and not left else None
        for j in range(min(len(text), 8), 0, -1):
            piece = text[:j]
            if "'" not in piece and "’" not in piece and base(piece) in SYLLABLES:
                rest = walk(text[j:], left - 1)
                if rest is not None:
                    return [piece] + rest
        return None

    return walk(pinyin.strip(), count) or [pinyin]


def _level(raw, name: str, key_line, errors: list[ContentError]) -> str:
    """Validate ``level:`` (1-6 or 7-9; "HSK 2" is read as 2); "" when absent."""
    if raw is None or raw == "":
        return ""
    text = re.sub(r"^hsk\s*", "", str(raw).strip(), flags=re.I)
    if text in ("7", "8", "9"):
        text = "7-9"
    if text not in LEVELS:
        errors.append(ContentError(name, key_line("level"), (
            f"front matter: 'level' must be one of {', '.join(LEVELS)} (e.g. level: 2), not {raw!r}")))
        return ""
    return text


def _tab_errors(lines: list[str], end: int, name: str) -> list[ContentError]:
    """Front matter lines indented with a tab (YAML allows only spaces)."""
    out = []
    for i in range(1, end):
        indent = lines[i][:len(lines[i]) - len(lines[i].lstrip(" \t"))]
        if "\t" in indent:
            out.append(ContentError(name, i + 1, (
                "front matter: this line is indented with a tab; indent with spaces (YAML allows no tabs)")))
    return out


def _yaml_error(exc: yaml.YAMLError, lines: list[str], name: str) -> ContentError:
    """Turn a YAML error into a message that says how to fix the line."""
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 2 if mark is not None else 2
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    if problem.startswith("mapping values are not allowed") and ":" in text:
        key, value = text.split(":", 1)
        value = value.strip().replace("\\", "\\\\").replace('"', '\\"')
        return ContentError(name, line, (
            f"front matter: the value of {key.strip()!r} contains a colon; put the value in quotes: "
            f'{key.strip()}: "{value}"'))
    if "\t" in problem or "'\\t'" in problem:
        return ContentError(name, line, "front matter: a tab in this line; indent with spaces (YAML allows no tabs)")
    return ContentError(name, line, f"front matter: {problem}")


def _full_width_key(lines: list[str], end: int, name: str) -> ContentError | None:
    """A ``key：value`` line (full-width colon), which YAML reads as plain text."""
    for i in range(1, end):
        m = re.match(r"^([A-Za-z_]+)\s*：\s*(.*)$", lines[i])
        if m:
            return ContentError(name, i + 1, (
                f"front matter: use an ASCII colon after the key: {m.group(1)}: {m.group(2)}"))
    return None


def _check_overrides(blocks: list[Block], name: str, errors: list[ContentError]) -> list[Block]:
    """Normalise the reading overrides of each Chinese block and report the malformed ones."""
    out = []
    for block in blocks:
        text, problems = check_text(block.text)
        errors.extend(ContentError(name, block.line + offset, message) for offset, message in problems)
        out.append(block if text == block.text else replace(block, text=text))
    return out


def _split_blocks(lines: list[str], start: int) -> list[tuple[int, str]]:
    """Split body lines (from index ``start``) into blank-line separated blocks with 1-based lines."""
    blocks: list[tuple[int, str]] = []
    current: list[str] = []
    first = 0
    for i in range(start, len(lines)):
        line = lines[i].rstrip()
        if line.strip():
            if not current:
                first = i + 1
            current.append(line)
        elif current:
            blocks.append((first, "\n".join(current)))
            current = []
    if current:
        blocks.append((first, "\n".join(current)))
    return blocks


def _pair_blocks(raw: list[tuple[int, str]], name: str, errors: list[ContentError],
                 warnings: list[str]) -> list[Block]:
    """Pair each Chinese block with the ``en:`` block after it, reporting gaps and extras."""
    translated = any(EN_PREFIX.match(text) for _, text in raw)
    blocks: list[Block] = []
    pending: tuple[int, str, str] | None = None  # (line, kind, text) waiting for its translation

    def flush(en: str | None) -> None:
        nonlocal pending
        if pending is None:
            return
        line, kind, text = pending
        if en is None and translated:
            errors.append(ContentError(
                name, line, f"missing translation: this block has no 'en:' block after it ({_preview(text)})"))
        blocks.append(Block(kind=kind, text=text, line=line, en=en))
        pending = None

    for line, text in raw:
        _glued(line, text, name, errors)
        if EN_PREFIX.match(text):
            en = EN_PREFIX.sub("", text, count=1).strip()
            if pending is None:
                errors.append(ContentError(
                    name, line, "extra translation: this 'en:' block does not follow a Chinese block"))
            elif not en:
                errors.append(ContentError(name, line, "empty translation"))
                flush("")
            else:
                flush(en)
            continue
        flush(None)
        if CAPTION_PREFIX.match(text):
            caption = CAPTION_PREFIX.sub("", text, count=1).strip()
            if not caption:
                errors.append(ContentError(name, line, "empty caption"))
            pending = (line, "caption", caption)
        else:
            pending = (line, "text", text)
    flush(None)
    if not translated and blocks:
        warnings.append(f"{name}: no translations yet (add an 'en:' block after each block)")
    return blocks


def _glued(line: int, text: str, name: str, errors: list[ContentError]) -> None:
    """Report an ``en:`` line glued to the Chinese block above it, and a Chinese line glued to
    the translation above it (a blank line separates blocks)."""
    rows = text.split("\n")
    is_en = bool(EN_PREFIX.match(rows[0]))
    for k, row in enumerate(rows[1:], 1):
        if not is_en and EN_PREFIX.match(row):
            errors.append(ContentError(name, line + k, (
                "this 'en:' line is glued to the Chinese block above it; put a blank line before it")))
            return
        han = len(HAN_RE.findall(row))
        if is_en and han >= 4 and han * 2 > len(row.replace(" ", "")):
            errors.append(ContentError(name, line + k, (
                "this Chinese line is glued to the translation above it; put a blank line before it")))
            return


def _preview(text: str, width: int = 16) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width] + "…"
