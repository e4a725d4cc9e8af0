"""Fuzzing the whole text path: scraped page -> import -> article -> annotate -> render.

Asserts, for any input: no crash; the lossless invariant (the page text without <rt>/<rp> equals
the cleaned Chinese source text); balanced, well-formed ruby; and escaping (input never becomes
markup). CI runs a bounded number of examples; a long run is
`YUEDU_FUZZ_EXAMPLES=10000 python -m pytest tests/test_fuzz.py`.
"""

from __future__ import annotations

import os
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from helpers import reading_text
from yuedu.article import parse_article
from yuedu.config import load_config
from yuedu.errors import BuildFailed
from yuedu.importer import clean, to_markdown
from yuedu.reading import HAN_RE
from yuedu.render import Renderer

EXAMPLES = int(os.environ.get("YUEDU_FUZZ_EXAMPLES", "40"))
HANZI = "的一是了不在人有我他这中大来上个们到说和地也子时道出而要于就下得可你年生自会那后能对着事其里所去行过家十用发天如然作方成者多日都三小军二无同长重为还"
PUNCT = "，。！？、；：“”‘’（）《》—…"
OTHER = "abcxyzABC0123 <>\"'&/"
ALPHABET = HANZI + PUNCT + OTHER
ALLOWED = {"div", "p", "h2", "h3", "ruby", "rt", "rp", "strong", "em", "code", "a", "span", "ul", "ol", "li", "br"}

line = st.text(alphabet=ALPHABET, min_size=1, max_size=60).map(str.strip).filter(lambda s: HAN_RE.search(s))
annotated = st.tuples(line, st.sampled_from(["", "(xíng)", "（chang2）", "(shi)(shi)"])).map(
    lambda pair: pair[0][:1] + pair[1] + pair[0][1:] if HAN_RE.match(pair[0][:1]) else pair[0])
pages = st.lists(annotated, min_size=1, max_size=5).map("\n".join)


class Structure(HTMLParser):
    """Check tags balance, only expected elements appear, and each ruby has one rt per base char."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.base = self.rts = 0
        self.in_rt = False

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED:
            self.problems.append(f"unexpected <{tag}>")
        if tag == "ruby":
            self.base = self.rts = 0
        if tag == "rt":
            self.rts += 1
            self.in_rt = True
        if tag != "br":
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"unbalanced </{tag}> (open: {self.stack[-3:]})")
            return
        self.stack.pop()
        if tag == "rt":
            self.in_rt = False
        if tag == "ruby" and self.base != self.rts:
            self.problems.append(f"ruby with {self.base} characters and {self.rts} readings")

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "ruby":
            self.base += len(data)


@pytest.fixture(scope="module")
def renderer():
    r = Renderer(load_config(ROOT))
    r.config = r.config.with_options()  # same settings; its cache dir is only read for CC-CEDICT
    return r


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page=pages)
def test_import_to_page_is_lossless_balanced_and_escaped(renderer, page):
    cleaned = clean(page)
    if not cleaned.blocks:
        return
    source = to_markdown(cleaned, date="2026-01-01")
    try:
        article = parse_article(source, "fuzz.md", slug="fuzz")
    except BuildFailed as exc:  # must be a clear message, never a crash
        assert all(":" in str(e) for e in exc.errors)
        return
    rendered = renderer.article(article)
    fragments = [("title", rendered.title)] + [(b.kind, b.html) for b in rendered.blocks]
    html = "".join(f'<div class="zh">{fragment}</div>' for _, fragment in fragments)
    structure = Structure()
    structure.feed(html)
    structure.close()
    assert not structure.problems, (structure.problems, html[:500])
    assert not structure.stack
    texts = reading_text(html).texts()
    assert texts[0] == article.title
    assert texts[1:] == [text for _, text in cleaned.blocks]
