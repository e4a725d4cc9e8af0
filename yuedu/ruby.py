"""Ruby annotation as a Python-Markdown extension: every Han word becomes one ``<ruby>``.

The treeprocessor is shaped like Python-Markdown's ``AbbrTreeprocessor``: it walks ``.text`` and
``.tail`` of every element, skips code and our own ``rt``/``rp``, and inserts elements. While it
works it collects the page's vocabulary (each distinct word and reading once), which the glossary
popups and the vocabulary list use; :meth:`RubyExtension.start_page` clears it per page.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from markdown import Extension
from markdown.serializers import to_html_string
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
        n = max((j for j, s in enumerate(starts) if s <= i), default=0)
        word = words[n] if words else None
        if word is None or not word.pinyin:
            out.append(({**entry, "sentence": sentence_around(clean, i)}, None))
            continue
        out.append(({**entry, "word": word.text, "k": i - starts[n], "word_pinyin": word.pinyin,
                     "pos": word.pos, "sentence": sentence_around(clean, i)}, word))
    return out


class RubyTreeprocessor(Treeprocessor):
    """Replace Han text in text nodes with one ``<ruby>`` element per word."""

    def __init__(self, md, extension: RubyExtension) -> None:
        super().__init__(md)
        self.ext = extension

    def run(self, root: etree.Element) -> None:
        self._walk(root)

    def _walk(self, el: etree.Element) -> None:
        if el.tag in SKIP_TAGS:
            return
        children = list(el)
        for child in children:
            self._walk(child)
        # Tails belong to the parent: annotate each child's tail and insert after the child.
        for child in children:
            tail = child.tail
            if tail and not isinstance(tail, AtomicString) and HAN_RE.search(tail):
                lead, nodes = self.ext.ruby_nodes(tail)
                child.tail = lead
                at = list(el).index(child) + 1
                for offset, node in enumerate(nodes):
                    el.insert(at + offset, node)
        text = el.text
        if text and not isinstance(text, AtomicString) and HAN_RE.search(text):
            lead, nodes = self.ext.ruby_nodes(text)
            el.text = lead
            for offset, node in enumerate(nodes):
                el.insert(offset, node)


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

    def ruby_nodes(self, text: str) -> tuple[str, list[etree.Element]]:
        """Turn ``text`` into leading plain text plus ruby elements (non-Han text in tails)."""
        lead = ""
        nodes: list[etree.Element] = []
        found: list[dict] = []
        words = annotate(text, overrides=self.overrides, audit_into=found, whole=self.whole)
        located = _locate(found, words)
        for word in words:
            if not word.is_han:
                if nodes:
                    nodes[-1].tail = (nodes[-1].tail or "") + word.text
                else:
                    lead += word.text
                continue
            nodes.append(self.word_element(word))
        for entry, word in located:
            gid = self.vocabulary.index.get((word.text, word.pinyin)) if word is not None else None
            self.audit.append({"line": self.line, **entry, "gid": gid})
        return lead, nodes

    def word_element(self, word: Word) -> etree.Element:
        """Build ``<ruby>字<rt>zì</rt>…</ruby>`` for one word.

        No ``<rp>`` fallback parentheses: every browser the site supports renders ruby (they
        were a pair of elements per character, about 3 % of a page's gzip weight).
        """
        gid = self.vocabulary.add(word)
        ruby = etree.Element("ruby", {"data-g": str(gid)})
        first = self.vocabulary.words[gid]
        if first is not word and self.lead is not None:
            k = self.lead(first, word)
            if k:
                ruby.set("data-l", str(k))  # this sentence leads with another sense (想你, 想去)
        ruby.text = word.text[0]
        chars = list(word.text)
        for i, syllable in enumerate(word.pinyin):
            # aria-hidden: assistive technology reads the hanzi once, not hanzi plus every syllable
            # (the reader's screen-reader setting can let it read the pinyin too).
            rt = etree.SubElement(ruby, "rt", {"aria-hidden": "true"})
            rt.text = AtomicString(syllable)
            if word.spoken and word.spoken[i] != syllable:
                # 一/不 after tone sandhi; the reader's setting shows it instead (marked).
                rt.set("data-s", word.spoken[i])
            if i + 1 < len(chars):
                rt.tail = chars[i + 1]
        return ruby

    def ruby_html(self, text: str) -> str:
        """Annotate a plain string (title, byline) and return HTML, escaped."""
        holder = etree.Element("span")
        lead, nodes = self.ruby_nodes(text)
        holder.text = lead
        holder.extend(nodes)
        html = to_html_string(holder)
        return html[len("<span>"):-len("</span>")]
