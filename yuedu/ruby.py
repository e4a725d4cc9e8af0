"""Ruby annotation as a Python-Markdown extension: every Han word becomes one ``<ruby>``.

The treeprocessor is shaped like Python-Markdown's ``AbbrTreeprocessor``: it walks ``.text`` and
``.tail`` of every element, skips code and our own ``rt``/``rp``, and puts ruby HTML in their place. While it
works it collects the page's vocabulary (each distinct word and reading once), which the glossary
popups and the vocabulary list use; :meth:`RubyExtension.start_page` clears it per page.
"""

from __future__ import annotations

import bisect
import xml.etree.ElementTree as etree
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from markdown import Extension
from markdown.serializers import _escape_attrib_html, _escape_cdata
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from .reading import HAN_RE, Word, annotate

#: Elements whose text is never annotated.
SKIP_TAGS = frozenset({"code", "pre", "kbd", "samp", "script", "style", "rt", "rp", "ruby"})


@dataclass
class Vocabulary:
    """The distinct words of one page, in order of first appearance, with occurrence counts."""

    words: list[Word]
    counts: list[int]
    index: dict[tuple[str, tuple[str, ...]], int]

    @classmethod
    def empty(cls) -> Vocabulary:
        return cls([], [], {})

    def add(self, word: Word) -> int:
        """Record one occurrence of ``word`` and return its id on this page."""
        key = (word.text, word.pinyin)
        gid = self.index.get(key)
        if gid is None:
            gid = self.index[key] = len(self.words)
            self.words.append(word)
            self.counts.append(0)
        self.counts[gid] += 1
        return gid


def _locate(entries: list[dict], words: Sequence[Word]) -> list[tuple[dict, Word | None]]:
    """Give each audit entry the word it falls in (``word``, ``k``, ``word_pinyin``, ``pos``)
    and its sentence, for the review list."""
    if not entries:
        return []
    from .review import sentence_around

    clean = "".join(w.text for w in words)
    starts, pos = [], 0
    for w in words:
        starts.append(pos)
        pos += len(w.text)
    out = []
    for entry in entries:
        i = entry["index"]
        n = max(bisect.bisect_right(starts, i) - 1, 0)  # the word holding character i
        word = words[n] if words else None
        sentence = sentence_around(clean, i)
        if word is None or not word.pinyin:
            out.append(({**entry, "sentence": sentence}, None))
            continue
        out.append(({**entry, "word": word.text, "k": i - starts[n], "word_pinyin": word.pinyin,
                     "pos": word.pos, "sentence": sentence}, word))
    return out


class RubyTreeprocessor(Treeprocessor):
    """Replace Han text in text nodes with one ``<ruby>`` per word.

    Each run of ruby words goes into Markdown's HTML stash as one string and leaves a
    placeholder in the text, which the ``raw_html`` postprocessor swaps back: the HTML is
    written once, here, rather than built as thousands of elements for Markdown's serializer
    to walk (same bytes, a fraction of the work). The text between runs stays text, so
    Markdown still escapes it and restores its backslash escapes.
    """

    def __init__(self, md, extension: RubyExtension) -> None:
        super().__init__(md)
        self.ext = extension

    def run(self, root: etree.Element) -> None:
        self._walk(root)

    def _stash(self, text: str) -> str:
        store = self.md.htmlStash.store
        return "".join(store(piece) if is_html else piece for is_html, piece in self.ext.ruby_pieces(text))

    def _walk(self, el: etree.Element) -> None:
        if el.tag in SKIP_TAGS:
            return
        children = list(el)
        for child in children:
            self._walk(child)
        # Then the tails, then the text: the order in which words get their ids.
        for child in children:
            tail = child.tail
            if tail and not isinstance(tail, AtomicString) and HAN_RE.search(tail):
                child.tail = self._stash(tail)
        text = el.text
        if text and not isinstance(text, AtomicString) and HAN_RE.search(text):
            el.text = self._stash(text)


class RubyExtension(Extension):
    """Annotate Han text with ruby pinyin and collect the page's vocabulary."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.vocabulary = Vocabulary.empty()
        self.overrides: Mapping[str, Sequence[str]] = {}
        #: The override words kept whole as units (None: all of them).
        self.whole: Collection[str] | None = None
        #: Uncertain readings found on this page, each tagged with :attr:`line`.
        self.audit: list[dict] = []
        #: The source line of the text being annotated (set by the renderer per block).
        self.line = 1
        #: ``lead(first, word)``: for a later occurrence of a page's word, the index of the sense
        #: its popup leads with in the senses of the first occurrence (None: the same one).
        self.lead: Callable[[Word, Word], int | None] | None = None

    def extendMarkdown(self, md) -> None:
        """Register the treeprocessor.

        Priority 4: after ``inline`` (20), so emphasis and links are already elements and code
        spans are AtomicStrings; after ``toc`` (5), so heading ids stay plain text; before
        ``unescape`` (0), which only touches escape placeholders we pass through unchanged.
        """
        md.treeprocessors.register(RubyTreeprocessor(md, self), "yuedu_ruby", 4)

    def start_page(self, overrides: Mapping[str, Sequence[str]] | None = None,
                   whole: Collection[str] | None = None,
                   lead: Callable[[Word, Word], int | None] | None = None) -> None:
        """Start a new page: clear the vocabulary and set the article's reading overrides
        (``whole``: those kept whole as units, see :func:`yuedu.reading.annotate`) and the
        sense-lead function (see :attr:`lead`)."""
        self.vocabulary = Vocabulary.empty()
        self.overrides = overrides or {}
        self.whole = whole
        self.lead = lead
        self.audit = []
        self.line = 1

    def ruby_pieces(self, text: str) -> list[tuple[bool, str]]:
        """Split ``text`` into ``(False, plain text)`` and ``(True, ruby HTML)`` pieces, in order:
        each run of Han words is one HTML piece; plain text is left unescaped."""
        pieces: list[tuple[bool, str]] = []
        run: list[str] = []
        found: list[dict] = []
        words = annotate(text, overrides=self.overrides, audit_into=found, whole=self.whole)
        located = _locate(found, words)
        plain = ""
        for word in words:
            if not word.is_han:
                if run:
                    pieces.append((True, "".join(run)))
                    run = []
                plain += word.text
                continue
            if plain:
                pieces.append((False, plain))
                plain = ""
            run.append(self.word_html(word))
        if run:
            pieces.append((True, "".join(run)))
        if plain:
            pieces.append((False, plain))
        for entry, word in located:
            gid = self.vocabulary.index.get((word.text, word.pinyin)) if word is not None else None
            self.audit.append({"line": self.line, **entry, "gid": gid})
        return pieces

    def word_html(self, word: Word) -> str:
        """``<ruby data-g="N">字<rt aria-hidden="true">zì</rt>…</ruby>`` for one word.

        No ``<rp>`` fallback parentheses: every browser the site supports renders ruby (they
        were a pair of elements per character, about 3 % of a page's gzip weight). The
        ``aria-hidden`` lets assistive technology read the hanzi once, not hanzi plus every
        syllable; ``data-s`` carries the reading of 一/不 after tone sandhi, which the reader's
        setting shows instead. Escaped and ordered exactly as Markdown's serializer would.
        """
        gid = self.vocabulary.add(word)
        lead = ""
        first = self.vocabulary.words[gid]
        if first is not word and self.lead is not None:
            k = self.lead(first, word)
            if k:  # this sentence leads with another sense (想你, 想去)
                lead = f' data-l="{_escape_attrib_html(str(k))}"'
        key = (word.text, word.pinyin, word.spoken)
        body = _BODIES.get(key)
        if body is None:
            chars = word.text
            parts = [_escape_cdata(chars[0])]
            for i, syllable in enumerate(word.pinyin):
                if word.spoken and word.spoken[i] != syllable:
                    parts.append(f'<rt aria-hidden="true" data-s="{_escape_attrib_html(word.spoken[i])}">')
                else:
                    parts.append('<rt aria-hidden="true">')
                parts.append(_escape_cdata(syllable))
                parts.append("</rt>")
                if i + 1 < len(chars):
                    parts.append(_escape_cdata(chars[i + 1]))
            body = "".join(parts) + "</ruby>"
            if len(_BODIES) < _MAX_BODIES:
                _BODIES[key] = body
        return f'<ruby data-g="{gid}"{lead}>{body}'

    def ruby_html(self, text: str) -> str:
        """Annotate a plain string (title, byline) and return HTML, escaped."""
        return "".join(piece if is_html else _escape_cdata(piece) for is_html, piece in self.ruby_pieces(text))


#: A word's ruby HTML after its opening tag, by (text, pinyin, spoken): the same word is
#: written thousands of times across a site. Bounded so a huge site cannot grow it forever.
_BODIES: dict[tuple[str, tuple[str, ...], tuple[str, ...]], str] = {}
_MAX_BODIES = 200_000
